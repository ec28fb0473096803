"""Stage 1, load: read a YAML/JSON file, validate it as OAS 3.1, check its ``$ref``s.

The result is the raw document (plain dicts and lists) plus a resolver for
local references. References are not inlined, so recursive schemas stay
finite; the model stage follows them on demand.
"""

import functools
import hashlib
import importlib
import importlib.util
import json
import os
import re
import sys
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostics, SpecError, join
from generator.overlay import apply_overlay, check_overlay
from generator.refs import check_refs, pointer_parts


class _Loader(yaml.CSafeLoader):  # type: ignore[misc]
    """YAML 1.2's core schema, as OpenAPI 3.1 asks: ``no`` and ``on`` are
    strings (YAML 1.1 made them booleans: Norwegian's language code ``no``
    would be sent as ``false``), ``1e-08`` is a number, dates stay strings,
    and mapping keys become strings."""


_CORE = "tag:yaml.org,2002:"
_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
):
    _Loader.add_implicit_resolver(_CORE + _tag, re.compile(_pattern), list(_first))
_Loader.add_implicit_resolver(_CORE + "null", re.compile(r"^$"), [""])
# YAML 1.1's merge key, which real specs use.
_Loader.add_implicit_resolver(_CORE + "merge", re.compile(r"^(?:<<)$"), ["<"])


def _construct_int(loader: Any, node: Any) -> int:
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)  # leading zeros are decimal in YAML 1.2


def _construct_float(loader: Any, node: Any) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    return float("nan") if text == ".nan" else float(text)


def _construct_bool(loader: Any, node: Any) -> bool:
    return bool(loader.construct_scalar(node).lower() == "true")


_Loader.add_constructor(_CORE + "int", _construct_int)
_Loader.add_constructor(_CORE + "float", _construct_float)
_Loader.add_constructor(_CORE + "bool", _construct_bool)


def _construct_mapping(loader: Any, node: Any) -> dict[str, Any]:
    own = sum(1 for k, _ in node.value if k.tag != _CORE + "merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # ``<<`` pairs come first; own keys override
    out: dict[str, Any] = {}
    written: set[str] = set()
    for i, (k, v) in enumerate(node.value):
        key = str(loader.construct_object(k, deep=True))
        if i >= merged and key in written:
            # YAML 1.2 requires unique keys; keeping one would lose the other.
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice in one mapping",
                k.start_mark,
            )
        if i >= merged:
            written.add(key)
        out[key] = loader.construct_object(v, deep=True)
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass(frozen=True)
class LoadedSpec:
    path: Path
    data: dict[str, Any]
    sha256: str  # of the spec's bytes, then each overlay's, in order
    overlays: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    def resolve(self, ref: str) -> Any:
        """The node a local ``#/...`` reference points to (checked at load)."""
        node: Any = self.data
        for part in pointer_parts(ref):
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node


def load(
    path: Path,
    diags: Diagnostics | None = None,
    overlays: Sequence[Path] = (),
    *,
    validate: bool = True,
) -> LoadedSpec:
    """Load and check a spec, overlays applied in order.

    Raises ``SpecError`` when it cannot be used. ``validate=False`` leaves
    out the openapi-pydantic validation, for a caller that runs
    ``validate_document`` itself (the pipeline does, in parallel).
    """
    diags = diags if diags is not None else Diagnostics(str(path))
    digest = hashlib.sha256()
    data = parse_document(path, diags, digest)
    if data is None:
        raise SpecError(diags.errors)
    for overlay_path in overlays:
        odiags = Diagnostics(str(overlay_path))
        raw_overlay = parse_document(overlay_path, odiags, digest)
        overlay = (
            check_overlay(raw_overlay, odiags) if raw_overlay is not None else None
        )
        if overlay is not None:
            data = apply_overlay(data, overlay, odiags)
        diags.items.extend(odiags.items)
    if diags.errors:
        raise SpecError(diags.errors)
    _check_version(data, diags)
    if validate:
        validate_document(data, diags)
    check_refs(data, diags)
    if diags.errors:
        raise SpecError(diags.errors)
    return LoadedSpec(
        path=path,
        data=data,
        sha256=digest.hexdigest(),
        overlays=tuple(p.name for p in overlays),
    )


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique (a repeated key would lose one)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def parse_document(
    path: Path, diags: Diagnostics, digest: Any = None
) -> dict[str, Any] | None:
    """Read a YAML or JSON file into plain data; ``None`` (and an error) if
    it cannot be read or is not a mapping."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error("", f"cannot read the file: {exc.strerror or exc}")
        return None
    if digest is not None:
        digest.update(raw)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw, object_pairs_hook=_unique_keys)
        else:
            if _may_nest_deeply(raw) and not _shallow_enough(raw):
                diags.error(
                    "", f"nested too deeply to read (over {MAX_DEPTH} levels allowed)"
                )
                return None
            data = yaml.load(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        diags.error("", f"not valid YAML{where}: {exc.problem or exc}")
        return None
    except (yaml.YAMLError, ValueError) as exc:
        diags.error("", f"cannot parse the file: {exc}")
        return None
    except RecursionError:
        diags.error("", f"nested too deeply to read (over {MAX_DEPTH} levels allowed)")
        return None
    if not isinstance(data, dict):
        diags.error("", "the document must be a mapping")
        return None
    # Only an escape makes a lone surrogate (decoded UTF-8 cannot hold one).
    escaped = _SURROGATE_ESCAPE.search(raw) is not None
    return data if _check_structure(data, diags, surrogates=escaped) else None


# Real documents nest 10-20 levels deep; every later stage walks the tree.
MAX_DEPTH = 64
# What YAML aliases may expand a document to, in nodes, when that is also
# far more than it holds as written: beyond both it is an alias bomb.
MAX_EXPANDED = 1_000_000
_EXPANSION = 10
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON's \ud800 and YAML's \U0000d800, spelled out in the file.
_SURROGATE_ESCAPE = re.compile(rb"\\(?:u|U0000)[dD][89a-fA-F]")


# Hints, in fast scans, that YAML text may nest past MAX_DEPTH: that many
# openers with no closer between, that many "- " in a row, or an indent that
# deep. PyYAML's C composer recurses once per level and crashes the process
# (a segfault, not an exception) at about 30,000; only then is the real
# depth measured, from the parser's events.
_DEEP_FLOW = re.compile(rb"[\[{](?:[^\]\[{}]*[\[{]){%d}" % (MAX_DEPTH - 1))
_TWO_DASHES = re.compile(rb"-[ \t]+-")
_DEEP_DASHES = re.compile(rb"(?:-[ \t]+){%d}" % MAX_DEPTH)
_DEEP_INDENT = re.compile(rb"\n[ \t]{%d}" % (2 * MAX_DEPTH))


def _may_nest_deeply(raw: bytes) -> bool:
    return bool(
        (raw.count(b"[") + raw.count(b"{") >= MAX_DEPTH and _DEEP_FLOW.search(raw))
        # (the long pattern only where a short one matches: ten times faster)
        or any(_DEEP_DASHES.match(raw, m.start()) for m in _TWO_DASHES.finditer(raw))
        or _DEEP_INDENT.search(raw)
    )


def _shallow_enough(raw: bytes) -> bool:
    """The YAML's real nesting, from libyaml's events (an iterative parser:
    no recursion, whatever the depth)."""
    depth = 0
    try:
        for event in yaml.parse(raw, Loader=_Loader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return True  # not YAML: loading says where, as for any other document
    return True


def _check_structure(
    data: dict[str, Any], diags: Diagnostics, *, surrogates: bool = True
) -> bool:
    """One pass over the document as written (a node shared through YAML
    aliases is entered once, so the cost stays linear even for an alias
    bomb); refuses what would make later stages crash or take exponential
    time: a cycle of aliases, nesting deeper than ``MAX_DEPTH``, aliases that
    expand past ``MAX_EXPANDED`` nodes, and text that is not valid Unicode (a
    lone surrogate, which JSON's ``\\ud800`` escape can make)."""
    expanded: dict[int, int] = {}  # id of a finished container -> its size
    on_path: set[int] = {id(data)}
    # Each frame: the container, its path, its children, its size so far.
    stack: list[tuple[Any, tuple[str | int, ...], Iterator[Any], list[int]]]
    stack = [(data, (), _children(data), [1])]
    written = 1
    bomb: tuple[str | int, ...] | None = None
    while stack:
        node, path, children, size = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            expanded[id(node)] = size[0]
            if bomb is None and size[0] > MAX_EXPANDED:
                bomb = path  # the deepest node past the bound
            if stack:
                stack[-1][3][0] += size[0]
            continue
        key, value = child
        if surrogates and isinstance(key, str) and _SURROGATE.search(key):
            return _refuse(diags, path, key, "a key")
        where = (*path, key)
        if isinstance(value, str):
            if surrogates and _SURROGATE.search(value):
                return _refuse(diags, where, value, "a value")
        elif isinstance(value, dict | list):
            if id(value) in on_path:
                diags.error(join("", *where), "a YAML alias refers to itself")
                return False
            if id(value) in expanded:
                size[0] += expanded[id(value)]
                continue
            if len(stack) >= MAX_DEPTH:
                diags.error(
                    join("", *where),
                    f"nested deeper than {MAX_DEPTH} levels; refusing the document",
                )
                return False
            on_path.add(id(value))
            stack.append((value, where, _children(value), [1]))
            written += 1
            continue
        size[0] += 1
        written += 1
    total = expanded[id(data)]
    if bomb is not None and total > _EXPANSION * written:
        diags.error(
            join("", *bomb),
            f"YAML aliases expand the document to {total:,} nodes from {written:,} "
            f"as written (an alias bomb?); refusing documents that expand past "
            f"{MAX_EXPANDED:,}",
        )
        return False
    return True


def _children(node: Any) -> Iterator[tuple[str | int, Any]]:
    return iter(node.items()) if isinstance(node, dict) else enumerate(node)


def _refuse(
    diags: Diagnostics, path: tuple[str | int, ...], text: str, what: str
) -> bool:
    char = _SURROGATE.search(text)
    code = f"\\u{ord(char.group()):04x}" if char else "?"
    diags.error(
        join("", *[_SURROGATE.sub("?", p) if isinstance(p, str) else p for p in path]),
        f"{what} holds a lone surrogate ({code}), which is not valid Unicode text",
    )
    return False


def _check_version(data: dict[str, Any], diags: Diagnostics) -> None:
    version = data.get("openapi")
    if version is None:
        diags.error("/openapi", "missing 'openapi' version field")
        raise SpecError(diags.errors)
    if not isinstance(version, str):
        # ``openapi: 3.1`` unquoted is a YAML number.
        diags.error(
            "/openapi",
            f"the 'openapi' version {version!r} is read as a "
            f'{type(version).__name__}, not text: write openapi: "3.1.0" (quoted)',
        )
        raise SpecError(diags.errors)
    if not version.startswith("3.1"):
        diags.error(
            "/openapi", f"OpenAPI {version} is not supported; this generator reads 3.1"
        )
        raise SpecError(diags.errors)


@functools.cache
def _openapi_3_1() -> Any:
    """openapi-pydantic's OAS 3.1 model, imported alone.

    Imported here, not at the top: it is the slowest import of the generator,
    and the pipeline validates in a separate process. ``import
    openapi_pydantic`` also builds the 3.0 models and a union of both, twice
    the time (0.4 s, on the critical path of a cold run); so the package's
    two ``__init__`` files are stood in for while ``v3.v3_1`` loads, and
    every module that loading added is taken out of ``sys.modules`` again:
    the process looks as if openapi-pydantic was never imported, and a later
    ``import openapi_pydantic`` (by anyone) gets the whole package as usual.
    Any surprise falls back to the plain import.
    """
    if "openapi_pydantic" in sys.modules:
        return importlib.import_module("openapi_pydantic.v3.v3_1").OpenAPI
    found = importlib.util.find_spec("openapi_pydantic")
    folders = list(found.submodule_search_locations or []) if found else []
    before = set(sys.modules)
    for name, path in (
        ("openapi_pydantic", folders),
        ("openapi_pydantic.v3", [os.path.join(f, "v3") for f in folders]),
    ):
        module = types.ModuleType(name)
        module.__path__ = path
        sys.modules[name] = module
    try:
        return importlib.import_module("openapi_pydantic.v3.v3_1").OpenAPI
    except ImportError:
        pass
    finally:
        for name in set(sys.modules) - before:
            if name.partition(".")[0] == "openapi_pydantic":
                del sys.modules[name]
    return importlib.import_module("openapi_pydantic.v3.v3_1").OpenAPI


def validate_document(data: dict[str, Any], diags: Diagnostics) -> None:
    """Validate against OAS 3.1 with openapi-pydantic; errors to ``diags``."""
    import pydantic  # noqa: PLC0415

    openapi = _openapi_3_1()
    try:
        openapi.model_validate(data)
        return
    except pydantic.ValidationError as first:
        exc = first
    # JSON Schema allows ``enum: []`` (nothing is valid); openapi-pydantic
    # does not. Such schemas are reported and the rest judged without them.
    empty = list(_empty_enums(data))
    if empty:
        for path in empty:
            diags.warning(
                join("", *path, "enum"),
                "enum: [] allows no value at all; the constraint is ignored",
            )
        try:
            openapi.model_validate(_without(data, empty))
            return
        except pydantic.ValidationError as second:
            exc = second
    if exc.errors():
        seen: set[str] = set()
        for err in exc.errors():
            ptr = _pointer_for(data, err["loc"])
            if ptr in seen:
                continue
            seen.add(ptr)
            diags.error(ptr, f"invalid OpenAPI document: {err['msg']}")
            if len(seen) >= 10:
                break


def _empty_enums(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[str | int, ...]]:
    """The path of every object with ``enum: []``."""
    if isinstance(node, dict):
        if node.get("enum") == []:
            yield path
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _empty_enums(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _empty_enums(value, (*path, i))


def _without(data: Any, paths: list[tuple[str | int, ...]]) -> Any:
    """A copy of ``data`` with the ``enum`` key removed at each path."""
    import copy  # noqa: PLC0415

    out = copy.deepcopy(data)
    for path in paths:
        node = out
        for part in path:
            node = node[part]
        node.pop("enum", None)
    return out


def _pointer_for(data: Any, loc: tuple[int | str, ...]) -> str:
    """Map a pydantic error location onto the document.

    Locations include union branch names ("Reference", "Schema", ...) that
    are not keys of the document; keep only the parts that index into it.
    """
    node, parts = data, []
    for part in loc:
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            parts.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            parts.append(str(part))
    return join("", *parts)

"""Argument values for the contract tests (tests/contract.py), from the spec.

Each operation is called twice: with its required arguments only, and with
every argument. Values come from the spec's examples where it gives them
(parameter, media type and schema examples) and are otherwise made from the
JSON schema by a small deterministic synthesizer. Every candidate is checked
against its schema (JSON Schema 2020-12, with formats) before it is used, so
a request that Prism rejects is the client's doing, not a bad example's.
Values are JSON; tests/contract_calls.py turns them into arguments.
"""

import math
import re
import re._parser as sre_parse  # the stdlib's own regex parser, for patterns
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

# How deep "every argument" goes into optional properties of nested objects.
FULL_DEPTH = 2
# Required properties that lead back to their own schema stop here.
MAX_DEPTH = 10

FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "uri-reference": "https://example.com/x",
    "iri": "https://example.com/x",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "byte": "ZXhhbXBsZQ==",
    "duration": "P1D",
    "password": "secret-1",
}


class Values:
    """Values for schemas of one raw document (``$ref`` resolved in it)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self._validator = Draft202012Validator(doc, format_checker=FormatChecker())

    # -- references and validity ----------------------------------------------

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or seen > 20:
                return {}
            node = self.pointer(ref[1:])
            seen += 1
        return node

    def pointer(self, ptr: str) -> Any:
        node: Any = self.doc
        for raw in ptr.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def valid(self, value: Any, schema: Any) -> bool:
        if not isinstance(schema, dict | bool):
            return True
        try:
            return bool(self._validator.evolve(schema=schema).is_valid(value))
        except Exception:  # an unresolvable ref or a JS-only regex: can't tell
            return True

    def choose(self, schema: Any, candidates: list[Any], fallback: Any) -> Any:
        """The first candidate valid against ``schema``, else ``fallback``."""
        for value in candidates:
            if self.valid(value, schema):
                return value
        return fallback

    # -- schemas ----------------------------------------------------------------

    def merged(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """``schema`` resolved, with its ``allOf`` members merged in."""
        s = self.deref(schema)
        if not isinstance(s, dict):
            return {}
        if "allOf" not in s or depth > MAX_DEPTH:
            return s
        out: dict[str, Any] = {k: v for k, v in s.items() if k != "allOf"}
        props = dict(out.get("properties") or {})
        required = list(out.get("required") or [])
        for sub in s["allOf"]:
            part = self.merged(sub, depth + 1)
            props.update(part.get("properties") or {})
            required += [r for r in part.get("required") or [] if r not in required]
            for key, value in part.items():
                if key not in ("properties", "required"):
                    out.setdefault(key, value)
        if props:
            out["properties"] = props
        if required:
            out["required"] = required
        return out

    def examples(self, schema: Any) -> list[Any]:
        s = self.deref(schema)
        if not isinstance(s, dict):
            return []
        found = (
            list(s.get("examples") or []) if isinstance(s.get("examples"), list) else []
        )
        return found + ([s["example"]] if "example" in s else [])

    def value(
        self, schema: Any, full: bool, depth: int = 0, examples: tuple[Any, ...] = ()
    ) -> Any:
        """A value for ``schema``: the first valid one of ``examples`` (from
        a parameter or media type) and the schema's own, else a made one.
        An object example is also tried laid over a made object, so that
        ``full`` still brings every optional property."""
        made = self.synth(schema, full, depth)
        candidates = []
        for example in [*examples, *self.examples(schema)]:
            if isinstance(example, dict) and isinstance(made, dict):
                keep = example if full else self._required_part(schema, example)
                candidates.append({**made, **keep})
            candidates.append(example)
        return self.choose(schema, [*candidates, made], made)

    def _required_part(self, schema: Any, example: dict[str, Any]) -> dict[str, Any]:
        required = self.merged(schema).get("required") or []
        return {k: v for k, v in example.items() if k in required}

    def synth(self, schema: Any, full: bool, depth: int = 0) -> Any:
        s = self.merged(schema)
        if depth > MAX_DEPTH:
            return None
        if "const" in s:
            return s["const"]
        if isinstance(s.get("enum"), list) and s["enum"]:
            return next((v for v in s["enum"] if v is not None), None)
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list) and s[key]:
                return self._union(s, key, full, depth)
        kind = _type_of(s)
        if kind == "object":
            return self._object(s, full, depth)
        if kind == "array":
            return self._array(s, full, depth)
        if kind in ("integer", "number"):
            return _number(s, kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(s)

    def _union(self, s: dict[str, Any], key: str, full: bool, depth: int) -> Any:
        base = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf")}
        members = [self.merged(m) for m in s[key]]
        members.sort(key=lambda m: _type_of(m) == "null")
        made = []
        for member in members:
            combined = {**base, **member}
            if base.get("properties") and member.get("properties"):
                combined["properties"] = {**base["properties"], **member["properties"]}
            req = [*(base.get("required") or []), *(member.get("required") or [])]
            if req:
                combined["required"] = list(dict.fromkeys(req))
            made.append(self.value(combined, full, depth))
        return self.choose(s, made, made[0])

    def _object(self, s: dict[str, Any], full: bool, depth: int) -> dict[str, Any]:
        props = s.get("properties") or {}
        required = [r for r in s.get("required") or [] if isinstance(r, str)]
        out: dict[str, Any] = {}
        for name, prop in props.items():
            p = self.deref(prop)
            optional_ok = full and depth < FULL_DEPTH
            if name in required or (optional_ok and not _read_only(p)):
                out[name] = self.value(prop, full, depth + 1)
        for name in required:
            out.setdefault(name, "example")
        spare = [n for n, p in props.items() if n not in out and not _read_only(p)]
        extra = s.get("additionalProperties")
        while len(out) < int(s.get("minProperties") or 0):
            if spare:
                name = spare.pop(0)
                out[name] = self.value(props[name], False, depth + 1)
            elif extra is not False:
                out[f"key{len(out)}"] = self.value(extra, False, depth + 1)
            else:
                break
        if full and not out and isinstance(extra, dict | bool) and extra:
            out["key"] = self.value(
                extra if extra is not True else {}, False, depth + 1
            )
        return out

    def _array(self, s: dict[str, Any], full: bool, depth: int) -> list[Any]:
        count = max(int(s.get("minItems") or 0), 1)
        if s.get("maxItems") == 0:
            return []
        prefix = s.get("prefixItems") or []
        items = [self.value(p, full, depth + 1) for p in prefix]
        item_schema = s.get("items", {})
        enum = self.merged(item_schema).get("enum")
        while len(items) < count:
            if (
                s.get("uniqueItems")
                and isinstance(enum, list)
                and len(enum) > len(items)
            ):
                items.append(enum[len(items)])
            else:
                items.append(self.value(item_schema, full, depth + 1))
        return items

    def errors(
        self, value: Any, schema: Any, side: str = "request"
    ) -> list[dict[str, Any]]:
        """``value``'s violations of ``schema``, located like Prism's."""
        try:
            found = self._validator.evolve(schema=schema).iter_errors(value)
            return [
                {"location": [side, "body", *e.absolute_path], "message": e.message}
                for e in found
            ]
        except Exception:  # see ``valid``
            return []

    def answer_errors(
        self, op: dict[str, Any], status: int, value: Any
    ) -> list[dict[str, Any]]:
        """A JSON answer's violations of the schema the operation gives it."""
        responses = op.get("responses") or {}
        code = str(status)
        for key in (code, f"{code[0]}XX", f"{code[0]}xx", "default"):
            if key in responses:
                content = self.deref(responses[key]).get("content") or {}
                for media_type, media in content.items():
                    if media_type.endswith("json") and "schema" in media:
                        return self.errors(value, media["schema"], "response")
                return []
        return []

    def union_array(self, schema: Any) -> bool:
        """An array schema that is not plain ``type: array`` (a type list, or
        anyOf/oneOf with null)."""
        s = self.deref(schema)
        if not isinstance(s, dict):
            return False
        if s.get("type") == "array":
            return s.get("nullable") is True  # Prism reads it as [array, null]
        types = s.get("type") if isinstance(s.get("type"), list) else []
        members = [self.deref(m) for m in [*s.get("anyOf", []), *s.get("oneOf", [])]]
        return "array" in types or any(
            isinstance(m, dict) and m.get("type") == "array" for m in members
        )

    # -- operations ---------------------------------------------------------------

    def operation(self, pointer: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The raw operation at ``pointer`` and its parameters (path-level
        ones first, overridden by the operation's own), resolved."""
        op = self.deref(self.pointer(pointer))
        item = self.deref(self.pointer(pointer.rsplit("/", 1)[0]))
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            p = self.deref(raw)
            params[(p.get("name", ""), p.get("in", ""))] = p
        return op, list(params.values())

    def parameter(self, p: dict[str, Any], full: bool) -> Any:
        schema = p.get("schema")
        if schema is None:
            content = p.get("content") or {}
            schema = next(iter(content.values()), {}).get("schema", {})
        return self.value(schema, full, examples=tuple(self._media_examples(p)))

    def body(self, op: dict[str, Any], media_type: str, full: bool) -> Any:
        media = self.media(op, media_type)
        examples = tuple(self._media_examples(media))
        return self.value(media.get("schema", {}), full, examples=examples)

    def media(self, op: dict[str, Any], media_type: str) -> dict[str, Any]:
        """The raw operation's request media type object."""
        rb = self.deref(op.get("requestBody") or {})
        return dict((rb.get("content") or {}).get(media_type) or {})

    def _media_examples(self, node: dict[str, Any]) -> Iterator[Any]:
        if "example" in node:
            yield node["example"]
        examples = node.get("examples")
        if isinstance(examples, dict):
            for raw in examples.values():
                example = self.deref(raw)
                if isinstance(example, dict) and "value" in example:
                    yield example["value"]


def _type_of(s: dict[str, Any]) -> str:
    t = s.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "null")
    if isinstance(t, str):
        return t
    if "properties" in s or "additionalProperties" in s or "required" in s:
        return "object"
    if "items" in s or "prefixItems" in s:
        return "array"
    return "string"


def _read_only(s: Any) -> bool:
    return isinstance(s, dict) and bool(s.get("readOnly"))


def _num(value: Any) -> float | None:
    """A bound; YAML 1.1 loads ``1e-08`` as a string."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _number(s: dict[str, Any], integer: bool) -> int | float:
    lo, hi = _num(s.get("minimum")), _num(s.get("maximum"))
    xlo, xhi = _num(s.get("exclusiveMinimum")), _num(s.get("exclusiveMaximum"))
    step = 1.0 if integer else 0.5
    value = 1.0
    if lo is not None and value < lo:
        value = lo
    if xlo is not None and value <= xlo:
        value = xlo + step
    if hi is not None and value > hi:
        value = hi
    if xhi is not None and value >= xhi:
        value = (xhi - step) if xlo is None else (xlo + xhi) / 2
    multiple = _num(s.get("multipleOf"))
    if multiple:
        value = math.ceil(value / multiple) * multiple
    if integer or value.is_integer():
        return math.ceil(value)
    return value


def _string(s: dict[str, Any]) -> str:
    fmt = s.get("format")
    text = FORMATS.get(fmt, "example") if isinstance(fmt, str) else "example"
    pattern = s.get("pattern")
    if isinstance(pattern, str):
        text = from_pattern(pattern) or text
    low = int(_num(s.get("minLength")) or 0)
    if len(text) < low:
        text += "x" * (low - len(text))
    high = _num(s.get("maxLength"))
    return text[: int(high)] if high is not None else text


# -- patterns: the shortest plain string the regex accepts --------------------

_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_WORD": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_NOT_SPACE": "a",
}


def from_pattern(pattern: str) -> str | None:
    """A string matching a simple ``pattern``, or None when it is not simple."""
    try:
        text = _emit(sre_parse.parse(pattern))
        return text if re.search(pattern, text) else None
    except Exception:  # JS-only syntax (\\p{L}) or a construct left out here
        return None


def _emit(items: Any) -> str:
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name in ("NOT_LITERAL", "ANY"):
            out.append("b" if av == ord("a") else "a")
        elif name == "IN":
            out.append(_in(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            out.append(_emit(sub) * min(max(low, 1), high))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_emit(av[-1]))
        elif name == "BRANCH":
            out.append(_emit(av[1][0]))
        elif name == "CATEGORY":
            out.append(_CATEGORY[str(av)])
        elif name not in ("AT", "ASSERT", "ASSERT_NOT"):
            raise ValueError(name)
    return "".join(out)


def _in(av: list[Any]) -> str:
    if av and str(av[0][0]) == "NEGATE":
        banned = {chr(v) for op, v in av[1:] if str(op) == "LITERAL"}
        return next(c for c in "aZ0_-." if c not in banned)
    op, v = av[0]
    if str(op) == "RANGE":
        return chr(v[0])
    if str(op) == "CATEGORY":
        return _CATEGORY[str(v)]
    return chr(v)

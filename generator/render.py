"""Stage 3, render: the intermediate model through Jinja templates, in memory.

``iter_render`` yields ``(relative path, text, needs formatting)`` for every
file of the package; nothing touches the disk here. Runtime modules that do
not depend on the spec live in ``templates/runtime/`` as plain Python and are
copied with a header. Templates see only the ``ir`` and the tables in ``conventions``.
"""

import functools
import json
import re
import textwrap
from collections.abc import Iterator

import jinja2

from generator import conventions, ir, templates_folder
from generator.imports import Imports, dunder_all, import_order

TEMPLATES = templates_folder()
RUNTIME = TEMPLATES / "runtime"
TOOL = "openapi-client-generator"
LINE_LENGTH = 88
HAND_WRITTEN = "lib"  # folder inside the package that regeneration never touches


def pystr(value: object) -> str:
    """Any spec text as a Python string literal: injection-proof by repr."""
    return repr(str(value))


# Control characters, Unicode line/paragraph separators that would break a
# line inside a docstring, and invisible characters: zero-width ones and the
# bidirectional controls that can make code read other than it runs (ruff's
# PLE2502 refuses them in the generated package).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff]"
)


@functools.lru_cache(maxsize=4096)
def docstring(text: str, indent: int = 4, width: int = 80, lead: int = 0) -> str:
    """Spec text made safe and tidy for the inside of a triple-quoted string;
    ``lead``: how many more characters the first line has before it (an
    ``Args:`` entry's name).

    Cached: the same descriptions recur in every sync/async twin.
    """
    text = _UNPRINTABLE.sub("", text.expandtabs(4))  # tabs: ruff E101
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    out: list[str] = []
    for para in text.strip().split("\n\n"):
        lines = [ln.rstrip() for ln in para.splitlines()]
        if any(ln.startswith(("  ", "-", "*", "|", ">")) for ln in lines[1:]):
            out.extend(lines)  # keep lists, tables and code as written
        else:
            wrapped = textwrap.wrap(
                " ".join(ln.strip() for ln in lines),
                width=max(width - indent, 40),
                initial_indent=" " * lead if not out else "",
                break_long_words=False,
                break_on_hyphens=False,
            )
            out.extend(ln.strip() if i == 0 else ln for i, ln in enumerate(wrapped))
        out.append("")
    body = "\n".join(f"{pad}{ln}" if ln else "" for ln in out).strip()
    if body.endswith('"'):
        stem = body[:-1]
        slashes = len(stem) - len(stem.rstrip("\\"))
        if slashes % 2:
            # An escaped quote before the closing ones: black and ruff
            # disagree on a space after it, so spell the quote another way.
            body = stem[:-1] + "\\x22"
        else:
            body += " "
    return body


def docstring_end(text: str, indent: int = 4) -> str:
    """``docstring`` for text the closing quotes follow directly. Like black,
    quotes that would overflow the last line go on a line of their own."""
    body = docstring(text, indent)
    last = body.rsplit("\n", 1)[-1]
    # The first line also carries the opening quotes and the indent.
    used = len(last) + 3 + (indent + 3 if "\n" not in body else 0)
    return body + "\n" + " " * indent if used > LINE_LENGTH else body


def with_notes(description: str, facts: str) -> str:
    """An argument's or field's whole doc: the description, then the facts
    (a list of values goes in a paragraph of its own)."""
    if not facts:
        return description
    if not description:
        return facts
    if facts.startswith(("One of:", "Each one of:")) or "\n" in description.strip():
        return f"{description}\n\n{facts}"  # after lists, code, paragraphs
    first, _, rest = facts.partition("\n\n")
    # "The name of the flow" + "Example: ..." needs a full stop between.
    stop = "" if description.rstrip().endswith((".", "!", "?", ":")) else "."
    return f"{description.rstrip()}{stop} {first}" + (f"\n\n{rest}" if rest else "")


def toml_str(value: object) -> str:
    """Any text as a TOML basic string. (JSON's escapes are not all TOML's:
    a character beyond U+FFFF is a surrogate pair in JSON, which TOML
    refuses.)"""
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def file_name(name: str) -> str:
    """An input file's name as text for a comment or a README: anything
    unprintable (a newline would end the comment and start code) escaped as
    Python would, and no ``--`` to close an HTML comment or `` ` `` to end
    inline code."""
    return repr(name)[1:-1].replace("--", "-\\-").replace("`", "\\x60")


def header(api: ir.Api, comment: str = "#") -> str:
    source = file_name(api.spec_name) + "".join(
        f" + overlay {file_name(o)}" for o in api.overlays
    )
    return (
        f"{comment} Generated by {TOOL} from {source}. Do not edit.\n"
        f"{comment} spec sha256: {api.spec_sha256}\n"
    )


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory (never on disk: the generator
    writes nowhere but its output folder)."""

    def __init__(self, compiled: dict[str, bytes] | None = None) -> None:
        self.compiled = dict(compiled or {})

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def precompile() -> dict[str, bytes]:
    """Every template compiled, as Jinja bytecode: done in a forked process
    while the parent reads the spec (``pipeline.analyse``), since compiling
    costs about as much as rendering."""
    cache = _MemoryBytecode()
    env = _environment(cache)
    for name in env.list_templates(extensions=["jinja"]):
        env.get_template(name)
    return cache.compiled


def _environment(bytecode: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["docstring_end"] = docstring_end
    env.filters["file_name"] = file_name
    env.filters["toml_str"] = toml_str
    env.filters["with_notes"] = with_notes
    env.filters["dunder_all"] = dunder_all
    env.filters["import_order"] = import_order
    env.globals["arg_annotation"] = arg_annotation
    env.globals["return_annotation"] = return_annotation
    env.globals["result_type"] = result_type
    env.globals["error_class"] = conventions.error_class
    env.globals["ERROR_CLASSES"] = conventions.ERROR_CLASSES
    env.globals["SERVER_ERROR"] = conventions.SERVER_ERROR
    env.globals["METHOD_OPTIONS"] = conventions.METHOD_OPTIONS
    env.globals["PAGE_URL"] = conventions.PAGE_URL
    env.globals["short_signature"] = short_signature
    env.globals["example_call"] = example_call
    env.globals["webhook_example_name"] = webhook_example_name
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.globals["readme_examples"] = readme_examples
    env.globals["param_line"] = param_line
    env.globals["page_type"] = page_type
    env.globals["model_base"] = model_base
    env.globals["items_alias"] = items_alias
    env.globals["param_call"] = param_call
    env.globals["option_annotation"] = option_annotation
    env.globals["security_literal"] = security_literal
    env.globals["op_hidden"] = op_hidden
    env.globals["HAND_WRITTEN"] = HAND_WRITTEN
    return env


BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def shadowed(resource: ir.Resource) -> frozenset[str]:
    """Builtin type names that a method of the resource hides in class scope."""
    return frozenset(op.method_name for op in resource.operations) & BUILTIN_TYPES


def arg_annotation(arg: ir.Parameter | ir.Field, hidden: frozenset[str]) -> str:
    text = arg.type.annotation(accept_str=True, shadowed=hidden)
    if arg.required:
        return text
    if text == "None":  # a property that can only be null
        return "NotGiven | None"
    if text.endswith(" | None"):  # ruff RUF036: None goes last
        return f"{text[: -len(' | None')]} | NotGiven | None"
    return f"{text} | NotGiven"


def option_annotation(option: conventions.MethodOption, hidden: frozenset[str]) -> str:
    """``max_retries: int | NotGiven``, with ``builtins.int`` where a method
    named ``int`` hides the builtin in the class body."""
    parts = option.annotation.split(" | ")
    return " | ".join(f"builtins.{p}" if p in hidden else p for p in parts)


def short_signature(op: ir.Operation) -> str:
    """``get(domain, address, *, limit=…) -> Bounce``, for the README."""
    args = [p.name for p in op.path_params]
    if op.keyword_args:
        args.append("*")
        args.extend(a.name if a.required else f"{a.name}=…" for a in op.keyword_args)
    return f"{op.method_name}({', '.join(args)}) -> {return_annotation(op)}"


_PLACEHOLDERS = {"str": '"..."', "int": "1", "float": "1.0", "bool": "True"}


def example_call(op: ir.Operation, *extra: str) -> str:
    """``get("mg.example.com", "...")``: a call of ``op`` for the README, each
    required argument its spec example (as a safe literal) or a placeholder."""

    def value(arg: ir.Parameter | ir.Field) -> str:
        if isinstance(arg.example, str):
            # A valid Python literal in "quotes" (the text is printable, so
            # no escape is needed beyond quotes and backslashes).
            return json.dumps(arg.example, ensure_ascii=False)
        if arg.example is not None:
            return repr(arg.example)
        kind = "str" if arg.type.kind == "enum" else arg.type.kind
        return _PLACEHOLDERS.get(kind, "...")

    args = [value(p) for p in op.path_params]
    args += [f"{a.name}={value(a)}" for a in op.keyword_args if a.required]
    return f"{op.method_name}({', '.join([*args, *extra])})"


def _all_examples(op: ir.Operation) -> bool:
    required = [*op.path_params, *(a for a in op.keyword_args if a.required)]
    return all(a.example is not None for a in required)


def readme_examples(api: ir.Api) -> dict[str, tuple[ir.Resource, ir.Operation]]:
    """The operations the README shows: ``call`` (a GET that reads one
    thing, else the first operation) and ``page`` (a paginated list)."""
    found = [(r, op) for r in api.resources for op in r.operations]
    # Those whose required arguments all have examples in the spec first.
    found.sort(key=lambda f: not _all_examples(f[1]))
    out: dict[str, tuple[ir.Resource, ir.Operation]] = {}
    gets = [f for f in found if f[1].http_method == "get" and not f[1].page]
    call = next((f for f in gets if f[1].path_params), None) or next(iter(gets), None)
    if call or found:
        out["call"] = call or found[0]
    page = next((f for f in found if f[1].page), None)
    if page:
        out["page"] = page
    return out


def param_line(name: str, annotation: str, default: str, indent: int = 8) -> str:
    """``name: annotation = default,`` as black lays it out: an annotation too
    long for the line goes in parentheses (ruff keeps them; black adds them)."""
    tail = f" = {default}," if default else ","
    too_long = indent + len(name) + 2 + len(annotation) + len(tail) > LINE_LENGTH
    # Black splits one subscript (``list[...]``) at its brackets; anything
    # else (a union at the top) it wraps in parentheses.
    if too_long and _top_level_union(annotation):
        annotation = f"({annotation})"
    return f"{name}: {annotation}{tail}"


def _top_level_union(annotation: str) -> bool:
    depth = 0
    for i, ch in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth == 0 and annotation.startswith(" | ", i):
            return True
    return False


def page_type(
    op: ir.Operation, is_async: bool, hidden: frozenset[str], kind: str = ""
) -> str:
    """``SyncPage[BouncePage, Bounce]``: what a paginated method returns
    (``AsyncPaginator[...]`` on async); ``kind`` names another class."""
    assert op.page is not None and op.success.type is not None
    kind = kind or ("AsyncPaginator" if is_async else "SyncPage")
    response = op.success.type.annotation(shadowed=hidden)
    return f"{kind}[{response}, {op.page.item.annotation(shadowed=hidden)}]"


_STREAMS = {
    ("binary", False): "BinaryResponse",
    ("binary", True): "AsyncBinaryResponse",
    ("events", False): "EventStream",
    ("events", True): "AsyncEventStream",
}


def result_type(
    op: ir.Operation, hidden: frozenset[str], is_async: bool = False
) -> str:
    """What the runtime parses the response into (see ``Operation.result``)."""
    if op.result == "none":
        return "NoneType"
    if op.result == "cast":
        return f"_cast(Any, {return_annotation(op, hidden)})"
    return return_annotation(op, hidden, is_async)


def return_annotation(
    op: ir.Operation, hidden: frozenset[str] = frozenset(), is_async: bool = False
) -> str:
    if op.result == "stream":
        return _STREAMS[(op.success.kind, is_async)]
    if op.success.type is None:
        return "None"
    return op.success.type.annotation(shadowed=hidden)


def op_hidden(op: ir.Operation, hidden: frozenset[str]) -> frozenset[str]:
    """Builtins hidden in the method: by a method of its class (signatures)
    or by one of its arguments (the body)."""
    names = {a.name for a in (*op.path_params, *op.keyword_args)}
    return hidden | (names & BUILTIN_TYPES)


def param_call(p: ir.Parameter) -> str:
    """``Param("query", "filter", filter, style="deepObject")``: defaults left out."""
    args = [pystr(p.location), pystr(p.wire_name), p.name]
    if p.style:
        args.append(f"style={pystr(p.style)}")
    if p.explode is not None:
        args.append(f"explode={p.explode}")
    if p.content_json:
        args.append("content_json=True")
    if p.booleans:
        args.append(f"booleans=({pystr(p.booleans[0])}, {pystr(p.booleans[1])})")
    if p.location == "path" and p.name != p.wire_name:
        args.append(f"arg={pystr(p.name)}")  # named in errors
    return f"Param({', '.join(args)})"


def security_literal(alternatives: tuple[tuple[str, ...], ...]) -> str:
    """A requirement as a Python tuple literal."""

    def tup(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    return tup([tup([pystr(k) for k in alt]) for alt in alternatives])


def _resource_imports(resource: ir.Resource) -> Imports:
    imports = Imports()
    hidden = shadowed(resource)
    if any(_spells_builtins(op, op_hidden(op, hidden)) for op in resource.operations):
        imports.modules.add("builtins")
    imports.need(*conventions.RESOURCE_IMPORTS)
    for op in resource.operations:
        imports.add_types(op.types, ".types", ".types")
        if op.parameters:
            imports.need("Param")
        if op.result == "cast":
            imports.need("Any", "_cast")
        if op.result == "none":
            imports.need("NoneType")
        if op.result == "stream":
            kind = op.success.kind
            imports.need(_STREAMS[(kind, False)], _STREAMS[(kind, True)])
        if op.deprecated:
            imports.need("_deprecated")
        if op.page is not None:
            imports.need("AsyncPage", "AsyncPaginator", "SyncPage")
        if op.body is not None and op.body.free_form:
            imports.need("_merge_fields")
        if op.body is not None and op.body.encodings:
            imports.need("FieldEncoding")
    return imports


def _spells_builtins(op: ir.Operation, hidden: frozenset[str]) -> bool:
    """Whether a code annotation of the method says ``builtins.x`` (the
    signature and the body annotate with the same ``hidden``)."""
    if not hidden:
        return False
    texts = [arg_annotation(a, hidden) for a in (*op.path_params, *op.keyword_args)]
    texts.append(return_annotation(op, hidden))
    texts.extend(option_annotation(o, hidden) for o in conventions.METHOD_OPTIONS)
    if op.page is not None:
        texts.append(page_type(op, False, hidden))
        texts.append(option_annotation(conventions.PAGE_URL, hidden))
    return any("builtins." in text for text in texts)


def model_base(m: ir.Model) -> str:
    """The class a model derives from: its parent from allOf, else
    ``ItemsModel`` for one that wraps a list (iterable like that list),
    else ``BaseModel``."""
    if m.base:
        return m.base
    if any(f.name == "items" and _is_list(f.type) for f in m.fields):
        return "ItemsModel"
    return "ItemsModel" if items_alias(m) else "BaseModel"


def items_alias(m: ir.Model) -> ir.Field | None:
    """The list of a model that holds nothing else under another name
    (``{"webhooks": [...]}``): an ``items`` property returns it, so the
    model iterates like any other list result."""
    if m.base or len(m.fields) != 1:
        return None
    (f,) = m.fields
    return f if f.name != "items" and _is_list(f.type) else None


def _is_list(t: ir.TypeRef) -> bool:
    """A list, or a list or None."""
    if t.kind == "union":
        kinds = sorted(a.kind for a in t.args)
        return kinds == ["list", "none"]
    return t.kind == "list"


def _model_imports(api: ir.Api) -> Imports:
    imports = Imports()
    for base in ("BaseModel", "ItemsModel"):
        if any(model_base(m) == base for m in api.models):
            imports.need(base)
    if any(f.aliased for m in api.models for f in m.fields):
        imports.need("Field")
    for m in api.models:
        for f in m.fields:
            imports.add_types(f.type.walk(), "", ".enums")
    imports.names.pop("", None)  # models of this module need no import
    # ._models / ._types sit one level up from types/.
    for mod in ("._models", "._types"):
        if mod in imports.names:
            imports.names["." + mod] = imports.names.pop(mod)
    return imports


def _enum_imports(api: ir.Api) -> Imports:
    imports = Imports()
    for e in api.enums:
        imports.need("OpenStrEnum" if e.value_type == "str" else "OpenIntEnum")
    return imports


def _client_imports(api: ir.Api) -> Imports:
    """The resource classes, imported for type checking only."""
    imports = Imports()
    for r in api.resources:
        imports.add(f".resources.{r.module}", f"Async{r.class_name}", r.class_name)
    return imports


def _webhook_imports(api: ir.Api) -> Imports:
    imports = Imports()
    imports.modules.update({"json", "pydantic"})
    imports.need("Any", "Literal", "Mapping", "TypeAlias")
    imports.need("_overload")
    for h in api.webhooks:
        imports.add_types(h.type.walk(), ".types", ".types")
        for _, t in h.mapping:
            imports.add_types(t.walk(), ".types", ".types")
    return imports


def webhook_union(api: ir.Api) -> str:
    """Every payload type, for ``parse_webhook`` given a name not known
    until run time."""
    return ir.TypeRef("union", args=tuple(h.type for h in api.webhooks)).annotation()


def webhook_example_name(api: ir.Api) -> str:
    """The first webhook's name as a Python literal for the docs, when it is
    plain text; else ``WEBHOOK_NAMES[0]`` (nothing odd reaches a README or a
    docstring as code)."""
    name = api.webhooks[0].name
    if len(name) <= 40 and name.isprintable() and not set(name) & set("`'\\\"<>|"):
        return json.dumps(name, ensure_ascii=False)
    return "WEBHOOK_NAMES[0]"


def md_cell(text: str) -> str:
    """Spec text in a markdown table cell: printable, one line, no pipes or
    backticks to break the table or a code span."""
    kept = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(kept.replace("`", "'").replace("|", "\\|").split())


def md_text(text: str) -> str:
    """Spec prose as README paragraphs: printable, no HTML, and no line that
    could open a code fence (which would swallow the rest of the page)."""
    out = []
    for raw in text.splitlines():
        line = "".join(ch if ch.isprintable() else " " for ch in raw).rstrip()
        line = line.replace("<", "&lt;").replace(">", "&gt;")
        if line.lstrip().startswith(("```", "~~~")):
            line = "\\" + line.lstrip()
        out.append(line)  # indented lines stay code: indentation is kept
    return "\n".join(out).strip("\n")


def iter_render(
    api: ir.Api, compiled: dict[str, bytes] | None = None
) -> Iterator[tuple[str, str, bool]]:
    """The files one by one, largest first, so formatting can start early;
    ``compiled`` is ``precompile()``'s bytecode, when there is some."""
    env = _environment(_MemoryBytecode(compiled))
    pkg = api.package
    hdr = header(api)

    def put(path: str, template: str, **context: object) -> tuple[str, str, bool]:
        context.setdefault("header", hdr)
        text = env.get_template(template).render(api=api, **context)
        return path, text, path.endswith(".py")

    yield put(
        f"{pkg}/types/models.py",
        "package/types/models.py.jinja",
        imports=_model_imports(api).render(),
    )
    for resource in api.resources:
        yield put(
            f"{pkg}/resources/{resource.module}.py",
            "package/resources/resource.py.jinja",
            resource=resource,
            hidden=shadowed(resource),
            imports=_resource_imports(resource).render(package_depth=1),
        )
    yield put(
        f"{pkg}/types/enums.py",
        "package/types/enums.py.jinja",
        imports=_enum_imports(api).render(package_depth=1),
    )
    yield put(f"{pkg}/types/__init__.py", "package/types/__init__.py.jinja")
    if api.webhooks:
        yield put(
            f"{pkg}/webhook_events.py",
            "package/webhook_events.py.jinja",
            imports=_webhook_imports(api).render(),
            kinds=sorted({h.kind for h in api.webhooks}, reverse=True),
            union=webhook_union(api),
        )
    # Kept formatted as ruff would format them (a test checks), so they
    # skip the formatter: a sixth of its processes on a large spec.
    for src in sorted(RUNTIME.glob("*.py")):
        yield f"{pkg}/{src.name}", hdr + src.read_text(encoding="utf-8"), False
    yield put(f"{pkg}/__init__.py", "package/__init__.py.jinja")
    yield put(
        f"{pkg}/_client.py",
        "package/_client.py.jinja",
        resource_imports=_client_imports(api).render(indent="    "),
    )
    yield put(f"{pkg}/_exceptions.py", "package/_exceptions.py.jinja")
    yield put(f"{pkg}/_version.py", "package/_version.py.jinja")
    yield f"{pkg}/py.typed", "", False
    yield put(f"{pkg}/resources/__init__.py", "package/resources/__init__.py.jinja")
    yield put("pyproject.toml", "project/pyproject.toml.jinja")
    yield put(
        "README.md",
        "project/README.md.jinja",
        header=f"<!--\n{header(api, ' ')}-->\n",
    )

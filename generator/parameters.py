"""Parameters: one operation's path, query, header and cookie parameters.

Part of the model stage (``operations.build_operations`` calls it). Path-item
and operation parameters are merged, typed from ``schema`` or ``content``,
given their OpenAPI ``style``/``explode`` and a Python argument name; path
placeholders no parameter declares become required string arguments.
"""

import re
from typing import TYPE_CHECKING, Any, Literal, cast

from generator import docs, ir
from generator.bodies import QUERY_STYLES, encoding
from generator.context import Context, text_of
from generator.conventions import RESERVED_ARGS
from generator.diagnostics import join
from generator.naming import Namespace, pascal
from generator.schemas import schema_type

if TYPE_CHECKING:
    from generator.operations import SpecOperation

# A description that says a parameter may be left out.
OPTIONAL_WORDING = re.compile(
    r"(?i)\b(optional|if (empty|omitted|absent|not (given|set|specified|provided))"
    r"|defaults? (to|is)|default:)"
)
# Headers OpenAPI says parameters may not set.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def parameters(
    ctx: Context, m: "SpecOperation", hint: str, args: Namespace
) -> list[ir.Parameter]:
    """Path-item and operation parameters merged (the operation's win), in
    path-template order for path parameters."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for base, items in (
        (m.path_ptr, m.path_item.get("parameters")),
        (m.ptr, m.op.get("parameters")),
    ):
        for i, raw in enumerate(items or []):
            p, pptr = ctx.deref(raw, join(base, "parameters", i), "parameter")
            if isinstance(raw, dict) and "$ref" in raw and "x-python-name" in raw:
                # Beside the $ref: this operation's own name for it.
                p = {**p, "x-python-name": raw["x-python-name"]}
            merged[(p.get("name", ""), p.get("in", ""))] = (p, pptr)
    params = []
    for (wire, loc), (p, pptr) in merged.items():
        if loc == "header" and wire.lower() in _IGNORED_HEADERS:
            ctx.diags.info(
                pptr, f"header parameter {wire!r} is ignored, as OpenAPI requires"
            )
            continue
        param = _parameter(ctx, m.path, p, pptr, hint, args)
        if param is not None:
            params.append(param)
    params.extend(_undeclared(ctx, m, {p.wire_name for p in params}, args))
    params.sort(
        key=lambda prm: (
            m.path.find("{" + prm.wire_name + "}")
            if prm.location == "path"
            else 1 << 30
        )
    )
    return params


def _undeclared(
    ctx: Context, m: "SpecOperation", declared: set[str], args: Namespace
) -> list[ir.Parameter]:
    """Placeholders of the path template no parameter declares: required
    string arguments, so the call can never send ``{id}`` as it is."""
    out = []
    for name in re.findall(r"\{([^{}/]+)\}", m.path.split("?", 1)[0]):
        if name in declared:
            continue
        declared.add(name)
        ctx.diags.warning(
            m.ptr,
            f"path placeholder {{{name}}} has no parameter; generated as a "
            "required string argument",
        )
        py = ctx.claim_identifier(
            args, name, m.ptr, "argument", reserved=RESERVED_ARGS, prefix="param"
        )
        out.append(
            ir.Parameter(py, name, "path", ir.TypeRef("str"), True, pointer=m.ptr)
        )
    return out


def _parameter(
    ctx: Context, path: str, p: dict[str, Any], pptr: str, hint: str, args: Namespace
) -> ir.Parameter | None:
    wire, loc = p.get("name", ""), p.get("in", "")
    if pptr.startswith("/components/parameters/"):
        phint = pascal(pptr.split("/")[3])
    else:
        phint = hint + pascal(wire)
    ptype, content_json = _parameter_type(ctx, p, pptr, phint)
    style, explode = _style(ctx, p, pptr, loc)
    py = ctx.claim_identifier(
        args,
        ctx.python_name(p, pptr) or ctx.path_names.get((path, wire), wire),
        pptr,
        "argument",
        reserved=RESERVED_ARGS,
        prefix="param",
        # The same name in two locations (path "ip" and query "ip").
        qualified=lambda name: f"{name}_{loc}",
    )
    if loc == "path" and not p.get("required"):
        ctx.diags.warning(pptr, "path parameters are always required")
    if loc == "path" and "{" + wire + "}" not in path:
        ctx.diags.warning(
            pptr, f"path parameter {wire!r} does not appear in the path; left out"
        )
        return None
    return ir.Parameter(
        name=py,
        wire_name=wire,
        location=cast(Literal["path", "query", "header", "cookie"], loc),
        type=ptype,
        required=_required(ctx, p, pptr),
        description=docs.describe(ctx, p, _schema_of(p)),
        notes=docs.notes(ctx, _schema_of(p), p),
        example=docs.scalar_example(ctx, _schema_of(p), p),
        style=style,
        explode=explode,
        content_json=content_json,
        deprecated=bool(p.get("deprecated")),
        booleans=_booleans(ctx, ptype, _schema_of(p), pptr),
        pointer=pptr,
        default=docs.default(ctx, _schema_of(p)),
    )


def _booleans(
    ctx: Context, ptype: ir.TypeRef, schema: Any, ptr: str
) -> tuple[str, str] | None:
    """``x-form-booleans`` on a parameter's schema: the texts for true and
    false, sent in place of ``true``/``false`` (the argument is a bool)."""
    target, _ = ctx.deref(schema, ptr)
    given = target.get("x-form-booleans") if isinstance(target, dict) else None
    if ptype.kind != "bool" or not isinstance(given, list) or len(given) != 2:
        return None
    return (str(given[0]), str(given[1]))


# Styles each location allows (OpenAPI 3.1, "Style Values").
_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": QUERY_STYLES,
    "header": ("simple",),
    "cookie": ("form",),
}
_DEFAULT_STYLES = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}


def _style(
    ctx: Context, p: dict[str, Any], pptr: str, loc: str
) -> tuple[str, bool | None]:
    """The parameter's style and explode, when not the location's defaults
    (``""`` and ``None`` mean default)."""
    default = _DEFAULT_STYLES.get(loc, "form")
    style = p.get("style", default)
    if style not in _STYLES.get(loc, ()):
        ctx.diags.warning(
            join(pptr, "style"),
            f"style {style!r} is not allowed in {loc}; sent as {default!r}",
        )
        style = default
    explode = p.get("explode")
    if not isinstance(explode, bool) or explode == (style == "form"):
        explode = None
    return ("" if style == default else style), explode


def _schema_of(p: dict[str, Any]) -> Any:
    """A parameter's schema, from ``schema`` or its ``content`` entry."""
    if "schema" in p:
        return p["schema"]
    content = p.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content.values()))
        return media.get("schema") if isinstance(media, dict) else None
    return None


def _parameter_type(
    ctx: Context, p: dict[str, Any], pptr: str, hint: str
) -> tuple[ir.TypeRef, bool]:
    """The parameter's type, and whether it is sent as JSON text (a
    ``content``-typed parameter)."""
    if "schema" in p:
        return schema_type(ctx, p["schema"], join(pptr, "schema"), hint), False
    content = p.get("content")
    if isinstance(content, dict) and content:
        media_type, media = next(iter(content.items()))
        schema = media.get("schema", {}) if isinstance(media, dict) else {}
        mptr = join(pptr, "content", media_type, "schema")
        if encoding(media_type) == "json":
            return schema_type(ctx, schema, mptr, hint), True
        return ir.TypeRef("str"), False
    ctx.diags.warning(pptr, "parameter without 'schema' typed as str")
    return ir.TypeRef("str"), False


def _required(ctx: Context, p: dict[str, Any], pptr: str) -> bool:
    """Path parameters always are; a required query parameter whose text
    says it is optional is taken at its word."""
    loc = p.get("in", "")
    required = loc == "path" or bool(p.get("required"))
    wording = OPTIONAL_WORDING.search(text_of(p)) if loc == "query" else None
    if required and wording:
        ctx.diags.warning(
            join(pptr, "required"),
            f"query parameter {p.get('name', '')!r} is required but described as "
            f"optional ({wording.group(0)!r}); generated as optional",
        )
        return False
    return required

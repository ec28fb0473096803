"""Operations: one operation of the spec -> its generated methods.

Part of the model stage. ``build_operations`` turns a ``SpecOperation``
(found by ``model.build``, named by ``derive``) into ``ir.Operation``s: its
parameters, one method per usable request media type, its responses and
its pagination. A construct that makes the operation unusable is reported
with its pointer and the operation is left out.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from generator import ir
from generator.context import Context, text_of
from generator.conventions import RESERVED_ARGS
from generator.diagnostics import join
from generator.naming import Namespace, pascal, snake
from generator.schemas import collect_properties, is_model, schema_type


@dataclass
class SpecOperation:
    """An operation as found in the spec, before it is built."""

    op: dict[str, Any]
    ptr: str  # JSON pointer of the operation object
    http_method: str
    path: str  # the key under /paths
    tag: str  # the resource it belongs to (``derive`` may re-home it)
    path_item: dict[str, Any]  # the path item, $ref resolved
    path_ptr: str


def build_operations(
    ctx: Context, m: SpecOperation, name: str, method_ns: Namespace
) -> list[ir.Operation]:
    """The methods for one operation: one per request media type, named
    ``name`` (the first), ``name_<encoding>`` or the media type's
    ``x-python-method``; none when the operation cannot be generated."""
    op, ptr = m.op, m.ptr
    hint = pascal(str(op.get("operationId") or f"{m.http_method} {m.path}"))
    args = Namespace(RESERVED_ARGS)
    params = _parameters(ctx, m, hint, args)
    bodies = _bodies(ctx, op, ptr, hint, args)
    if params is None or bodies is None:
        return []
    success, errors = _responses(ctx, op, ptr, hint)
    page = page_info(ctx, success) if m.http_method == "get" else None
    variants: list[tuple[ir.Body | None, str]] = list(bodies) or [(None, "")]
    out = []
    for i, (body, override) in enumerate(variants):
        wanted = override or (
            name if i == 0 else f"{name}_{body.encoding if body else i}"
        )
        out.append(
            ir.Operation(
                page=page,
                operation_id=str(op.get("operationId") or ""),
                method_name=ctx.claim(
                    method_ns, wanted, ptr, f"method name {wanted!r}"
                ),
                http_method=m.http_method,
                path=m.path,
                summary=text_of(op, "summary"),
                description=text_of(op),
                deprecated=bool(op.get("deprecated")),
                parameters=tuple(params),
                body=body,
                success=success,
                errors=errors,
                pointer=ptr,
            )
        )
    return out


# ------------------------------------------------------------------ parameters

# A description that says a parameter may be left out.
OPTIONAL_WORDING = re.compile(
    r"(?i)\b(optional|if (empty|omitted|absent|not (given|set|specified|provided))"
    r"|defaults? (to|is)|default:)"
)
# Headers OpenAPI says parameters may not set.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def _parameters(
    ctx: Context, m: SpecOperation, hint: str, args: Namespace
) -> list[ir.Parameter] | None:
    """Path-item and operation parameters merged (the operation's win), in
    path-template order for path parameters; ``None`` if one is broken."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for base, items in (
        (m.path_ptr, m.path_item.get("parameters")),
        (m.ptr, m.op.get("parameters")),
    ):
        for i, raw in enumerate(items or []):
            p, pptr = ctx.deref(raw, join(base, "parameters", i))
            merged[(p.get("name", ""), p.get("in", ""))] = (p, pptr)
    params = []
    ok = True
    for (wire, loc), (p, pptr) in merged.items():
        if loc == "header" and wire.lower() in _IGNORED_HEADERS:
            ctx.diags.info(
                pptr, f"header parameter {wire!r} is ignored, as OpenAPI requires"
            )
            continue
        param = _parameter(ctx, m.path, p, pptr, hint, args)
        ok = ok and param is not None
        if param is not None:
            params.append(param)
    params.sort(
        key=lambda prm: (
            m.path.find("{" + prm.wire_name + "}")
            if prm.location == "path"
            else 1 << 30
        )
    )
    return params if ok else None


def _parameter(
    ctx: Context, path: str, p: dict[str, Any], pptr: str, hint: str, args: Namespace
) -> ir.Parameter | None:
    wire, loc = p.get("name", ""), p.get("in", "")
    if pptr.startswith("/components/parameters/"):
        phint = pascal(pptr.split("/")[3])
    else:
        phint = hint + pascal(wire)
    if "schema" in p:
        ptype = schema_type(ctx, p["schema"], join(pptr, "schema"), phint)
    else:
        ctx.diags.warning(pptr, "parameter without 'schema' typed as str")
        ptype = ir.TypeRef("str")
    style = p.get("style", "simple" if loc in ("path", "header") else "form")
    if style not in ("form", "simple"):
        ctx.diags.warning(
            join(pptr, "style"), f"style {style!r} is sent as style 'form'"
        )
    py = ctx.claim_identifier(
        args,
        ctx.path_names.get((path, wire), wire),
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
        ctx.diags.error(pptr, f"path parameter {wire!r} does not appear in the path")
        return None
    return ir.Parameter(
        name=py,
        wire_name=wire,
        location=cast(Literal["path", "query", "header", "cookie"], loc),
        type=ptype,
        required=_required(ctx, p, pptr),
        description=text_of(p),
        explode=bool(p.get("explode", style == "form")),
        deprecated=bool(p.get("deprecated")),
    )


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


# ---------------------------------------------------------------- media types

# Media types that are not registered but whose meaning is plain.
NONSTANDARD_MEDIA = {"application/form-data": "multipart", "form-data": "multipart"}
NO_BODY_MEDIA = frozenset({"none", "null", "empty"})


def encoding(media_type: str) -> str | None:
    """How a media type is sent: ``json``, ``form``, ``multipart`` or None."""
    mt = media_type.split(";", maxsplit=1)[0].strip().lower()
    if mt == "application/json" or mt.endswith("+json"):
        return "json"
    if mt == "application/x-www-form-urlencoded":
        return "form"
    if mt == "multipart/form-data":
        return "multipart"
    return None


def _request_encoding(ctx: Context, media_type: str, mptr: str) -> str | None:
    """``encoding`` for a request body, with the non-standard spellings
    validators let through; ``None`` (reported) when it cannot be sent."""
    found = encoding(media_type)
    if found is not None:
        return found
    if media_type.lower() in NONSTANDARD_MEDIA:
        ctx.diags.warning(
            mptr,
            f"non-standard media type {media_type!r}; sent as multipart/form-data",
        )
        return NONSTANDARD_MEDIA[media_type.lower()]
    if media_type.lower() in NO_BODY_MEDIA:
        ctx.diags.warning(
            mptr,
            f"media type {media_type!r} is not a media type; the operation is "
            "generated without this body (an overlay can give the real one)",
        )
    else:
        ctx.diags.warning(
            mptr, f"request media type {media_type!r} is not supported; skipped"
        )
    return None


# --------------------------------------------------------------------- bodies


def _bodies(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str, args: Namespace
) -> list[tuple[ir.Body, str]] | None:
    """One body per usable media type, with its method-name override;
    ``None`` when the operation has a body and none can be sent."""
    if "requestBody" not in op:
        return []
    rb, rb_ptr = ctx.deref(op["requestBody"], join(ptr, "requestBody"))
    content = rb.get("content") or {}
    bodies = []
    for media_type, media in content.items():
        mptr = join(rb_ptr, "content", media_type)
        enc = _request_encoding(ctx, media_type, mptr)
        if enc is None:
            continue
        body_hint = hint + ("Body" if len(content) == 1 else pascal(enc) + "Body")
        # Argument names are per method, so each media type gets its own copy.
        media_info = (media_type, media, mptr)
        body = _body(ctx, rb, media_info, enc, body_hint, args.copy())
        override = media.get("x-python-method") if isinstance(media, dict) else None
        bodies.append((body, snake(override) if isinstance(override, str) else ""))
    if content and not bodies and not all(m.lower() in NO_BODY_MEDIA for m in content):
        ctx.diags.error(
            join(rb_ptr, "content"),
            "unsupported construct: no request media type this generator can send "
            "(JSON, form or multipart)",
        )
        return None
    return bodies


def _body(
    ctx: Context,
    rb: dict[str, Any],
    media: tuple[str, Any, str],
    enc: str,
    hint: str,
    names: Namespace,
) -> ir.Body:
    """An object body flattened into fields; any other body sent whole."""
    media_type, content, mptr = media
    schema = content.get("schema", {}) if isinstance(content, dict) else {}
    target, tptr = ctx.deref(schema, join(mptr, "schema"))
    kind = cast(Literal["json", "form", "multipart"], enc)
    required = bool(rb.get("required"))
    if not (
        isinstance(target, dict) and (target.get("properties") or is_model(ctx, target))
    ):
        whole = ir.Field(
            name=ctx.claim(names, "body", mptr, "argument 'body'"),
            wire_name="",
            type=schema_type(ctx, schema, join(mptr, "schema"), hint),
            required=True,
            description=text_of(rb),
        )
        return ir.Body(media_type, kind, whole=whole, required=required)
    families = _families(ctx, target, content, tptr, names)
    free_form = bool(target.get("additionalProperties"))
    return ir.Body(
        media_type,
        kind,
        fields=tuple(_body_fields(ctx, target, tptr, (enc, hint), families, names)),
        required=required,
        extra=_extra_fields(ctx, enc, names, tptr) if free_form else None,
        families=tuple(families),
    )


def _body_fields(
    ctx: Context,
    schema: dict[str, Any],
    ptr: str,
    how: tuple[str, str],
    families: list[ir.Field],
    names: Namespace,
) -> list[ir.Field]:
    """The keyword arguments of an object body (``how``: encoding, hint)."""
    enc, hint = how
    free_form = bool(schema.get("additionalProperties"))
    props, required = collect_properties(ctx, schema, ptr)
    fields = []
    for wire, prop, pptr in props:
        if _placeholder(ctx, wire, prop, pptr, families, free_form):
            continue
        py = ctx.claim_identifier(
            names,
            wire,
            pptr,
            "body field",
            reserved=RESERVED_ARGS,
            prefix="field",
            # A body field named like a parameter (PUT /alerts/{name} with
            # a "name" field) gets a fixed, readable prefix.
            qualified=lambda name: f"body_{name}",
        )
        fields.append(
            ir.Field(
                name=py,
                wire_name=wire,
                type=_body_field_type(ctx, prop, pptr, hint + pascal(wire), enc, wire),
                required=wire in required,
                description=text_of(prop) if isinstance(prop, dict) else "",
                deprecated=bool(isinstance(prop, dict) and prop.get("deprecated")),
            )
        )
    return fields


def _extra_fields(ctx: Context, enc: str, names: Namespace, ptr: str) -> ir.Field:
    """``extra_fields``: a free-form body's fields the spec does not list."""
    str_or_list = ir.TypeRef(
        "union", args=(ir.TypeRef("str"), ir.TypeRef("list", args=(ir.TypeRef("str"),)))
    )
    value = ir.TypeRef("any") if enc == "json" else str_or_list
    return ir.Field(
        name=ctx.claim(names, "extra_fields", ptr, "argument 'extra_fields'"),
        wire_name="",
        type=ir.TypeRef("mapping", args=(value,)),
        required=False,
        description="More fields, sent as given: the body takes fields "
        "the spec does not list.",
    )


def _body_field_type(
    ctx: Context, prop: Any, ptr: str, hint: str, enc: str, wire: str
) -> ir.TypeRef:
    if enc == "multipart":
        target, _ = ctx.deref(prop, ptr)
        if isinstance(target, dict):
            items, _ = ctx.deref(target.get("items"), ptr)
            if target.get("type") == "array" and _is_file(items, wire):
                return ir.TypeRef("list", args=(ir.TypeRef("file"),))
            if _is_file(target, wire):
                if target.get("format") not in ("binary", "base64"):
                    ctx.diags.warning(
                        ptr,
                        f"multipart field {wire!r} is a plain string in the spec but "
                        "its name and description say file; typed as a file upload",
                    )
                return ir.TypeRef("file")
    return schema_type(ctx, prop, ptr, hint)


FILE_FIELD = re.compile(r"(?i)^(file|files|attachment|attachments|inline|upload)$")


def _is_file(schema: Any, wire: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") in ("binary", "base64") or "contentMediaType" in schema:
        return True
    # Specs often forget format: binary on an upload field ("file": string,
    # "CSV file"); the name and the description together say what it is.
    return (
        schema.get("type") == "string"
        and "enum" not in schema
        and bool(FILE_FIELD.match(wire))
        and "file" in text_of(schema).lower()
    )


def _families(
    ctx: Context,
    schema: dict[str, Any],
    media: Any,
    ptr: str,
    names: Namespace,
) -> list[ir.Field]:
    """``x-field-families: {headers: "h:"}`` on a body schema (or its media
    type) makes a ``headers`` mapping argument sent as ``h:<key>`` fields."""
    spec = schema.get("x-field-families")
    if spec is None and isinstance(media, dict):
        spec = media.get("x-field-families")
    if not isinstance(spec, dict):
        return []
    out = []
    for arg, prefix in sorted(spec.items()):
        if not isinstance(prefix, str) or not prefix:
            ctx.diags.warning(ptr, f"x-field-families: {arg!r} needs a prefix string")
            continue
        out.append(
            ir.Field(
                name=ctx.claim(names, snake(arg), ptr, f"argument {snake(arg)!r}"),
                wire_name=prefix,
                type=ir.TypeRef("mapping", args=(ir.TypeRef("str"),)),
                required=False,
                description=f"Fields sent as ``{prefix}<key>``, one per entry.",
            )
        )
    return out


def _placeholder(
    ctx: Context,
    wire: str,
    prop: Any,
    ptr: str,
    families: list[ir.Field],
    free_form: bool,
) -> bool:
    """A property that stands for a family of free-form fields
    (``h:X-My-Header`` for any ``h:`` header) rather than being one."""
    family = next((f for f in families if wire.startswith(f.wire_name)), None)
    if family is not None:
        ctx.diags.info(ptr, f"{wire!r} is covered by the {family.name!r} argument")
        return True
    described = isinstance(prop, dict) and "prefix" in text_of(prop).lower()
    if free_form and ":" in wire and described:
        prefix = wire.split(":", 1)[0] + ":"
        ctx.diags.warning(
            ptr,
            f"{wire!r} is an example of free-form {prefix!r} fields, not a field; "
            "pass such fields through extra_fields (an overlay can declare "
            f"x-field-families to get a typed argument for {prefix!r})",
        )
        return True
    return False


# ------------------------------------------------------------------ responses


def _responses(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str
) -> tuple[ir.Response, tuple[ir.Response, ...]]:
    """The success response (the first 2xx, else ``default``) and the
    documented errors."""
    responses = op.get("responses") or {}
    built: list[ir.Response] = []
    for status in sorted(responses, key=lambda s: (s == "default", s)):
        resp, rptr = ctx.deref(responses[status], join(ptr, "responses", status))
        content = resp.get("content") or {}
        rtype: ir.TypeRef | None = None
        media_type = ""
        for mt, media in content.items():
            media_type = mt
            if encoding(mt) == "json":
                schema = media.get("schema", {}) if isinstance(media, dict) else {}
                rtype = schema_type(
                    ctx,
                    schema,
                    join(rptr, "content", mt, "schema"),
                    hint + ("Response" if status.startswith("2") else f"Error{status}"),
                )
                break
            rtype = ir.TypeRef("str") if mt.startswith("text/") else ir.TypeRef("bytes")
        built.append(ir.Response(status, text_of(resp), rtype, media_type))
    success = [r for r in built if r.status.startswith("2")]
    errors = tuple(r for r in built if not r.status.startswith(("2", "1", "3")))
    if success:
        return success[0], errors
    default = [r for r in built if r.status == "default"]
    if default:
        return default[0], tuple(r for r in errors if r.status != "default")
    return ir.Response("200", "", None), errors


def page_info(ctx: Context, success: ir.Response) -> ir.Page | None:
    """The pagination rule: a GET whose success body is a model with an
    ``items`` list and a ``paging`` object that has a ``next`` field (a URL)
    is paginated; its method returns a page that follows ``paging.next``."""
    if success.type is None or success.type.kind != "model":
        return None
    model = ctx.models.get(success.type.name)
    if model is None:
        return None
    fields = {f.wire_name: f for f in _all_fields(ctx, model)}
    items, paging = fields.get("items"), fields.get("paging")
    if items is None or paging is None or items.type.kind != "list":
        return None
    paging_type = next((t for t in paging.type.walk() if t.kind == "model"), None)
    paging_model = ctx.models.get(paging_type.name) if paging_type else None
    if paging_model is None or "next" not in {
        f.wire_name for f in _all_fields(ctx, paging_model)
    }:
        return None
    return ir.Page(item=items.type.args[0])


def _all_fields(ctx: Context, model: ir.Model) -> list[ir.Field]:
    inherited = ctx.models.get(model.base) if model.base else None
    return [*(_all_fields(ctx, inherited) if inherited else []), *model.fields]

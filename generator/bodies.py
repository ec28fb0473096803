"""Request bodies: one media type of a request body -> an ``ir.Body``.

Part of the model stage (``operations.build_operations`` calls it). JSON,
form and multipart bodies of an object schema become keyword arguments (with
free-form field families and ``encoding`` entries); any other schema is one
``body`` argument; any other media type is raw content.
"""

import re
from typing import Any, Literal, cast

from generator import docs, ir
from generator.context import Context, text_of
from generator.conventions import RESERVED_ARGS
from generator.diagnostics import join
from generator.naming import Namespace, pascal, snake
from generator.schemas import collect_properties, is_model, schema_type

# Styles a query parameter (and a form body field) may have.
QUERY_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")
# Media types that are not registered but whose meaning is plain.
NONSTANDARD_MEDIA = {"application/form-data": "multipart", "form-data": "multipart"}
NO_BODY_MEDIA = frozenset({"none", "null", "empty"})


def encoding(media_type: str) -> str | None:
    """How a media type is sent: ``json``, ``form``, ``multipart`` or None
    (raw content)."""
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
        return None
    return "raw"  # sent as the bytes, text or file the caller gives


# --------------------------------------------------------------------- bodies


def bodies(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str, args: Namespace
) -> list[tuple[ir.Body, str]]:
    """One body per usable media type, with its method-name override."""
    if "requestBody" not in op:
        return []
    rb, rb_ptr = ctx.deref(op["requestBody"], join(ptr, "requestBody"), "request body")
    content = rb.get("content") or {}
    out = []
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
        out.append((body, snake(override) if isinstance(override, str) else ""))
    return out


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
    target, tptr = ctx.deref(schema, join(mptr, "schema"), "schema")
    kind = cast(Literal["json", "form", "multipart", "raw"], enc)
    required = bool(rb.get("required"))
    if kind == "raw":
        return _raw_body(ctx, rb, media, names, required)
    if not (
        isinstance(target, dict) and (target.get("properties") or is_model(ctx, target))
    ):
        whole = ir.Field(
            name=ctx.claim(names, "body", mptr, "argument 'body'"),
            wire_name="",
            type=schema_type(ctx, schema, join(mptr, "schema"), hint),
            required=required,
            description=text_of(rb),
            pointer=join(mptr, "schema"),
        )
        return ir.Body(
            media_type,
            kind,
            whole=whole,
            required=required,
            encodings=_encodings(ctx, content, mptr, kind, {}),
        )
    families = _families(ctx, target, content, tptr, names)
    free_form = bool(target.get("additionalProperties"))
    return ir.Body(
        media_type,
        kind,
        fields=tuple(_body_fields(ctx, target, tptr, (enc, hint), families, names)),
        required=required,
        extra=_extra_fields(ctx, enc, names, tptr) if free_form else None,
        families=tuple(families),
        encodings=_encodings(
            ctx, content, mptr, kind, _wire_formats(ctx, target, tptr)
        ),
    )


def _wire_formats(
    ctx: Context, schema: dict[str, Any], ptr: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per property, how the API spells a date or a boolean in a form field:
    ``x-date-format: rfc2822`` (``Fri, 14 Oct 2011 23:10:10 -0000``) and
    ``x-form-booleans: ["yes", "no"]`` (the texts for true and false)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    props, _ = collect_properties(ctx, schema, ptr)
    for wire, prop, pptr in props:
        target, _ = ctx.deref(prop, pptr)
        if not isinstance(target, dict):
            continue
        date_format = target.get("x-date-format", "")
        if date_format not in ("", "rfc2822", "iso8601"):
            ctx.diags.warning(
                join(pptr, "x-date-format"),
                f"x-date-format {date_format!r} is not rfc2822 or iso8601; ignored",
            )
            date_format = ""
        booleans = target.get("x-form-booleans", ())
        if booleans and not (
            isinstance(booleans, list)
            and len(booleans) == 2
            and all(isinstance(b, str) for b in booleans)
        ):
            ctx.diags.warning(
                join(pptr, "x-form-booleans"),
                "x-form-booleans takes two texts, for true and false; ignored",
            )
            booleans = ()
        if date_format or booleans:
            out[wire] = (date_format, tuple(booleans))
    return out


def _encodings(
    ctx: Context,
    media: Any,
    mptr: str,
    kind: str,
    formats: dict[str, tuple[str, tuple[str, ...]]],
) -> tuple[ir.FieldEncoding, ...]:
    """The media type's ``encoding`` map, for form and multipart bodies,
    with the properties' date and boolean spellings (``formats``)."""
    raw = media.get("encoding") if isinstance(media, dict) else None
    if kind not in ("form", "multipart"):
        return ()
    raw = {
        **{wire: {} for wire in formats},
        **(raw if isinstance(raw, dict) else {}),
    }
    out = []
    for wire, enc in sorted(raw.items()):
        if not isinstance(enc, dict):
            continue
        # Styles apply to form bodies only (multipart ignores them).
        style = enc.get("style", "") if kind == "form" else ""
        if style and style not in QUERY_STYLES:
            ctx.diags.warning(
                join(mptr, "encoding", wire, "style"),
                f"style {style!r} does not apply here; the field is sent as 'form'",
            )
            style = ""
        explode = enc.get("explode")
        out.append(
            ir.FieldEncoding(
                wire_name=str(wire),
                content_type=str(enc.get("contentType", "")),
                style=str(style),
                explode=explode if isinstance(explode, bool) else None,
                date_format=formats.get(wire, ("", ()))[0],
                booleans=formats.get(wire, ("", ()))[1],
            )
        )
    return tuple(out)


def _raw_body(
    ctx: Context,
    rb: dict[str, Any],
    media: tuple[str, Any, str],
    names: Namespace,
    required: bool,
) -> ir.Body:
    """A body of any other media type: the caller's bytes, file or iterator
    (and ``str`` for text types), sent as they are."""
    media_type, _, mptr = media
    content = ir.TypeRef("content")
    text = media_type.lower().startswith("text/") or media_type.lower().endswith(
        ("+xml", "/xml")
    )
    whole = ir.Field(
        name=ctx.claim(names, "body", mptr, "argument 'body'"),
        wire_name="",
        type=(
            ir.TypeRef("union", args=(ir.TypeRef("str"), content)) if text else content
        ),
        required=required,
        description=text_of(rb) or f"The {media_type} content.",
        pointer=mptr,
    )
    return ir.Body(media_type, "raw", whole=whole, required=required)


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
    fields = _undeclared_required(ctx, schema, ptr, props, names)
    for wire, prop, pptr in props:
        if isinstance(prop, dict) and prop.get("readOnly") is True:
            continue  # the server sets it: never sent
        if _placeholder(ctx, wire, prop, pptr, families, free_form):
            continue
        py = ctx.claim_identifier(
            names,
            ctx.python_name(prop, pptr) or wire,
            pptr,
            "body field",
            # A field may not take the free-form body's extra_fields.
            reserved=RESERVED_ARGS | {"extra_fields"} if free_form else RESERVED_ARGS,
            prefix="field",
            # A body field named like a parameter (PUT /alerts/{name} with
            # a "name" field) gets a fixed, readable prefix.
            qualified=lambda name: f"body_{name}",
        )
        fields.append(
            ir.Field(
                name=py,
                wire_name=wire,
                type=_body_field_type(
                    ctx,
                    prop,
                    pptr,
                    hint + pascal(ctx.python_name(prop, pptr) or wire),
                    enc,
                    wire,
                ),
                required=wire in required,
                description=docs.describe(ctx, prop),
                notes=docs.notes(ctx, prop),
                example=docs.scalar_example(ctx, prop),
                deprecated=bool(isinstance(prop, dict) and prop.get("deprecated")),
                pointer=pptr,
                default=docs.default(ctx, prop),
            )
        )
    return fields


def _undeclared_required(
    ctx: Context,
    schema: dict[str, Any],
    ptr: str,
    props: list[tuple[str, Any, str]],
    names: Namespace,
) -> list[ir.Field]:
    """Names ``required`` lists that no property declares: the server wants
    them, so they are required arguments of any type."""
    declared = {p[0] for p in props}
    out = []
    for wire in schema.get("required") or []:
        if not isinstance(wire, str) or wire in declared:
            continue
        declared.add(wire)
        ctx.diags.warning(
            join(ptr, "required"),
            f"required property {wire!r} is not declared; sent as given (typed Any)",
        )
        py = ctx.claim_identifier(
            names, wire, ptr, "body field", reserved=RESERVED_ARGS, prefix="field"
        )
        out.append(ir.Field(py, wire, ir.TypeRef("any"), required=True))
    return out


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
    type) makes a ``headers`` mapping argument sent as ``h:<key>`` fields;
    ``{variables: {prefix: "v:", values: any}}`` one whose values may be
    anything (objects and lists are sent as JSON)."""
    spec = schema.get("x-field-families")
    if spec is None and isinstance(media, dict):
        spec = media.get("x-field-families")
    if not isinstance(spec, dict):
        return []
    out = []
    for arg, given in sorted(spec.items()):
        prefix = given.get("prefix") if isinstance(given, dict) else given
        values = given.get("values", "string") if isinstance(given, dict) else "string"
        if not isinstance(prefix, str) or not prefix or values not in ("string", "any"):
            ctx.diags.warning(
                ptr,
                f"x-field-families: {arg!r} needs a prefix string, or "
                "{prefix: ..., values: string|any}",
            )
            continue
        value_type = ir.TypeRef("str" if values == "string" else "any")
        out.append(
            ir.Field(
                name=ctx.claim(names, snake(arg), ptr, f"argument {snake(arg)!r}"),
                wire_name=prefix,
                type=ir.TypeRef("mapping", args=(value_type,)),
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

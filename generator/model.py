"""Stage 2, model: turn a loaded document into the intermediate model (``ir``).

All decisions about names and types are made here, once, deterministically:
class names for every schema are claimed in sorted order before anything
else, so output never depends on traversal order. Problems are recorded as
diagnostics with the JSON pointer of the construct; a broken operation is
reported and skipped, and the CLI decides what that means for the exit code.
"""

from dataclasses import dataclass, field
from typing import Any, Literal, cast

import pydantic

from generator import ir
from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec
from generator.naming import Namespace, constant, pascal, plural_forms, snake, words

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Names the generated modules import or define next to spec-derived classes.
RESERVED_CLASSES = frozenset(
    {
        "Any",
        "BaseModel",
        "Literal",
        "NotGiven",
        "FileTypes",
        "OpenStrEnum",
        "OpenIntEnum",
        "Region",
        "RequestOptions",
        "Timeout",
        "Headers",
        "Query",
        "SyncAPIClient",
        "AsyncAPIClient",
        "Auth",
        "T",
    }
)
# Fields may not shadow pydantic's own attributes (``json``, ``copy``, ...).
# Nor the names that annotations in the same class body use (``int``,
# ``list``, the ``datetime`` module): a field named ``int`` would shadow the
# type for every later field.
RESERVED_FIELDS = frozenset(
    name for name in dir(pydantic.BaseModel) if not name.startswith("__")
) | {"to_dict", "str", "int", "float", "bool", "bytes", "list", "dict", "datetime"}
# Arguments every generated method has besides the spec's own.
RESERVED_ARGS = frozenset({"self", "extra_headers", "extra_query", "timeout"})
RESERVED_METHODS = frozenset({"with_raw_response", "with_streaming_response"})

JSON_TYPES = {"string", "integer", "number", "boolean", "array", "object", "null"}


@dataclass
class Context:
    """Parse state for one document, threaded through every builder."""

    spec: LoadedSpec
    diags: Diagnostics
    classes: Namespace = field(default_factory=lambda: Namespace(RESERVED_CLASSES))
    component_names: dict[str, str] = field(default_factory=dict)  # ref -> class
    named: dict[str, ir.TypeRef] = field(default_factory=dict)  # ref -> type
    in_progress: set[str] = field(default_factory=set)
    models: dict[str, ir.Model] = field(default_factory=dict)
    enums: dict[str, ir.Enum] = field(default_factory=dict)
    # Inline enums and models by the pointer of their schema: a schema
    # reached twice (say a form body that is also a component) is one class.
    inline: dict[str, ir.TypeRef] = field(default_factory=dict)

    def deref(self, node: Any, ptr: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains; returns the target and its pointer."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.diags.error(ptr, f"$ref cycle through {ref!r}")
                return {}, ptr
            seen.add(ref)
            node, ptr = self.spec.resolve(ref), ref[1:]
        return node, ptr

    def claim_class(self, wanted: str, ptr: str) -> str:
        name, clashed = self.classes.claim(wanted)
        if clashed:
            self.diags.warning(
                ptr, f"class name {wanted!r} is already taken; using {name!r}"
            )
        return name


def _text(node: dict[str, Any], key: str = "description") -> str:
    value = node.get(key)
    return value.strip() if isinstance(value, str) else ""


# --------------------------------------------------------------------- schemas


def schema_type(ctx: Context, schema: Any, ptr: str, hint: str) -> ir.TypeRef:
    """The Python type for a schema; ``hint`` names any class it needs."""
    if schema is True or schema == {}:
        return ir.TypeRef("any")
    if schema is False or not isinstance(schema, dict):
        return ir.TypeRef("any")
    if "$ref" in schema:
        return named_type(ctx, schema["$ref"], join(ptr, "$ref"))

    nullable = False
    if "const" in schema:
        return _literal(ctx, schema["const"], ptr)
    if "enum" in schema:
        return enum_type(ctx, schema, ptr, hint)

    if "oneOf" in schema or "anyOf" in schema:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        members = [
            schema_type(ctx, sub, join(ptr, key, i), f"{hint}{i + 1}")
            for i, sub in enumerate(schema[key])
        ]
        return _union(members)

    if "allOf" in schema:
        return _all_of(ctx, schema, ptr, hint)

    types = schema.get("type")
    if isinstance(types, list):
        nullable = "null" in types
        concrete = [t for t in types if t != "null"]
        if len(concrete) > 1:
            members = [
                schema_type(ctx, {**schema, "type": t}, ptr, hint) for t in concrete
            ]
            if nullable:
                members.append(ir.TypeRef("none"))
            return _union(members)
        types = concrete[0] if concrete else "null"
    base = _single_type(ctx, schema, types, ptr, hint)
    return _union([base, ir.TypeRef("none")]) if nullable else base


def _single_type(
    ctx: Context, schema: dict[str, Any], kind: Any, ptr: str, hint: str
) -> ir.TypeRef:
    if kind is None:
        if "properties" in schema:
            kind = "object"
        elif "items" in schema:
            kind = "array"
        else:
            return ir.TypeRef("any")
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return ir.TypeRef("datetime")
        if fmt == "date":
            return ir.TypeRef("date")
        return ir.TypeRef("str")
    if kind == "integer":
        return ir.TypeRef("int")
    if kind == "number":
        return ir.TypeRef("float")
    if kind == "boolean":
        return ir.TypeRef("bool")
    if kind == "null":
        return ir.TypeRef("none")
    if kind == "array":
        if "prefixItems" in schema:
            ctx.diags.warning(
                join(ptr, "prefixItems"),
                "tuple schemas (prefixItems) are approximated as a list of any",
            )
            return ir.TypeRef("list", args=(ir.TypeRef("any"),))
        items = schema.get("items", {})
        item = schema_type(ctx, items, join(ptr, "items"), f"{hint}Item")
        return ir.TypeRef("list", args=(item,))
    if kind == "object":
        if schema.get("properties"):
            if ptr not in ctx.inline:
                ctx.inline[ptr] = ir.TypeRef(
                    "model", name=_model(ctx, schema, ptr, hint)
                )
            return ctx.inline[ptr]
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict) and extra:
            value = schema_type(
                ctx, extra, join(ptr, "additionalProperties"), f"{hint}Value"
            )
            return ir.TypeRef("dict", args=(value,))
        return ir.TypeRef("dict", args=(ir.TypeRef("any"),))
    ctx.diags.warning(join(ptr, "type"), f"unknown type {kind!r}; typed as Any")
    return ir.TypeRef("any")


def _union(members: list[ir.TypeRef]) -> ir.TypeRef:
    unique: list[ir.TypeRef] = []
    for m in members:
        for part in m.args if m.kind == "union" else (m,):
            if part not in unique:
                unique.append(part)
    if any(m.kind == "any" for m in unique):
        return ir.TypeRef("any")
    return unique[0] if len(unique) == 1 else ir.TypeRef("union", args=tuple(unique))


def _literal(ctx: Context, value: Any, ptr: str) -> ir.TypeRef:
    if value is None:
        return ir.TypeRef("none")
    if isinstance(value, str | int | float | bool):
        return ir.TypeRef("literal", literal=repr(value))
    ctx.diags.warning(join(ptr, "const"), "non-scalar const typed as Any")
    return ir.TypeRef("any")


def named_type(ctx: Context, ref: str, ptr: str) -> ir.TypeRef:
    """The type of a referenced schema, built once and shared."""
    if ref in ctx.named:
        return ctx.named[ref]
    target = ctx.spec.resolve(ref)
    hint = ctx.component_names.get(ref) or pascal(ref.rsplit("/", 1)[-1])
    if ref in ctx.in_progress:
        # A schema that contains itself other than through a model (say an
        # array of itself) has no finite Python type.
        ctx.diags.warning(ptr, f"recursive schema {ref!r} typed as Any here")
        return ir.TypeRef("any")
    ctx.in_progress.add(ref)
    if _is_model(ctx, target):
        # Register before building fields so recursive references resolve.
        name = ctx.component_names.get(ref) or ctx.claim_class(hint, ref[1:])
        ctx.named[ref] = ir.TypeRef("model", name=name)
        _model(ctx, target, ref[1:], name, claimed=True)
        result = ctx.named[ref]
    else:
        result = schema_type(ctx, target, ref[1:], hint)
        ctx.named[ref] = result
    ctx.in_progress.discard(ref)
    return result


def _is_model(ctx: Context, schema: Any) -> bool:
    if not isinstance(schema, dict) or "enum" in schema or "const" in schema:
        return False
    if schema.get("properties"):
        return True
    parts = schema.get("allOf")
    if isinstance(parts, list):
        resolved = [ctx.deref(p, "")[0] for p in parts]
        return sum(1 for p in resolved if _is_model(ctx, p)) >= 1 and (
            len(parts) > 1 or bool(schema.get("properties"))
        )
    return False


def enum_type(ctx: Context, schema: dict[str, Any], ptr: str, hint: str) -> ir.TypeRef:
    if ptr in ctx.inline:
        return ctx.inline[ptr]
    ctx.inline[ptr] = result = _enum_type(ctx, schema, ptr, hint)
    return result


def _enum_type(ctx: Context, schema: dict[str, Any], ptr: str, hint: str) -> ir.TypeRef:
    raw = schema["enum"]
    values: list[Any] = []
    for i, v in enumerate(raw):
        if v in values:
            ctx.diags.warning(
                join(ptr, "enum", i), f"enum lists {v!r} twice; kept once"
            )
            continue
        values.append(v)
    nullable = None in values
    values = [v for v in values if v is not None]
    value_type: Literal["str", "int"]
    if all(isinstance(v, str) for v in values):
        value_type = "str"
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        value_type = "int"
    else:
        ctx.diags.warning(
            join(ptr, "enum"), "enum mixes value types; typed as its literal values"
        )
        lits = [_literal(ctx, v, ptr) for v in values]
        return _union([*lits, ir.TypeRef("none")] if nullable else lits)
    if not values:
        return ir.TypeRef("none")

    name = ctx.claim_class(pascal(hint), ptr)
    names = schema.get("x-enum-varnames")
    descriptions = schema.get("x-enumDescriptions") or {}
    members_ns = Namespace(frozenset({"mro"}))
    members = []
    for i, value in enumerate(values):
        wanted = (
            constant(str(names[i]))
            if isinstance(names, list) and i < len(names)
            else constant(str(value))
        )
        member, _ = members_ns.claim(wanted)
        desc = descriptions.get(str(value)) if isinstance(descriptions, dict) else None
        members.append(
            ir.EnumMember(member, value, desc if isinstance(desc, str) else "")
        )
    ctx.enums[name] = ir.Enum(
        name=name,
        value_type=value_type,
        members=tuple(members),
        description=_text(schema),
        pointer=ptr,
    )
    ref = ir.TypeRef("enum", name=name)
    return _union([ref, ir.TypeRef("none")]) if nullable else ref


def _all_of(ctx: Context, schema: dict[str, Any], ptr: str, hint: str) -> ir.TypeRef:
    parts = schema["allOf"]
    if len(parts) == 1 and not schema.get("properties"):
        target, _ = ctx.deref(parts[0], join(ptr, "allOf", 0))
        declared = schema.get("type")
        if (
            declared == "object"
            and isinstance(target, dict)
            and ("enum" in target or target.get("type") not in (None, "object"))
        ):
            ctx.diags.warning(
                join(ptr, "type"),
                "'type: object' with an allOf of a non-object schema; "
                "the allOf member's type is used",
            )
        return schema_type(ctx, parts[0], join(ptr, "allOf", 0), hint)
    if _is_model(ctx, schema):
        return ir.TypeRef("model", name=_model(ctx, schema, ptr, hint))
    members = [
        schema_type(ctx, p, join(ptr, "allOf", i), f"{hint}{i + 1}")
        for i, p in enumerate(parts)
    ]
    ctx.diags.warning(
        join(ptr, "allOf"),
        "allOf of non-object schemas approximated by its first member",
    )
    return members[0]


def _collect(
    ctx: Context, schema: dict[str, Any], ptr: str, depth: int = 0
) -> tuple[list[tuple[str, Any, str]], set[str]]:
    """Properties and required names of an object schema, allOf flattened."""
    props: list[tuple[str, Any, str]] = []
    required: set[str] = set(schema.get("required") or [])
    for i, part in enumerate(schema.get("allOf") or []):
        target, tptr = ctx.deref(part, join(ptr, "allOf", i))
        if isinstance(target, dict) and depth < 32:
            sub_props, sub_required = _collect(ctx, target, tptr, depth + 1)
            props.extend(sub_props)
            required |= sub_required
    for name, prop in (schema.get("properties") or {}).items():
        props.append((name, prop, join(ptr, "properties", name)))
    # Later declarations of a property win, as in JSON Schema's allOf.
    merged: dict[str, tuple[str, Any, str]] = {}
    for item in props:
        merged[item[0]] = item
    return list(merged.values()), required


def _model(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str, *, claimed: bool = False
) -> str:
    name = hint if claimed else ctx.claim_class(pascal(hint), ptr)
    base = ""
    own = schema
    parts = schema.get("allOf") or []
    model_refs = [
        p["$ref"]
        for p in parts
        if isinstance(p, dict) and "$ref" in p and _is_model(ctx, ctx.deref(p, ptr)[0])
    ]
    if len(model_refs) == 1:
        # allOf: [Parent, {extra fields}] reads best as a subclass.
        base_type = named_type(ctx, model_refs[0], ptr)
        base = base_type.name if base_type.kind == "model" else ""
    if base:
        rest = [
            p
            for p in parts
            if not (isinstance(p, dict) and p.get("$ref") == model_refs[0])
        ]
        own = {**schema, "allOf": rest}
    props, required = _collect(ctx, own, ptr)
    if base:
        # Fields the parent declares optional may be required here.
        parent = ctx.deref({"$ref": model_refs[0]}, ptr)[0]
        required |= set(parent.get("required") or []) & {p[0] for p in props}

    names = Namespace(RESERVED_FIELDS)
    fields = []
    for wire, prop, pptr in props:
        wanted = snake(wire, prefix="field")
        if wanted in RESERVED_FIELDS:
            wanted += "_"
        py, clashed = names.claim(wanted)
        if clashed:
            ctx.diags.warning(pptr, f"field {wire!r} renamed to {py!r} to stay unique")
        ftype = schema_type(ctx, prop, pptr, f"{name}{pascal(wire)}")
        desc = _text(prop) if isinstance(prop, dict) else ""
        fields.append(
            ir.Field(
                name=py,
                wire_name=wire,
                type=ftype,
                required=wire in required,
                description=desc,
                deprecated=bool(isinstance(prop, dict) and prop.get("deprecated")),
            )
        )
    ctx.models[name] = ir.Model(
        name=name,
        fields=tuple(fields),
        description=_text(schema),
        pointer=ptr,
        base=base,
    )
    return name


# ------------------------------------------------------------------ operations


@dataclass
class _Method:
    """An operation being built; becomes ``ir.Operation``s at the end."""

    op: dict[str, Any]
    ptr: str
    http_method: str
    path: str
    tag: str
    name: str = ""


def _parameters(
    ctx: Context,
    path_item: dict[str, Any],
    op: dict[str, Any],
    path_ptr: str,
    ptr: str,
    hint: str,
    args: Namespace,
) -> list[ir.Parameter] | None:
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for base, items in (
        (path_ptr, path_item.get("parameters")),
        (ptr, op.get("parameters")),
    ):
        for i, raw in enumerate(items or []):
            p, pptr = ctx.deref(raw, join(base, "parameters", i))
            merged[(p.get("name", ""), p.get("in", ""))] = (p, pptr)

    params = []
    ok = True
    for (wire, loc), (p, pptr) in merged.items():
        if loc == "header" and wire.lower() in (
            "accept",
            "content-type",
            "authorization",
        ):
            ctx.diags.warning(
                pptr, f"header parameter {wire!r} is ignored (OpenAPI reserves it)"
            )
            continue
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
        wanted = snake(wire, prefix="param")
        if wanted in RESERVED_ARGS:
            wanted += "_"
        if wanted in args:
            # The same name in two locations (path "ip" and query "ip").
            wanted = f"{wanted}_{loc}"
        py, clashed = args.claim(wanted)
        if clashed:
            ctx.diags.warning(
                pptr, f"argument {wire!r} renamed to {py!r} to stay unique"
            )
        if loc == "path" and not p.get("required"):
            ctx.diags.warning(pptr, "path parameters are always required")
        if loc == "path" and "{" + wire + "}" not in _path_of(ptr):
            ctx.diags.error(
                pptr, f"path parameter {wire!r} does not appear in the path"
            )
            ok = False
        params.append(
            ir.Parameter(
                name=py,
                wire_name=wire,
                location=cast(Literal["path", "query", "header", "cookie"], loc),
                type=ptype,
                required=loc == "path" or bool(p.get("required")),
                description=_text(p),
                explode=bool(p.get("explode", style == "form")),
                deprecated=bool(p.get("deprecated")),
            )
        )
    # Path order follows the path template, as callers read it.
    template = _path_of(ptr)
    params.sort(
        key=lambda prm: (
            template.find("{" + prm.wire_name + "}")
            if prm.location == "path"
            else 1 << 30
        )
    )
    return params if ok else None


def _path_of(op_ptr: str) -> str:
    # "/paths/~1v3~1{domain}/get" -> "/v3/{domain}"
    part = op_ptr.split("/")[2]
    return part.replace("~1", "/").replace("~0", "~")


def _encoding(media_type: str) -> str | None:
    mt = media_type.split(";", maxsplit=1)[0].strip().lower()
    if mt == "application/json" or mt.endswith("+json"):
        return "json"
    if mt == "application/x-www-form-urlencoded":
        return "form"
    if mt == "multipart/form-data":
        return "multipart"
    return None


def _body_field_type(
    ctx: Context, prop: Any, ptr: str, hint: str, encoding: str
) -> ir.TypeRef:
    if encoding == "multipart":
        target, _ = ctx.deref(prop, ptr)
        if isinstance(target, dict):
            if (
                target.get("format") in ("binary", "base64")
                or "contentMediaType" in target
            ):
                return ir.TypeRef("file")
            items, _ = ctx.deref(target.get("items"), ptr)
            if (
                target.get("type") == "array"
                and isinstance(items, dict)
                and (items.get("format") in ("binary", "base64"))
            ):
                return ir.TypeRef("list", args=(ir.TypeRef("file"),))
    return schema_type(ctx, prop, ptr, hint)


def _bodies(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str, args: Namespace
) -> list[tuple[ir.Body, str]] | None:
    """One body per usable media type, with its method-name override."""
    if "requestBody" not in op:
        return []
    rb, rb_ptr = ctx.deref(op["requestBody"], join(ptr, "requestBody"))
    content = rb.get("content") or {}
    bodies = []
    for media_type, media in content.items():
        mptr = join(rb_ptr, "content", media_type)
        encoding = _encoding(media_type)
        if encoding is None:
            ctx.diags.warning(
                mptr, f"request media type {media_type!r} is not supported; skipped"
            )
            continue
        schema = media.get("schema", {}) if isinstance(media, dict) else {}
        target, tptr = ctx.deref(schema, join(mptr, "schema"))
        body_hint = hint + ("Body" if len(content) == 1 else pascal(encoding) + "Body")
        # Argument names are per method, so each media type gets its own copy.
        names = args.copy()
        fields: list[ir.Field] = []
        whole = None
        if isinstance(target, dict) and (
            target.get("properties") or _is_model(ctx, target)
        ):
            props, required = _collect(ctx, target, tptr)
            for wire, prop, pptr in props:
                wanted = snake(wire, prefix="field")
                if wanted in RESERVED_ARGS:
                    wanted += "_"
                if wanted in names:
                    # A body field named like a parameter (PUT /alerts/{name}
                    # with a "name" field) gets a fixed, readable prefix.
                    wanted = f"body_{wanted}"
                py, clashed = names.claim(wanted)
                if clashed:
                    ctx.diags.warning(
                        pptr, f"body field {wire!r} renamed to {py!r} to stay unique"
                    )
                fields.append(
                    ir.Field(
                        name=py,
                        wire_name=wire,
                        type=_body_field_type(
                            ctx, prop, pptr, body_hint + pascal(wire), encoding
                        ),
                        required=wire in required,
                        description=_text(prop) if isinstance(prop, dict) else "",
                        deprecated=bool(
                            isinstance(prop, dict) and prop.get("deprecated")
                        ),
                    )
                )
        else:
            py, _ = names.claim("body")
            whole = ir.Field(
                name=py,
                wire_name="",
                type=schema_type(ctx, schema, join(mptr, "schema"), body_hint),
                required=True,
                description=_text(rb),
            )
        override = media.get("x-python-method") if isinstance(media, dict) else None
        bodies.append(
            (
                ir.Body(
                    media_type=media_type,
                    encoding=encoding,  # type: ignore[arg-type]
                    fields=tuple(fields),
                    whole=whole,
                    required=bool(rb.get("required")),
                ),
                snake(override) if isinstance(override, str) else "",
            )
        )
    if content and not bodies:
        ctx.diags.error(
            join(rb_ptr, "content"),
            "unsupported construct: no request media type this generator can send "
            "(JSON, form or multipart)",
        )
        return None
    return bodies


def _responses(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str
) -> tuple[ir.Response, tuple[ir.Response, ...]]:
    responses = op.get("responses") or {}
    built: list[ir.Response] = []
    for status in sorted(responses, key=lambda s: (s == "default", s)):
        resp, rptr = ctx.deref(responses[status], join(ptr, "responses", status))
        content = resp.get("content") or {}
        rtype: ir.TypeRef | None = None
        media_type = ""
        for mt, media in content.items():
            media_type = mt
            enc = _encoding(mt)
            if enc == "json":
                schema = media.get("schema", {}) if isinstance(media, dict) else {}
                rtype = schema_type(
                    ctx,
                    schema,
                    join(rptr, "content", mt, "schema"),
                    hint + ("Response" if status.startswith("2") else f"Error{status}"),
                )
                break
            rtype = ir.TypeRef("str") if mt.startswith("text/") else ir.TypeRef("bytes")
        built.append(ir.Response(status, _text(resp), rtype, media_type))
    success = [r for r in built if r.status.startswith("2")]
    errors = tuple(r for r in built if not r.status.startswith(("2", "1", "3")))
    if success:
        return success[0], errors
    default = [r for r in built if r.status == "default"]
    if default:
        return default[0], tuple(r for r in errors if r.status != "default")
    return ir.Response("200", "", None), errors


def _method_name(
    op_id: str, http_method: str, path: str, resource_words: set[str]
) -> str:
    tokens = words(op_id) if op_id else [http_method, *words(path)]
    trimmed = [t for t in tokens if t not in resource_words]
    return snake("_".join(trimmed or tokens))


def build(spec: LoadedSpec, diags: Diagnostics) -> ir.Api:
    ctx = Context(spec=spec, diags=diags)
    data = spec.data
    info = data.get("info") or {}
    title = _text(info, "title") or spec.path.stem
    client_words = [
        w for w in words(title) if w not in ("api", "openapi", "rest", "http")
    ]
    client_name = pascal(" ".join(client_words or ["api"]))
    package = snake(" ".join([*(client_words or ["api"]), "client"]))

    # The client classes, then resources: their class names are imported
    # next to the models, so all share one namespace.
    ctx.classes.claim(client_name)
    ctx.classes.claim("Async" + client_name)

    methods: list[_Method] = []
    for path, raw_item in (data.get("paths") or {}).items():
        path_ptr = join("", "paths", path)
        if not isinstance(raw_item, dict):
            continue
        path_item, path_ptr = ctx.deref(raw_item, path_ptr)
        for http_method in HTTP_METHODS:
            op = path_item.get(http_method)
            if not isinstance(op, dict):
                continue
            tags = op.get("tags") or ["default"]
            methods.append(
                _Method(
                    op, join(path_ptr, http_method), http_method, path, str(tags[0])
                )
            )
            if "callbacks" in op:
                diags.warning(
                    join(path_ptr, http_method, "callbacks"),
                    "callbacks are not generated",
                )
    if data.get("webhooks"):
        diags.warning("/webhooks", "webhooks (incoming requests) are not generated")

    tag_docs = {
        t.get("name"): _text(t) for t in data.get("tags") or [] if isinstance(t, dict)
    }
    by_tag: dict[str, list[_Method]] = {}
    for m in methods:
        by_tag.setdefault(m.tag, []).append(m)
    resource_ns = Namespace(frozenset({"types", "resources"}))
    resource_names: dict[str, tuple[str, str]] = {}
    for tag in sorted(by_tag, key=lambda t: (snake(t), t)):
        attr, clashed = resource_ns.claim(snake(tag, prefix="resource"))
        if clashed:
            diags.warning(
                "/tags",
                f"tag {tag!r} gives a resource name already used; using {attr!r}",
            )
        wanted = pascal(tag, prefix="Resource")
        if wanted in ctx.classes or "Async" + wanted in ctx.classes:
            wanted += "Resource"  # a tag named like the client ("Shapes" API)
        class_name = ctx.claim_class(wanted, "/tags")
        ctx.classes.claim("Async" + class_name)
        resource_names[tag] = (attr, class_name)

    # Claim component class names in sorted order, so that a clash between
    # two schemas is settled the same way whatever order the file lists them.
    schemas = (data.get("components") or {}).get("schemas") or {}
    for key in sorted(schemas):
        ref = "#" + join("", "components", "schemas", key)
        target = schemas[key]
        if _is_model(ctx, target) or (isinstance(target, dict) and "enum" in target):
            if isinstance(target, dict) and "enum" in target:
                continue  # enums claim their name when first built
            ctx.component_names[ref] = ctx.claim_class(pascal(key), ref[1:])
    for key in sorted(schemas):
        named_type(
            ctx,
            "#" + join("", "components", "schemas", key),
            join("", "components", "schemas", key),
        )

    resources = []
    for tag in sorted(by_tag, key=lambda t: resource_names[t][0]):
        attr, class_name = resource_names[tag]
        resource_words = {f for w in words(tag) for f in plural_forms(w)}
        names: dict[int, str] = {}
        for i, m in enumerate(by_tag[tag]):
            names[i] = _method_name(
                str(m.op.get("operationId") or ""),
                m.http_method,
                m.path,
                resource_words,
            )
        counts: dict[str, int] = {}
        for n in names.values():
            counts[n] = counts.get(n, 0) + 1
        method_ns = Namespace(RESERVED_METHODS)
        ops: list[ir.Operation] = []
        for i, m in enumerate(by_tag[tag]):
            name = names[i]
            if counts[name] > 1:
                name = _method_name(
                    str(m.op.get("operationId") or ""), m.http_method, m.path, set()
                )
            ops.extend(_operation(ctx, m, name, method_ns, data["paths"]))
        resources.append(
            ir.Resource(
                class_name=class_name,
                attr=attr,
                module=attr,
                tag=tag,
                description=tag_docs.get(tag, ""),
                operations=tuple(ops),
            )
        )

    return ir.Api(
        title=title,
        version=str(info.get("version", "0.0.0")),
        description=_text(info),
        package=package,
        distribution=package.replace("_", "-"),
        client_name=client_name,
        env_var=constant(" ".join([*(client_words or ["api"]), "api key"])),
        servers=_servers(ctx, data),
        security=_security(ctx, data),
        resources=tuple(resources),
        models=_ordered_models(ctx.models),
        enums=tuple(ctx.enums[k] for k in sorted(ctx.enums)),
        spec_name=spec.name,
        spec_sha256=spec.sha256,
    )


def _operation(
    ctx: Context, m: _Method, name: str, method_ns: Namespace, paths: dict[str, Any]
) -> list[ir.Operation]:
    op, ptr = m.op, m.ptr
    hint = pascal(str(op.get("operationId") or f"{m.http_method} {m.path}"))
    path_item = paths[m.path]
    if "$ref" in path_item:
        path_item, _ = ctx.deref(path_item, join("", "paths", m.path))
    args = Namespace(RESERVED_ARGS)
    params = _parameters(ctx, path_item, op, join("", "paths", m.path), ptr, hint, args)
    bodies = _bodies(ctx, op, ptr, hint, args)
    if params is None or bodies is None:
        return []
    success, errors = _responses(ctx, op, ptr, hint)
    variants: list[tuple[ir.Body | None, str]] = list(bodies) or [(None, "")]
    out = []
    for i, (body, override) in enumerate(variants):
        wanted = override or (
            name if i == 0 else f"{name}_{body.encoding if body else i}"
        )
        method_name, clashed = method_ns.claim(wanted)
        if clashed:
            ctx.diags.warning(
                ptr, f"method name {wanted!r} is taken; using {method_name!r}"
            )
        out.append(
            ir.Operation(
                operation_id=str(op.get("operationId") or ""),
                method_name=method_name,
                http_method=m.http_method,
                path=m.path,
                summary=_text(op, "summary"),
                description=_text(op),
                deprecated=bool(op.get("deprecated")),
                parameters=tuple(params),
                body=body,
                success=success,
                errors=errors,
                pointer=ptr,
            )
        )
    return out


def _servers(ctx: Context, data: dict[str, Any]) -> tuple[ir.Server, ...]:
    servers = []
    names = Namespace()
    for i, s in enumerate(data.get("servers") or [{"url": "/"}]):
        url = str(s.get("url", "/"))
        for var, spec in (s.get("variables") or {}).items():
            url = url.replace("{" + var + "}", str(spec.get("default", "")))
        desc = _text(s)
        region = s.get("x-region")
        if not isinstance(region, str) or not region:
            region = "_".join(
                w for w in words(desc) if w not in ("region", "server")
            ) or ("default" if i == 0 else f"server{i + 1}")
        region = snake(region, prefix="region")
        region, clashed = names.claim(region)
        if clashed:
            ctx.diags.warning(
                join("", "servers", i), f"region name taken; using {region!r}"
            )
        servers.append(
            ir.Server(url=url, description=desc, region=region, member=constant(region))
        )
    if any(not s.url.startswith(("http://", "https://")) for s in servers):
        ctx.diags.warning(
            "/servers", "a server URL is relative; pass base_url to the client"
        )
    return tuple(servers)


def _security(ctx: Context, data: dict[str, Any]) -> ir.Security | None:
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    requirements = data.get("security") or []
    names = [n for req in requirements if isinstance(req, dict) for n in req]
    if not names:
        names = sorted(schemes)
    for name in names:
        scheme, sptr = ctx.deref(
            schemes.get(name, {}), join("", "components", "securitySchemes", name)
        )
        kind = scheme.get("type")
        desc = _text(scheme)
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            user = scheme.get("x-default-username")
            if not isinstance(user, str):
                ctx.diags.warning(
                    sptr,
                    "HTTP basic auth without x-default-username: the key is sent "
                    "as the password with an empty user name",
                )
                user = ""
            return ir.Security("basic", user, desc)
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return ir.Security("bearer", "", desc)
        if kind == "apiKey" and scheme.get("in") in ("header", "query"):
            return ir.Security(scheme["in"], str(scheme.get("name", "")), desc)
        if kind in ("oauth2", "openIdConnect"):
            ctx.diags.warning(
                sptr, f"{kind} is approximated: pass the access token as the key"
            )
            return ir.Security("bearer", "", desc)
        ctx.diags.error(sptr, f"unsupported construct: security scheme type {kind!r}")
    return None


def _ordered_models(models: dict[str, ir.Model]) -> tuple[ir.Model, ...]:
    """Sorted by name, with each parent class before its subclasses."""
    out: list[ir.Model] = []
    placed: set[str] = set()

    def place(model: ir.Model) -> None:
        if model.name in placed:
            return
        placed.add(model.name)
        if model.base and model.base in models:
            place(models[model.base])
        out.append(model)

    for name in sorted(models):
        place(models[name])
    return tuple(out)

"""Stage 2, model: turn a loaded document into the intermediate model (``ir``).

All decisions about names and types are made here, once, deterministically:
class names for every schema are claimed in sorted order before anything
else, so output never depends on traversal order. Problems are recorded as
diagnostics with the JSON pointer of the construct; a broken operation is
reported and skipped, and the CLI decides what that means for the exit code.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from generator import derive, ir
from generator.context import (
    HTTP_METHODS,
    RESERVED_ARGS,
    RESERVED_METHODS,
    Context,
    text_of,
)
from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec
from generator.naming import Namespace, constant, pascal, snake, words
from generator.schemas import collect_properties, is_model, named_type, schema_type

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
            ctx.diags.info(
                pptr, f"header parameter {wire!r} is ignored, as OpenAPI requires"
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
        wanted = snake(ctx.path_names.get((_path_of(ptr), wire), wire), prefix="param")
        if wanted in RESERVED_ARGS:
            wanted += "_"
        if wanted in args:
            # The same name in two locations (path "ip" and query "ip").
            wanted = f"{wanted}_{loc}"
        py, clashed = args.claim(wanted)
        if clashed:
            ctx.diags.info(pptr, f"argument {wire!r} renamed to {py!r} to stay unique")
        if loc == "path" and not p.get("required"):
            ctx.diags.warning(pptr, "path parameters are always required")
        if loc == "path" and "{" + wire + "}" not in _path_of(ptr):
            ctx.diags.error(
                pptr, f"path parameter {wire!r} does not appear in the path"
            )
            ok = False
        required = loc == "path" or bool(p.get("required"))
        wording = OPTIONAL_WORDING.search(text_of(p)) if loc == "query" else None
        if required and wording:
            required = False
            ctx.diags.warning(
                join(pptr, "required"),
                f"query parameter {wire!r} is required but described as optional "
                f"({wording.group(0)!r}); generated as optional",
            )
        params.append(
            ir.Parameter(
                name=py,
                wire_name=wire,
                location=cast(Literal["path", "query", "header", "cookie"], loc),
                type=ptype,
                required=required,
                description=text_of(p),
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


# A description that says a parameter may be left out.
OPTIONAL_WORDING = re.compile(
    r"(?i)\b(optional|if (empty|omitted|absent|not (given|set|specified|provided))"
    r"|defaults? (to|is)|default:)"
)

# Media types that are not registered but whose meaning is plain.
NONSTANDARD_MEDIA = {"application/form-data": "multipart", "form-data": "multipart"}
NO_BODY_MEDIA = frozenset({"none", "null", "empty"})


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
    ctx: Context, prop: Any, ptr: str, hint: str, encoding: str, wire: str
) -> ir.TypeRef:
    if encoding == "multipart":
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
                name=names.claim(snake(arg))[0],
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
        if encoding is None and media_type.lower() in NONSTANDARD_MEDIA:
            encoding = NONSTANDARD_MEDIA[media_type.lower()]
            ctx.diags.warning(
                mptr,
                f"non-standard media type {media_type!r}; sent as multipart/form-data",
            )
        elif encoding is None and media_type.lower() in NO_BODY_MEDIA:
            ctx.diags.warning(
                mptr,
                f"media type {media_type!r} is not a media type; the operation is "
                "generated without this body (an overlay can give the real one)",
            )
            continue
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
        extra: ir.Field | None = None
        families: list[ir.Field] = []
        if isinstance(target, dict) and (
            target.get("properties") or is_model(ctx, target)
        ):
            families = _families(ctx, target, media, tptr, names)
            free_form = bool(target.get("additionalProperties"))
            props, required = collect_properties(ctx, target, tptr)
            for wire, prop, pptr in props:
                if _placeholder(ctx, wire, prop, pptr, families, free_form):
                    continue
                wanted = snake(wire, prefix="field")
                if wanted in RESERVED_ARGS:
                    wanted += "_"
                if wanted in names:
                    # A body field named like a parameter (PUT /alerts/{name}
                    # with a "name" field) gets a fixed, readable prefix.
                    wanted = f"body_{wanted}"
                py, clashed = names.claim(wanted)
                if clashed:
                    ctx.diags.info(
                        pptr, f"body field {wire!r} renamed to {py!r} to stay unique"
                    )
                fields.append(
                    ir.Field(
                        name=py,
                        wire_name=wire,
                        type=_body_field_type(
                            ctx, prop, pptr, body_hint + pascal(wire), encoding, wire
                        ),
                        required=wire in required,
                        description=text_of(prop) if isinstance(prop, dict) else "",
                        deprecated=bool(
                            isinstance(prop, dict) and prop.get("deprecated")
                        ),
                    )
                )
            if free_form:
                value = (
                    ir.TypeRef("any")
                    if encoding == "json"
                    else ir.TypeRef(
                        "union",
                        args=(
                            ir.TypeRef("str"),
                            ir.TypeRef("list", args=(ir.TypeRef("str"),)),
                        ),
                    )
                )
                extra = ir.Field(
                    name=names.claim("extra_fields")[0],
                    wire_name="",
                    type=ir.TypeRef("mapping", args=(value,)),
                    required=False,
                    description="More fields, sent as given: the body takes fields "
                    "the spec does not list.",
                )
        else:
            py, _ = names.claim("body")
            whole = ir.Field(
                name=py,
                wire_name="",
                type=schema_type(ctx, schema, join(mptr, "schema"), body_hint),
                required=True,
                description=text_of(rb),
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
                    extra=extra,
                    families=tuple(families),
                ),
                snake(override) if isinstance(override, str) else "",
            )
        )
    if content and not bodies and not all(m.lower() in NO_BODY_MEDIA for m in content):
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
        built.append(ir.Response(status, text_of(resp), rtype, media_type))
    success = [r for r in built if r.status.startswith("2")]
    errors = tuple(r for r in built if not r.status.startswith(("2", "1", "3")))
    if success:
        return success[0], errors
    default = [r for r in built if r.status == "default"]
    if default:
        return default[0], tuple(r for r in errors if r.status != "default")
    return ir.Response("200", "", None), errors


def _canonical_path_names(ctx: Context, paths: dict[str, Any]) -> None:
    """One Python name for a path parameter the spec spells several ways.

    ``/v3/{domain}/stats`` and ``/v3/{domain_name}/bounces`` name the same
    thing; parameters at the same place under the same prefix take the
    spelling most paths use (ties: alphabetical).
    """
    groups: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for path in paths:
        segs = [s for s in path.strip("/").split("/") if not re.fullmatch(r"v\d+", s)]
        for i, seg in enumerate(segs):
            if seg.startswith("{") and seg.endswith("}"):
                key = tuple("{}" if x.startswith("{") else x for x in segs[:i])
                groups.setdefault(key, {}).setdefault(seg[1:-1], []).append(path)
    for _, spellings in sorted(groups.items()):
        if len(spellings) < 2:
            continue
        canonical = max(sorted(spellings), key=lambda n: len(spellings[n]))
        for name, used in sorted(spellings.items()):
            if name == canonical:
                continue
            renamed = [p for p in used if "{" + canonical + "}" not in p]
            for path in renamed:
                ctx.path_names[(path, name)] = canonical
            if renamed:
                ctx.diags.warning(
                    join("", "paths", renamed[0]),
                    f"path parameter {{{name}}} is spelled {{{canonical}}} at the same "
                    f"place in other paths; in {len(renamed)} path(s) its Python "
                    f"argument is named {snake(canonical)!r} (positional-only, as all "
                    "path arguments are)",
                )


def _rehome_machine_tags(ctx: Context, methods: list["_Method"]) -> None:
    """Tags like ``openapi-tower_other`` are artefacts of the tool that wrote
    the spec; such operations join the resource their path names."""
    known = sorted({m.tag for m in methods if not derive.is_machine_tag(m.tag)})
    for m in methods:
        if not derive.is_machine_tag(m.tag):
            continue
        target = derive.rehome(m.path, known)
        if target is None:
            target = re.sub(r"(?i)^openapi[-_]|[-_]other$", "", m.tag) or m.tag
        ctx.diags.info(
            join(m.ptr, "tags"),
            f"tag {m.tag!r} looks machine-made; operation placed under {target!r}",
        )
        m.tag = target


def _trimmed(op_id: str, resource_words: set[str]) -> str:
    """``listBounces`` on *Bounces* -> ``list``: the resource says the rest."""
    tokens = words(op_id)
    return snake("_".join([t for t in tokens if t not in resource_words] or tokens))


def _returns_list(ctx: Context, op: dict[str, Any], path: str) -> bool:
    """An array, or a wrapper whose ``items`` (or the array named like the
    path's last segment, ``/v5/users`` -> ``users``) carries the list."""
    last = snake(path.rstrip("/").rsplit("/", 1)[-1])
    for status, resp in sorted((op.get("responses") or {}).items()):
        if not status.startswith("2"):
            continue
        target, _ = ctx.deref(resp, "")
        for mt, media in (target.get("content") or {}).items():
            if _encoding(mt) != "json" or not isinstance(media, dict):
                continue
            schema, _ = ctx.deref(media.get("schema", {}), "")
            if not isinstance(schema, dict):
                return False
            if schema.get("type") == "array":
                return True
            for name, prop in (schema.get("properties") or {}).items():
                if name in ("items", last):
                    prop_schema, _ = ctx.deref(prop, "")
                    if (
                        isinstance(prop_schema, dict)
                        and prop_schema.get("type") == "array"
                    ):
                        return True
            return False
    return False


def _is_collection_of(
    i: int,
    group: list[int],
    methods: list["_Method"],
    shapes: list[derive.MethodNames | None],
) -> bool:
    shape = shapes[i]
    if shape is None or not shape.collection:
        return False
    mine = _shape(methods[i].path)
    return any(
        _shape(methods[j].path)[: len(mine) + 1] == [*mine, "{}"]
        for j in group
        if j != i
    )


def _collection_name(name: str) -> str:
    """The collection twin of an item method: get -> list, delete -> delete_all."""
    if name == "get" or name.startswith("get_"):
        return "list" + name[3:]
    return f"{name}_all"


def _shape(path: str) -> list[str]:
    """Path segments without the version, parameters as ``{}``."""
    return [
        "{}" if seg.startswith("{") else seg
        for seg in path.strip("/").split("/")
        if not re.fullmatch(r"v\d+", seg)
    ]


def _same_shape(a: str, b: str) -> bool:
    return _shape(a) == _shape(b)


def _plainness(path: str) -> tuple[int, int, str]:
    """Fewer segments first, then the newest API version, then the path."""
    segs = [s for s in path.split("/") if s]
    versions = [int(s[1:]) for s in segs if re.fullmatch(r"v\d+", s)]
    return (len(segs), -max(versions, default=0), path)


def _method_names(ctx: Context, tag: str, methods: list["_Method"]) -> list[str]:
    """One readable name per operation of a resource, unique where possible.

    ``x-python-method`` wins; a readable operationId is used minus the
    resource's own words; a machine-made one (``GET-v3--domainID--bounces``)
    is replaced by a name from the HTTP verb and the path. Clashing names
    move, together, to their next more specific candidate.
    """
    rwords = derive.resource_words(tag)
    cands: list[tuple[str, ...]] = []
    shapes: list[derive.MethodNames | None] = []
    for m in methods:
        explicit = m.op.get("x-python-method")
        op_id = str(m.op.get("operationId") or "")
        shape = None
        if isinstance(explicit, str) and explicit.strip():
            cands.append((snake(explicit),))
        elif not derive.is_machine_operation_id(op_id):
            cands.append(tuple(dict.fromkeys([_trimmed(op_id, rwords), snake(op_id)])))
        else:
            shape = derive.method_names(
                m.http_method,
                m.path,
                rwords,
                returns_list=_returns_list(ctx, m.op, m.path),
                summary=text_of(m.op, "summary"),
            )
            cands.append(shape.candidates)
            ctx.diags.info(
                m.ptr,
                f"operationId {op_id!r} spells out the path; method named "
                f"from its verb and path",
            )
        shapes.append(shape)
    level = [0] * len(methods)

    def current() -> list[str]:
        return [c[min(lv, len(c) - 1)] for c, lv in zip(cands, level, strict=True)]

    for _ in range(8):
        groups: dict[str, list[int]] = {}
        for i, name in enumerate(current()):
            groups.setdefault(name, []).append(i)
        moved = False
        for group in (g for g in groups.values() if len(g) > 1):
            pair = [i for i in group if _is_collection_of(i, group, methods, shapes)]
            if pair:
                # GET/DELETE /bounces next to GET/DELETE /bounces/{address}
                for i in pair:
                    cands[i] = tuple(_collection_name(c) for c in cands[i][level[i] :])
                    level[i] = 0
                moved = True
                continue
            # The plainest path keeps the plain name; the others say more:
            # the API version if only that differs, else more of the path.
            keeper = min(group, key=lambda i: _plainness(methods[i].path))
            for i in group:
                shape = shapes[i]
                if i == keeper:
                    continue
                if (
                    shape is not None
                    and shape.version
                    and _same_shape(methods[i].path, methods[keeper].path)
                ):
                    cands[i] = tuple(
                        f"{c}_{shape.version}" for c in cands[i][level[i] :]
                    )
                    level[i] = 0
                elif level[i] < len(cands[i]) - 1:
                    level[i] += 1
                else:
                    continue
                moved = True
        if not moved:
            break
    return current()


def build(spec: LoadedSpec, diags: Diagnostics) -> ir.Api:
    ctx = Context(spec=spec, diags=diags)
    data = spec.data
    info = data.get("info") or {}
    title = text_of(info, "title") or spec.path.stem
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
        t.get("name"): text_of(t) for t in data.get("tags") or [] if isinstance(t, dict)
    }
    _rehome_machine_tags(ctx, methods)
    _canonical_path_names(ctx, data.get("paths") or {})
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
    machine = [k for k in schemas if derive.is_machine_schema_name(k)]
    cleaned = derive.clean_schema_names(sorted(machine))
    for key in sorted(schemas):
        ref = "#" + join("", "components", "schemas", key)
        wanted = pascal(" ".join(cleaned[key])) if key in cleaned else pascal(key)
        ctx.wanted_names[ref] = wanted
        if key in cleaned:
            ctx.diags.info(ref[1:], f"schema {key!r} is named {wanted!r}")
    for key in sorted(schemas):
        ref = "#" + join("", "components", "schemas", key)
        target = schemas[key]
        if is_model(ctx, target) or (isinstance(target, dict) and "enum" in target):
            if isinstance(target, dict) and "enum" in target:
                continue  # enums claim their name when first built
            ctx.component_names[ref] = ctx.claim_class(ctx.wanted_names[ref], ref[1:])
    for key in sorted(schemas):
        named_type(
            ctx,
            "#" + join("", "components", "schemas", key),
            join("", "components", "schemas", key),
        )

    resources = []
    for tag in sorted(by_tag, key=lambda t: resource_names[t][0]):
        attr, class_name = resource_names[tag]
        names = _method_names(ctx, tag, by_tag[tag])
        method_ns = Namespace(RESERVED_METHODS)
        ops: list[ir.Operation] = []
        for m, name in zip(by_tag[tag], names, strict=True):
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
        description=text_of(info),
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
        overlays=spec.overlays,
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
        page = page_info(ctx, op, success) if m.http_method == "get" else None
        out.append(
            ir.Operation(
                page=page,
                operation_id=str(op.get("operationId") or ""),
                method_name=method_name,
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


def page_info(ctx: Context, op: dict[str, Any], success: ir.Response) -> ir.Page | None:
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


def _servers(ctx: Context, data: dict[str, Any]) -> tuple[ir.Server, ...]:
    servers = []
    names = Namespace()
    for i, s in enumerate(data.get("servers") or [{"url": "/"}]):
        url = str(s.get("url", "/"))
        for var, spec in (s.get("variables") or {}).items():
            url = url.replace("{" + var + "}", str(spec.get("default", "")))
        desc = text_of(s)
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
        desc = text_of(scheme)
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            user = scheme.get("x-default-username")
            hint = re.search(r"\b([A-Za-z0-9_.-]+):(YOUR_|<)?[A-Za-z_]*KEY\b", desc)
            if not isinstance(user, str) and hint:
                user = hint.group(1)
                ctx.diags.info(
                    sptr, f"basic auth user name {user!r} read from the description"
                )
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

"""Schemas to Python types: models, enums, unions, lists and maps.

Part of the model stage: ``schema_type`` turns a JSON Schema into an
``ir.TypeRef``, registering the ``ir.Model`` and ``ir.Enum`` classes it
needs in the context as it goes.
"""

from typing import Any, Literal

from generator import docs, ir, unions
from generator.context import Context, text_of
from generator.conventions import RESERVED_FIELDS
from generator.diagnostics import join
from generator.naming import Namespace, constant, pascal
from generator.refs import a, kind_at, pointer_parts


def schema_type(ctx: Context, schema: Any, ptr: str, hint: str) -> ir.TypeRef:
    """The Python type for a schema; ``hint`` names any class it needs."""
    if schema is True or schema == {}:
        return ir.TypeRef("any")
    if schema is False or not isinstance(schema, dict):
        return ir.TypeRef("any")
    if isinstance(schema.get("$ref"), str):
        return _ref_type(ctx, schema["$ref"], join(ptr, "$ref"))
    if "$ref" in schema:
        ctx.diags.warning(join(ptr, "$ref"), "$ref is not a string; typed as Any")
        return ir.TypeRef("any")
    schema = _without_empty(ctx, schema, ptr)
    if "const" in schema:
        return _literal(ctx, schema["const"], ptr)
    if schema.get("enum") == []:
        ctx.diags.warning(
            join(ptr, "enum"),
            "enum: [] allows no value at all; the constraint is ignored",
        )
        schema = {k: v for k, v in schema.items() if k != "enum"}
    if _form_booleans(schema):
        return ir.TypeRef("bool")  # "yes"/"no" on the wire, a bool in Python
    if "enum" in schema:
        return enum_type(ctx, schema, ptr, hint)

    if "oneOf" in schema or "anyOf" in schema:
        return _union_type(ctx, schema, ptr, hint)

    if "allOf" in schema:
        return _all_of(ctx, schema, ptr, hint)
    return _typed(ctx, schema, ptr, hint)


def _typed(ctx: Context, schema: dict[str, Any], ptr: str, hint: str) -> ir.TypeRef:
    """A schema by its ``type`` (one, or a list: a union, maybe nullable)."""
    types = schema.get("type")
    nullable = False
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


def _union_type(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str
) -> ir.TypeRef:
    """A ``oneOf``/``anyOf``: an enum when its members are named consts,
    else the union of its members' types."""
    key = "oneOf" if "oneOf" in schema else "anyOf"
    as_enum = unions.const_enum(ctx, schema, key)
    if as_enum is not None:
        return enum_type(ctx, as_enum, ptr, hint)
    hints = unions.member_hints(ctx, schema, key, ptr, hint)
    subs = schema[key]
    # A member written twice is one class (the first place names it).
    seen: dict[str, int] = {}
    first = [seen.setdefault(unions.canonical(sub), i) for i, sub in enumerate(subs)]
    members = [schema_type(ctx, subs[j], join(ptr, key, j), hints[j]) for j in first]
    return _union(members)


def _form_booleans(schema: dict[str, Any]) -> bool:
    """``x-form-booleans: ["yes", "no"]``: the texts an API takes for true
    and false in a form field (bodies.py sends them)."""
    given = schema.get("x-form-booleans")
    return (
        isinstance(given, list)
        and len(given) == 2
        and all(isinstance(b, str) for b in given)
    )


def _ref_type(ctx: Context, ref: str, ptr: str) -> ir.TypeRef:
    found = kind_at(tuple(pointer_parts(ref)))
    if found and found != "schema":
        ctx.diags.warning(
            ptr,
            f"$ref {ref!r} points at {a(found)}, where a schema belongs; typed as Any",
        )
        return ir.TypeRef("any")
    return named_type(ctx, ref, ptr)


def _without_empty(ctx: Context, schema: dict[str, Any], ptr: str) -> dict[str, Any]:
    """``allOf: []``, ``enum: null`` and the like, which the meta-schema
    forbids and openapi-pydantic accepts, left out with a warning."""
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key) == []:
            ctx.diags.warning(
                join(ptr, key), f"{key}: [] constrains nothing; it is ignored"
            )
            schema = {k: v for k, v in schema.items() if k != key}
    for key in ("allOf", "anyOf", "oneOf", "enum", "properties", "items", "type"):
        if key in schema and schema[key] is None:
            ctx.diags.warning(join(ptr, key), f"{key}: null is not allowed; ignored")
            schema = {k: v for k, v in schema.items() if k != key}
    return schema


_SCALARS: dict[str, ir.TypeKind] = {
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "none",
}


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
        if fmt == "date-time" or schema.get("x-date-format") == "rfc2822":
            return ir.TypeRef("datetime")
        if fmt == "date":
            return ir.TypeRef("date")
        return ir.TypeRef("str")
    if kind in _SCALARS:
        return ir.TypeRef(_SCALARS[kind])
    if kind == "array":
        return _array_type(ctx, schema, ptr, hint)
    if kind == "object":
        return _object_type(ctx, schema, ptr, hint)
    ctx.diags.warning(join(ptr, "type"), f"unknown type {kind!r}; typed as Any")
    return ir.TypeRef("any")


def _array_type(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str
) -> ir.TypeRef:
    if "prefixItems" in schema:
        ctx.diags.warning(
            join(ptr, "prefixItems"),
            "tuple schemas (prefixItems) are approximated as a list of any",
        )
        return ir.TypeRef("list", args=(ir.TypeRef("any"),))
    items = schema.get("items", {})
    item = schema_type(ctx, items, join(ptr, "items"), f"{hint}Item")
    return ir.TypeRef("list", args=(item,))


def _object_type(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str
) -> ir.TypeRef:
    """A model for an object with properties; else a dict."""
    if schema.get("properties"):
        return _inline_model(ctx, schema, ptr, hint)
    extra = schema.get("additionalProperties", True)
    if isinstance(extra, dict) and extra:
        value = schema_type(
            ctx, extra, join(ptr, "additionalProperties"), f"{hint}Value"
        )
        return ir.TypeRef("dict", args=(value,))
    return ir.TypeRef("dict", args=(ir.TypeRef("any"),))


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
    if isinstance(value, float):
        # typing.Literal takes no floats: the type is float.
        return ir.TypeRef("float")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        # mypy takes only 64-bit integers in a Literal.
        ctx.diags.warning(ptr, f"{value} is too large for a Literal type; typed as int")
        return ir.TypeRef("int")
    if isinstance(value, str | int | bool):
        return ir.TypeRef("literal", literal=repr(value))
    ctx.diags.warning(join(ptr, "const"), "non-scalar const typed as Any")
    return ir.TypeRef("any")


def named_type(ctx: Context, ref: str, ptr: str) -> ir.TypeRef:
    """The type of a referenced schema, built once and shared."""
    if ref in ctx.named:
        return ctx.named[ref]
    target = ctx.spec.resolve(ref)
    hint = (
        ctx.component_names.get(ref)
        or ctx.wanted_names.get(ref)
        or pascal(ref.rsplit("/", 1)[-1])
    )
    if ref in ctx.in_progress:
        # A schema that contains itself other than through a model (say an
        # array of itself) has no finite Python type.
        ctx.diags.warning(ptr, f"recursive schema {ref!r} typed as Any here")
        return ir.TypeRef("any")
    ctx.in_progress.add(ref)
    if is_model(ctx, target):
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


def _inline_model(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str
) -> ir.TypeRef:
    """The model of an inline object schema, one per place in the document;
    registered before its fields are built, so a schema that comes back to
    itself (through an allOf of its parent) refers to it instead of
    recursing."""
    if ptr not in ctx.inline:
        name = ctx.claim_class(pascal(hint), ptr)
        ctx.inline[ptr] = ir.TypeRef("model", name=name)
        _model(ctx, schema, ptr, name, claimed=True)
    return ctx.inline[ptr]


def is_model(ctx: Context, schema: Any, seen: frozenset[int] = frozenset()) -> bool:
    if not isinstance(schema, dict) or "enum" in schema or "const" in schema:
        return False
    if schema.get("properties"):
        return True
    parts = schema.get("allOf")
    if isinstance(parts, list) and id(schema) not in seen:
        inner = seen | {id(schema)}  # an allOf that includes itself ends here
        resolved = [ctx.deref(p, "")[0] for p in parts]
        return sum(1 for p in resolved if is_model(ctx, p, inner)) >= 1 and (
            len(parts) > 1 or bool(schema.get("properties"))
        )
    return False


def _includes(ctx: Context, ref: str, goal: str) -> bool:
    """Whether the schema ``ref`` names is, or includes through ``allOf``
    (at any depth), the schema at ``goal`` (a ``#/...`` reference)."""
    todo, seen = [ref], set()
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current in seen:
            continue
        seen.add(current)
        target, where = ctx.deref({"$ref": current}, "")
        if "#" + where == goal:  # reached through a chain of $refs
            return True
        for part in (target.get("allOf") or []) if isinstance(target, dict) else []:
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                todo.append(part["$ref"])
    return False


def _cyclic_parts(ctx: Context, schema: dict[str, Any], ptr: str) -> set[int]:
    """Indices of the ``allOf`` members that include ``schema`` again, each
    with a warning: an object cannot extend itself, so such a member gives
    its properties but is never a base class."""
    cyclic = set()
    for i, part in enumerate(schema.get("allOf") or []):
        ref = part.get("$ref") if isinstance(part, dict) else None
        if isinstance(ref, str) and _includes(ctx, ref, "#" + ptr):
            ctx.diags.warning(
                join(ptr, "allOf", i, "$ref"),
                f"allOf includes the schema itself through {ref!r}; its "
                "properties are merged in, without a base class",
            )
            cyclic.add(i)
    return cyclic


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
    if values and all(isinstance(v, bool | float) for v in values):
        # Literal[True] is a type, Literal[0.5] is not: floats are float.
        if any(isinstance(v, float) for v in values):
            lits = [ir.TypeRef("float")]
        else:
            lits = [_literal(ctx, v, ptr) for v in values]
        return _union([*lits, ir.TypeRef("none")] if nullable else lits)
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
        member = ctx.claim(members_ns, wanted, ptr, f"enum member {wanted!r}")
        desc = descriptions.get(str(value)) if isinstance(descriptions, dict) else None
        members.append(
            ir.EnumMember(member, value, desc if isinstance(desc, str) else "")
        )
    ctx.enums[name] = ir.Enum(
        name=name,
        value_type=value_type,
        members=tuple(members),
        description=text_of(schema),
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
    if is_model(ctx, schema):
        return _inline_model(ctx, schema, ptr, hint)
    members = [
        schema_type(ctx, p, join(ptr, "allOf", i), f"{hint}{i + 1}")
        for i, p in enumerate(parts)
    ]
    ctx.diags.warning(
        join(ptr, "allOf"),
        "allOf of non-object schemas approximated by its first member",
    )
    return members[0]


def collect_properties(
    ctx: Context, schema: dict[str, Any], ptr: str, seen: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, Any, str]], set[str]]:
    """Properties and required names of an object schema, allOf flattened
    (a member that includes the schema again is flattened once)."""
    props: list[tuple[str, Any, str]] = []
    required: set[str] = set(schema.get("required") or [])
    seen = seen | {ptr}
    for i, part in enumerate(schema.get("allOf") or []):
        target, tptr = ctx.deref(part, join(ptr, "allOf", i))
        if isinstance(target, dict) and tptr not in seen:
            sub_props, sub_required = collect_properties(ctx, target, tptr, seen)
            props.extend(sub_props)
            required |= sub_required
    for name, prop in (schema.get("properties") or {}).items():
        props.append((name, prop, join(ptr, "properties", name)))
    if schema.get("properties"):
        props.extend(_variant_properties(ctx, schema, ptr, {p[0] for p in props}))
    # Later declarations of a property win, as in JSON Schema's allOf.
    merged: dict[str, tuple[str, Any, str]] = {}
    for item in props:
        merged[item[0]] = item
    return list(merged.values()), required


def _variant_properties(
    ctx: Context, schema: dict[str, Any], ptr: str, declared: set[str]
) -> list[tuple[str, Any, str]]:
    """Properties an object adds through ``oneOf``/``anyOf`` variants beside
    its own (``{properties, oneOf: [{type: a, config: A}, ...]}``): each an
    optional field whose schema is what the variants allow (their string
    enums merged into one)."""
    key = "oneOf" if "oneOf" in schema else "anyOf"
    found: dict[str, list[tuple[Any, str]]] = {}
    for i, variant in enumerate(schema.get(key) or []):
        target, vptr = ctx.deref(variant, join(ptr, key, i))
        if not isinstance(target, dict):
            continue
        for name, prop in (target.get("properties") or {}).items():
            if name not in declared:
                found.setdefault(name, []).append(
                    (prop, join(vptr, "properties", name))
                )
    out = []
    for name, options in found.items():
        schemas = [o[0] for o in options]
        out.append((name, _merged(ctx, schemas), options[0][1]))
    return out


def _merged(ctx: Context, schemas: list[Any]) -> Any:
    """One schema for a property several variants declare."""
    targets = [ctx.deref(s, "")[0] for s in schemas]
    unique = [s for i, s in enumerate(schemas) if s not in schemas[:i]]
    if len(unique) == 1:
        return unique[0]
    if all(
        isinstance(t, dict) and t.get("type") == "string" and "enum" in t
        for t in targets
    ):
        values = [v for t in targets for v in t["enum"]]
        return {"type": "string", "enum": list(dict.fromkeys(values))}
    return {"anyOf": unique}


def _model(
    ctx: Context, schema: dict[str, Any], ptr: str, hint: str, *, claimed: bool = False
) -> str:
    name = hint if claimed else ctx.claim_class(pascal(hint), ptr)
    base = ""
    own = schema
    parts = schema.get("allOf") or []
    cyclic = _cyclic_parts(ctx, schema, ptr)
    model_refs = [
        p["$ref"]
        for i, p in enumerate(parts)
        if isinstance(p, dict)
        and "$ref" in p
        and i not in cyclic
        and is_model(ctx, ctx.deref(p, ptr)[0])
    ]
    if len(model_refs) == 1:
        # allOf: [Parent, {extra fields}] reads best as a subclass.
        base_type = named_type(ctx, model_refs[0], ptr)
        base = base_type.name if base_type.kind == "model" else ""
    if base:
        # The parent's place stays, empty, so pointers keep their indices.
        rest = [
            {} if isinstance(p, dict) and p.get("$ref") == model_refs[0] else p
            for p in parts
        ]
        own = {**schema, "allOf": rest}
    props, required = collect_properties(ctx, own, ptr)
    if base:
        # Fields the parent declares optional may be required here.
        parent = ctx.deref({"$ref": model_refs[0]}, ptr)[0]
        required |= set(parent.get("required") or []) & {p[0] for p in props}
    fields = _fields(ctx, name, props, required)
    if base and _narrows(ctx, base, fields):
        # A subclass may not retype an inherited field (mypy: [assignment]);
        # such a model holds every field itself instead.
        ctx.diags.info(
            ptr,
            f"{name} retypes or renames a field of {base}; generated without "
            "the base class",
        )
        base = ""
        props, required = collect_properties(ctx, schema, ptr)
        fields = _fields(ctx, name, props, required)
    ctx.models[name] = ir.Model(
        name=name,
        fields=tuple(fields),
        description=text_of(schema),
        pointer=ptr,
        base=base,
    )
    return name


def _narrows(ctx: Context, base: str, fields: list[ir.Field]) -> bool:
    """Whether a field redefines one the ``base`` model has, with another
    type or another Python name (``x-python-name``: two fields, one key)."""
    inherited: dict[str, tuple[ir.TypeRef, str]] = {}
    model = ctx.models.get(base)
    while model is not None:
        for f in model.fields:
            inherited.setdefault(f.wire_name, (f.type, f.name))
        model = ctx.models.get(model.base) if model.base else None
    return any(
        f.wire_name in inherited and inherited[f.wire_name] != (f.type, f.name)
        for f in fields
    )


def _fields(
    ctx: Context, name: str, props: list[tuple[str, Any, str]], required: set[str]
) -> list[ir.Field]:
    names = Namespace(RESERVED_FIELDS)
    fields = []
    for wire, prop, pptr in props:
        py = ctx.claim_identifier(
            names,
            ctx.python_name(prop, pptr) or wire,
            pptr,
            "field",
            reserved=RESERVED_FIELDS,
            prefix="field",
        )
        ftype = schema_type(
            ctx, prop, pptr, f"{name}{pascal(ctx.python_name(prop, pptr) or wire)}"
        )
        # A writeOnly property is never in a response: never required there.
        write_only = isinstance(prop, dict) and prop.get("writeOnly") is True
        fields.append(
            ir.Field(
                name=py,
                wire_name=wire,
                type=ftype,
                required=wire in required and not write_only,
                description=docs.describe(ctx, prop),
                notes=docs.notes(ctx, prop),
                deprecated=bool(isinstance(prop, dict) and prop.get("deprecated")),
                pointer=pptr,
                default=docs.default(ctx, prop),
            )
        )
    return fields

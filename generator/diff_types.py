"""Diff of the types: models, enums, servers (regions) and webhooks.

Part of ``generator.diff``. Models and enums are judged by the direction
they travel in, found by following every method's arguments (written by the
caller: requests) and results, errors and webhook payloads (read by the
caller: responses) through model fields and base classes.
"""

from collections.abc import Iterator

from generator import ir
from generator.changes import Change, parts, shown

# --- models and enums --------------------------------------------------------


def _directions(api: ir.Api) -> dict[str, set[str]]:
    """Model and enum names -> the directions they travel in, following model
    fields and base classes (a type reachable from a response is read)."""
    models = {m.name: m for m in api.models}
    seeds: dict[str, list[ir.TypeRef]] = {"request": [], "response": []}
    for op in api.operations:
        seeds["request"].extend(a.type for a in (*op.path_params, *op.keyword_args))
        for r in (op.success, *op.errors):
            if r.type is not None:
                seeds["response"].append(r.type)
        if op.page is not None:
            seeds["response"].append(op.page.item)
    for hook in api.webhooks:  # the caller reads what the API sends
        seeds["response"].extend([hook.type, *(t for _, t in hook.mapping)])
    out: dict[str, set[str]] = {}
    for direction, roots in seeds.items():
        todo = [t for root in roots for t in root.walk()]
        while todo:
            t = todo.pop()
            if t.kind not in ("model", "enum") or direction in out.get(t.name, set()):
                continue
            out.setdefault(t.name, set()).add(direction)
            model = models.get(t.name)
            if model is not None:
                todo.extend(x for f in model.fields for x in f.type.walk())
                if model.base:
                    todo.append(ir.TypeRef("model", model.base))
    return out


def _fields(api: ir.Api, model: ir.Model) -> dict[str, ir.Field]:
    """Every field a model has, its base classes' included."""
    models = {m.name: m for m in api.models}
    chain: list[ir.Model] = []
    current: ir.Model | None = model
    while current is not None and current not in chain:
        chain.append(current)
        current = models.get(current.base) if current.base else None
    return {f.name: f for m in reversed(chain) for f in m.fields}


def types(old: ir.Api, new: ir.Api) -> Iterator[Change]:
    odirs, ndirs = _directions(old), _directions(new)

    def ways(name: str) -> set[str]:
        # Unused models are exported all the same: judged both ways.
        return odirs.get(name, set()) | ndirs.get(name, set()) or {
            "request",
            "response",
        }

    omodels = {m.name: m for m in old.models}
    nmodels = {m.name: m for m in new.models}
    yield from _added_removed("model", omodels, nmodels)
    for name in sorted(omodels.keys() & nmodels.keys()):
        yield from _model(
            name, _fields(old, omodels[name]), _fields(new, nmodels[name]), ways(name)
        )
    oenums = {e.name: e for e in old.enums}
    nenums = {e.name: e for e in new.enums}
    yield from _added_removed("enum", oenums, nenums)
    for name in sorted(oenums.keys() & nenums.keys()):
        yield from _enum(oenums[name], nenums[name], ways(name))


def _added_removed(
    what: str,
    olds: dict[str, ir.Model] | dict[str, ir.Enum],
    news: dict[str, ir.Model] | dict[str, ir.Enum],
) -> Iterator[Change]:
    """Classes by name; one that only changed name (same schema) is renamed."""
    gone = {olds[k].pointer: olds[k] for k in sorted(olds.keys() - news.keys())}
    came = {news[k].pointer: news[k] for k in sorted(news.keys() - olds.keys())}
    for ptr in sorted(gone.keys() & came.keys()):
        o, n = gone[ptr], came[ptr]
        yield Change(
            f"types.{n.name}",
            f"{what}-renamed",
            "breaking",
            f"{what} types.{o.name} is now types.{n.name}",
            ptr,
            ptr,
        )
    for ptr in sorted(gone.keys() - came.keys()):
        yield Change(
            f"types.{gone[ptr].name}",
            f"{what}-removed",
            "breaking",
            f"{what} types.{gone[ptr].name} removed",
            old_pointer=ptr,
        )
    for ptr in sorted(came.keys() - gone.keys()):
        yield Change(
            f"types.{came[ptr].name}",
            f"{what}-added",
            "non-breaking",
            f"{what} types.{came[ptr].name} added",
            new_pointer=ptr,
        )


# The verdict on a field change, by direction: (request, response). A request
# model is written by the caller, a response model read; both: the stricter.
_FIELD_RULES: dict[str, tuple[bool, bool]] = {
    "field-added-required": (True, False),
    "field-added-optional": (False, False),
    "field-removed": (True, True),
    "field-renamed": (True, True),
    "field-made-required": (True, False),
    "field-made-optional": (False, True),
    "field-made-nullable": (False, True),
    "field-wire-name-changed": (True, True),
}


def _field_change(
    model: str, f: ir.Field, kind: str, ways: set[str], message: str, old_ptr: str = ""
) -> Change:
    request, response = _FIELD_RULES[kind]
    breaking = ("request" in ways and request) or ("response" in ways and response)
    side = " and ".join(sorted(ways))
    return Change(
        f"types.{model}.{f.name}",
        kind,
        "breaking" if breaking else "non-breaking",
        f"{message} (types.{model} is used in {side})",
        old_ptr,
        "" if kind == "field-removed" else f.pointer,
    )


def _model(
    name: str, olds: dict[str, ir.Field], news: dict[str, ir.Field], ways: set[str]
) -> Iterator[Change]:
    for key in sorted(olds.keys() & news.keys()):
        yield from _field(name, olds[key], news[key], ways)
    gone = {f.wire_name: f for k, f in sorted(olds.items()) if k not in news}
    came = {f.wire_name: f for k, f in sorted(news.items()) if k not in olds}
    for wire in sorted(gone.keys() & came.keys()):
        o, n = gone[wire], came[wire]
        yield _field_change(
            name,
            n,
            "field-renamed",
            ways,
            f"field {o.name!r} is now {n.name!r} (still {wire!r} on the wire)",
            o.pointer,
        )
        yield from _field(name, o, n, ways)
    for wire in sorted(gone.keys() - came.keys()):
        yield _field_change(
            name, gone[wire], "field-removed", ways, "field removed", gone[wire].pointer
        )
    for wire in sorted(came.keys() - gone.keys()):
        n = came[wire]
        kind = "field-added-required" if n.required else "field-added-optional"
        what = "required" if n.required else "optional"
        yield _field_change(
            name, n, kind, ways, f"{what} field added ({shown(n.type)})"
        )


def _field(name: str, o: ir.Field, n: ir.Field, ways: set[str]) -> Iterator[Change]:
    """One field in both. A retyping is fine for writers when the type only
    widened, for readers when it only narrowed."""
    if shown(o.type) != shown(n.type):
        before, after = parts(o.type), parts(n.type)
        if after == before | {"None"}:
            yield _field_change(
                name, n, "field-made-nullable", ways, "may now be None", o.pointer
            )
        else:
            breaking = ("request" in ways and not before <= after) or (
                "response" in ways and not after <= before
            )
            yield Change(
                f"types.{name}.{n.name}",
                "field-retyped",
                "breaking" if breaking else "non-breaking",
                f"is {shown(n.type)}, was {shown(o.type)} "
                f"(types.{name} is used in {' and '.join(sorted(ways))})",
                o.pointer,
                n.pointer,
            )
    if o.required != n.required:
        kind = "field-made-required" if n.required else "field-made-optional"
        what = "required" if n.required else "optional (may be missing: None)"
        yield _field_change(name, n, kind, ways, f"is now {what}", o.pointer)
    if o.wire_name != n.wire_name:
        yield _field_change(
            name,
            n,
            "field-wire-name-changed",
            ways,
            f"is {n.wire_name!r} on the wire, was {o.wire_name!r}",
            o.pointer,
        )
    if o.default != n.default:
        yield Change(
            f"types.{name}.{n.name}",
            "field-default-changed",
            "non-breaking",
            f"the API's default is {n.default or 'none'}, was {o.default or 'none'} "
            "(the model does not print defaults: this describes the API)",
            o.pointer,
            n.pointer,
        )
    if n.deprecated and not o.deprecated:
        yield Change(
            f"types.{name}.{n.name}",
            "field-deprecated",
            "deprecation",
            f"field {n.name!r} is deprecated",
            o.pointer,
            n.pointer,
        )


def _enum(o: ir.Enum, n: ir.Enum, ways: set[str]) -> Iterator[Change]:
    """Members by value. Our enums are open: an unknown value parses (as a
    plain value), so a new value is never breaking; a removed member's name
    is gone from the class, and a request may no longer send it."""
    olds = {m.value: m for m in o.members}
    news = {m.value: m for m in n.members}
    ptrs = (o.pointer, n.pointer)
    for value in sorted(olds.keys() - news.keys(), key=repr):
        yield Change(
            f"types.{n.name}.{olds[value].name}",
            "enum-member-removed",
            "breaking",
            f"value {value!r} removed: types.{n.name}.{olds[value].name} is gone"
            + ("; the API no longer takes it" if "request" in ways else ""),
            *ptrs,
        )
    for value in sorted(news.keys() - olds.keys(), key=repr):
        note = (
            "; our enums are open, so older clients still parse it in a response"
            if "response" in ways
            else ""
        )
        yield Change(
            f"types.{n.name}.{news[value].name}",
            "enum-member-added",
            "non-breaking",
            f"value {value!r} added{note}",
            *ptrs,
        )
    for value in sorted(olds.keys() & news.keys(), key=repr):
        if olds[value].name != news[value].name:
            yield Change(
                f"types.{n.name}.{news[value].name}",
                "enum-member-renamed",
                "breaking",
                f"value {value!r} is now types.{n.name}.{news[value].name}, "
                f"was types.{n.name}.{olds[value].name}",
                *ptrs,
            )


# --- servers and webhooks ----------------------------------------------------


def servers(old: tuple[ir.Server, ...], new: tuple[ir.Server, ...]) -> Iterator[Change]:
    """Regions by name (``Region.EU``); a region's URL moving is wire-level."""
    olds = {s.member: (f"/servers/{i}", s) for i, s in enumerate(old)}
    news = {s.member: (f"/servers/{i}", s) for i, s in enumerate(new)}
    for member in sorted(olds.keys() - news.keys()):
        ptr, s = olds[member]
        yield Change(
            f"Region.{member}",
            "server-removed",
            "breaking",
            f"region {s.region!r} ({s.url}) removed",
            old_pointer=ptr,
        )
    for member in sorted(news.keys() - olds.keys()):
        ptr, s = news[member]
        yield Change(
            f"Region.{member}",
            "server-added",
            "non-breaking",
            f"region {s.region!r} ({s.url}) added",
            new_pointer=ptr,
        )
    for member in sorted(olds.keys() & news.keys()):
        (optr, o), (nptr, n) = olds[member], news[member]
        if (o.url, o.variables) != (n.url, n.variables):
            yield Change(
                f"Region.{member}",
                "server-url-changed",
                "breaking",
                f"region {n.region!r} is {n.url}, was {o.url}",
                optr,
                nptr,
            )


def webhooks(
    old: tuple[ir.Webhook, ...], new: tuple[ir.Webhook, ...]
) -> Iterator[Change]:
    olds = {h.name: h for h in old}
    news = {h.name: h for h in new}
    for name in sorted(olds.keys() - news.keys()):
        yield Change(
            f"parse_webhook({name!r})",
            "webhook-removed",
            "breaking",
            f"{olds[name].kind} {name!r} removed",
            old_pointer=olds[name].pointer,
        )
    for name in sorted(news.keys() - olds.keys()):
        yield Change(
            f"parse_webhook({name!r})",
            "webhook-added",
            "non-breaking",
            f"{news[name].kind} {name!r} added ({shown(news[name].type)})",
            new_pointer=news[name].pointer,
        )
    for name in sorted(olds.keys() & news.keys()):
        o, n = olds[name], news[name]
        if (shown(o.type), o.media_type) != (shown(n.type), n.media_type):
            yield Change(
                f"parse_webhook({name!r})",
                "webhook-payload-changed",
                "breaking",
                f"payload is {shown(n.type)} ({n.media_type}), was "
                f"{shown(o.type)} ({o.media_type})",
                o.pointer,
                n.pointer,
            )

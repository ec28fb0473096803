"""Diff: what changed for the people who call the client, between two models.

A stage of its own beside render: it compares two ``ir.Api`` values (what the
templates would print), never the documents, so every change is named as
users see it (``client.bounces.list(limit=)``, ``types.Bounce.code``) and
judged by what it does to their code:

- **breaking**: code that worked may fail (a name gone or renamed, a new
  required argument, a narrower argument type, a response field that may now
  be missing) or requests change on the wire while the signature stays the
  same (a path, a parameter's location, style or wire name, a media type:
  the old client no longer matches the API);
- **non-breaking**: additions and widenings;
- **deprecation**: something marked deprecated.

Things are matched by their Python name first and then by what is sent (the
HTTP method and path; a parameter's location and wire name), so a new name
for the same request is a rename, not a removal and an addition. Models and
enums are judged by the direction they travel in: a request model is written
by the caller (a new required field breaks), a response model is read (a
field that may now be missing breaks); a model used both ways gets the
stricter verdict. Our enums are open, so a new value in a response parses.

This module compares resources, methods and arguments; ``diff_types`` the
models, enums, regions and webhooks; ``changes`` holds ``Change`` and prints
the report. None of them renders anything: they read ``ir`` only.
"""

from collections.abc import Iterator

from generator import ir
from generator.changes import SEVERITIES, Change, Severity, parts, shown, summary
from generator.diff_types import servers, types, webhooks

__all__ = ["SEVERITIES", "Change", "Severity", "diff", "summary"]

Argument = ir.Parameter | ir.Field


def diff(old: ir.Api, new: ir.Api) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted (deterministic)."""
    changes = [
        *_resources(old, new),
        *types(old, new),
        *servers(old.servers, new.servers),
        *webhooks(old.webhooks, new.webhooks),
    ]
    return sorted(set(changes))


# --- resources and methods ---------------------------------------------------


def _call(resource: str, op: ir.Operation, arg: str = "") -> str:
    return f"client.{resource}.{op.method_name}({arg})"


def _wire(op: ir.Operation) -> tuple[str, str, str]:
    """What identifies a method's request on the wire."""
    return (op.http_method, op.path, op.body.media_type if op.body else "")


def _methods(api: ir.Api) -> dict[tuple[str, str], ir.Operation]:
    return {(r.attr, op.method_name): op for r in api.resources for op in r.operations}


def _resources(old: ir.Api, new: ir.Api) -> Iterator[Change]:
    """Resources and methods: by Python name, then a rename by what is sent;
    a resource added or removed stands for its methods."""
    olds, news = _methods(old), _methods(new)
    old_attrs = {r.attr: r for r in old.resources}
    new_attrs = {r.attr: r for r in new.resources}
    for attr in sorted(old_attrs.keys() - new_attrs.keys()):
        ops = old_attrs[attr].operations
        yield Change(
            f"client.{attr}",
            "resource-removed",
            "breaking",
            f"resource client.{attr} removed with its {len(ops)} method(s)",
            old_pointer=ops[0].pointer if ops else "",
        )
    for attr in sorted(new_attrs.keys() - old_attrs.keys()):
        ops = new_attrs[attr].operations
        yield Change(
            f"client.{attr}",
            "resource-added",
            "non-breaking",
            f"resource client.{attr} added with {len(ops)} method(s)",
            new_pointer=ops[0].pointer if ops else "",
        )
    for key in sorted(olds.keys() & news.keys()):
        yield from _method(key[0], olds[key], news[key])
    gone = {_wire(olds[k]): k for k in sorted(olds.keys() - news.keys())}
    came = {_wire(news[k]): k for k in sorted(news.keys() - olds.keys())}
    for wire in sorted(gone.keys() & came.keys()):
        (oattr, _), (nattr, _) = gone[wire], came[wire]
        o, n = olds[gone[wire]], news[came[wire]]
        yield Change(
            _call(nattr, n),
            "method-renamed",
            "breaking",
            f"{_call(oattr, o)} is now {_call(nattr, n)} "
            f"({n.http_method.upper()} {n.path})",
            o.pointer,
            n.pointer,
        )
        yield from _method(nattr, o, n)
    for wire in sorted(gone.keys() - came.keys()):
        attr, _ = gone[wire]
        if attr in new_attrs:  # else the resource's removal says it
            o = olds[gone[wire]]
            yield Change(
                _call(attr, o),
                "method-removed",
                "breaking",
                f"{_call(attr, o)} removed ({o.http_method.upper()} {o.path})",
                old_pointer=o.pointer,
            )
    for wire in sorted(came.keys() - gone.keys()):
        attr, _ = came[wire]
        if attr in old_attrs:
            n = news[came[wire]]
            yield Change(
                _call(attr, n),
                "method-added",
                "non-breaking",
                f"{_call(attr, n)} added ({n.http_method.upper()} {n.path})",
                new_pointer=n.pointer,
            )


def _method(attr: str, o: ir.Operation, n: ir.Operation) -> Iterator[Change]:
    """One method in both: what is sent, what it returns, its arguments."""
    name, ptrs = _call(attr, n), (o.pointer, n.pointer)
    if (o.http_method, o.path) != (n.http_method, n.path):
        kind = (
            "path-changed" if o.http_method == n.http_method else "http-method-changed"
        )
        yield Change(
            name,
            kind,
            "breaking",
            f"sends {n.http_method.upper()} {n.path}, was "
            f"{o.http_method.upper()} {o.path} (same Python signature)",
            *ptrs,
        )
    old_media = o.body.media_type if o.body else ""
    new_media = n.body.media_type if n.body else ""
    if old_media and new_media and old_media != new_media:
        yield Change(
            name,
            "request-media-type-changed",
            "breaking",
            f"the body is sent as {new_media}, was {old_media}",
            *ptrs,
        )
    yield from _returns(name, o, n)
    if n.deprecated and not o.deprecated:
        yield Change(
            name, "method-deprecated", "deprecation", f"{name} is deprecated", *ptrs
        )
    yield from _arguments(name[: -len("()")], o, n)


def _returned(op: ir.Operation) -> tuple[str, ir.TypeRef | None]:
    if op.page is not None:
        return "page", op.page.item
    if op.result == "stream":
        return "stream", None
    return "value", op.success.type


def _returns(name: str, o: ir.Operation, n: ir.Operation) -> Iterator[Change]:
    """A return type that only lost members (or was None) breaks no reader."""
    (okind, otype), (nkind, ntype) = _returned(o), _returned(n)
    if okind == nkind and shown(otype) == shown(ntype):
        return
    narrower = okind == nkind and (otype is None or parts(ntype) <= parts(otype))
    what = {"page": "a page of ", "stream": "a stream", "value": ""}
    yield Change(
        name,
        "return-type-changed",
        "non-breaking" if narrower else "breaking",
        f"returns {what[nkind]}{'' if nkind == 'stream' else shown(ntype)}, was "
        f"{what[okind]}{'' if okind == 'stream' else shown(otype)}",
        o.pointer,
        n.pointer,
    )


# --- arguments ---------------------------------------------------------------


def _arguments_of(op: ir.Operation) -> dict[str, tuple[str, Argument]]:
    """Python name -> (where it is sent, the argument)."""
    out: dict[str, tuple[str, Argument]] = {
        p.name: (p.location, p) for p in op.parameters
    }
    if op.body is not None:
        for f in op.body.fields:
            out[f.name] = ("body", f)
        if op.body.whole is not None:
            out[op.body.whole.name] = ("body", op.body.whole)
        for f in op.body.free_form:
            out[f.name] = ("free-form", f)
    return out


def _arg_name(call: str, loc: str, arg: Argument) -> str:
    return f"{call}({arg.name})" if loc == "path" else f"{call}({arg.name}=)"


def _arguments(call: str, o: ir.Operation, n: ir.Operation) -> Iterator[Change]:
    olds, news = _arguments_of(o), _arguments_of(n)
    for key in sorted(olds.keys() & news.keys()):
        yield from _argument(call, olds[key], news[key])
    gone = {
        (loc, a.wire_name): a for loc, a in (olds[k] for k in olds.keys() - news.keys())
    }
    came = {
        (loc, a.wire_name): a for loc, a in (news[k] for k in news.keys() - olds.keys())
    }
    for wire in sorted(gone.keys() & came.keys()):
        oa, na = gone[wire], came[wire]
        name = _arg_name(call, wire[0], na)
        yield Change(
            name,
            "argument-renamed",
            "breaking",
            f"argument {oa.name!r} is now {na.name!r} (still sent as {wire[1]!r})",
            oa.pointer,
            na.pointer,
        )
        yield from _argument(call, (wire[0], oa), (wire[0], na))
    for wire in sorted(gone.keys() - came.keys()):
        oa = gone[wire]
        yield Change(
            _arg_name(call, wire[0], oa),
            "argument-removed",
            "breaking",
            f"argument {oa.name!r} removed",
            old_pointer=oa.pointer,
        )
    for wire in sorted(came.keys() - gone.keys()):
        na = came[wire]
        required = na.required
        yield Change(
            _arg_name(call, wire[0], na),
            "argument-added-required" if required else "argument-added-optional",
            "breaking" if required else "non-breaking",
            f"{'required' if required else 'optional'} argument {na.name!r} added "
            f"({shown(na.type, argument=True)})",
            new_pointer=na.pointer,
        )


def _argument(
    call: str, old: tuple[str, Argument], new: tuple[str, Argument]
) -> Iterator[Change]:
    """One argument in both: type, requiredness, default, deprecation, and
    how it is sent."""
    (oloc, oa), (nloc, na) = old, new
    name, ptrs = _arg_name(call, nloc, na), (oa.pointer, na.pointer)
    otype, ntype = shown(oa.type, argument=True), shown(na.type, argument=True)
    if otype != ntype:
        wider = parts(oa.type, argument=True) <= parts(na.type, argument=True)
        yield Change(
            name,
            "argument-retyped",
            "non-breaking" if wider else "breaking",
            f"takes {ntype}, was {otype}" + (" (wider)" if wider else ""),
            *ptrs,
        )
    if oa.required != na.required:
        yield Change(
            name,
            "argument-made-required" if na.required else "argument-made-optional",
            "breaking" if na.required else "non-breaking",
            f"argument {na.name!r} is now {'required' if na.required else 'optional'}",
            *ptrs,
        )
    if oa.default != na.default:
        yield Change(
            name,
            "argument-default-changed",
            "non-breaking",
            f"the API's default is {na.default or 'none'}, was {oa.default or 'none'} "
            "(the client sends nothing for a left-out argument: the server applies "
            "it, whichever client version calls)",
            *ptrs,
        )
    if na.deprecated and not oa.deprecated:
        yield Change(
            name,
            "argument-deprecated",
            "deprecation",
            f"argument {na.name!r} is deprecated",
            *ptrs,
        )
    yield from _sent(name, (oloc, oa), (nloc, na), ptrs)


def _style(arg: Argument) -> tuple[object, ...]:
    if isinstance(arg, ir.Parameter):
        return (arg.style, arg.explode, arg.content_json, arg.booleans)
    return ()


def _sent(
    name: str,
    old: tuple[str, Argument],
    new: tuple[str, Argument],
    ptrs: tuple[str, str],
) -> Iterator[Change]:
    """Wire-level: the same argument, sent another way."""
    (oloc, oa), (nloc, na) = old, new
    if oloc != nloc:
        yield Change(
            name,
            "argument-location-changed",
            "breaking",
            f"sent in the {nloc}, was in the {oloc} (same Python signature)",
            *ptrs,
        )
    if oa.wire_name != na.wire_name:
        yield Change(
            name,
            "argument-wire-name-changed",
            "breaking",
            f"sent as {na.wire_name!r}, was {oa.wire_name!r} (same Python signature)",
            *ptrs,
        )
    if oloc == nloc and _style(oa) != _style(na):
        yield Change(
            name,
            "argument-style-changed",
            "breaking",
            f"serialised as {_style_text(na)}, was {_style_text(oa)}",
            *ptrs,
        )


def _style_text(arg: Argument) -> str:
    if not isinstance(arg, ir.Parameter):
        return "a body field"
    text = f"style={arg.style or 'default'}, explode={arg.explode}"
    if arg.content_json:
        text += ", as JSON"
    if arg.booleans:
        text += f", booleans={'/'.join(arg.booleans)}"
    return text

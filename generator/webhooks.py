"""Webhooks and callbacks: the requests an API sends to its users, typed.

Part of the model stage. ``find`` reads the 3.1 ``webhooks`` section and the
``callbacks`` of every operation into ``ir.Webhook``s: the type of each
request body (built like any schema, so a component keeps its class name)
and, for a union with a discriminator, the class for each of its values.
The generated ``webhook_events`` module parses a received body with them.
"""

import dataclasses
from typing import Any, Literal

from generator import ir, paths
from generator.bodies import encoding
from generator.context import Context, WrongKind, text_of
from generator.diagnostics import join
from generator.naming import pascal
from generator.operations import SpecOperation
from generator.schemas import named_type, schema_type


def find(ctx: Context, methods: list[SpecOperation]) -> tuple[ir.Webhook, ...]:
    """Every webhook and callback with a body, sorted by name. A callback
    named like another gets its operation's id in front (``createX.done``)."""
    found: list[ir.Webhook] = []
    hooks = ctx.spec.data.get("webhooks")
    if isinstance(hooks, dict):
        # By name, so class names do not depend on the file's order.
        for name, item in sorted(hooks.items(), key=lambda kv: str(kv[0])):
            found += _path_item(
                ctx, str(name), item, join("", "webhooks", name), "webhook"
            )
    callbacks: list[tuple[ir.Webhook, str]] = []
    for m in methods:
        given = m.op.get("callbacks")
        if not isinstance(given, dict):
            continue
        for name, callback in given.items():
            cptr = join(m.ptr, "callbacks", name)
            try:
                target, cptr = ctx.deref(callback, cptr, "callback")
            except WrongKind as exc:
                ctx.diags.warning(
                    exc.pointer, f"{exc.message}; the callback is left out"
                )
                continue
            if not isinstance(target, dict):
                continue
            op_id = str(m.op.get("operationId") or f"{m.http_method} {m.path}")
            for expression, item in target.items():
                for hook in _path_item(
                    ctx, str(name), item, join(cptr, expression), "callback"
                ):
                    callbacks.append((hook, op_id))
    found += _callback_names(callbacks, {h.name for h in found})
    return _unique(ctx, sorted(found, key=lambda h: (h.name, h.pointer)))


def _unique(ctx: Context, hooks: list[ir.Webhook]) -> tuple[ir.Webhook, ...]:
    """Names parse_webhook can tell apart: a name already taken (``audit``'s
    POST next to a webhook called ``audit.post``) gets ``#2``, ``#3``, with a
    warning."""
    taken: set[str] = set()
    out = []
    for hook in hooks:
        name, n = hook.name, 1
        while name in taken:
            n += 1
            name = f"{hook.name}#{n}"
        if name != hook.name:
            ctx.diags.warning(
                hook.pointer,
                f"{hook.kind} name {hook.name!r} is taken by another; "
                f"parse_webhook knows this one as {name!r}",
            )
        taken.add(name)
        out.append(dataclasses.replace(hook, name=name))
    return tuple(out)


def _callback_names(
    callbacks: list[tuple[ir.Webhook, str]], taken: set[str]
) -> list[ir.Webhook]:
    counts: dict[str, int] = {}
    for hook, _ in callbacks:
        counts[hook.name] = counts.get(hook.name, 0) + 1
    out = []
    for hook, op_id in callbacks:
        name = hook.name
        if counts[name] > 1 or name in taken:
            name = f"{op_id}.{name}"
        taken.add(name)
        out.append(dataclasses.replace(hook, name=name))
    return out


def _path_item(
    ctx: Context, name: str, item: Any, ptr: str, kind: Literal["webhook", "callback"]
) -> list[ir.Webhook]:
    """The webhooks of one path item: one per operation with a body (a path
    item with several is named ``name.method``)."""
    try:
        target, iptr = ctx.deref(item, ptr, "path item")
    except WrongKind as exc:
        ctx.diags.warning(exc.pointer, f"{exc.message}; the {kind} is left out")
        return []
    if not isinstance(target, dict):
        return []
    ops = [
        (m, target[m]) for m in paths.HTTP_METHODS if isinstance(target.get(m), dict)
    ]
    out = []
    for method, op in ops:
        key = name if len(ops) == 1 else f"{name}.{method}"
        hook = _webhook(ctx, key, op, join(iptr, method), kind)
        if hook is not None:
            out.append(hook)
    return out


def _webhook(
    ctx: Context,
    name: str,
    op: dict[str, Any],
    ptr: str,
    kind: Literal["webhook", "callback"],
) -> ir.Webhook | None:
    if "requestBody" not in op:
        ctx.diags.info(ptr, f"{kind} {name!r} has no request body; nothing to parse")
        return None
    try:
        body, bptr = ctx.deref(
            op["requestBody"], join(ptr, "requestBody"), "request body"
        )
    except WrongKind as exc:
        ctx.diags.warning(exc.pointer, f"{exc.message}; the {kind} is left out")
        return None
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not content:
        ctx.diags.info(ptr, f"{kind} {name!r} has no body content; nothing to parse")
        return None
    media_type = next((mt for mt in content if encoding(mt) == "json"), "")
    json_body = bool(media_type)
    if not media_type:
        media_type = next(iter(content))
        ctx.diags.info(
            join(bptr, "content", media_type),
            f"{kind} {name!r} sends {media_type}; parse_webhook takes "
            + (
                "its text (bytes are decoded as UTF-8)"
                if media_type.lower().startswith("text/")
                else "it decoded (bytes and text are read as JSON)"
            ),
        )
    media = content[media_type]
    schema = media.get("schema", {}) if isinstance(media, dict) else {}
    sptr = join(bptr, "content", media_type, "schema")
    hint = pascal(name) + ("Event" if kind == "webhook" else "Callback")
    payload = schema_type(ctx, schema, sptr, hint)
    discriminator, mapping = _dispatch(ctx, schema, sptr)
    return ir.Webhook(
        name=name,
        kind=kind,
        type=payload,
        media_type=media_type,
        summary=text_of(op, "summary"),
        description=text_of(op),
        pointer=ptr,
        discriminator=discriminator,
        mapping=mapping,
        text=not json_body and media_type.lower().startswith("text/"),
    )


def _dispatch(
    ctx: Context, schema: Any, ptr: str
) -> tuple[str, tuple[tuple[str, ir.TypeRef], ...]]:
    """For a union payload with a ``discriminator``: its property, and the
    class each value names (``mapping``, else each member's schema name)."""
    target, _ = ctx.deref(schema, ptr)
    if not isinstance(target, dict):
        return "", ()
    disc = target.get("discriminator")
    members = target.get("oneOf") or target.get("anyOf")
    if not isinstance(disc, dict) or not isinstance(members, list):
        return "", ()
    prop = disc.get("propertyName")
    if not isinstance(prop, str) or not prop:
        return "", ()
    given = disc.get("mapping")
    member_refs = [
        m["$ref"]
        for m in members
        if isinstance(m, dict) and isinstance(m.get("$ref"), str)
    ]
    refs: dict[str, str] = {}
    if isinstance(given, dict):
        for value, ref in given.items():
            if isinstance(ref, str):
                # A bare name means a component schema (OpenAPI 3.1, 4.8.25).
                refs[str(value)] = ref if "#" in ref else f"#/components/schemas/{ref}"
    for ref in member_refs:
        if ref not in refs.values():
            refs.setdefault(ref.rsplit("/", 1)[-1], ref)
    mapping = []
    for value, ref in sorted(refs.items()):
        if ref not in member_refs:
            ctx.diags.warning(
                join(ptr, "discriminator", "mapping"),
                f"discriminator value {value!r} names {ref!r}, which is not one of "
                "the union's members; parse_webhook does not dispatch on it",
            )
            continue
        found = named_type(ctx, ref, ptr)
        if found.kind == "model":
            mapping.append((value, found))
    return prop, tuple(mapping)

"""Unions: names for the members of a ``oneOf``/``anyOf``.

Part of the model stage (``schemas.py`` builds the types). A member that is
not a ``$ref`` needs a class name a person would choose: the whole union's
when the rest is only ``null``, else from its title, its discriminator
value, a property only it fixes or has. A ``oneOf`` of titled ``const``s
is an enum, with member names from the titles.
"""

import json
from collections import Counter
from typing import Any

from generator.context import Context, text_of
from generator.diagnostics import join
from generator.naming import pascal, words


def canonical(node: Any) -> str:
    """A key equal for equal JSON values (a member written twice)."""
    return json.dumps(node, sort_keys=True, default=str)


def is_null(ctx: Context, schema: Any) -> bool:
    """A ``null`` member of a union (``type: null`` or ``const: null``)."""
    target, _ = ctx.deref(schema, "")
    return isinstance(target, dict) and (
        target.get("type") == "null" or ("const" in target and target["const"] is None)
    )


def _tag_value(ctx: Context, schema: dict[str, Any], prop: str) -> str:
    """The one value ``schema`` allows for property ``prop`` (a ``const`` or a
    one-value ``enum``), or ""."""
    target, _ = ctx.deref((schema.get("properties") or {}).get(prop), "")
    if not isinstance(target, dict):
        return ""
    if isinstance(target.get("const"), str | int) and not isinstance(
        target.get("const"), bool
    ):
        return str(target["const"])
    values = target.get("enum")
    if (
        isinstance(values, list)
        and 0 < len(values) <= 3
        and all(isinstance(v, str) for v in values)
    ):
        return " or ".join(values)  # a member for ["BACK", "CLOSE"]: BackOrClose
    return ""


def const_enum(ctx: Context, schema: dict[str, Any], key: str) -> dict[str, Any] | None:
    """``oneOf: [{title: ADMIN, const: 1}, ...]``, a common way to write a
    named enum in 3.1, as the enum schema it means (member names from the
    titles, their descriptions kept), or None."""
    members = schema.get(key)
    if not isinstance(members, list) or len(members) < 2:
        return None
    values: list[Any] = []
    names: list[str] = []
    docs: dict[str, str] = {}
    for m in members:
        if not isinstance(m, dict) or "const" not in m or "$ref" in m:
            return None
        value = m["const"]
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            return None
        values.append(value)
        if value is None:
            continue
        title = m.get("title")
        names.append(title if isinstance(title, str) and words(title) else str(value))
        if text_of(m):
            docs[str(value)] = text_of(m)
    if len({type(v) for v in values if v is not None}) != 1:
        return None
    out: dict[str, Any] = {"enum": values, "x-enum-varnames": names}
    if docs:
        out["x-enumDescriptions"] = docs
    if text_of(schema):
        out["description"] = text_of(schema)
    return out


def member_hints(
    ctx: Context, schema: dict[str, Any], key: str, ptr: str, hint: str
) -> list[str]:
    """A class name for each member of a ``oneOf``/``anyOf`` that needs one:
    the whole union's name when the others are only ``null``; else from the
    member's title, its discriminator value, a property only it has a fixed
    value for, or a required property only it has. A number only when none
    of these tells the members apart (with an info line)."""
    members = schema.get(key) or []
    real = [i for i, m in enumerate(members) if not is_null(ctx, m)]
    if len(real) <= 1:
        return [hint] * len(members)
    targets = [ctx.deref(m, "")[0] for m in members]
    objects = [t if isinstance(t, dict) else {} for t in targets]
    disc = schema.get("discriminator")
    disc_prop = disc.get("propertyName") if isinstance(disc, dict) else None
    fixed: list[dict[str, str]] = [
        {p: v for p in (t.get("properties") or {}) if (v := _tag_value(ctx, t, p))}
        for t in objects
    ]
    required = [
        {r for r in (t.get("required") or []) if isinstance(r, str)} for t in objects
    ]
    # How many distinct members require or declare each property (members
    # written twice count once): a property only one of them has is its own.
    keys = [canonical(t) for t in objects]
    distinct = {keys[j]: j for j in real}
    required_by = Counter(r for j in distinct.values() for r in required[j])
    declared_by = Counter(
        p for j in distinct.values() for p in (objects[j].get("properties") or {})
    )
    out: list[str] = []
    for i, t in enumerate(objects):
        title = t.get("title") if isinstance(members[i], dict) else None
        suffix = ""
        if isinstance(title, str) and words(title):
            named = pascal(title)
            out.append(named if len(words(title)) > 1 else hint + named)
            continue
        if isinstance(disc_prop, str) and disc_prop in fixed[i]:
            suffix = fixed[i][disc_prop]
        elif fixed[i]:
            prop = sorted(fixed[i])[0]
            suffix = fixed[i][prop]
        else:
            own_required = sorted(r for r in required[i] if required_by[r] == 1)
            own_props = sorted(
                p for p in (t.get("properties") or {}) if declared_by[p] == 1
            )
            own = own_required or own_props
            if own:
                suffix = own[0]
            elif isinstance(t.get("type"), str) and t["type"] != "object":
                suffix = "list" if t["type"] == "array" else t["type"]
        out.append(hint + pascal(suffix) if words(suffix) else "")
    counts: dict[str, int] = {}
    for name in out:
        counts[name] = counts.get(name, 0) + 1
    for i, name in enumerate(out):
        if not name or counts[name] > 1:
            out[i] = f"{hint}{i + 1}"
            ctx.numbered[out[i]] = join(ptr, key, i)
    return out

"""Docs: what an argument or a field is, from everything the spec says.

Part of the model stage. ``describe`` finds the first real description of a
parameter or property: its own (3.1 allows one beside a ``$ref``), then the
referenced schema's, then the one inside a nullable wrapper
(``anyOf: [{...}, {type: "null"}]``). ``notes`` adds the facts a caller
needs: the allowed values of an enum with their meaning when the spec gives
it, the default, the range, the format and an example. Text stays spec text:
the templates make it safe for a docstring.
"""

import json
import math
from typing import Any

from generator.context import Context, text_of
from generator.unions import is_null

MAX_VALUES = 40  # enum values listed in full; more are counted
MAX_EXAMPLE = 80  # characters of an example shown
# Formats the Python type already says.
TYPED_FORMATS = frozenset({"date-time", "date", "binary"})


def _resolved(ctx: Context, schema: Any, depth: int = 0) -> list[dict[str, Any]]:
    """``schema`` and what it stands for, outermost first: the targets of its
    ``$ref`` chain, the one real member of a nullable wrapper, the single
    member of an ``allOf``."""
    out: list[dict[str, Any]] = []
    while isinstance(schema, dict) and depth < 16:
        depth += 1
        out.append(schema)
        if isinstance(schema.get("$ref"), str):
            target, _ = ctx.deref({"$ref": schema["$ref"]}, "")
            schema = target
            continue
        inner = _only_member(ctx, schema)
        if inner is None:
            break
        schema = inner
    return out


def _only_member(ctx: Context, schema: dict[str, Any]) -> Any:
    """The one member that is not ``null`` of an ``anyOf``/``oneOf``, or the
    one member of an ``allOf``; None when there is no such single member."""
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list):
            real = [m for m in members if not is_null(ctx, m)]
            return real[0] if len(real) == 1 else None
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and not schema.get("properties"):
        return parts[0]
    return None


def describe(ctx: Context, node: Any, schema: Any = None) -> str:
    """The first real description of a parameter or property (``node``),
    or of its ``schema`` (for a parameter, its ``schema``; for a property,
    the node itself); "" when the spec has none anywhere."""
    if isinstance(node, dict) and text_of(node):
        return text_of(node)
    chain = _resolved(ctx, node if schema is None else schema)
    for part in chain:
        if text_of(part):
            return text_of(part)
    items = _first(chain, "items") if _first(chain, "type") == "array" else None
    if items is not None:  # a list of X: what one X is
        return next((text_of(p) for p in _resolved(ctx, items) if text_of(p)), "")
    return ""


def _enum_values(
    ctx: Context, chain: list[dict[str, Any]]
) -> tuple[list[Any], dict[str, str]]:
    """The values an enum (or a oneOf of consts) allows, and the meaning of
    each where the spec gives one."""
    for part in chain:
        values = part.get("enum")
        if isinstance(values, list):
            return [v for v in values if v is not None], _value_docs(part, values)
        for key in ("oneOf", "anyOf"):
            members = part.get(key)
            if (
                isinstance(members, list)
                and members
                and all(isinstance(m, dict) and "const" in m for m in members)
            ):
                consts = [m["const"] for m in members if m["const"] is not None]
                meanings = {
                    _shown(m["const"]): text_of(m) or text_of(m, "title")
                    for m in members
                    if m["const"] is not None and (text_of(m) or text_of(m, "title"))
                }
                return consts, meanings
    return [], {}


def _value_docs(schema: dict[str, Any], values: list[Any]) -> dict[str, str]:
    """``x-enumDescriptions`` (a map by value, or a list in value order) or
    ``x-enum-descriptions`` (a list), keyed by the value as shown."""
    out: dict[str, str] = {}
    for key in ("x-enumDescriptions", "x-enum-descriptions"):
        given = schema.get(key)
        if isinstance(given, dict):
            for v in values:
                doc = given.get(str(v)) if v is not None else None
                if isinstance(doc, str) and doc.strip():
                    out[_shown(v)] = doc.strip()
        elif isinstance(given, list):
            for v, doc in zip(values, given, strict=False):
                if isinstance(doc, str) and doc.strip() and v is not None:
                    out[_shown(v)] = doc.strip()
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if len(text) > MAX_EXAMPLE:
        text = text[: MAX_EXAMPLE - 1] + "…"
    return f"``{text}``"


def _first(chain: list[dict[str, Any]], key: str) -> Any:
    return next((part[key] for part in chain if key in part), None)


def notes(ctx: Context, schema: Any, node: Any = None) -> str:
    """The facts about a value of ``schema`` a caller needs, as sentences:
    its allowed values, default, range, format and an example. ``node``: the
    parameter, whose ``example`` counts too."""
    chain = _resolved(ctx, schema)
    if not chain:
        return ""
    out: list[str] = []
    listed = ""  # values with their meanings: a list, a paragraph of its own
    items = _first(chain, "items") if _first(chain, "type") == "array" else None
    item_chain = _resolved(ctx, items) if items is not None else []
    values, meanings = _enum_values(ctx, chain)
    if any("x-form-booleans" in part for part in chain):
        values = []  # a bool in Python, whatever the wire spells
    each = "One of"
    if not values and item_chain:
        values, meanings = _enum_values(ctx, item_chain)
        each = "Each one of"
    if values:
        if len(values) > MAX_VALUES:
            shown = ", ".join(_shown(v) for v in values[:10])
            out.append(f"{each} {len(values)} values, such as {shown}.")
        elif meanings:
            lines = [
                (
                    f"- {_shown(v)}: {meanings[_shown(v)]}"
                    if _shown(v) in meanings
                    else f"- {_shown(v)}"
                )
                for v in values
            ]
            listed = f"{each}:\n" + "\n".join(lines)
        else:
            out.append(f"{each} {', '.join(_shown(v) for v in values)}.")
    out.extend(_facts(chain))
    example = _example(node, chain)
    if example is not None:
        out.append(f"Example: {_shown(example)}.")
    return "\n\n".join(p for p in (" ".join(out), listed) if p)


def default(ctx: Context, schema: Any) -> str:
    """The schema's default as canonical JSON text ("" when it has none), so
    ``generator.diff`` can tell a changed default from the same one."""
    chain = _resolved(ctx, schema)
    if not any("default" in part for part in chain):
        return ""
    value = _first(chain, "default")
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _facts(chain: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    if any("default" in part for part in chain):
        out.append(f"Default: {_shown(_first(chain, 'default'))}.")
    low = _first(chain, "minimum")
    high = _first(chain, "maximum")
    xlow = _first(chain, "exclusiveMinimum")
    xhigh = _first(chain, "exclusiveMaximum")
    bounds = []
    if _number(xlow):
        bounds.append(f"more than {_number(xlow)}")
    elif _number(low):
        bounds.append(f"at least {_number(low)}")
    if _number(xhigh):
        bounds.append(f"less than {_number(xhigh)}")
    elif _number(high):
        bounds.append(f"at most {_number(high)}")
    if bounds:
        out.append(f"Range: {' and '.join(bounds)}.")
    for lo_key, hi_key, what in (
        ("minLength", "maxLength", "characters"),
        ("minItems", "maxItems", "items"),
    ):
        lo, hi = _first(chain, lo_key), _first(chain, hi_key)
        if isinstance(lo, int) and isinstance(hi, int) and not isinstance(lo, bool):
            out.append(
                f"{lo} to {hi} {what}." if lo != hi else f"Exactly {_count(lo, what)}."
            )
        elif isinstance(lo, int) and not isinstance(lo, bool) and lo > 0:
            out.append(f"At least {_count(lo, what)}.")
        elif isinstance(hi, int) and not isinstance(hi, bool):
            out.append(f"At most {_count(hi, what)}.")
    fmt = _first(chain, "format")
    if isinstance(fmt, str) and fmt and fmt not in TYPED_FORMATS:
        out.append(f"Format: ``{fmt}``.")
    return out


def _number(value: Any) -> str:
    """A bound as written for people: ``0.0`` -> ``0``; "" for a non-number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _count(n: int, what: str) -> str:
    return f"{n} {what[:-1] if n == 1 else what}"


Scalar = str | int | float | bool | None


def scalar_example(ctx: Context, schema: Any, node: Any = None) -> Scalar:
    """The spec's example for a value, when it is a plain string, number or
    boolean (the README writes calls with it); else None."""
    value = _example(node, _resolved(ctx, schema))
    if (
        isinstance(value, str)
        and len(value) <= MAX_EXAMPLE
        and value.isprintable()
        and "`" not in value
    ):
        return value
    if isinstance(value, bool | int) or (
        isinstance(value, float) and math.isfinite(value)
    ):
        return value
    return None


def _example(node: Any, chain: list[dict[str, Any]]) -> Any:
    for part in [node, *chain] if isinstance(node, dict) else chain:
        if "example" in part:
            return part["example"]
        examples = part.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        if isinstance(examples, dict) and examples:  # a parameter's named examples
            first = examples[sorted(examples)[0]]
            if isinstance(first, dict) and "value" in first:
                return first["value"]
    return None

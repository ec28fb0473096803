"""``x-readme``: what a spec asks its generated README to open with.

A document may name calls of its own operations for a *Quickstart* at the
top of the README, and a paragraph for the webhook section::

    x-readme:
      quickstart:
        - title: Send an email
          operationId: sendMessage
          arguments:                 # the generated method's argument names
            domain_name: mg.example.com
            to: [alice@example.com]
            attachments: [invoice.pdf]   # a file argument: Path("invoice.pdf")
            delivery_time: "2026-12-01T09:00:00+00:00"   # a datetime argument
      webhooks: How to check a webhook's signature before parsing it.

Values are YAML scalars, lists and mappings; each is written as a Python
literal (``json.dumps`` for text, so spec text cannot become code), a file
argument's text as ``Path(...)`` and a date argument's as
``datetime.fromisoformat(...)``. An unknown operation or argument, or a
required argument left out, is a warning and that example is left out.
"""

import json
import math
from typing import Any

from generator import ir
from generator.context import Context, text_of
from generator.diagnostics import join

__all__ = ["readme"]


def readme(ctx: Context, resources: list[ir.Resource]) -> ir.Readme | None:
    spec = ctx.spec.data.get("x-readme")
    if spec is None:
        return None
    if not isinstance(spec, dict):
        ctx.diags.warning("/x-readme", "x-readme must be a mapping; ignored")
        return None
    by_id = {
        op.operation_id: (r, op)
        for r in resources
        for op in r.operations
        if op.operation_id
    }
    examples = []
    entries = spec.get("quickstart") or []
    if not isinstance(entries, list):
        ctx.diags.warning("/x-readme/quickstart", "quickstart must be a list; ignored")
        entries = []
    needs: set[str] = set()  # what the literals call: Path, datetime, date
    for i, entry in enumerate(entries):
        ptr = join("/x-readme/quickstart", i)
        example = _example(ctx, entry, by_id, ptr, needs)
        if example is not None:
            examples.append(example)
    return ir.Readme(
        quickstart=tuple(examples),
        webhooks=text_of(spec, "webhooks"),
        imports=tuple(line for name, line in _IMPORTS if name in needs),
    )


_IMPORTS = (
    ("date", "from datetime import date"),
    ("datetime", "from datetime import datetime"),
    ("Path", "from pathlib import Path"),
)


def _example(
    ctx: Context,
    entry: Any,
    by_id: dict[str, tuple[ir.Resource, ir.Operation]],
    ptr: str,
    needs: set[str],
) -> ir.ReadmeExample | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("operationId"), str):
        ctx.diags.warning(ptr, "a quickstart entry needs an operationId; left out")
        return None
    found = by_id.get(entry["operationId"])
    if found is None:
        ctx.diags.warning(
            join(ptr, "operationId"),
            f"no generated operation has operationId {entry['operationId']!r}; "
            "left out",
        )
        return None
    resource, op = found
    args = {a.name: a for a in (*op.path_params, *op.keyword_args)}
    given = entry.get("arguments") or {}
    if not isinstance(given, dict):
        ctx.diags.warning(join(ptr, "arguments"), "arguments must be a mapping")
        return None
    unknown = sorted(str(k) for k in given if k not in args)
    missing = [n for n, a in args.items() if a.required and n not in given]
    if unknown or missing:
        what = f"unknown {unknown}" if unknown else f"required {missing} missing"
        ctx.diags.warning(
            join(ptr, "arguments"),
            f"arguments of {resource.attr}.{op.method_name}: {what}; left out",
        )
        return None
    positional = [_literal(given[p.name], p.type, needs) for p in op.path_params]
    keywords = [
        (name, _literal(value, args[name].type, needs))
        for name, value in given.items()
        if args[name] not in op.path_params
    ]
    return ir.ReadmeExample(
        # A comment in the code block: one line, no fence characters.
        title=" ".join(
            "".join(c if c.isprintable() else " " for c in text_of(entry, "title"))
            .replace("`", "'")
            .split()
        ),
        resource=resource.attr,
        method=op.method_name,
        positional=tuple(positional),
        keywords=tuple(keywords),
    )


def _literal(value: Any, t: ir.TypeRef, needs: set[str]) -> str:
    """``value`` as Python source, shaped by the argument's type; adds to
    ``needs`` the names the source calls."""
    real = [a for a in t.args if a.kind != "none"] if t.kind == "union" else []
    if len(real) == 1:
        t = real[0]  # a nullable argument: shaped by what it holds
    if isinstance(value, list):
        item = t.args[0] if t.kind == "list" and t.args else ir.TypeRef("any")
        return "[" + ", ".join(_literal(v, item, needs) for v in value) + "]"
    if isinstance(value, dict):
        item = t.args[0] if t.kind in ("dict", "mapping") and t.args else t
        pairs = (
            f"{_text(str(k))}: {_literal(v, item, needs)}" for k, v in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, str) and t.kind == "file":
        needs.add("Path")
        return f"Path({_text(value)})"
    if isinstance(value, str) and t.kind in ("datetime", "date"):
        needs.add(t.kind)
        return f"{t.kind}.fromisoformat({_text(value)})"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'  # nan and inf have no literal
    if isinstance(value, int | float):
        return repr(value)
    return _text(str(value))


def _text(value: str) -> str:
    """A string literal as black writes it: double quotes, unless the text
    has double quotes and no single ones."""
    if '"' in value and "'" not in value:
        return repr(value)  # escapes what is not printable, too
    # Invisible and bidirectional characters escaped: what is read is what runs.
    return json.dumps(value, ensure_ascii=not value.isprintable())

"""Changes: one line of the API change report, and the report printed.

``generator.diff`` and ``generator.diff_types`` find the changes; this module
holds what they make (``Change``), the type comparisons both use, and the
three ways the CLI prints a report: text for a terminal, JSON for tools,
Markdown for a pull request or a changelog.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from generator import ir

Severity = Literal["breaking", "non-breaking", "deprecation"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "non-breaking", "deprecation")


@dataclass(frozen=True, order=True)
class Change:
    """One line of the report. Ordered by severity, then Python name."""

    rank: int = field(init=False, repr=False)
    python: str
    kind: str
    severity: Severity
    message: str
    old_pointer: str = ""
    new_pointer: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", SEVERITIES.index(self.severity))

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "python": self.python,
            "message": self.message,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
        }


def summary(changes: Iterable[Change]) -> str:
    counts = {s: 0 for s in SEVERITIES}
    for c in changes:
        counts[c.severity] += 1
    return (
        f"{counts['breaking']} breaking, {counts['non-breaking']} non-breaking, "
        f"{counts['deprecation']} deprecations"
    )


# --- types: widening and narrowing -------------------------------------------


def parts(t: ir.TypeRef | None, *, argument: bool = False) -> frozenset[str]:
    """The members of a type's union (``A | B | None`` -> {A, B, None}); an
    argument's enum also takes ``str``, as its annotation says."""
    if t is None:
        return frozenset({"None"})
    if t.kind == "union":
        return frozenset().union(*(parts(a, argument=argument) for a in t.args))
    return frozenset(t.annotation(accept_str=argument).split(" | "))


def shown(t: ir.TypeRef | None, *, argument: bool = False) -> str:
    return "None" if t is None else t.annotation(accept_str=argument)


# --- the report printed ------------------------------------------------------

_HEADINGS = {"breaking": "Breaking", "non-breaking": "Non-breaking"}


def _plain(text: str) -> str:
    """Spec text for a terminal: control characters escaped, so a path or a
    wire name cannot move the cursor or retitle the window."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def as_text(changes: list[Change]) -> str:
    """Grouped by severity, each line ``kind  python: message``, then the
    summary line."""
    out: list[str] = []
    for severity in SEVERITIES:
        group = [c for c in changes if c.severity == severity]
        if group:
            out.append(f"{_HEADINGS.get(severity, 'Deprecations')} ({len(group)}):")
            out.extend(
                f"  {c.kind:28} {_plain(c.python)}: {_plain(c.message)}" for c in group
            )
    out.append(summary(changes))
    return "\n".join(out)


def as_json(changes: list[Change]) -> str:
    """A stable list of objects (keys always in the same order)."""
    return json.dumps([c.as_dict() for c in changes], indent=2, ensure_ascii=False)


def _cell(text: str) -> str:
    return _plain(text).replace("\\", "\\\\").replace("|", "\\|")


def as_markdown(changes: list[Change]) -> str:
    """A table for a pull request or a changelog entry."""
    out = [
        f"**API changes**: {summary(changes)}",
        "",
        "| severity | change | Python | what | old | new |",
        "|---|---|---|---|---|---|",
    ]
    out.extend(
        f"| {c.severity} | `{c.kind}` | `{_cell(c.python)}` | {_cell(c.message)} "
        f"| {_cell(c.old_pointer)} | {_cell(c.new_pointer)} |"
        for c in changes
    )
    return "\n".join(out)

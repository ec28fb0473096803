"""Import blocks and ``__all__`` lists, written in the order ruff wants.

Part of rendering. Generated modules come out of ``render`` already in the
order ruff's isort rules (I001, with ruff's defaults) and RUF022 ask for,
and importing only what they use (F401), so formatting is ``ruff format``
alone: no ``ruff check --fix`` pass, which cost a sixth of a large spec's
generation time. tests/test_imports.py holds these keys against the pinned
ruff on random inputs; every generated package is checked with ruff's I, F,
UP and RUF rules in the tests as well.

Ruff's defaults, as used here: sections (standard library, third party,
local) one blank line apart; in each, ``import x`` before ``from x import
y``; modules in natural order, ignoring case, relative ones furthest first;
names ordered by type (CONSTANTS, Classes, the rest), then naturally
ignoring case; an ``as`` import on a line of its own.
"""

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import conventions, ir


def natord(a: str, b: str) -> int:
    """Natural order, as the ``natord`` crate ruff uses compares: runs of
    digits by value (a run that starts with ``0`` digit by digit, like a
    decimal fraction), everything else by code point. -1, 0 or 1."""
    i = j = 0
    while True:
        if i < len(a) and j < len(b) and a[i].isdigit() and b[j].isdigit():
            if a[i] == "0" or b[j] == "0":
                result, i, j = _compare_left(a, i, b, j)
            else:
                result, i, j = _compare_right(a, i, b, j)
            if result:
                return result
            continue
        if i >= len(a) or j >= len(b):
            return (i < len(a)) - (j < len(b))
        if a[i] != b[j]:
            return -1 if a[i] < b[j] else 1
        i += 1
        j += 1


def _digit(s: str, i: int) -> bool:
    return i < len(s) and s[i].isdigit()


def _compare_left(a: str, i: int, b: str, j: int) -> tuple[int, int, int]:
    """Digit runs with a leading zero: the first differing digit decides."""
    while True:
        da, db = _digit(a, i), _digit(b, j)
        if not da or not db:
            return da - db, i, j
        if a[i] != b[j]:
            return (-1 if a[i] < b[j] else 1), i, j
        i += 1
        j += 1


def _compare_right(a: str, i: int, b: str, j: int) -> tuple[int, int, int]:
    """Digit runs without one: the longer run is larger; at equal length the
    first differing digit decides."""
    bias = 0
    while True:
        da, db = _digit(a, i), _digit(b, j)
        if not da or not db:
            return (da - db) or bias, i, j
        if not bias and a[i] != b[j]:
            bias = -1 if a[i] < b[j] else 1
        i += 1
        j += 1


class _Nat(str):
    """A string that sorts in natural order."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:
        return natord(self, other) < 0


def _kind(name: str) -> int:
    """0 for a CONSTANT, 1 for a Class, 2 for anything else."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def member_key(name: str) -> tuple[int, _Nat, _Nat]:
    """Where ``name`` goes in ``from m import …`` (``name`` is the imported
    name, not its ``as``)."""
    return _kind(name), _Nat(name.lower()), _Nat(name)


def module_key(module: str) -> tuple[int, _Nat, _Nat]:
    """Where ``module`` goes among the others of its section; relative
    modules (leading dots) furthest first."""
    level = len(module) - len(module.lstrip("."))
    name = module[level:]
    return -level, _Nat(name.lower()), _Nat(name)


def dunder_all(names: Iterable[str]) -> list[str]:
    """``names`` in the order RUF022 keeps ``__all__``: by type as above,
    then naturally, case counting."""
    return sorted(names, key=lambda n: (_kind(n), _Nat(n)))


def import_order(names: Iterable[str]) -> list[str]:
    """Names of one ``from m import …`` in order."""
    return sorted(names, key=member_key)


_STDLIB = frozenset(sys.stdlib_module_names)


def _section(module: str) -> int:
    if module.startswith("."):
        return 2
    return 0 if module.split(".", maxsplit=1)[0] in _STDLIB else 1


# Names an annotation of each kind needs.
_TYPE_IMPORTS = {
    "any": "Any",
    "literal": "Literal",
    "file": "FileTypes",
    "content": "RawContent",
    "mapping": "Mapping",
}


@dataclass
class Imports:
    """Imports a module needs, collected as data and rendered sorted.

    A name written ``_x`` is ``x`` imported privately (``from m import x as
    _x``), so that no argument name of a generated method can hide it.
    """

    names: dict[str, set[str]] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)

    def add(self, module: str, *names: str) -> None:
        self.names.setdefault(module, set()).update(names)

    def need(self, *names: str) -> None:
        """Import runtime or library names from where ``conventions`` says."""
        for name in names:
            self.add(conventions.IMPORTABLE[name], name)

    def add_types(
        self, types: list[ir.TypeRef], models_from: str, enums_from: str
    ) -> None:
        """What annotations of ``types`` need."""
        for t in types:
            if t.kind == "model":
                self.add(models_from, t.name)
            elif t.kind == "enum":
                self.add(enums_from, t.name)
            elif t.kind in ("datetime", "date"):
                self.modules.add("datetime")
            elif t.kind in _TYPE_IMPORTS:
                self.need(_TYPE_IMPORTS[t.kind])

    def render(self, package_depth: int = 0, indent: str = "") -> str:
        """The import block; ``package_depth`` adds a dot per level to
        relative modules (they are written relative to the package root)."""

        def fix(module: str) -> str:
            return "." * package_depth + module if module.startswith(".") else module

        # (module key, first name's key, line) per statement, by section.
        sections: list[list[tuple[object, ...]]] = [[], [], []]
        for m in self.modules:
            sections[_section(m)].append((0, module_key(m), (), f"import {m}"))
        for m, names in self.names.items():
            module = fix(m)
            plain = import_order(n for n in names if not n.startswith("_"))
            # (first name, its ``as``, the names as written)
            statements = [(plain[0], "", ", ".join(plain))] if plain else []
            statements += [(n[1:], n, f"{n[1:]} as {n}") for n in names if n[0] == "_"]
            for first, alias, text in statements:
                sections[_section(module)].append(
                    (
                        1,
                        module_key(module),
                        (member_key(first), bool(alias), _Nat(alias)),
                        f"from {module} import {text}",
                    )
                )
        blocks = [
            "\n".join(indent + str(s[-1]) for s in sorted(section))
            for section in sections
            if section
        ]
        return "\n\n".join(blocks)

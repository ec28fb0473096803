"""generator/imports.py against the pinned ruff: the import blocks and
``__all__`` lists it writes are ones ``ruff check --select I,RUF022`` finds
nothing to change in, on random inputs (seeded, so a failure reproduces)."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from generator.imports import Imports, dunder_all, import_order, natord

CASES = 1000
RUFF = [sys.executable, "-m", "ruff"]
CHECK = ["--isolated", "--select", "I,RUF022", "--target-version", "py310"]
CHECK += ["--output-format", "json"]

# Pieces names are built from: cases, digits with and without leading
# zeros, underscores, the shapes generated code has (``NOT_GIVEN``,
# ``ConnectorOptions10Kind``, ``_cast``).
PIECES = ["a", "B", "x", "Y", "Get", "get", "URL", "url", "_", "0", "1", "2", "9"]
PIECES += ["10", "01", "007", "Kind", "KIND", "Options", "é", "Z"]
MODULES = ["typing", "datetime", "collections.abc", "os", "types", "builtins"]
MODULES += ["httpx", "pydantic", "typing_extensions", "zlib", "Zeta", "a1", "a01"]


def _name(rng: random.Random) -> str:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
    text = text.lstrip("0123456789_") or "n"
    return text if text[0].isalpha() else "n" + text


def _relative(rng: random.Random) -> str:
    dots = "." * rng.randint(1, 3)
    return dots + ".".join(_name(rng) for _ in range(rng.randint(1, 2)))


def _imports(rng: random.Random) -> tuple[Imports, int]:
    imports = Imports()
    for m in rng.sample(MODULES, rng.randint(0, 3)):
        imports.modules.add(m)
    depth = rng.randint(0, 2)
    for _ in range(rng.randint(1, 5)):
        module = rng.choice(MODULES) if rng.random() < 0.4 else _relative(rng)
        names = {_name(rng) for _ in range(rng.randint(1, 6))}
        if rng.random() < 0.3:
            names.add("_" + _name(rng))
        imports.add(module, *names)
    return imports, depth


def _ruff_findings(folder: Path) -> list[dict[str, object]]:
    # Long lines are ruff format's to wrap, as in the pipeline.
    subprocess.run(
        [*RUFF, "format", "--isolated", "--quiet", "."],
        cwd=folder,
        check=True,
    )
    proc = subprocess.run(
        [*RUFF, "check", *CHECK, "."],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    findings: list[dict[str, object]] = json.loads(proc.stdout)
    return findings


def test_import_blocks_and_all_lists_are_as_ruff_orders_them(tmp_path: Path) -> None:
    rng = random.Random(20261127)
    for case in range(CASES):
        imports, depth = _imports(rng)
        block = imports.render(package_depth=depth)
        names = sorted({_name(rng) for _ in range(rng.randint(2, 12))})
        rng.shuffle(names)
        listed = ", ".join(repr(n) for n in dunder_all(names))
        # Nested (as under ``if TYPE_CHECKING:``) as well as at the top.
        nested = imports.render(package_depth=depth, indent="    ")
        text = f"{block}\n\n__all__ = [{listed}]\n\nif True:\n{nested}\n"
        (tmp_path / f"case_{case}.py").write_text(text, encoding="utf-8")
    findings = _ruff_findings(tmp_path)
    shown = [
        f"{f['filename']}: {f['code']} "
        + (tmp_path / Path(str(f["filename"])).name).read_text(encoding="utf-8")
        for f in findings[:3]
    ]
    assert not findings, f"{len(findings)} cases differ:\n" + "\n".join(shown)


def test_the_check_above_can_fail(tmp_path: Path) -> None:
    """Ruff does flag the orders these keys replace (plain ``sorted``)."""
    (tmp_path / "a.py").write_text(
        "from typing import NOT_GIVEN, Any, cast as _cast\n\n"
        '__all__ = ["V10", "V9", "Alerts", "AsyncAlerts"]\n',
        encoding="utf-8",
    )
    assert {f["code"] for f in _ruff_findings(tmp_path)} == {"I001", "RUF022"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("a2", "a10", -1),
        ("a10", "a2", 1),
        ("a01", "a1", -1),  # a leading zero compares digit by digit
        ("a010", "a09", -1),
        ("a", "a1", -1),
        ("a1", "a_1", -1),
        ("x", "x", 0),
        ("B", "a", -1),  # code points: case counts
    ],
)
def test_natural_order(a: str, b: str, expected: int) -> None:
    assert natord(a, b) == expected


def test_names_by_type_then_naturally() -> None:
    names = ["cast", "Any", "NOT_GIVEN", "Op10", "Op9", "TYPE_CHECKING", "x", "V2"]
    assert import_order(names) == [
        "NOT_GIVEN",
        "TYPE_CHECKING",
        "V2",  # all its letters capitals: a constant
        "Any",
        "Op9",
        "Op10",
        "cast",
        "x",
    ]

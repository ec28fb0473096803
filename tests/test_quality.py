"""Lint and type gates, run as part of the test command.

generator/ is checked with the root pyproject.toml; generated/ with its own,
which ships with the package so users can check it the same way.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GENERATED, ROOT

TARGETS = {"generator": (ROOT, ["generator"]), "generated": (GENERATED, ["."])}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_ruff(target: str) -> None:
    cwd, paths = TARGETS[target]
    proc = _run(["ruff", "check", *paths], cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("target", TARGETS)
def test_black(target: str) -> None:
    cwd, paths = TARGETS[target]
    proc = _run(["black", "--check", "--quiet", *paths], cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("target", TARGETS)
def test_mypy_strict(target: str, tmp_path: Path) -> None:
    cwd, _ = TARGETS[target]
    paths = ["generator"] if target == "generator" else ["mailgun_client"]
    proc = _run(["mypy", "--strict", "--cache-dir", str(tmp_path), *paths], cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_tests_are_ruff_clean() -> None:
    proc = _run(["ruff", "check", "tests"], ROOT)
    assert proc.returncode == 0, proc.stdout


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_generator_modules_and_functions_are_short() -> None:
    too_long = []
    for path in sorted((ROOT / "generator").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.name}: {node.name}() {length} lines")
    assert not too_long, too_long


def _imported(path: Path) -> set[str]:
    """Names a module binds with ``from … import …`` from the runtime or a
    library (not the spec's own classes from .types / .resources)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if module.lstrip(".").startswith(("types", "enums", "models", "resources")):
                continue
            if module.lstrip(".") in ("_exceptions", "_version", "__future__"):
                continue  # the client's error class, __version__, annotations
            names.update(a.asname or a.name for a in node.names)
    return names


def test_spec_classes_cannot_take_a_name_the_templates_import() -> None:
    from generator.conventions import RESERVED_CLASSES

    packages = [GENERATED / "mailgun_client"]
    packages += sorted(p for p in (ROOT / "tests" / "golden").iterdir() if p.is_dir())
    modules = [
        m
        for pkg in packages
        for pattern in ("_client.py", "types/*.py", "resources/*.py")
        for m in sorted(pkg.glob(pattern))
    ]
    assert len(modules) > 10
    missing = {
        f"{m.relative_to(ROOT)}: {name}"
        for m in modules
        for name in _imported(m) - RESERVED_CLASSES
    }
    assert not missing, "add these to generator/conventions.py: " + str(missing)


@pytest.mark.parametrize(
    "runtime", sorted(p.name for p in (ROOT / "templates" / "runtime").glob("*.py"))
)
def test_runtime_files_are_as_the_formatter_would_make_them(runtime: str) -> None:
    """They are copied into every client without going through ruff."""
    from generator.format import format_python

    source = (ROOT / "templates" / "runtime" / runtime).read_text(encoding="utf-8")
    assert format_python(runtime, source) == source

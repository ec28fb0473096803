"""Lint and type gates, run as part of the test command.

generator/ is checked with the root pyproject.toml; generated/ with its own,
which ships with the package so users can check it the same way.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT

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

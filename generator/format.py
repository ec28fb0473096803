"""Formatting, in memory: ruff (import order, unused imports) then black.

Both are pinned in pyproject.toml, so the same input gives the same bytes on
every machine. Nothing is written to disk here.
"""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import black
from black.mode import Mode, TargetVersion

RUFF_ARGS = [
    "check",
    "--isolated",
    "--fix",
    "--exit-zero",
    "--quiet",
    "--target-version",
    "py310",
    "--line-length",
    "88",
    "--select",
    "I,F401,UP,RUF022",
]
BLACK_MODE = Mode(target_versions={TargetVersion.PY310}, line_length=88)


class FormatError(Exception):
    """Rendered code that is not valid Python: a generator bug, never spec input."""


def _ruff() -> list[str]:
    return [sys.executable, "-m", "ruff"]


def format_python(path: str, source: str) -> str:
    proc = subprocess.run(
        [*_ruff(), *RUFF_ARGS, "--stdin-filename", path, "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise FormatError(f"ruff failed on {path}: {proc.stderr.strip()}")
    try:
        return black.format_str(proc.stdout, mode=BLACK_MODE)
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"black cannot parse {path}: {exc}") from None


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py`` file; other files pass through unchanged."""
    py = sorted(p for p in files if p.endswith(".py"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        formatted = dict(
            zip(py, pool.map(lambda p: format_python(p, files[p]), py), strict=True)
        )
    return {p: formatted.get(p, files[p]) for p in sorted(files)}

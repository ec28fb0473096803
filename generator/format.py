"""Formatting, in memory: ruff fixes imports, then ruff formats.

``ruff format`` is black-compatible; the tests check every generated package
with ``black --check`` as well, so the output is black- and ruff-clean. Black
itself is not run here because it takes seconds on a large spec where ruff
takes a tenth of one (see bench/). Both are pinned in pyproject.toml, so the
same input gives the same bytes on every machine. Each file goes through
ruff's stdin: nothing is written to disk.
"""

import subprocess
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache

from ruff.__main__ import find_ruff_bin

COMMON = ["--isolated", "--quiet", "--target-version", "py310", "--line-length", "88"]
# Imports are rendered sorted already; this is the safety net (an import a
# template adds but a module does not use, __all__ order).
FIX = ["check", "--fix", "--exit-zero", "--select", "I,F401,UP,RUF022", *COMMON]
FORMAT = ["format", *COMMON]


class FormatError(Exception):
    """Rendered code that is not valid Python: a generator bug, never spec input."""


@cache
def _ruff() -> str:
    # The binary itself: `python -m ruff` would start an interpreter per file.
    return str(find_ruff_bin())


def _run(args: list[str], path: str, source: str) -> str:
    proc = subprocess.run(
        [_ruff(), *args, "--stdin-filename", path, "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise FormatError(f"ruff {args[0]} failed on {path}: {proc.stderr.strip()}")
    return proc.stdout


def format_python(path: str, source: str) -> str:
    return _run(FORMAT, path, _run(FIX, path, source))


def format_files(files: Iterable[tuple[str, str]] | dict[str, str]) -> dict[str, str]:
    """Format every ``.py`` file; other files pass through unchanged.

    Files are handed to ruff as they arrive, so rendering the next file
    overlaps with formatting the last one.
    """
    items = files.items() if isinstance(files, dict) else files
    # Threads only wait on ruff processes, so more than the core count helps.
    with ThreadPoolExecutor(max_workers=8) as pool:
        pending: dict[str, Future[str] | str] = {
            path: (
                pool.submit(format_python, path, text) if path.endswith(".py") else text
            )
            for path, text in items
        }
        return {
            path: value if isinstance(value, str) else value.result()
            for path, value in sorted(pending.items())
        }

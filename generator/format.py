"""Formatting, in memory: ``ruff format``, one file at a time through stdin.

``ruff format`` is black-compatible; the tests check every generated package
with ``black --check`` as well, so the output is black- and ruff-clean. Black
itself is not run here because it takes seconds on a large spec where ruff
takes a tenth of one (see bench/). Both are pinned in pyproject.toml, so the
same input gives the same bytes on every machine. Nothing is written to disk.
Imports and ``__all__`` need no fixing pass: ``render`` writes them in
ruff's order already (see ``imports``).
"""

import subprocess
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache

from ruff.__main__ import find_ruff_bin

COMMON = ["--isolated", "--quiet", "--target-version", "py310", "--line-length", "88"]
FORMAT = ["format", *COMMON]


class FormatError(Exception):
    """Rendered code that is not valid Python: a generator bug, never spec input."""


_RUFF_LOCK = threading.Lock()


@cache
def _ruff_bin() -> str:
    # The binary itself: `python -m ruff` would start an interpreter per file.
    return str(find_ruff_bin())


def _ruff() -> str:
    # find_ruff_bin reads sysconfig, which is not thread-safe on first use.
    with _RUFF_LOCK:
        return _ruff_bin()


def _run(args: list[str], path: str, source: str) -> str:
    try:
        proc = subprocess.run(
            [_ruff(), *args, "--stdin-filename", path, "-"],
            input=source,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:  # ruff gone, or it quit before reading its input
        raise FormatError(f"ruff {args[0]} failed on {path}: {exc}") from None
    if proc.returncode != 0:
        raise FormatError(f"ruff {args[0]} failed on {path}: {proc.stderr.strip()}")
    return proc.stdout


def format_python(path: str, source: str) -> str:
    return _run(FORMAT, path, source)


class Formatting:
    """Files handed to ruff as they arrive; ``result()`` collects them.

    Rendering the next file overlaps with formatting the last one, and the
    caller can do other work (validation) while the last ones finish.
    """

    def __init__(self, files: Iterable[tuple[str, str, bool]]) -> None:
        """``files``: (path, text, whether it needs formatting)."""
        # Threads only wait on ruff processes; a few more than the cores
        # keep them busy without a crowd of processes in memory at once.
        self._pool = ThreadPoolExecutor(max_workers=3)
        try:
            self._pending: dict[str, Future[str] | str] = {
                path: (self._pool.submit(format_python, path, text) if needed else text)
                for path, text, needed in files
            }
        except BaseException:
            self._pool.shutdown(cancel_futures=True)
            raise

    def result(self) -> dict[str, str]:
        try:
            return {
                path: value if isinstance(value, str) else value.result()
                for path, value in sorted(self._pending.items())
            }
        finally:
            self._pool.shutdown(cancel_futures=True)

"""generator/parallel.py: validation in a forked child, or inline on request.

Each case runs in a fresh interpreter: a test session has other threads
(local servers), and with threads alive ``Pending`` rightly stays inline.
"""

import os
import subprocess
import sys

from generator.parallel import SERIAL_ENV

PROBE = """
import os
from generator.parallel import Pending

def boom() -> int:
    raise ValueError("bad input")

print("child" if Pending(os.getpid).result() != os.getpid() else "inline")
try:
    Pending(boom).result()
except Exception as exc:  # inline: the error itself; forked: wrapped
    print("bad input" in str(exc))
"""


def _probe(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != SERIAL_ENV}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.split()


def test_the_function_runs_in_a_child_and_its_failure_is_reported() -> None:
    assert _probe() == ["child", "True"]


def test_the_serial_switch_keeps_it_in_this_process() -> None:
    assert _probe(**{SERIAL_ENV: "1"}) == ["inline", "True"]


LEFTOVERS = """
import os, sys
from pathlib import Path
from generator.pipeline import run

Path(sys.argv[1]).write_text("openapi: [unclosed")
result = run(Path(sys.argv[1]))  # the template child is started, then not needed
assert result.api is None
try:
    os.waitpid(-1, os.WNOHANG)
    print("a child is left")
except ChildProcessError:
    print("no child left")
"""


def test_a_run_that_stops_early_leaves_no_child_behind(tmp_path: object) -> None:
    clean = {k: v for k, v in os.environ.items() if k != SERIAL_ENV}
    proc = subprocess.run(
        [sys.executable, "-c", LEFTOVERS, str(tmp_path) + "/bad.yaml"],
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split("\n")[0] == "no child left", proc.stderr

"""Killed and concurrent ``generate`` runs, as real processes (issue 9, finding 6).

The 50-kill run is ``python bench/kill.py --kills 50``; here a small one.
"""

import importlib.util
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from helpers import ROOT, SHARED_SPEC, SPEC, tree

from generator.write import JOURNAL, MANIFEST, STAGING

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL, flock")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
BUSY = "another generator run is writing {out}; try again when it finishes"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kill", ROOT / "bench" / "kill.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="the full spec is in ../shared")
def test_random_kills_leave_the_old_or_the_new_generation(tmp_path: Path) -> None:
    kill = _bench()
    seed = random.randrange(10**6)
    report = kill.run(3, 2, seed, tmp_path, thorough=False)
    text = kill.summary(report, 3, 2, seed)
    print(text)
    assert len(report.kills) == 5 and not report.failures, text


def _spec(tmp_path: Path) -> Path:
    """spec/mailgun.yaml with a new title: a run over generated/ has work."""
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(SPEC.read_text().replace("Mailgun API", "Mailgun HTTP API"))
    return spec


def _start(
    *args: str, wrapper: str | None = None, release: Path | None = None
) -> subprocess.Popen[str]:
    head = ["-c", wrapper] if wrapper else ["-m", "generator"]
    return subprocess.Popen(
        [sys.executable, *head, "generate", *args],
        cwd=ROOT,
        env={**ENV, "RELEASE": str(release)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _generated(files: dict[str, bytes]) -> set[str]:
    return {*files[MANIFEST].decode().splitlines(), MANIFEST}


def _clean(out: Path, before: dict[str, bytes]) -> None:
    """The generated files, what else was there as it was, no leftovers."""
    now = tree(out)
    mine = {k: v for k, v in before.items() if k not in _generated(before)}
    assert {k: v for k, v in now.items() if k not in _generated(now)} == mine
    assert not (out / JOURNAL).exists() and not (out / STAGING).exists()
    assert not [k for k in now if k.endswith(STAGING)]


def _check(out: Path, spec: Path) -> int:
    proc = _start("--spec", str(spec), "--out", str(out), "--check")
    proc.communicate()
    return proc.returncode


# A run that stops after its commit point, holding the lock, until told to go on.
PAUSED = """
import os, sys, time
from pathlib import Path
from generator import cli, write
release, apply = Path(os.environ["RELEASE"]), write._apply
def paused(out, steps):
    while not release.exists():
        time.sleep(0.01)
    apply(out, steps)
write._apply = paused
cli.main(sys.argv[1:], prog_name="generator")
"""


def test_a_second_run_exits_2_while_one_writes(
    generated_copy: Path, tmp_path: Path
) -> None:
    out, spec, release = generated_copy, _spec(tmp_path), tmp_path / "release"
    before = tree(out)
    first = _start(
        "--spec", str(spec), "--out", str(out), wrapper=PAUSED, release=release
    )
    deadline = time.monotonic() + 60
    while not (out / JOURNAL).exists():  # committed, and holding the lock
        assert first.poll() is None and time.monotonic() < deadline, first.stdout
        time.sleep(0.01)
    second = _start("--spec", str(spec), "--out", str(out))
    check = _start("--spec", str(spec), "--out", str(out), "--check")
    for proc in (second, check):
        output = proc.communicate()[0]
        assert proc.returncode == 2, output
        assert f"error: {BUSY.format(out=out)}\n" in output
        assert "Traceback" not in output
    release.touch()
    output = first.communicate()[0]
    assert first.returncode == 0, output
    assert _check(out, spec) == 0
    _clean(out, before)

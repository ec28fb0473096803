"""Shared fixtures: paths, a generator runner, and the Prism mock server."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "mailgun.yaml"
GENERATED = ROOT / "generated"
SHARED_SPEC = ROOT.parent / "shared" / "specs" / "mailgun-openapi.yaml"
PRISM = ROOT / "tests" / "prism" / "node_modules" / ".bin" / "prism"
IN_CI = os.environ.get("CI", "").lower() == "true"

# The checked-in client is what the client tests exercise.
sys.path.insert(0, str(GENERATED))


def generate(*args: str) -> Result:
    """Run the CLI in-process (``python -m generator generate ...``)."""
    from generator.cli import main

    return CliRunner().invoke(main, ["generate", *args], catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, for before/after checks."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not {"__pycache__", ".mypy_cache", ".ruff_cache"} & set(p.parts)
        and p.name != ".generator-cache.json"  # the local shortcut cache, not output
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_prism(spec: Path, log: Path) -> Iterator[str]:
    if not PRISM.exists():
        if IN_CI:
            pytest.fail(f"Prism is not installed at {PRISM}; run .ci/setup prism")
        pytest.skip(
            "Prism is not installed; run `bash .ci/setup prism` (CI installs it)"
        )
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH; Prism needs it")
    port = _free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited early:\n{log.read_text()[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail(f"Prism did not start in 60 s:\n{log.read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism serving spec/mailgun.yaml on 127.0.0.1."""
    yield from start_prism(SPEC, tmp_path_factory.mktemp("prism") / "prism.log")

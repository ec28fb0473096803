"""Pytest fixtures shared by the test modules; plain helpers live in helpers.py."""

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from helpers import GENERATED, SHARED_SPEC, SPEC, start_prism

from generator.diagnostics import Level
from generator.pipeline import run
from generator.write import write

# The checked-in client is what the client tests exercise.
sys.path.insert(0, str(GENERATED))


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism serving spec/mailgun.yaml on 127.0.0.1."""
    yield from start_prism(SPEC, tmp_path_factory.mktemp("prism") / "prism.log")


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """A copy of generated/ to run the generator against."""
    target = tmp_path / "generated"
    shutil.copytree(GENERATED, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    """Mailgun's full spec (../shared) generated, without overlay, and imported
    as ``mailgun_client``: the output folder and the package."""
    if not SHARED_SPEC.exists():
        pytest.skip(f"{SHARED_SPEC} is absent (it lives in ../shared)")
    out = tmp_path_factory.mktemp("full")
    result = run(SHARED_SPEC)
    assert result.ok, [str(d) for d in result.diagnostics if d.level is Level.ERROR]
    write(out, result.files)
    # Swap the checked-in client out of sys.modules for the full one, and
    # back afterwards: other tests hold (and monkeypatch) the original.
    saved = {k: v for k, v in sys.modules.items() if k.startswith("mailgun_client")}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        yield out, importlib.import_module("mailgun_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("mailgun_client")]:
            del sys.modules[name]
        sys.modules.update(saved)

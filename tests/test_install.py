"""The generator as an installed tool: a wheel in a fresh venv, run from
another folder, makes the same package as the checked-in ``generated/``."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a source checkout holds that the package build reads.
SOURCES = ("pyproject.toml", "README.md", "generator", "templates")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_installed_generator_makes_the_checked_in_package(tmp_path: Path) -> None:
    # A copy of the checkout's sources, so the build's scratch files (build/,
    # *.egg-info) land there and not in the working tree.
    checkout = tmp_path / "checkout"
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, checkout / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            checkout.mkdir(exist_ok=True)
            shutil.copy2(src, checkout / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    install = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(checkout),  # not editable: a wheel is built and installed
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            str(venv / "bin" / "openapi-client-generator"),
            "generate",
            "--spec",
            str(ROOT / "spec" / "mailgun.yaml"),
            "--out",
            str(out),
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The installed copy runs, not the checkout.
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import generator; print(generator.__file__)",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert str(venv) in where and str(ROOT) not in where

    made = _files(out)
    made.pop(".generator-cache.json", None)
    generated = ROOT / "generated"
    manifest = (generated / ".generated-files").read_text(encoding="utf-8").split()
    expected = {rel: (generated / rel).read_bytes() for rel in manifest}
    expected[".generated-files"] = (generated / ".generated-files").read_bytes()
    assert sorted(made) == sorted(expected)
    different = [rel for rel in expected if made[rel] != expected[rel]]
    assert not different, f"differs from generated/: {different}"

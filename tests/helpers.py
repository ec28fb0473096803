"""Shared test helpers: repository paths, spec builders, runners; no fixtures."""

import email
import email.message
import importlib
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import ir
from generator.diagnostics import Diagnostics
from generator.load import load
from generator.model import build

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "mailgun.yaml"
GENERATED = ROOT / "generated"
SHARED_SPEC = ROOT.parent / "shared" / "specs" / "mailgun-openapi.yaml"
CORPUS = SHARED_SPEC.parent / "corpus"


def corpus_documents(*, full_spec: bool = False) -> list[Path]:
    """Every document of ../shared/specs/corpus/ (and, with ``full_spec``,
    Mailgun's full spec); none where ../shared is absent."""
    found = sorted(p for p in CORPUS.glob("*") if p.suffix in (".yaml", ".json"))
    return found + ([SHARED_SPEC] if full_spec and SHARED_SPEC.exists() else [])


def json_at(doc: Any, pointer: str) -> Any:
    """The node at a JSON pointer (``/paths/~1a/get``); None where missing."""
    for part in pointer[1:].split("/") if pointer else []:
        key = part.replace("~1", "/").replace("~0", "~")
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


def json_deref(doc: Any, node: Any) -> Any:
    """``node`` with its chain of local ``$ref``s followed (32 at most)."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        node = json_at(doc, node["$ref"][1:])
    return node


PRISM = ROOT / "tests" / "prism" / "node_modules" / ".bin" / "prism"
IN_CI = os.environ.get("CI", "").lower() == "true"

# The smallest valid document; spec_with() adds paths and schemas to it.
MINIMAL = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny API", "version": "1.0.0"},
    "servers": [{"url": "https://tiny.example.com", "x-region": "main"}],
    "paths": {},
}


# Imports each named module in a fresh interpreter and prints the failures
# as JSON ({module: traceback}), so one broken module does not hide others
# (the corpus run and the fuzzer).
IMPORT_ALL = """
import importlib, json, sys, traceback
sys.path.insert(0, sys.argv[1])
failed = {}
for name in sys.argv[2:]:
    try:
        importlib.import_module(name)
    except BaseException:
        failed[name] = traceback.format_exc(limit=-4)
print(json.dumps(failed))
"""


# --- running the generator ---------------------------------------------------


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


def generate_package(spec: Path, out: Path) -> str:
    """Generate ``spec`` into ``out``; the package's import name."""
    from generator.pipeline import run
    from generator.write import write

    result = run(spec)
    assert result.ok and result.api is not None, result.diagnostics
    write(out, result.files)
    return result.api.package


def imported_package(
    tmp_path_factory: pytest.TempPathFactory, spec: Path
) -> Iterator[ModuleType]:
    """``spec`` generated into a temporary folder and imported (a fixture body)."""
    out = tmp_path_factory.mktemp(spec.stem)
    package = generate_package(spec, out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


# --- small specs -------------------------------------------------------------


def write_spec(tmp: Path, doc: dict | str, name: str = "spec.yaml") -> Path:
    """Write ``doc`` (a dict, or YAML text) as a spec file in ``tmp``."""
    path = tmp / name
    text = (
        textwrap.dedent(doc)
        if isinstance(doc, str)
        else yaml.safe_dump(doc, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def spec_with(
    paths: dict | None = None, schemas: dict | None = None, **extra: object
) -> dict:
    """MINIMAL with these paths, component schemas and top-level keys."""
    doc = {**MINIMAL, **extra, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def build_api(tmp: Path, doc: dict | str) -> tuple[ir.Api, Diagnostics]:
    """Load and model ``doc``: the API model and the diagnostics."""
    path = write_spec(tmp, doc)
    diags = Diagnostics(str(path))
    return build(load(path, diags), diags), diags


def operation(path: str, method: str = "get", **op: Any) -> dict[str, Any]:
    """A ``paths`` entry with one operation (a 204 response unless given)."""
    op.setdefault("responses", {"204": {"description": "done"}})
    return {path: {method: op}}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    """``content`` holding ``schema`` as application/json."""
    return {"content": {"application/json": {"schema": schema}}}


def path_param(name: str) -> dict[str, Any]:
    """A required string path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def warning_lines(diags: Diagnostics) -> list[str]:
    """Each warning as ``pointer|message``."""
    return [f"{d.pointer}|{d.message}" for d in diags.warnings]


# --- Prism -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_prism(spec: Path, log: Path) -> Iterator[str]:
    """Serve ``spec`` with Prism's mock server; yields its base URL (for a
    fixture to ``yield from``). Skips, or fails in CI, without Prism."""
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


def multipart_parts(
    content_type: str, body: bytes
) -> list[tuple[str, str | None, str, bytes]]:
    """(name, file name, content type, content) of each part, in order,
    split at the boundary as RFC 7578 says (the bytes exactly as sent)."""
    header = email.message.Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    assert isinstance(boundary, str), content_type
    chunks = body.split(b"--" + boundary.encode())
    assert chunks[0] == b"" and chunks[-1] in (b"--\r\n", b"--"), chunks[-1][:20]
    out = []
    for chunk in chunks[1:-1]:
        head, _, content = chunk[2:].partition(b"\r\n\r\n")
        assert content.endswith(b"\r\n")
        fields = email.message_from_bytes(head + b"\r\n\r\n")
        disposition = email.message.Message()
        disposition["Content-Type"] = fields.get("Content-Disposition", "")
        out.append(
            (
                str(disposition.get_param("name") or ""),
                disposition.get_param("filename"),  # type: ignore[misc]
                fields.get("Content-Type", ""),
                content[:-2],
            )
        )
    return out

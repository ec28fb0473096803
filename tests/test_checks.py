"""generator/checks.py: examples checked against their schemas."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import operation, spec_with, write_spec

from generator.checks import check_examples
from generator.diagnostics import Diagnostics
from generator.load import LoadedSpec, load


def test_examples_that_contradict_their_schema_are_reported(tmp_path: Path) -> None:
    paths = operation(
        "/x",
        operationId="x",
        responses={
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {
                            "A": {"value": {"at": {}}},
                            "B": {"value": {"at": "Mon, 1"}},
                        },
                    }
                },
            }
        },
    )
    schemas = {"Thing": {"type": "object", "properties": {"at": {"type": "object"}}}}
    path = write_spec(tmp_path, spec_with(paths, schemas))
    diags = Diagnostics(str(path))
    check_examples(load(path, diags), diags)
    assert [d.pointer for d in diags.warnings] == [
        "/paths/~1x/get/responses/200/content/application~1json/examples/B/value",
    ]
    assert "at /at: 'Mon, 1' is not of type 'object'" in diags.warnings[0].message


def _pattern_spec(tmp_path: Path, pattern: str, example: str) -> Path:
    param = {
        "name": "q",
        "in": "query",
        "schema": {"type": "string", "pattern": pattern},
        "example": example,
    }
    return write_spec(tmp_path, spec_with(operation("/a", parameters=[param])))


def _lint(spec: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "lint", "--spec", str(spec)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, **env},
    )


def test_a_pattern_python_cannot_compile_is_a_warning(tmp_path: Path) -> None:
    """Issue 9, finding 4: ECMA-262's ``\\p{L}`` ended in exit 3."""
    proc = _lint(_pattern_spec(tmp_path, r"^\p{L}+$", "abc"))
    assert proc.returncode == 1, proc.stderr  # warnings, not an internal error
    out = proc.stdout + proc.stderr
    assert "a pattern in its schema is not one Python can check" in out
    assert "Traceback" not in out


def test_a_backtracking_pattern_is_bounded_in_time(tmp_path: Path) -> None:
    """Issue 9, finding 4: ``^(a+)+$`` with a long example hung ``lint``."""
    spec = _pattern_spec(tmp_path, "^(a+)+$", "a" * 40 + "!")
    started = time.monotonic()
    proc = _lint(spec, OPENAPI_CLIENT_GENERATOR_CHECK_SECONDS="2")
    assert time.monotonic() - started < 20
    assert "the examples were not checked" in proc.stdout, proc.stdout + proc.stderr


def test_the_check_ends_when_the_generator_is_killed(tmp_path: Path) -> None:
    """Issue 9, finding 4: a killed parent left its child at 97 % CPU."""
    spec = _pattern_spec(tmp_path, "^(a+)+$", "a" * 40 + "!")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "lint", "--spec", str(spec)],
        env={**os.environ, "OPENAPI_CLIENT_GENERATOR_CHECK_SECONDS": "300"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)  # the example check is running by now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _running(str(spec)):
        time.sleep(0.2)
    assert not _running(str(spec))


def _running(text: str) -> bool:
    """Whether a process whose command line holds ``text`` is alive."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
            status = (cmdline.parent / "stat").read_text().split()[2]
        except OSError:
            continue
        if text.encode() in args and status != "Z":
            return True
    return False


def test_the_example_check_never_fetches(tmp_path: Path) -> None:
    """Defence in depth behind the load-time $ref check: jsonschema, left
    to itself, retrieves any URI a schema names (it read a file:// named by
    a $dynamicRef and printed it). The check runs here on a document that
    skipped load's reference check; a local server counts the requests."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/schema.json"
    try:
        doc = spec_with(
            paths=operation(
                "/a",
                responses={
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "d": {"$dynamicRef": url},
                                        "i": {"$id": url + "x", "$ref": "y.json"},
                                    },
                                },
                                "example": {"d": 1, "i": 2},
                            }
                        },
                    }
                },
            )
        )
        spec = LoadedSpec(path=tmp_path / "spec.yaml", data=doc, sha256="")
        check_examples(spec, Diagnostics("spec.yaml"))
    finally:
        server.shutdown()
    assert hits == []

"""generated/README.md: its Quickstart runs as written, and x-readme is safe.

The Quickstart (from the spec's ``x-readme``) is cut out of the README and
run in a fresh interpreter, with the key and the base URL of a local server
in the environment, the way a user would run it: the test then reads what
reached the server.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, build_api, multipart_parts, operation, spec_with
from pytest_httpserver import HTTPServer

from generator.render import md_text

README = ROOT / "generated" / "README.md"
QUEUED = {"id": "<1@mg.example.com>", "message": "Queued. Thank you."}


def _quickstart() -> str:
    text = README.read_text(encoding="utf-8")
    # The first section after the title and the install notes.
    assert text.index("## Quickstart") < text.index("## Authenticate")
    found = re.search(r"## Quickstart\n\n```python\n(.*?)\n```", text, re.S)
    assert found is not None
    return found.group(1)


def test_the_quickstart_runs_as_written(httpserver: HTTPServer, tmp_path: Path) -> None:
    code = _quickstart()
    assert "client.messages.send(" in code
    (tmp_path / "invoice.pdf").write_bytes(b"%PDF-1.7 invoice")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG logo")
    httpserver.expect_request(
        "/v3/mg.example.com/messages", method="POST"
    ).respond_with_json(QUEUED)
    env = {
        **os.environ,
        "MAILGUN_API_KEY": "key-readme-test",
        "MAILGUN_BASE_URL": httpserver.url_for("/").rstrip("/"),
        "PYTHONPATH": str(ROOT / "generated"),
    }
    env.pop("MAILGUN_REGION", None)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("Queued. Thank you.") == 2
    first, second = (
        multipart_parts(r.headers["Content-Type"], r.get_data())
        for r, _ in httpserver.log
    )
    files = {(n, f, t, c) for n, f, t, c in first if f}
    assert files == {
        ("attachment", "invoice.pdf", "application/pdf", b"%PDF-1.7 invoice"),
        ("inline", "logo.png", "image/png", b"\x89PNG logo"),
    }
    fields = [(n, c) for n, f, _, c in first if not f]
    assert ("to", b"alice@example.com") in fields
    assert ("to", b"Bob <bob@example.com>") in fields
    assert ("o:tag", b"invoices") in fields
    assert ("o:deliverytime", b"Tue, 01 Dec 2026 09:00:00 +0000") in fields
    values = {n: c for n, _, _, c in second}
    assert values["template"] == b"order-shipped"
    assert json.loads(values["t:variables"]) == {
        "order_id": 1042,
        "items": ["tea", "cups"],
    }
    assert values["v:customer_id"] == b"7"


def test_x_readme_cannot_inject_code(tmp_path: Path) -> None:
    """Titles become one-line comments; values become literals; an unknown
    operation or argument is a warning, not an example."""
    doc = spec_with(
        paths=operation(
            "/things/{id}",
            operationId="getThing",
            parameters=[
                {"name": "id", "in": "path", "required": True, "schema": {}},
                {"name": "q", "in": "query", "schema": {"type": "string"}},
            ],
        )
    )
    doc["x-readme"] = {
        "quickstart": [
            {
                "title": "evil\nimport os; os.system('x')  # ```",
                "operationId": "getThing",
                "arguments": {"id": "a\"'\nb", "q": "');import os#"},
            },
            {"operationId": "nope"},
            {"operationId": "getThing", "arguments": {"zzz": 1}},
            {"operationId": "getThing", "arguments": {"q": "x"}},
        ],
        "webhooks": "```\n<script>x</script>",
    }
    api, diags = build_api(tmp_path, doc)
    assert api.readme is not None
    (example,) = api.readme.quickstart
    assert "\n" not in example.title and "`" not in example.title
    source = f"f({', '.join(example.positional)}, q={example.keywords[0][1]})"
    # Each value is one literal: the call has exactly two arguments.
    tree = compile(source, "<readme>", "eval", flags=0x400)  # ast.PyCF_ONLY_AST
    assert len(tree.body.args) + len(tree.body.keywords) == 2  # type: ignore[attr-defined]
    assert eval(example.positional[0]) == "a\"'\nb"
    warned = [d.message for d in diags.warnings]
    assert len(warned) == 3, warned
    assert md_text(api.readme.webhooks).startswith("\\```")
    assert "<script>" not in md_text(api.readme.webhooks)

"""generator/pipeline.py end to end on Mailgun's full published spec."""

# ../shared/specs/mailgun-openapi.yaml: 213 operations with the faults listed in
# ../shared/specs/README.md. These tests skip, with the reason, where ../shared
# is absent; CI has it.

import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from helpers import ROOT, SHARED_SPEC, generate

from generator.diagnostics import Level
from generator.pipeline import analyse

OVERLAY = ROOT / "spec" / "overlays" / "mailgun-public-fixes.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
pytestmark = pytest.mark.skipif(
    not SHARED_SPEC.exists(), reason=f"{SHARED_SPEC} is absent (it lives in ../shared)"
)

# The faults ../shared/specs/README.md lists, as our warnings word them.
LISTED_FAULTS = {
    "duplicate enum value": r"enum lists .* twice",
    "non-standard media type": r"non-standard media type|is not a media type",
    "object wrapping an enum": r"'type: object' with an allOf of a non-object",
    "required but optional": r"is required but described as optional",
    "example vs schema": r"example contradicts its schema",
    "free-form form fields": r"is an example of free-form",
    "file parts": r"typed as a file upload",
    "path parameter spellings": r"path parameter \{.*\} is spelled",
}
# What this project covers, by path (the example overlay's scope).
COVERED = re.compile(
    r"^/v3/domains/\{[^}]+\}/tracking|^/v2/x509|^/v3/stats|^/v3/\{[^}]+\}/(stats|aggregates)"
    r"|^/v3/\{[^}]+\}/(events|bounces|whitelists|unsubscribes|complaints|messages)"
    r"|^/v1/thresholds|^/v1/analytics/(metrics|logs|usage/metrics)"
)


def _spec_operations() -> list[tuple[str, str]]:
    doc = yaml.safe_load(SHARED_SPEC.read_text()) if SHARED_SPEC.exists() else {}
    return [
        (method, path)
        for path, item in (doc.get("paths") or {}).items()
        for method in METHODS
        if method in item
    ]


def test_generates_with_warnings_only_for_listed_faults() -> None:
    result = analyse(SHARED_SPEC)
    assert result.ok
    warnings = [d for d in result.diagnostics if d.level is Level.WARNING]
    unlisted = [
        str(d)
        for d in warnings
        if not any(re.search(rx, d.message) for rx in LISTED_FAULTS.values())
    ]
    assert unlisted == []
    kinds = {
        k
        for k, rx in LISTED_FAULTS.items()
        if any(re.search(rx, d.message) for d in warnings)
    }
    assert kinds == set(LISTED_FAULTS)  # and each listed fault is found
    assert all(d.pointer.startswith("/") for d in warnings)


def test_strict_fails_on_the_faults_and_writes_nothing(tmp_path: Path) -> None:
    result = generate(
        "--spec", str(SHARED_SPEC), "--out", str(tmp_path / "o"), "--strict"
    )
    assert result.exit_code == 2
    assert not (tmp_path / "o").exists()


def test_example_overlay_fixes_the_covered_parts() -> None:
    before = analyse(SHARED_SPEC)
    after = analyse(SHARED_SPEC, [OVERLAY])
    assert after.ok

    def covered(diags: list) -> list[str]:
        out = []
        for d in diags:
            if d.level is not Level.WARNING:
                continue
            path = (
                d.pointer.split("/")[2].replace("~1", "/")
                if d.pointer.startswith("/paths/")
                else ""
            )
            schema = (
                d.pointer.split("/")[3]
                if d.pointer.startswith("/components/schemas/")
                else ""
            )
            if COVERED.search(path) or re.search(
                r"thresholds|blackbook-model-(Bounce|Whitelist)|RFC822|terminator|"
                r"openSettings|MessageObject|bounces|whitelists",
                schema,
            ):
                out.append(str(d))
        return out

    assert len(covered(before.diagnostics)) >= 20
    assert covered(after.diagnostics) == []
    names = {(op.http_method, op.path): op.method_name for op in after.api.operations}
    assert names[("get", "/v2/x509/{domain}/status")] == "get_certificate_status"
    assert names[("post", "/v3/{domain_name}/bounces")] == "create"
    assert [(s.scheme, s.name) for s in after.api.security] == [("basic", "api")]
    # List filters the published spec marks required are optional.
    for r in after.api.resources:
        for op in r.operations:
            if r.attr in ("allowlist", "bounces", "unsubscribes", "complaints"):
                if op.method_name == "list":
                    assert not [a.name for a in op.keyword_args if a.required], r.attr


def test_all_operations_on_both_clients(full: tuple[Path, ModuleType]) -> None:
    _, pkg = full
    spec_ops = _spec_operations()
    assert len(spec_ops) == 213
    for cls in (pkg.Mailgun, pkg.AsyncMailgun):
        client = cls("key")
        found = set()
        for attr in dir(client):
            resource = getattr(client, attr) if not attr.startswith("_") else None
            if resource is None or not hasattr(resource, "_client"):
                continue
            for name in dir(resource):
                method = getattr(resource, name)
                if not name.startswith("_") and callable(method):
                    found.add(method.__doc__.split("``")[1])  # "GET /v3/..." line
        assert {f"{m.upper()} {p}" for m, p in spec_ops} == found, cls.__name__


def test_full_package_is_clean(full: tuple[Path, ModuleType], tmp_path: Path) -> None:
    out, _ = full
    for args in (
        ["mypy", "--strict", "--cache-dir", str(tmp_path), "mailgun_client"],
        ["ruff", "check", "."],
        ["black", "--check", "--quiet", "."],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", *args],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, (args[0], proc.stdout[-3000:], proc.stderr[-2000:])


def test_names_table_lists_everything() -> None:
    import json

    from click.testing import CliRunner

    from generator.cli import main

    out = CliRunner().invoke(
        main, ["names", "--spec", str(SHARED_SPEC), "--format", "json"]
    )
    assert out.exit_code == 0
    table = json.loads(out.output)
    methods = [m for r in table["resources"] for m in r["methods"]]
    # 213 operations; one with two request media types is two methods.
    assert len({(m["http"], m["path"]) for m in methods}) == 213
    named = {
        (r["attribute"], m["name"]) for r in table["resources"] for m in r["methods"]
    }
    assert len(named) == len(methods)
    assert not [
        m for m in methods if re.search(r"--|^(get|post|put|delete)_v\d", m["name"])
    ]
    assert "SendAlertRequest" in table["models"]
    assert not [n for n in table["models"] if "github" in n.lower()]


def _names_table(*args: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """``names --format json``: (http method, path with its parameters
    blanked) -> the (resource, method) pairs made for that operation."""
    import json

    from click.testing import CliRunner

    from generator.cli import main

    out = CliRunner().invoke(main, ["names", "--format", "json", *args])
    assert out.exit_code == 0, out.output
    table: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for resource in json.loads(out.output)["resources"]:
        for m in resource["methods"]:
            key = (m["http"].lower(), re.sub(r"\{[^}]+\}", "{}", m["path"]))
            table.setdefault(key, set()).add((resource["attribute"], m["name"]))
    return table


def test_overlay_names_operations_as_our_client_does() -> None:
    """Mailgun's full spec with the example overlay gives every operation our
    own spec also has the names our client gives it: the same library. Where
    the full spec has another media type too (JSON arrays of many entries),
    that one is a method of its own beside ours."""
    ours = _names_table("--spec", str(ROOT / "spec" / "mailgun.yaml"))
    full = _names_table("--spec", str(SHARED_SPEC), "--overlay", str(OVERLAY))
    both = sorted(set(ours) & set(full))
    differ = {k: (ours[k], full[k]) for k in both if not ours[k] <= full[k]}
    assert differ == {}
    # The operations only ours has: account webhooks (/v1/webhooks), which
    # the published spec does not describe.
    assert {p for _, p in set(ours) - set(full)} <= {"/v1/webhooks", "/v1/webhooks/{}"}


def _without_examples(node: object) -> object:
    if isinstance(node, dict):
        return {
            k: _without_examples(v)
            for k, v in node.items()
            if k not in ("example", "examples")
        }
    if isinstance(node, list):
        return [_without_examples(v) for v in node]
    return node


def test_overlay_adds_our_webhook_payloads_unchanged() -> None:
    """The published spec has no ``webhooks``; the overlay adds ours (and
    the schemas they use), kept equal to spec/mailgun.yaml's but for the
    examples, so both clients parse events into the same classes."""
    ours = yaml.safe_load((ROOT / "spec" / "mailgun.yaml").read_text())
    actions = yaml.safe_load(OVERLAY.read_text())["actions"]
    root = next(a for a in actions if a["target"] == "$")["update"]
    assert root["webhooks"] == _without_examples(ours["webhooks"])
    schemas = next(
        a
        for a in actions
        if a["target"] == "$.components.schemas" and "WebhookSignature" in a["update"]
    )["update"]
    for name, schema in schemas.items():
        assert schema == _without_examples(ours["components"]["schemas"][name]), name


CHECK_EVENT = """
import hashlib, hmac, json, sys, yaml
from mailgun_client.lib import parse_event
from mailgun_client.lib.webhooks import WebhookVerificationError

hooks = yaml.safe_load(open(sys.argv[1]))["webhooks"]
for name, hook in hooks.items():
    body = hook["post"]["requestBody"]["content"]["application/json"]["example"]
    mac = hmac.new(b"k", b"1700000000tok", hashlib.sha256).hexdigest()
    body["signature"] = {"timestamp": "1700000000", "token": "tok", "signature": mac}
    event = parse_event("k", json.dumps(body), now=1700000000)
    print(name, type(event).__name__, event.event_data.recipient)
    try:
        parse_event("other", json.dumps(body), now=1700000000)
    except WebhookVerificationError:
        pass
    else:
        raise SystemExit("a wrong key passed")
"""


def test_full_spec_route_keeps_the_helpers_and_parses_events(tmp_path: Path) -> None:
    """The overlay's documented route regenerates generated/ from the
    published spec: lib/ (hand-written) stays, and verifying and parsing a
    webhook works the same in that client."""
    out = tmp_path / "generated"
    shutil.copytree(
        ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__")
    )
    result = generate(
        "--spec", str(SHARED_SPEC), "--overlay", str(OVERLAY), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert (out / "mailgun_client" / "lib" / "webhooks.py").is_file()
    assert "213 operations" in result.output
    proc = subprocess.run(
        [sys.executable, "-c", CHECK_EVENT, str(ROOT / "spec" / "mailgun.yaml")],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == 8
    assert "permanent_fail PermanentFailWebhook" in proc.stdout
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path),
            "--",
            "mailgun_client/lib",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_overlay_gives_the_send_arguments_our_names() -> None:
    """messages.send and messages.mime take the arguments our client gives
    them (``tags=``, ``template_variables=``, ...), not ``o_tag=``."""

    def args(api: Any, method: str) -> set[str]:
        (op,) = [
            op
            for r in api.resources
            for op in r.operations
            if r.attr == "messages" and op.method_name == method
        ]
        return {a.name for a in (*op.path_params, *op.keyword_args)} - {"domain_name"}

    ours = analyse(ROOT / "spec" / "mailgun.yaml").api
    full = analyse(SHARED_SPEC, [OVERLAY]).api
    for method in ("send", "mime"):
        assert args(ours, method) <= args(full, method), method
        assert not [a for a in args(full, method) if re.match(r"[oth]_", a)]

"""generated/mailgun_client/lib/: the hand-written area and its webhook verifier."""

import hashlib
import hmac
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import GENERATED, SPEC, generate, tree
from mailgun_client.lib import (
    WebhookVerificationError,
    event_name,
    parse_event,
    verify_webhook_signature,
)
from mailgun_client.webhook_events import WebhookPayloadError

from generator.naming import pascal

LIB = GENERATED / "mailgun_client" / "lib"
KEY = "whsec-test-key"
NOW = 1_767_225_600.0


def _signed(timestamp: str = str(int(NOW)), token: str = "a" * 50) -> dict[str, str]:
    digest = hmac.new(KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {"timestamp": timestamp, "token": token, "signature": digest.hexdigest()}


def test_a_valid_signature_passes() -> None:
    verify_webhook_signature(KEY, _signed(), now=NOW)
    verify_webhook_signature(KEY, _signed(), now=NOW + 299)
    upper = {**_signed(), "signature": _signed()["signature"].upper()}
    verify_webhook_signature(KEY, upper, now=NOW)


@pytest.mark.parametrize(
    ("signature", "now", "message"),
    [
        ({**_signed(), "signature": "0" * 64}, NOW, "does not match"),
        ({**_signed(), "token": "b" * 50}, NOW, "does not match"),
        (_signed(), NOW + 301, "old"),
        (_signed(), NOW - 301, "old"),
        ({"timestamp": str(int(NOW)), "token": "t"}, NOW, "incomplete"),
        ({**_signed(), "timestamp": "soon"}, NOW, "not a number"),
        ({**_signed(), "timestamp": None}, NOW, "incomplete"),
    ],
)
def test_bad_signatures_fail(signature: dict, now: float, message: str) -> None:
    with pytest.raises(WebhookVerificationError, match=message):
        verify_webhook_signature(KEY, signature, now=now)


def test_the_wrong_key_fails_and_no_key_is_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="does not match"):
        verify_webhook_signature("other-key", _signed(), now=NOW)
    with pytest.raises(WebhookVerificationError, match="no webhook signing key"):
        verify_webhook_signature("", _signed(), now=NOW)


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(
        hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b)
    )
    verify_webhook_signature(KEY, _signed(), now=NOW)
    assert calls == [1]


def test_regeneration_leaves_the_hand_written_area_alone(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    lib = out / "mailgun_client" / "lib"
    (lib / "notes.py").write_text("# mine\n")
    before = tree(lib)
    # A spec change that rewrites most files, then one that removes a resource.
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(
        SPEC.read_text().replace("title: Mailgun API", "title: Mailgun  API")
    )
    assert generate("--spec", str(spec), "--out", str(out)).exit_code == 0
    assert tree(lib) == before
    assert generate("--out", str(out)).exit_code == 0
    assert tree(lib) == before
    assert (lib / "notes.py").read_text() == "# mine\n"


def test_the_generator_never_writes_into_it() -> None:
    from generator.pipeline import run

    files = run(SPEC).files
    assert not [f for f in files if f.startswith("mailgun_client/lib/")]
    assert LIB.is_dir()


def _webhook_examples() -> dict[str, Any]:
    hooks = yaml.safe_load(SPEC.read_text())["webhooks"]
    return {
        name: hook["post"]["requestBody"]["content"]["application/json"]["example"]
        for name, hook in hooks.items()
    }


EXAMPLES = _webhook_examples()


def _signed_body(example: dict[str, Any], **signature: str) -> bytes:
    """The example as Mailgun would post it now, signed with ``KEY``."""
    return json.dumps({**example, "signature": {**_signed(), **signature}}).encode()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_parse_event_checks_then_returns_the_typed_event(name: str) -> None:
    body = _signed_body(EXAMPLES[name])
    for given in (body, body.decode(), json.loads(body)):
        event = parse_event(KEY, given, now=NOW)
        assert type(event).__name__ == pascal(name) + "Webhook"
        assert event_name(json.loads(body)) == name
        assert event.event_data.recipient == EXAMPLES[name]["event-data"]["recipient"]


@pytest.mark.parametrize(
    ("change", "now", "error", "message"),
    [
        ({"signature": "0" * 64}, NOW, WebhookVerificationError, "does not match"),
        ({"token": "b" * 50}, NOW, WebhookVerificationError, "does not match"),
        ({}, NOW + 301, WebhookVerificationError, "old"),
        ({}, NOW - 301, WebhookVerificationError, "old"),
    ],
)
def test_parse_event_refuses_tampered_or_stale_requests(
    change: dict[str, str], now: float, error: type[Exception], message: str
) -> None:
    body = _signed_body(EXAMPLES["delivered"], **change)
    with pytest.raises(error, match=message):
        parse_event(KEY, body, now=now)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        parse_event("another-key", _signed_body(EXAMPLES["delivered"]), now=NOW)


def test_parse_event_refuses_what_is_not_a_signed_event() -> None:
    unsigned = {k: v for k, v in EXAMPLES["opened"].items() if k != "signature"}
    with pytest.raises(WebhookVerificationError, match="no signature"):
        parse_event(KEY, json.dumps(unsigned), now=NOW)
    with pytest.raises(WebhookPayloadError, match="not JSON"):
        parse_event(KEY, b"event=delivered", now=NOW)
    with pytest.raises(WebhookPayloadError, match="not a JSON object"):
        parse_event(KEY, b"[1, 2]", now=NOW)
    stored = {**EXAMPLES["delivered"], "event-data": {"event": "stored"}}
    with pytest.raises(WebhookPayloadError, match="unknown webhook 'stored'"):
        parse_event(KEY, _signed_body(stored), now=NOW)
    odd = {**EXAMPLES["permanent_fail"]}
    odd["event-data"] = {**odd["event-data"], "severity": "sometimes"}
    with pytest.raises(WebhookPayloadError, match="severity"):
        parse_event(KEY, _signed_body(odd), now=NOW)
    # The signature is checked before the payload is read: a forged body of
    # the wrong shape is a verification error, not a parse error.
    forged = {"signature": {**_signed(), "signature": "0" * 64}, "event-data": 5}
    with pytest.raises(WebhookVerificationError):
        parse_event(KEY, json.dumps(forged), now=NOW)

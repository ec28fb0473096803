"""Checking that a webhook request really comes from Mailgun.

Mailgun signs each webhook with the account's HTTP webhook signing key: the
``signature`` object of the payload holds a ``timestamp`` (Unix seconds), a
random ``token`` and ``signature``, the hex HMAC-SHA256 of timestamp + token.
A request passes when the HMAC matches (compared in constant time) and the
timestamp is recent, which limits replays; callers that also remember the
tokens they have seen can refuse replays outright.

``parse_event`` does both steps a webhook handler needs: it checks the
signature, then returns the typed event (``webhook_events.parse_webhook``).
"""

import hashlib
import hmac
import json
import math
import time
from collections.abc import Mapping

from ..webhook_events import WebhookPayload, WebhookPayloadError, parse_webhook

__all__ = [
    "DEFAULT_MAX_AGE",
    "WebhookVerificationError",
    "event_name",
    "parse_event",
    "verify_webhook_signature",
]

DEFAULT_MAX_AGE = 300.0
"""Seconds a signed webhook stays acceptable."""


class WebhookVerificationError(ValueError):
    """The webhook's signature is missing, wrong, or too old."""


def verify_webhook_signature(
    signing_key: str,
    signature: Mapping[str, object],
    *,
    max_age: float = DEFAULT_MAX_AGE,
    now: float | None = None,
) -> None:
    """Raise ``WebhookVerificationError`` unless ``signature`` is valid.

    Args:
        signing_key: The HTTP webhook signing key (not the API key).
        signature: The payload's ``signature`` object: ``timestamp``,
            ``token`` and ``signature``.
        max_age: The oldest timestamp accepted, in seconds; also the most a
            timestamp may lie in the future (clock skew).
        now: The current Unix time; for tests.
    """
    if not signing_key:
        raise WebhookVerificationError("no webhook signing key given")
    if not math.isfinite(max_age) or max_age < 0:
        raise WebhookVerificationError(f"max_age must be seconds, not {max_age!r}")
    timestamp = signature.get("timestamp")
    token = signature.get("token")
    given = signature.get("signature")
    if not isinstance(token, str) or not isinstance(given, str) or not token:
        raise WebhookVerificationError("the signature object is incomplete")
    if isinstance(timestamp, bool) or not isinstance(timestamp, str | int | float):
        raise WebhookVerificationError("the signature object is incomplete")
    try:
        sent = float(timestamp)
    except (ValueError, OverflowError):
        raise WebhookVerificationError("the timestamp is not a number") from None
    if not math.isfinite(sent):  # "nan" would pass any age check
        raise WebhookVerificationError("the timestamp is not a finite number")
    current = time.time() if now is None else now
    if not abs(current - sent) <= max_age:
        raise WebhookVerificationError(
            f"the signature is {current - sent:.0f} s old; at most {max_age:.0f} s"
        )
    expected = hmac.new(
        signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    # As bytes: compare_digest refuses non-ASCII text with a TypeError.
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise WebhookVerificationError("the signature does not match")


def event_name(payload: Mapping[str, object]) -> str:
    """The webhook a payload belongs to: its ``event-data.event``, a failure
    told apart by its ``severity`` (``permanent_fail``, ``temporary_fail``),
    as Mailgun names its webhooks."""
    data = payload.get("event-data")
    event = data.get("event") if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(event, str) or not event:
        raise WebhookPayloadError("the payload has no event-data.event")
    if event != "failed":
        return event
    severity = data.get("severity")
    if severity not in ("permanent", "temporary"):
        raise WebhookPayloadError(
            f"a failed event's severity is {severity!r}, not permanent or temporary"
        )
    return f"{severity}_fail"


def parse_event(
    signing_key: str,
    body: bytes | str | Mapping[str, object],
    *,
    max_age: float = DEFAULT_MAX_AGE,
    now: float | None = None,
) -> WebhookPayload:
    """Check that a webhook request comes from Mailgun, then return its event,
    typed (``DeliveredWebhook``, ``PermanentFailWebhook``, ...).

    The signature is checked before anything else of the payload is read.
    It covers the timestamp and the token, not the rest of the body: keep
    the tokens you have seen to refuse a replayed request.

    Args:
        signing_key: The HTTP webhook signing key (not the API key).
        body: The request body as received (bytes or text), or the JSON
            already decoded.
        max_age: The oldest timestamp accepted, in seconds.
        now: The current Unix time; for tests.

    Raises:
        WebhookVerificationError: The signature is missing, wrong or too old.
        WebhookPayloadError: The body is not JSON, or not the payload of an
            event this client knows.
    """
    payload: object = body
    if isinstance(body, bytes | str):
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise WebhookPayloadError("the webhook body is not JSON") from None
    if not isinstance(payload, Mapping):
        raise WebhookPayloadError("the webhook body is not a JSON object")
    signature = payload.get("signature")
    if not isinstance(signature, Mapping):
        raise WebhookVerificationError("the payload has no signature object")
    verify_webhook_signature(signing_key, signature, max_age=max_age, now=now)
    return parse_webhook(event_name(payload), payload)

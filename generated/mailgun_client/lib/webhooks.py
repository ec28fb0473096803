"""Checking that a webhook request really comes from Mailgun.

Mailgun signs each webhook with the account's HTTP webhook signing key: the
``signature`` object of the payload holds a ``timestamp`` (Unix seconds), a
random ``token`` and ``signature``, the hex HMAC-SHA256 of timestamp + token.
A request passes when the HMAC matches (compared in constant time) and the
timestamp is recent, which limits replays; callers that also remember the
tokens they have seen can refuse replays outright.
"""

import hashlib
import hmac
import time
from collections.abc import Mapping

__all__ = ["DEFAULT_MAX_AGE", "WebhookVerificationError", "verify_webhook_signature"]

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
    timestamp = signature.get("timestamp")
    token = signature.get("token")
    given = signature.get("signature")
    if not isinstance(token, str) or not isinstance(given, str) or not token:
        raise WebhookVerificationError("the signature object is incomplete")
    if isinstance(timestamp, bool) or not isinstance(timestamp, str | int | float):
        raise WebhookVerificationError("the signature object is incomplete")
    try:
        sent = float(timestamp)
    except ValueError:
        raise WebhookVerificationError("the timestamp is not a number") from None
    current = time.time() if now is None else now
    if abs(current - sent) > max_age:
        raise WebhookVerificationError(
            f"the signature is {current - sent:.0f} s old; at most {max_age:.0f} s"
        )
    expected = hmac.new(
        signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, given.lower()):
        raise WebhookVerificationError("the signature does not match")

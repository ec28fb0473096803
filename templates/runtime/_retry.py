"""When to try a request again, and how long to wait first.

Retried: connection errors, and the statuses 408, 429, 500, 502, 503, 504.
A request that is not idempotent (POST, PATCH) is sent again only when the
server cannot have acted on it: the connection was never made, or the
server said 429 (rate limited, not processed). Waits grow exponentially with
jitter, and follow ``Retry-After`` (seconds or an HTTP date) or
``X-RateLimit-Reset`` when the server sends them.
"""

import email.utils
import math
import random
import time
from dataclasses import dataclass

import httpx

__all__ = ["DEFAULT_MAX_RETRIES", "RetryPolicy"]

DEFAULT_MAX_RETRIES = 2
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(frozen=True)
class RetryPolicy:
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_server_delay: float = 60.0  # cap on what Retry-After may ask for

    def should_retry_status(self, method: str, status: int) -> bool:
        if status not in RETRY_STATUSES:
            return False
        return method.upper() in IDEMPOTENT or status == 429

    def should_retry_error(self, method: str, exc: Exception) -> bool:
        if isinstance(exc, httpx.TimeoutException):
            return False  # the caller's time budget is spent
        if isinstance(exc, httpx.ConnectError):
            return True  # never reached the server: safe for any method
        return isinstance(exc, httpx.TransportError) and method.upper() in IDEMPOTENT

    def delay(self, retry: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if response is not None:
            asked = _server_delay(response)
            if asked is not None and math.isfinite(asked):  # "nan" is no delay
                return min(max(asked, 0.0), self.max_server_delay)
        backoff = min(self.initial_delay * 2.0 ** (retry - 1), self.max_delay)
        return backoff * (1 - 0.25 * random.random())  # jitter: 75-100 %


def _server_delay(response: httpx.Response) -> float | None:
    retry_after = response.headers.get("retry-after")
    if retry_after:
        try:
            return float(retry_after)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                return None
            return float(when.timestamp() - time.time())
    reset = response.headers.get("x-ratelimit-reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            return None
        # Either seconds to wait or the Unix time of the reset.
        return value - time.time() if value > 1_000_000_000 else value
    return None

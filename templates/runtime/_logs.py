"""The package's logging: keys kept out of log records, and ``<PREFIX>_LOG``.

The package logs each request's method and path, each response's status and
each retry on its own logger (named after the package) at DEBUG; httpx logs
each request's URL at INFO. Neither holds a key: headers are never logged
and keys sent in query strings are replaced by ``[redacted]`` in httpx's
records. Setting ``<PREFIX>_LOG=debug`` (or ``info``), e.g. ``MAILGUN_LOG``,
prints those records to stderr without configuring logging yourself.
"""

import logging
import os
import re
import sys
from urllib.parse import quote

import httpx

__all__ = ["log", "redact", "remember_secret_params", "setup_logging"]

log = logging.getLogger(__package__)

# Query parameters that carry a key, for every client made so far.
_SECRET_PARAMS: set[str] = set()


def remember_secret_params(names: "set[str] | list[str]") -> None:
    _SECRET_PARAMS.update(names)


def redact(text: str) -> str:
    """``...?api_key=abc&x=1`` -> ``...?api_key=[redacted]&x=1``."""
    for name in _SECRET_PARAMS:
        text = re.sub(
            rf"([?&]{re.escape(quote(name, safe=''))}=)[^&#\s'\"]*",
            r"\1[redacted]",
            text,
        )
    return text


class _SecretFilter(logging.Filter):
    """Hides API keys sent in query strings from httpx's request log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRET_PARAMS and record.args:
            record.args = tuple(
                redact(str(a)) if isinstance(a, str | httpx.URL) else a
                for a in record.args
            )
        return True


_httpx_filter = _SecretFilter()
logging.getLogger("httpx").addFilter(_httpx_filter)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (so a
    redirected or captured stderr gets it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def setup_logging(variable: str) -> None:
    """Print the package's and httpx's log records to stderr when the
    environment variable ``variable`` is ``debug`` or ``info``, once."""
    level = _LEVELS.get(os.environ.get(variable, "").strip().lower())
    if level is None:
        return
    handler = _StderrHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s",
            "%Y-%m-%d %H:%M:%S",
        )
    )
    handler.addFilter(_httpx_filter)
    for logger in (log, logging.getLogger("httpx")):
        if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(level)

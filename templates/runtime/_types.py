"""Types shared by every generated method: the "not given" sentinel, files, timeouts."""

import os
from collections.abc import AsyncIterable, Iterable, Mapping
from typing import IO, Final, Literal, TypeAlias

import httpx


class NotGiven:
    """The type of ``NOT_GIVEN``: an argument the caller left out.

    It differs from ``None``, which some APIs accept as a real value.
    """

    _instance: "NotGiven | None" = None

    def __new__(cls) -> "NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

FileContent: TypeAlias = IO[bytes] | bytes | os.PathLike[str]
"""A file's content: an open binary file, bytes, or a path to read
(``pathlib.Path``; a plain ``str`` is refused, being ambiguous)."""

FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""A file to upload: its content, or ``(filename, content[, content_type])``."""

RawContent: TypeAlias = (
    bytes | IO[bytes] | os.PathLike[str] | Iterable[bytes] | AsyncIterable[bytes]
)
"""A raw request body: bytes, an open binary file, a path to read, or an
iterator of byte chunks (streamed)."""

Timeout: TypeAlias = float | httpx.Timeout | None
Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]


# Where APIs put the id of a request: the common names first, then any
# ``*-request-id`` header (``X-Mailgun-Request-Id``, ``X-Amz-Request-Id``).
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid")


def find_request_id(headers: httpx.Headers) -> str | None:
    """The id the API gave the request, from the response headers."""
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    for name, value in headers.items():
        if name.lower().endswith("-request-id") and value:
            return str(value)
    return None

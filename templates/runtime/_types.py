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

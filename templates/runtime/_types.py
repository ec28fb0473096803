"""Types shared by every generated method: the "not given" sentinel, files, timeouts."""

import os
from collections.abc import Mapping
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

FileContent: TypeAlias = IO[bytes] | bytes | str | os.PathLike[str]
"""A file's content: an open binary file, bytes, text, or a path to read."""

FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""A file to upload: its content, or ``(filename, content[, content_type])``."""

Timeout: TypeAlias = float | httpx.Timeout | None
Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]

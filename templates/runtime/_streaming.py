"""Bodies the caller reads as they arrive: binary downloads and server-sent events.

A method that returns one of these sends its request with ``stream=True``;
the body stays on the wire until it is read. Use the result as a context
manager (``with``/``async with``), or call a method that reads it to the
end (``read``, ``write_to_file``, iterating), which also closes it.
"""

import contextlib
import json
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ._exceptions import APIConnectionError, APITimeoutError
from ._types import find_request_id

__all__ = [
    "AsyncBinaryResponse",
    "AsyncEventStream",
    "BinaryResponse",
    "EventStream",
    "ServerSentEvent",
    "StreamedBody",
]


@contextlib.contextmanager
def _connection_errors(response: httpx.Response) -> Iterator[None]:
    """A connection lost while the body streams is the package's error."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(request=response.request) from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(request=response.request) from exc


def _sync_lines(response: httpx.Response) -> Iterator[str]:
    with _connection_errors(response):
        yield from response.iter_lines()


async def _async_lines(response: httpx.Response) -> AsyncIterator[str]:
    with _connection_errors(response):
        async for line in response.aiter_lines():
            yield line


class StreamedBody:
    """Base of the streamed results: wraps the open ``httpx.Response``."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the API gave the request (an ``X-Request-Id``-like header)."""
        return find_request_id(self.http_response.headers)

    @property
    def content_type(self) -> str:
        return str(self.http_response.headers.get("content-type", ""))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.http_response.status_code})"


class BinaryResponse(StreamedBody):
    """A binary body: ``read()`` it, ``iter_bytes()`` over it, or
    ``write_to_file(path)`` without holding it all in memory."""

    def read(self) -> bytes:
        try:
            with _connection_errors(self.http_response):
                return self.http_response.read()
        finally:
            self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            with _connection_errors(self.http_response):
                yield from self.http_response.iter_bytes(chunk_size)
        finally:
            self.http_response.close()

    def write_to_file(self, path: "str | os.PathLike[str]") -> None:
        with open(path, "wb") as out:
            for chunk in self.iter_bytes(65536):
                out.write(chunk)

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> "BinaryResponse":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(StreamedBody):
    """``BinaryResponse`` for the async client: the same methods, awaited."""

    async def read(self) -> bytes:
        try:
            with _connection_errors(self.http_response):
                return await self.http_response.aread()
        finally:
            await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            with _connection_errors(self.http_response):
                async for chunk in self.http_response.aiter_bytes(chunk_size):
                    yield chunk
        finally:
            await self.http_response.aclose()

    async def write_to_file(self, path: "str | os.PathLike[str]") -> None:
        with open(path, "wb") as out:
            async for chunk in self.iter_bytes(65536):
                out.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> "AsyncBinaryResponse":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


@dataclass(frozen=True)
class ServerSentEvent:
    """One event of a ``text/event-stream`` body."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """``data`` parsed as JSON."""
        return json.loads(self.data)


class _Decoder:
    """The event-stream format (WHATWG HTML, "server-sent events")."""

    def __init__(self) -> None:
        self._first = True
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None

    def line(self, line: str) -> ServerSentEvent | None:
        if self._first:
            self._first = False
            line = line.removeprefix("\ufeff")  # one leading byte-order mark
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = ServerSentEvent(
            "\n".join(self._data), self._event or "message", self._id, self._retry
        )
        self._data, self._event = [], ""
        return event


class EventStream(StreamedBody):
    """Server-sent events: iterate it for each ``ServerSentEvent``."""

    def __iter__(self) -> Iterator[ServerSentEvent]:
        decoder = _Decoder()
        try:
            # An event is dispatched at a blank line; one the stream ends in
            # the middle of is discarded (WHATWG HTML, 9.2.6).
            for line in _sync_lines(self.http_response):
                event = decoder.line(line)
                if event is not None:
                    yield event
        finally:
            self.http_response.close()

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEventStream(StreamedBody):
    """Server-sent events for the async client: ``async for`` over it."""

    async def __aiter__(self) -> AsyncIterator[ServerSentEvent]:
        decoder = _Decoder()
        try:
            async for line in _async_lines(self.http_response):
                event = decoder.line(line)
                if event is not None:
                    yield event
        finally:
            await self.http_response.aclose()

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> "AsyncEventStream":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

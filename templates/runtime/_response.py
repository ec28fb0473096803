"""The raw and streaming views of a call: ``with_raw_response`` and
``with_streaming_response``.

``client.bounces.with_raw_response.get(...)`` returns a ``RawResponse``: the
status, the headers and the parsed value. ``client.bounces.
with_streaming_response.get(...)`` is a context manager; inside the ``with``
block (``async with`` on the async client) the ``APIResponse`` has its
status and headers but its body is not read until asked (``read()``,
``iter_bytes()``, ``json()``, ``parse()``...); leaving the block closes it.
An error status raises as usual, before the block is entered.
"""

import contextvars
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx

from ._exceptions import APIResponseValidationError
from ._parse import ResponseMismatch, parse_body
from ._streaming import StreamedBody, _connection_errors
from ._types import find_request_id

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "RawResponse",
    "ResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class Capture:
    """Set while a wrapper runs its method: the client puts the wrapped
    response of the method's request in ``result``."""

    kind: Literal["raw", "stream"]
    result: Any = None


CAPTURE: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "capture", default=None
)


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """What ``client.<resource>.with_raw_response.<method>(...)`` returns."""

    http_response: httpx.Response
    parsed: T
    tries: int

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the API gave the request (an ``X-Request-Id``-like header)."""
        return find_request_id(self.http_response.headers)

    def parse(self) -> T:
        return self.parsed


class _BaseAPIResponse(Generic[T]):
    def __init__(
        self,
        http_response: httpx.Response,
        *,
        cast_to: Any,
        as_text: bool,
        tries: int,
        error_request: httpx.Request,
    ) -> None:
        self.http_response = http_response
        self.tries = tries
        """How many times the request was sent (retries included)."""
        self._cast_to = cast_to
        self._as_text = as_text
        self._error_request = error_request  # the request, keys hidden
        self._wrap: Callable[[Any], Any] = lambda parsed: parsed
        self._parsed: Any = None
        self._done = False

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the API gave the request (an ``X-Request-Id``-like header)."""
        return find_request_id(self.http_response.headers)

    def _parse_read(self) -> T:
        """The value, from the body read already."""
        if not self._done:
            try:
                value = parse_body(self.http_response, self._cast_to, self._as_text)
            except ResponseMismatch as exc:
                self.http_response.request = self._error_request
                raise APIResponseValidationError(
                    str(exc), response=self.http_response, body=None
                ) from None
            self._parsed, self._done = self._wrap(value), True
        return cast(T, self._parsed)

    def _streams_itself(self) -> bool:
        """A streamed result (a download, events) reads its own body."""
        cast_to = self._cast_to
        return isinstance(cast_to, type) and issubclass(cast_to, StreamedBody)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code})"


class APIResponse(_BaseAPIResponse[T]):
    """A response whose body is read when asked: ``read()``, ``text()``,
    ``json()``, ``iter_bytes()``, ``iter_text()``, ``iter_lines()`` or
    ``parse()`` (the value the method returns)."""

    def read(self) -> bytes:
        with _connection_errors(self.http_response):
            return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        return json.loads(self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with _connection_errors(self.http_response):
            yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        with _connection_errors(self.http_response):
            yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        with _connection_errors(self.http_response):
            yield from self.http_response.iter_lines()

    def parse(self) -> T:
        """The value the method returns (the body is read for it)."""
        if not self._streams_itself():
            self.read()
        return self._parse_read()

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[T]):
    """``APIResponse`` for the async client: the same methods, awaited."""

    async def read(self) -> bytes:
        with _connection_errors(self.http_response):
            return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        return json.loads(await self.read())

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        with _connection_errors(self.http_response):
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        with _connection_errors(self.http_response):
            async for chunk in self.http_response.aiter_text(chunk_size):
                yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        with _connection_errors(self.http_response):
            async for line in self.http_response.aiter_lines():
                yield line

    async def parse(self) -> T:
        """The value the method returns (the body is read for it)."""
        if not self._streams_itself():
            await self.read()
        return self._parse_read()

    async def close(self) -> None:
        await self.http_response.aclose()


def _captured(capture: Capture) -> Any:
    if capture.result is None:
        raise RuntimeError("the method sent no request")
    return capture.result


class ResponseContextManager(Generic[T]):
    """Sends the request on entering the ``with`` block; closes the
    response on leaving it."""

    def __init__(self, send: Callable[[], Any]) -> None:
        self._send = send
        self._response: APIResponse[T] | None = None

    def __enter__(self) -> APIResponse[T]:
        capture = Capture("stream")
        token = CAPTURE.set(capture)
        try:
            self._send()
        finally:
            CAPTURE.reset(token)
        self._response = cast(APIResponse[T], _captured(capture))
        return self._response

    def __exit__(self, *exc_info: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[T]):
    """``ResponseContextManager`` for the async client (``async with``)."""

    def __init__(self, send: Callable[[], Awaitable[Any]]) -> None:
        self._send = send
        self._response: AsyncAPIResponse[T] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[T]:
        capture = Capture("stream")
        token = CAPTURE.set(capture)
        try:
            await self._send()
        finally:
            CAPTURE.reset(token)
        self._response = cast(AsyncAPIResponse[T], _captured(capture))
        return self._response

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """The same method, returning the ``RawResponse`` around its value."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        capture = Capture("raw")
        token = CAPTURE.set(capture)
        try:
            func(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return cast(RawResponse[T], _captured(capture))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[RawResponse[T]]]:
    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        capture = Capture("raw")
        token = CAPTURE.set(capture)
        try:
            await func(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return cast(RawResponse[T], _captured(capture))

    return wrapped


def to_streamed_response_wrapper(
    func: Callable[P, T],
) -> Callable[P, ResponseContextManager[T]]:
    """The same method, returning a context manager around an
    ``APIResponse`` whose body is not read yet."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[T]:
        return ResponseContextManager(functools.partial(func, *args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, AsyncResponseContextManager[T]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[T]:
        async def send() -> Any:
            return await func(*args, **kwargs)

        return AsyncResponseContextManager(send)

    return wrapped

"""HTTP machinery shared by the sync and async clients.

Everything here is independent of the spec: generated resources describe a
request (method, path, query, body, expected type) and this module sends it,
maps error statuses to exceptions and parses the body into the expected type.
"""

import asyncio
import base64
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn, TypeVar, cast
from urllib.parse import urlencode

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, make_status_error
from ._pagination import AsyncPage, AsyncPaginator
from ._response import WANT_RAW, RawResponse, parse_body
from ._retry import DEFAULT_MAX_RETRIES, RetryPolicy
from ._types import NOT_GIVEN, FileTypes, Headers, NotGiven, Query, Timeout
from ._utils import file_part, flatten_params, jsonable, stringify

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "Auth",
    "RequestOptions",
    "SyncAPIClient",
]

T = TypeVar("T")
PageT = TypeVar("PageT")
ResponseT = TypeVar("ResponseT")
ItemT = TypeVar("ItemT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Five seconds to connect, a minute for everything else."""

log = logging.getLogger(__package__)
# Module-level so tests (and callers with their own clock) can swap them.
_sleep = time.sleep
_async_sleep = asyncio.sleep


@dataclass(frozen=True)
class Auth:
    """How the API key is sent: HTTP basic (``name`` is the user), bearer,
    or a named header or query parameter."""

    scheme: Literal["basic", "bearer", "header", "query"]
    name: str = ""


@dataclass
class RequestOptions:
    """One request, as a generated method describes it."""

    method: str
    path: str
    query: Query = field(default_factory=dict)
    query_explode: dict[str, bool] = field(default_factory=dict)
    headers: Headers = field(default_factory=dict)
    json: Any = NOT_GIVEN
    form: Query | None = None
    multipart: Query | None = None
    files: Query = field(default_factory=dict)
    extra_fields: Query | None = None  # free-form body fields, sent as given
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


class _BaseClient:
    _api_key: str

    def __init__(
        self,
        *,
        api_key: str,
        auth: Auth,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
    ) -> None:
        self._api_key = api_key
        self._auth = auth
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self._retry = RetryPolicy()
        # Built once: the same on every request.
        self._static_headers = {
            "Accept": "application/json",
            "User-Agent": user_agent,
            **self._auth_headers(),
        }
        self._per_request_headers = dict(self._static_headers)

    def _own_client(self, cls: type[HttpT]) -> HttpT:
        """An httpx client of our own carries the fixed headers itself, so
        they are not re-sent through httpx's header merging on every call; a
        client the caller passes in is left as it is."""
        client = cls(headers=self._static_headers)
        self._per_request_headers = {}
        return client

    def __repr__(self) -> str:
        # Never show the key: reprs end up in logs and tracebacks.
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _auth_headers(self) -> dict[str, str]:
        scheme, name = self._auth.scheme, self._auth.name
        if scheme == "basic":
            token = base64.b64encode(f"{name}:{self._api_key}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        if scheme == "bearer":
            return {"Authorization": f"Bearer {self._api_key}"}
        if scheme == "header":
            return {name: self._api_key}
        return {}

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, opts: RequestOptions
    ) -> httpx.Request:
        headers = self._per_request_headers.copy()
        for header, given in opts.headers.items():
            if not isinstance(given, NotGiven):
                headers[header] = stringify(given)
        if opts.extra_headers:
            headers.update(opts.extra_headers)

        params: list[tuple[str, Any]] = (
            flatten_params(opts.query, opts.query_explode) if opts.query else []
        )
        if self._auth.scheme == "query":
            params.append((self._auth.name, self._api_key))
        if opts.extra_query:
            params.extend(flatten_params(opts.extra_query))

        kwargs: dict[str, Any] = {}
        extra = opts.extra_fields or {}
        if not isinstance(opts.json, NotGiven):
            body = jsonable(opts.json)
            kwargs["json"] = {**body, **jsonable(extra)} if extra else body
        elif opts.form is not None:
            # Encoded here rather than by httpx so repeated fields keep order.
            kwargs["content"] = urlencode(flatten_params({**opts.form, **extra}))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif opts.multipart is not None or opts.files:
            # Plain fields go as file-less parts so that the body is
            # multipart even when no file is attached.
            fields = {**(opts.multipart or {}), **extra}
            parts: list[tuple[str, Any]] = [
                (name, (None, text)) for name, text in flatten_params(fields)
            ]
            for name, value in opts.files.items():
                items = (
                    value
                    if isinstance(value, list | tuple) and not _is_file_tuple(value)
                    else [value]
                )
                parts.extend(
                    (name, file_part(cast(FileTypes, item)))
                    for item in items
                    if not isinstance(item, NotGiven) and item is not None
                )
            kwargs["files"] = parts

        timeout = self.timeout if isinstance(opts.timeout, NotGiven) else opts.timeout
        return http.build_request(
            opts.method.upper(),
            self.base_url + opts.path,
            params=params or None,
            headers=headers,
            timeout=timeout,
            **kwargs,
        )

    def _next_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        options: RequestOptions,
        attempt: int,
    ) -> httpx.Request:
        request = self._build_request(http, options)
        # The path only: query strings can carry a key (apiKey-in-query specs).
        log.debug("request %s %s (try %d)", request.method, request.url.path, attempt)
        return request

    def _outcome(
        self,
        options: RequestOptions,
        request: httpx.Request,
        attempt: int,
        max_retries: int,
        response: httpx.Response | None,
        error: Exception | None,
    ) -> float | None:
        """Seconds to wait before trying again, or ``None`` to stop."""
        if attempt > max_retries:
            return None
        method = options.method
        if response is not None:
            log.debug(
                "response %s %s -> %d",
                request.method,
                request.url.path,
                response.status_code,
            )
            if not self._retry.should_retry_status(method, response.status_code):
                return None
            delay = self._retry.delay(attempt, response)
            reason = f"status {response.status_code}"
        else:
            assert error is not None
            if not self._retry.should_retry_error(method, error):
                return None
            delay = self._retry.delay(attempt)
            reason = type(error).__name__
        log.debug(
            "retrying %s %s after %s in %.2f s (retry %d of %d)",
            request.method,
            request.url.path,
            reason,
            delay,
            attempt,
            max_retries,
        )
        return delay

    def _result(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        error: Exception | None,
        cast_to: Any,
        tries: int,
    ) -> Any:
        """The value of the last try, or the exception it ends in."""
        if response is None:
            assert error is not None
            self._fail(error, request, tries)
        if response.is_error:
            raise make_status_error(
                response, _error_body(response), tries=tries, secret=self._api_key
            )
        parsed = parse_body(response, cast_to)
        if WANT_RAW.get():
            return RawResponse(http_response=response, parsed=parsed, tries=tries)
        return parsed

    def _fail(self, error: Exception, request: httpx.Request, tries: int) -> NoReturn:
        if isinstance(error, httpx.TimeoutException):
            raise APITimeoutError(request=request, tries=tries) from error
        raise APIConnectionError(request=request, tries=tries) from error

    def _max_retries(self, options: RequestOptions) -> int:
        if isinstance(options.max_retries, NotGiven):
            return self.max_retries
        return max(0, options.max_retries)


def _is_file_tuple(value: object) -> bool:
    """``("name.csv", content)`` is one file, not a list of two."""
    return isinstance(value, tuple) and (value[0] is None or isinstance(value[0], str))


def _error_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


class SyncAPIClient(_BaseClient):
    """Sends requests with an ``httpx.Client``."""

    def __init__(
        self,
        *,
        api_key: str,
        auth: Auth,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth=auth,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
        )
        self._owns_http = http_client is None
        self._http = (
            self._own_client(httpx.Client) if http_client is None else http_client
        )

    def request(self, cast_to: type[T], options: RequestOptions) -> T:
        max_retries = self._max_retries(options)
        attempt = 0
        while True:
            attempt += 1
            request = self._next_request(self._http, options, attempt)
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                error = exc
            delay = self._outcome(
                options, request, attempt, max_retries, response, error
            )
            if delay is None:
                result: T = self._result(request, response, error, cast_to, attempt)
                return result
            if response is not None:
                response.close()
            _sleep(delay)

    def request_page(
        self, page: type[PageT], cast_to: type[Any], options: RequestOptions
    ) -> PageT:
        """The first page of a paginated list; iterate it for the rest."""
        first = self.request(cast_to, options)
        if isinstance(first, RawResponse):
            return first  # type: ignore[return-value]  # with_raw_response
        return page(self, first, options, cast_to)  # type: ignore[call-arg]

    def close(self) -> None:
        """Close the HTTP client, unless it was passed in by the caller."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: "SyncT") -> "SyncT":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(_BaseClient):
    """Sends requests with an ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        api_key: str,
        auth: Auth,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth=auth,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
        )
        self._owns_http = http_client is None
        self._http = (
            self._own_client(httpx.AsyncClient) if http_client is None else http_client
        )

    async def request(self, cast_to: type[T], options: RequestOptions) -> T:
        max_retries = self._max_retries(options)
        attempt = 0
        while True:
            attempt += 1
            request = self._next_request(self._http, options, attempt)
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                error = exc
            delay = self._outcome(
                options, request, attempt, max_retries, response, error
            )
            if delay is None:
                result: T = self._result(request, response, error, cast_to, attempt)
                return result
            if response is not None:
                await response.aclose()
            await _async_sleep(delay)

    def paginate(
        self,
        page: "type[AsyncPage[ResponseT, ItemT]]",
        cast_to: type[ResponseT],
        options: RequestOptions,
    ) -> "AsyncPaginator[ResponseT, ItemT]":
        """A list call, started when awaited or iterated."""
        return AsyncPaginator(self, page, cast_to, options)

    async def request_page(
        self, page: type[PageT], cast_to: type[Any], options: RequestOptions
    ) -> PageT:
        """The first page of a paginated list; ``async for`` it for the rest."""
        first = await self.request(cast_to, options)
        if isinstance(first, RawResponse):
            return first  # type: ignore[return-value]  # with_raw_response
        return page(self, first, options, cast_to)  # type: ignore[call-arg]

    async def close(self) -> None:
        """Close the HTTP client, unless it was passed in by the caller."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: "AsyncT") -> "AsyncT":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


SyncT = TypeVar("SyncT", bound=SyncAPIClient)
AsyncT = TypeVar("AsyncT", bound=AsyncAPIClient)

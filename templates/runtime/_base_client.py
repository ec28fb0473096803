"""HTTP machinery shared by the sync and async clients.

Everything here is independent of the spec: generated resources describe a
request (method, path, query, body, expected type) and this module sends it,
maps error statuses to exceptions and parses the body into the expected type.
"""

import asyncio
import base64
import io
import json
import os
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    make_status_error,
)
from ._logs import log, redact, remember_secret_params
from ._options import (
    Auth,
    RequestOptions,
    Security,
    check_base_url,
    request_body,
    server_url,
)
from ._pagination import AsyncPage, AsyncPaginator, first_page, options_for
from ._params import Param, check_header, encode_params
from ._parse import ResponseMismatch, parse_body
from ._response import CAPTURE, APIResponse, AsyncAPIResponse, RawResponse
from ._retry import DEFAULT_MAX_RETRIES, RetryPolicy
from ._types import NotGiven, Timeout
from ._utils import raw_content
from ._verbs import AsyncVerbs, SyncVerbs

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "Auth",
    "RequestOptions",
    "Security",
    "SyncAPIClient",
    "check_base_url",
    "server_url",
]

T = TypeVar("T")
PageT = TypeVar("PageT")
ResponseT = TypeVar("ResponseT")
ItemT = TypeVar("ItemT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Five seconds to connect, a minute for everything else."""

# Module-level so tests (and callers with their own clock) can swap them.
_sleep = time.sleep
_async_sleep = asyncio.sleep


class _BaseClient:
    _api_key: str | None
    _api_response: type[APIResponse[Any]] | type[AsyncAPIResponse[Any]]
    max_response_bytes: int = 64 * 1024 * 1024
    """The largest response body read (after decompression); a larger one
    raises ``APIResponseValidationError``. Set it on the client to change it.
    Streamed results (files, events) are read by the caller and not capped."""

    def __init__(
        self,
        *,
        api_key: str | None,
        auth: Mapping[str, Auth],
        security: Security,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self._api_key = api_key
        self._auth = auth
        self._security = security
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self._retry = RetryPolicy()
        remember_secret_params([a.name for a in auth.values() if a.scheme == "query"])
        self._default_headers = {
            name: check_header(name, value)
            for name, value in (default_headers or {}).items()
        }
        # Built once: the same on every request.
        self._static_headers = {
            "Accept": "application/json",
            "User-Agent": user_agent,
            **self._default_headers,
        }
        self._per_request_headers = dict(self._static_headers)
        self._auth_hint = ""  # what a 401 should make the caller check

    def _too_large(
        self, response: httpx.Response, tries: int
    ) -> APIResponseValidationError:
        # A small compressed body can decompress to gigabytes (a gzip bomb).
        return APIResponseValidationError(
            f"the body is larger than max_response_bytes "
            f"({self.max_response_bytes:,} bytes, decompressed); not read",
            response=response,
            body=None,
            tries=tries,
        )

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

    def _credentials(
        self, security: Security | None, headers: httpx.Headers
    ) -> tuple[list[str], list[str]]:
        """Apply the first security alternative the client can satisfy;
        returns the query pairs and cookies it adds."""
        query: list[str] = []
        cookies: list[str] = []
        alternatives = self._security if security is None else security
        key = self._api_key
        if not alternatives or not key:
            return query, cookies
        chosen = next((alt for alt in alternatives if alt), ())
        for scheme_name in chosen:
            auth = self._auth.get(scheme_name)
            if auth is None:
                continue
            if auth.scheme == "basic":
                token = base64.b64encode(f"{auth.name}:{key}".encode()).decode()
                headers["Authorization"] = f"Basic {token}"
            elif auth.scheme == "bearer":
                headers["Authorization"] = f"Bearer {key}"
            elif auth.scheme == "header":
                headers[auth.name] = check_header(auth.name, key)
            elif auth.scheme == "query":
                query.append(f"{quote(auth.name, safe='')}={quote(key, safe='')}")
            else:
                cookies.append(f"{quote(auth.name, safe='')}={_cookie_value(key)}")
        return query, cookies

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, opts: RequestOptions
    ) -> httpx.Request:
        encoded = encode_params(opts.path, opts.params)
        # httpx.Headers: names match whatever their case (extra_headers
        # replaces a header the operation sets, it never doubles it).
        headers = httpx.Headers(self._per_request_headers)
        headers.update(encoded.headers)
        if opts.accept:
            headers["Accept"] = opts.accept
        auth_query, auth_cookies = self._credentials(opts.security, headers)
        cookies = [*encoded.cookies, *auth_cookies]
        for name, value in (opts.extra_headers or {}).items():
            check_header(name, value)
            if name.lower() == "cookie":
                cookies.append(value)  # the caller's cookies join the operation's
            else:
                headers[name] = value
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        query = [*encoded.query, *opts.url_query, *auth_query]
        if opts.extra_query:
            query.extend(
                pair
                for name, value in opts.extra_query.items()
                for pair in encode_params("", [Param("query", name, value)]).query
            )
        # A path always starts with "/": appended to the base URL, anything
        # else could name another host ("api.example.com" + ".evil.com").
        path = "/" + encoded.path.lstrip("/")
        url = self.base_url + path + ("?" + "&".join(query) if query else "")
        timeout = self.timeout if isinstance(opts.timeout, NotGiven) else opts.timeout
        return http.build_request(
            opts.method.upper(),
            url,
            headers=headers,
            timeout=timeout,
            **request_body(opts, headers),
        )

    def _for_errors(self, request: httpx.Request) -> httpx.Request:
        """The request as errors show it: keys in the URL, in headers and in
        cookies replaced (httpx itself masks only Authorization)."""
        secret_headers = {
            a.name.lower() for a in self._auth.values() if a.scheme == "header"
        }
        if any(a.scheme == "cookie" for a in self._auth.values()):
            secret_headers.add("cookie")
        url = str(request.url)
        hidden = redact(url)
        if hidden == url and not secret_headers & set(request.headers.keys()):
            return request
        headers = [
            (k, "[redacted]" if k.lower() in secret_headers else v)
            for k, v in request.headers.items()
        ]
        return httpx.Request(request.method, hidden, headers=headers)

    def _prepared(self, opts: RequestOptions, *, is_async: bool) -> RequestOptions:
        """The options with a raw body made replayable for retries: a file or
        a path read once; an iterator (read as it is sent) is never retried.
        Under with_streaming_response, the body is left for the caller."""
        capture = CAPTURE.get()
        if capture is not None and capture.kind == "stream" and not opts.stream:
            opts = replace(opts, stream=True)
        content = opts.content
        if isinstance(content, NotGiven | bytes | str):
            return opts
        if isinstance(content, os.PathLike | io.IOBase | bytearray | memoryview):
            return replace(opts, content=raw_content(content))
        if is_async and not hasattr(content, "__aiter__"):
            content = _to_async(content)
        return replace(opts, content=content, max_retries=0)

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
        options: RequestOptions,
    ) -> Any:
        """The value of the last try, or the exception it ends in."""
        # The key, and the credentials made of it ("Basic <base64>").
        token = request.headers.get("Authorization", "").partition(" ")[2]
        secret = (self._api_key or "", token)
        if response is None:
            assert error is not None
            self._fail(error, self._for_errors(request), tries)
        if response.status_code >= 300:
            response.request = self._for_errors(request)
            # 3xx too: redirects are not followed (the key must not go to
            # another host), and a redirect is not the declared result.
            raise make_status_error(
                response,
                _error_body(response),
                tries=tries,
                secret=secret,
                hint=self._auth_hint if response.status_code == 401 else "",
            )
        capture = CAPTURE.get()
        if capture is not None and capture.kind == "stream":
            capture.result = self._api_response(
                response,
                cast_to=cast_to,
                as_text=options.as_text,
                tries=tries,
                error_request=self._for_errors(request),
            )
            return capture.result
        try:
            parsed = parse_body(response, cast_to, options.as_text)
        except ResponseMismatch as exc:
            response.request = self._for_errors(request)
            raise APIResponseValidationError(
                str(exc), response=response, body=_error_body(response)
            ) from None
        if capture is not None:
            capture.result = RawResponse(
                http_response=response, parsed=parsed, tries=tries
            )
            return capture.result
        return parsed

    def _fail(self, error: Exception, request: httpx.Request, tries: int) -> NoReturn:
        if isinstance(error, httpx.TimeoutException):
            raise APITimeoutError(request=request, tries=tries) from error
        raise APIConnectionError(request=request, tries=tries) from error

    def _max_retries(self, options: RequestOptions) -> int:
        if isinstance(options.max_retries, NotGiven):
            return self.max_retries
        return max(0, options.max_retries)


async def _to_async(chunks: Any) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


# RFC 6265's cookie-octet: printable ASCII but space, '"', ',', ';' and '\\'.
_COOKIE_OCTETS = frozenset(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '",;\\')


def _cookie_value(text: str) -> str:
    """A key as a cookie value: as it is when it can be, else percent-encoded."""
    return text if set(text) <= _COOKIE_OCTETS else quote(text, safe="")


def _error_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


class SyncAPIClient(_BaseClient, SyncVerbs):
    """Sends requests with an ``httpx.Client``."""

    _api_response = APIResponse

    def __init__(
        self,
        *,
        api_key: str | None,
        auth: Mapping[str, Auth],
        security: Security,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
        http_client: httpx.Client | None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth=auth,
            security=security,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
            default_headers=default_headers,
        )
        self._owns_http = http_client is None
        self._http = (
            self._own_client(httpx.Client) if http_client is None else http_client
        )

    def request(self, cast_to: type[T], options: RequestOptions) -> T:
        options = self._prepared(options, is_async=False)
        max_retries = self._max_retries(options)
        attempt = 0
        while True:
            attempt += 1
            request = self._next_request(self._http, options, attempt)
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = self._http.send(request, follow_redirects=False, stream=True)
                if not options.stream or response.status_code >= 300:
                    self._read(response, attempt)
            except httpx.TransportError as exc:
                error = exc
            delay = self._outcome(
                options, request, attempt, max_retries, response, error
            )
            if delay is None:
                result: T = self._result(
                    request, response, error, cast_to, attempt, options
                )
                return result
            if response is not None:
                response.close()
            _sleep(delay)

    def _read(self, response: httpx.Response, tries: int) -> None:
        """The body, decompressed, at most ``max_response_bytes`` of it."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_bytes:
                response.close()
                raise self._too_large(response, tries)
        _set_body(response, chunks)

    def request_page(
        self,
        page: type[PageT],
        cast_to: type[Any],
        options: RequestOptions,
        page_url: str | None = None,
    ) -> PageT:
        """The first page of a paginated list, or the page at ``page_url``
        (a ``next_page_url`` kept from earlier); iterate it for the rest."""
        if page_url is not None:
            options = options_for(page_url, options, self)
        first = self.request(cast_to, options)
        result: PageT = first_page(self, first, page, cast_to, options)
        return result

    def close(self) -> None:
        """Close the HTTP client, unless it was passed in by the caller."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: "SyncT") -> "SyncT":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _set_body(response: httpx.Response, chunks: list[bytes]) -> None:
    # What httpx's own read() stores: .content, .text and .json() then work.
    response._content = b"".join(chunks)


class AsyncAPIClient(_BaseClient, AsyncVerbs):
    """Sends requests with an ``httpx.AsyncClient``."""

    _api_response = AsyncAPIResponse

    def __init__(
        self,
        *,
        api_key: str | None,
        auth: Mapping[str, Auth],
        security: Security,
        base_url: str,
        timeout: Timeout,
        max_retries: int,
        user_agent: str,
        http_client: httpx.AsyncClient | None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth=auth,
            security=security,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
            default_headers=default_headers,
        )
        self._owns_http = http_client is None
        self._http = (
            self._own_client(httpx.AsyncClient) if http_client is None else http_client
        )

    async def _aread(self, response: httpx.Response, tries: int) -> None:
        """The body, decompressed, at most ``max_response_bytes`` of it."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_bytes:
                await response.aclose()
                raise self._too_large(response, tries)
        _set_body(response, chunks)

    async def request(self, cast_to: type[T], options: RequestOptions) -> T:
        options = self._prepared(options, is_async=True)
        max_retries = self._max_retries(options)
        attempt = 0
        while True:
            attempt += 1
            request = self._next_request(self._http, options, attempt)
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = await self._http.send(
                    request, follow_redirects=False, stream=True
                )
                if not options.stream or response.status_code >= 300:
                    await self._aread(response, attempt)
            except httpx.TransportError as exc:
                error = exc
            delay = self._outcome(
                options, request, attempt, max_retries, response, error
            )
            if delay is None:
                result: T = self._result(
                    request, response, error, cast_to, attempt, options
                )
                return result
            if response is not None:
                await response.aclose()
            await _async_sleep(delay)

    def paginate(
        self,
        page: "type[AsyncPage[ResponseT, ItemT]]",
        cast_to: type[ResponseT],
        options: RequestOptions,
        page_url: str | None = None,
    ) -> "AsyncPaginator[ResponseT, ItemT]":
        """A list call, started when awaited or iterated."""
        return AsyncPaginator(self, page, cast_to, options, page_url)

    async def request_page(
        self,
        page: type[PageT],
        cast_to: type[Any],
        options: RequestOptions,
        page_url: str | None = None,
    ) -> PageT:
        """The first page of a paginated list, or the page at ``page_url``
        (a ``next_page_url`` kept from earlier); ``async for`` it for the rest."""
        if page_url is not None:
            options = options_for(page_url, options, self)
        first = await self.request(cast_to, options)
        result: PageT = first_page(self, first, page, cast_to, options)
        return result

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

"""HTTP machinery shared by the sync and async clients.

Everything here is independent of the spec: generated resources describe a
request (method, path, query, body, expected type) and this module sends it,
maps error statuses to exceptions and parses the body into the expected type.
"""

import base64
import functools
import json
import logging
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin
from urllib.parse import urlencode

import httpx
import pydantic

from ._exceptions import APIConnectionError, APITimeoutError, make_status_error
from ._types import NOT_GIVEN, FileTypes, Headers, NotGiven, Query, Timeout
from ._utils import file_part, flatten_params, jsonable

__all__ = ["DEFAULT_TIMEOUT", "AsyncAPIClient", "Auth", "RequestOptions", "SyncAPIClient"]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Five seconds to connect, a minute for everything else."""

log = logging.getLogger(__package__)


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


@functools.lru_cache(maxsize=512)
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


def _validate(cast_to: Any, data: Any) -> Any:
    try:
        if isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel):
            return cast_to.model_validate(data)
        return _adapter(cast_to).validate_python(data)
    except pydantic.ValidationError as exc:
        # The API sent something its spec does not describe. Return the
        # data anyway, typed wherever it does fit, rather than fail a call
        # that succeeded.
        log.debug("response does not match %r (%d errors); parsed leniently",
                  cast_to, exc.error_count())
        return _lenient(cast_to, data)


def _lenient_model(tp: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
    if not tp.__pydantic_complete__:
        # Models that refer to later ones are finished on first use; their
        # field annotations are only real types once that has happened.
        tp.model_rebuild()
    by_wire = {(f.alias or name): (name, f) for name, f in tp.model_fields.items()}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in by_wire:
            name, info = by_wire[key]
            values[name] = _lenient(info.annotation, value)
        else:
            values[key] = value  # unknown fields are kept, as in strict mode
    return tp.model_construct(**values)


def _lenient(tp: Any, data: Any) -> Any:
    """Best-effort parse: each part that fits its type is typed, the rest kept raw."""
    try:
        return _adapter(tp).validate_python(data)
    except pydantic.ValidationError:
        pass
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return _lenient_model(tp, data) if isinstance(data, dict) else data
    origin, args = get_origin(tp), get_args(tp)
    if origin is list and isinstance(data, list) and args:
        return [_lenient(args[0], item) for item in data]
    if origin is dict and isinstance(data, dict) and len(args) == 2:
        return {k: _lenient(args[1], v) for k, v in data.items()}
    if origin in (Union, UnionType):
        for arg in args:
            if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel) and (
                isinstance(data, dict)
            ):
                return _lenient(arg, data)
    return data


class _BaseClient:
    _api_key: str

    def __init__(
        self,
        *,
        api_key: str,
        auth: Auth,
        base_url: str,
        timeout: Timeout,
        user_agent: str,
    ) -> None:
        self._api_key = api_key
        self._auth = auth
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._user_agent = user_agent

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
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        headers.update(self._auth_headers())
        headers.update({k: v for k, v in opts.headers.items() if not isinstance(v, NotGiven)})
        if opts.extra_headers:
            headers.update(opts.extra_headers)

        params: list[tuple[str, Any]] = []
        params.extend(flatten_params(opts.query, opts.query_explode))
        if self._auth.scheme == "query":
            params.append((self._auth.name, self._api_key))
        if opts.extra_query:
            params.extend(flatten_params(opts.extra_query))

        kwargs: dict[str, Any] = {}
        extra = dict(opts.extra_fields or {})
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
                items = value if isinstance(value, list | tuple) and not _is_file_tuple(value) else [value]
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
            params=params,
            headers=headers,
            timeout=timeout,
            **kwargs,
        )

    def _process_response(self, response: httpx.Response, cast_to: Any) -> Any:
        log.debug(
            "%s %s -> %s", response.request.method, response.request.url.path,
            response.status_code,
        )
        if response.is_error:
            raise make_status_error(response, _error_body(response))
        if cast_to is type(None):
            return None
        if cast_to is str:
            return response.text
        if cast_to is bytes:
            return response.content
        data = response.json() if response.content else None
        return _validate(cast_to, data)


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
        user_agent: str,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(
            api_key=api_key, auth=auth, base_url=base_url, timeout=timeout,
            user_agent=user_agent,
        )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()

    def request(self, cast_to: type[T], options: RequestOptions) -> T:
        request = self._build_request(self._http, options)
        log.debug("sending %s %s", request.method, request.url.path)
        try:
            response = self._http.send(request)
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=request) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(request=request) from exc
        result: T = self._process_response(response, cast_to)
        return result

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
        user_agent: str,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(
            api_key=api_key, auth=auth, base_url=base_url, timeout=timeout,
            user_agent=user_agent,
        )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()

    async def request(self, cast_to: type[T], options: RequestOptions) -> T:
        request = self._build_request(self._http, options)
        log.debug("sending %s %s", request.method, request.url.path)
        try:
            response = await self._http.send(request)
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=request) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(request=request) from exc
        result: T = self._process_response(response, cast_to)
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

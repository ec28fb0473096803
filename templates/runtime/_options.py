"""What a request is made of, before it is sent.

``RequestOptions`` is one call as a generated method describes it;
``request_body`` turns its body into httpx's arguments. ``Auth`` and
``Security`` describe the API's credentials; ``server_url`` and
``check_base_url`` the base URL the client sends to.
"""

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias
from urllib.parse import urlsplit

import httpx
import pydantic

from ._params import Param
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ._utils import FieldEncoding, form_body, jsonable, multipart_parts, raw_content

__all__ = [
    "Auth",
    "RequestOptions",
    "Security",
    "check_base_url",
    "request_body",
    "server_url",
]


@dataclass(frozen=True)
class Auth:
    """One security scheme: HTTP basic (``name`` is the user), bearer, or an
    API key in a named header, query parameter or cookie."""

    scheme: Literal["basic", "bearer", "header", "query", "cookie"]
    name: str = ""


Security: TypeAlias = tuple[tuple[str, ...], ...]
"""Alternatives, each a set of scheme names that are all applied together."""


@dataclass
class RequestOptions:
    """One request, as a generated method describes it."""

    method: str
    path: str  # the path template; may carry a fixed query (``?beta=true``)
    params: Sequence[Param] = ()
    json: Any = NOT_GIVEN
    form: Any = None  # a mapping or a model: x-www-form-urlencoded
    multipart: Any = None  # a mapping or a model: multipart/form-data
    files: Mapping[str, object] = field(default_factory=dict)
    encodings: Mapping[str, FieldEncoding] = field(default_factory=dict)
    content: Any = NOT_GIVEN  # a raw body: bytes, str, a binary file, an iterator
    content_type: str = ""
    security: Security | None = None  # None: the API's default
    url_query: Sequence[str] = ()  # an already-encoded query (a next-page URL)
    stream: bool = False  # the caller reads the body (binary and event streams)
    as_text: bool = False  # a text/* response, returned as str
    accept: str = ""  # the response media type, when not JSON
    extra_fields: Query | None = None  # free-form body fields, sent as given
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Query | None = None  # merged into a JSON, form or multipart body
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


def server_url(
    template: str,
    defaults: Mapping[str, str],
    given: Mapping[str, str] | None = None,
    allowed: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A server URL with its ``{variables}`` filled in: the ``given`` values
    (each a variable the URL has, within its ``allowed`` values) over the
    ``defaults``."""
    if not template.startswith(("http://", "https://", "{")):
        # Relative to wherever the spec is served: only the caller knows.
        raise ValueError(
            f"the spec's server URL {template!r} is relative; pass base_url= "
            f"with the host it is relative to (e.g. 'https://example.com{template}')"
        )
    names = re.findall(r"\{([^{}]+)\}", template)
    values = dict(defaults)
    for name, value in (given or {}).items():
        if name not in names:
            known = ", ".join(names) or "none"
            raise ValueError(f"unknown server variable {name!r} (known: {known})")
        choices = (allowed or {}).get(name)
        if choices and value not in choices:
            raise ValueError(
                f"server variable {name!r} must be one of {', '.join(choices)}"
            )
        values[name] = value
    missing = [name for name in names if not values.get(name)]
    if missing:
        raise ValueError(
            f"the server URL {template!r} needs server_variables="
            f"{{{missing[0]!r}: ...}}"
        )
    # One pass: a value is never read for placeholders itself.
    return re.sub(r"\{([^{}]+)\}", lambda m: values[m.group(1)], template)


_LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")


def check_base_url(url: str, *, sends_key: bool, name: str = "base_url") -> None:
    """Refuse a base URL without ``http(s)://``; warn when a key would travel
    unencrypted to another machine. ``name`` says where the URL came from
    (the argument, or an environment variable)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"{name} {url!r} must be an absolute http(s) URL, "
            "such as 'https://api.example.com'"
        )
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(
            f"{name} {url!r} may not have a query or fragment: paths are appended to it"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise ValueError(f"{name} {url!r} may not contain spaces or control characters")
    if "@" in parts.netloc:
        # httpx would send these credentials instead of the API key.
        raise ValueError(f"{name} may not carry a user name or password; use api_key=")
    if parts.scheme == "http" and sends_key and parts.hostname not in _LOOPBACK:
        warnings.warn(
            f"{name} {url!r} is plain http: the API key would be sent unencrypted",
            stacklevel=4,
        )


def request_body(opts: RequestOptions, headers: httpx.Headers) -> dict[str, Any]:
    """httpx's body arguments for the options (and the Content-Type)."""
    extra = {**(opts.extra_fields or {}), **(opts.extra_body or {})}
    if opts.extra_body and not _has_body(opts):
        opts = replace(opts, json={})  # no body of its own: extra_body is JSON
    if not isinstance(opts.json, NotGiven):
        body = jsonable(opts.json)
        if extra and isinstance(body, dict):
            body = {**body, **jsonable(extra)}
        elif opts.extra_body:
            raise TypeError("extra_body needs a JSON object body, not a list")
        if opts.content_type:
            headers["Content-Type"] = opts.content_type
        return {"json": body}
    if _given(opts.form):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return {"content": form_body(_with_extra(opts.form, extra), opts.encodings)}
    if _given(opts.multipart) or opts.files:
        fields = _with_extra(opts.multipart if _given(opts.multipart) else {}, extra)
        return {"files": multipart_parts(fields, opts.files, opts.encodings)}
    if isinstance(opts.content, NotGiven):
        return {}
    if opts.extra_body:
        raise TypeError("extra_body cannot be merged into a raw body")
    content_type = opts.content_type or "application/octet-stream"
    if isinstance(opts.content, str) and "charset=" not in content_type.lower():
        content_type += "; charset=utf-8"  # a str is sent as UTF-8: say so
    headers["Content-Type"] = content_type
    return {"content": raw_content(opts.content)}


def _has_body(opts: RequestOptions) -> bool:
    return (
        not isinstance(opts.json, NotGiven)
        or _given(opts.form)
        or _given(opts.multipart)
        or bool(opts.files)
        or not isinstance(opts.content, NotGiven)
    )


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _with_extra(fields: Any, extra: Query) -> Any:
    """A form body with the free-form fields added (values kept as they are:
    dates and booleans are spelled per field later)."""
    if not extra:
        return fields
    if isinstance(fields, pydantic.BaseModel):
        fields = fields.model_dump(by_alias=True, exclude_unset=True)
    return {**fields, **extra}

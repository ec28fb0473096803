"""Pages of results that follow ``paging.next`` URLs.

A list operation whose response carries ``items`` and ``paging.next``
returns a page: its own items in ``items``, the parsed response in
``response``, and iteration over every item of every page (``for`` on a
``SyncPage``, ``async for`` on an ``AsyncPage``). Iteration stops at an empty
page or at a next URL it has already followed (some APIs point the last
page at itself). Next URLs are followed against the client's base URL, so a
proxy or mock server in ``base_url`` keeps being used and the key is never
sent to another host.
"""

from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote_plus, urljoin, urlsplit

from ._params import encode_params
from ._response import CAPTURE, RawResponse

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage", "first_page", "options_for"]

ResponseT = TypeVar("ResponseT")
ItemT = TypeVar("ItemT")


def _field(model: Any, wire: str) -> Any:
    """A model's field by its name in the JSON (``x-python-name`` may have
    given it another Python name)."""
    for name, info in getattr(type(model), "model_fields", {}).items():
        if (info.alias or name) == wire:
            return getattr(model, name, None)
    return getattr(model, wire, None)


def _next_url(response: Any) -> str | None:
    paging = _field(response, "paging")
    url = _field(paging, "next") if paging is not None else None
    return url if isinstance(url, str) and url else None


def options_for(
    url: str, current: "RequestOptions", client: "SyncAPIClient | AsyncAPIClient"
) -> "RequestOptions":
    """The next page's request: the next URL resolved against the current
    request's (RFC 3986), its path under the client's base URL and its query
    as sent; the current request's headers and cookies. The host stays the
    client's; a key the URL carries is left to the client to add."""
    here = client.base_url + encode_params(current.path, current.params).path
    target = urlsplit(urljoin(here, url.strip()))
    if target.scheme not in ("http", "https"):
        # "x:.evil.com/a" has the path ".evil.com/a": glued to the base URL
        # it would name another host.
        raise ValueError(f"a page URL must be an http(s) URL or a path, not {url!r}")
    base_path = urlsplit(client.base_url).path.rstrip("/")
    path = "/" + target.path.lstrip("/")
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        path = path[len(base_path) :]
    keys = {a.name for a in client._auth.values() if a.scheme == "query"}
    return replace(
        current,
        # Braces would read as placeholders: keep them as the URL had them.
        path=path.replace("{", "%7B").replace("}", "%7D"),
        params=[p for p in current.params if p.location in ("header", "cookie")],
        url_query=[
            q
            for q in target.query.split("&")
            if q and unquote_plus(q.split("=", 1)[0]) not in keys
        ],
        extra_query=None,
    )


def first_page(
    client: "SyncAPIClient | AsyncAPIClient",
    first: Any,
    page: Any,
    cast_to: Any,
    options: "RequestOptions",
) -> Any:
    """The first page around the first response; under with_raw_response
    or with_streaming_response, the wrapped response whose ``parse()``
    gives that page."""

    def wrap(parsed: Any) -> Any:
        return page(client, parsed, options, cast_to)

    capture = CAPTURE.get()
    if capture is None:
        return wrap(first)
    if isinstance(first, RawResponse):
        capture.result = replace(first, parsed=wrap(first.parsed))
    else:
        first._wrap = wrap
    return capture.result


class _BasePage(Generic[ResponseT, ItemT]):
    def __init__(
        self,
        response: ResponseT,
        options: "RequestOptions",
        cast_to: type[ResponseT],
        seen: set[str] | None = None,
    ) -> None:
        self.response = response
        """The parsed response of this page."""
        self._options = options
        self._cast_to = cast_to
        self._seen = seen if seen is not None else set()

    @property
    def items(self) -> list[ItemT]:
        """This page's items."""
        items = _field(self.response, "items")
        return list(items) if items else []

    @property
    def request_id(self) -> str | None:
        """The id the API gave this page's request, when it sent one."""
        return getattr(self.response, "_request_id", None)

    @property
    def next_page_url(self) -> str | None:
        """Where the next page is, as the API wrote it (``None`` on the last
        page). Keep it to carry on later: pass it as ``page_url=`` to the
        same list method."""
        return _next_url(self.response) if self.has_next_page() else None

    def has_next_page(self) -> bool:
        url = _next_url(self.response)
        return bool(self.items) and url is not None and url not in self._seen

    def _next_options(
        self, client: "SyncAPIClient | AsyncAPIClient"
    ) -> "RequestOptions":
        url = _next_url(self.response)
        if url is None or not self.has_next_page():
            raise RuntimeError("there is no next page")
        self._seen.add(url)
        return options_for(url, self._options, client)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.items)}, more={self.has_next_page()})"


class SyncPage(_BasePage[ResponseT, ItemT]):
    """One page; iterate it for every item of every page."""

    def __init__(
        self,
        client: "SyncAPIClient",
        response: ResponseT,
        options: "RequestOptions",
        cast_to: type[ResponseT],
        seen: set[str] | None = None,
    ) -> None:
        super().__init__(response, options, cast_to, seen)
        self._client = client

    def get_next_page(self) -> "SyncPage[ResponseT, ItemT]":
        options = self._next_options(self._client)
        response = self._client.request(self._cast_to, options)
        return SyncPage(self._client, response, options, self._cast_to, self._seen)

    def iter_pages(self) -> Iterator["SyncPage[ResponseT, ItemT]"]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_BasePage[ResponseT, ItemT]):
    """One page; ``async for`` over it for every item of every page."""

    def __init__(
        self,
        client: "AsyncAPIClient",
        response: ResponseT,
        options: "RequestOptions",
        cast_to: type[ResponseT],
        seen: set[str] | None = None,
    ) -> None:
        super().__init__(response, options, cast_to, seen)
        self._client = client

    async def get_next_page(self) -> "AsyncPage[ResponseT, ItemT]":
        options = self._next_options(self._client)
        response = await self._client.request(self._cast_to, options)
        return AsyncPage(self._client, response, options, self._cast_to, self._seen)

    async def iter_pages(self) -> AsyncIterator["AsyncPage[ResponseT, ItemT]"]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[ResponseT, ItemT]):
    """What an async list method returns: ``await`` it for the first page,
    or ``async for`` over it for every item of every page."""

    def __init__(
        self,
        client: "AsyncAPIClient",
        page: type[AsyncPage[ResponseT, ItemT]],
        cast_to: type[ResponseT],
        options: "RequestOptions",
        page_url: str | None = None,
    ) -> None:
        self._client = client
        self._page = page
        self._cast_to = cast_to
        self._options = options
        self._page_url = page_url

    async def _first(self) -> AsyncPage[ResponseT, ItemT]:
        return await self._client.request_page(
            self._page, self._cast_to, self._options, page_url=self._page_url
        )

    def __await__(self) -> Generator[Any, None, AsyncPage[ResponseT, ItemT]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item

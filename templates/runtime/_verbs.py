"""``client.get/post/put/patch/delete``: requests the spec does not describe.

They go through everything a generated method does: the client's base URL,
its key, retries, timeouts, error mapping and response parsing::

    things = client.get("/v1/things", cast_to=object, query={"limit": 10})
    client.post("/v1/things", cast_to=type(None), body={"name": "new"})

``cast_to`` is what the body is parsed into: a model, ``dict``, ``list``,
``str``, ``object`` (any JSON) or ``type(None)`` (no body).
"""

from collections.abc import Mapping
from typing import TypedDict, TypeVar
from urllib.parse import urlsplit

from typing_extensions import Unpack

from ._options import RequestOptions
from ._params import Param
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout

__all__ = ["AsyncVerbs", "SyncVerbs", "VerbOptions"]

T = TypeVar("T")


class VerbOptions(TypedDict, total=False):
    query: Query | None
    """Query parameters (a list value repeats the name)."""
    headers: Headers | None
    body: object
    """A JSON body."""
    form: Query | None
    """Form fields: x-www-form-urlencoded, or multipart with ``files``."""
    files: Mapping[str, object] | None
    """Files to upload as multipart/form-data, by field name."""
    timeout: Timeout | NotGiven
    max_retries: int | NotGiven


def custom_options(
    method: str, path: str, base_url: str, options: VerbOptions
) -> RequestOptions:
    """The request for ``path``: a path under the base URL, or a full URL
    that starts with it (the key never goes to another host)."""
    if urlsplit(path).scheme:
        if not (path == base_url or path.startswith(base_url + "/")):
            raise ValueError(
                f"{path!r} is not under the client's base_url {base_url!r}; "
                "pass a path such as '/v1/things'"
            )
        path = path[len(base_url) :]
    path = "/" + path.lstrip("/")
    form, files = options.get("form"), options.get("files")
    return RequestOptions(
        method=method,
        # Braces would read as placeholders: the path is sent as given.
        path=path.replace("{", "%7B").replace("}", "%7D"),
        params=[Param("query", k, v) for k, v in (options.get("query") or {}).items()],
        json=options.get("body", NOT_GIVEN),
        form=form if form is not None and not files else None,
        multipart=form if form is not None and files else None,
        files=files or {},
        extra_headers=options.get("headers"),
        timeout=options.get("timeout", NOT_GIVEN),
        max_retries=options.get("max_retries", NOT_GIVEN),
    )


class SyncVerbs:
    """``get``/``post``/``put``/``patch``/``delete`` for ``SyncAPIClient``."""

    base_url: str

    def request(self, cast_to: type[T], options: RequestOptions) -> T:
        raise NotImplementedError

    def get(self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]) -> T:
        """GET ``path`` (under the base URL); the body parsed as ``cast_to``."""
        return self.request(
            cast_to, custom_options("get", path, self.base_url, options)
        )

    def post(self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]) -> T:
        """POST to ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        return self.request(
            cast_to, custom_options("post", path, self.base_url, options)
        )

    def put(self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]) -> T:
        """PUT to ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        return self.request(
            cast_to, custom_options("put", path, self.base_url, options)
        )

    def patch(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """PATCH ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        return self.request(
            cast_to, custom_options("patch", path, self.base_url, options)
        )

    def delete(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """DELETE ``path``."""
        return self.request(
            cast_to, custom_options("delete", path, self.base_url, options)
        )


class AsyncVerbs:
    """``get``/``post``/``put``/``patch``/``delete`` for ``AsyncAPIClient``."""

    base_url: str

    async def request(self, cast_to: type[T], options: RequestOptions) -> T:
        raise NotImplementedError

    async def get(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """GET ``path`` (under the base URL); the body parsed as ``cast_to``."""
        opts = custom_options("get", path, self.base_url, options)
        return await self.request(cast_to, opts)

    async def post(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """POST to ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        opts = custom_options("post", path, self.base_url, options)
        return await self.request(cast_to, opts)

    async def put(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """PUT to ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        opts = custom_options("put", path, self.base_url, options)
        return await self.request(cast_to, opts)

    async def patch(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """PATCH ``path``: ``body=`` (JSON), ``form=`` or ``files=``."""
        opts = custom_options("patch", path, self.base_url, options)
        return await self.request(cast_to, opts)

    async def delete(
        self, path: str, *, cast_to: type[T], **options: Unpack[VerbOptions]
    ) -> T:
        """DELETE ``path``."""
        opts = custom_options("delete", path, self.base_url, options)
        return await self.request(cast_to, opts)

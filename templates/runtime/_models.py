"""The base class of generated models.

Lenient by design: an API that starts returning a new field must not break
callers built against an older spec (see ``_enums.py`` for new enum values).
"""

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, TypeVar, cast

import pydantic

__all__ = ["BaseModel", "ItemsModel"]

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class BaseModel(pydantic.BaseModel):
    """A response or request model. Unknown fields are kept, not dropped."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
    )
    _raw_json: Any = pydantic.PrivateAttr(default=None)
    _request_id: str | None = pydantic.PrivateAttr(default=None)
    """The id the API gave the request that returned this model (from a
    ``X-Request-Id``-like response header), for support tickets and logs."""

    @property
    def raw_json(self) -> Any:
        """The JSON as received, when it did not match the schema (else None)."""
        return self._raw_json

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data, with the API's own field names."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class _HasItems(Protocol[T_co]):
    @property
    def items(self) -> Sequence[T_co] | None: ...


def _items(model: _HasItems[T]) -> list[T]:
    items = model.items
    # A list, unless a lenient parse kept something else as it came.
    return cast("list[T]", items) if isinstance(items, list) else []


class ItemsModel(BaseModel):
    """A response that wraps a list in ``items``: ``for x in result``,
    ``result[i]`` and ``len(result)`` work on that list, as on a plain list
    result. (Unlike a list, a result is true even when empty.)"""

    def __iter__(self: _HasItems[T]) -> Iterator[T]:  # type: ignore[override]
        return iter(_items(self))

    def __len__(self: _HasItems[T]) -> int:
        return len(_items(self))

    def __getitem__(self: _HasItems[T], index: int) -> T:
        return _items(self)[index]

    def __bool__(self) -> bool:
        return True

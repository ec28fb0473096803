"""Base classes for generated models and enums.

Both are lenient by design: an API that starts returning a new field or a new
enum value must not break callers built against an older spec.
"""

import enum
from typing import Any

import pydantic


class BaseModel(pydantic.BaseModel):
    """A response or request model. Unknown fields are kept, not dropped."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
    )
    _raw_json: Any = pydantic.PrivateAttr(default=None)

    @property
    def raw_json(self) -> Any:
        """The JSON as received, when it did not match the schema (else None)."""
        return self._raw_json

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data, with the API's own field names."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class OpenStrEnum(str, enum.Enum):
    """A ``str`` enum that accepts values the spec does not list.

    ``Metric("new_metric")`` returns a member whose ``value`` is
    ``"new_metric"`` instead of raising, so new API values flow through.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(int, enum.Enum):
    """An ``int`` enum that accepts values the spec does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)

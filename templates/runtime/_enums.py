"""Enums that accept values the spec does not list.

Kept apart from the models so that ``import`` of the package does not load
pydantic's model machinery before it is needed.
"""

import enum
from typing import Any


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

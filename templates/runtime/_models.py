"""The base class of generated models.

Lenient by design: an API that starts returning a new field must not break
callers built against an older spec (see ``_enums.py`` for new enum values).
"""

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

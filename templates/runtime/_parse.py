"""Parsing response bodies into the types the operations declare."""

import functools
import logging
from types import UnionType
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import httpx

from ._streaming import StreamedBody
from ._types import find_request_id

if TYPE_CHECKING:
    import pydantic

__all__ = ["ResponseMismatch", "parse_body"]

log = logging.getLogger(__package__)


@functools.lru_cache(maxsize=512)
def _adapter(tp: Any) -> "pydantic.TypeAdapter[Any]":
    import pydantic  # loaded on the first response, not at import

    return pydantic.TypeAdapter(tp)


@functools.cache
def _pydantic() -> tuple[Any, Any]:
    """pydantic and our BaseModel, loaded on the first response, not at import."""
    import pydantic

    from ._models import BaseModel

    return pydantic, BaseModel


class ResponseMismatch(Exception):
    """The body is not what the operation declares (the client raises
    ``APIResponseValidationError`` with the response)."""


def parse_body(response: httpx.Response, cast_to: Any, as_text: bool = False) -> Any:
    """The body as ``cast_to``; a model carries the response's request id
    (``_request_id``)."""
    parsed = _parse_body(response, cast_to, as_text)
    if isinstance(parsed, _pydantic()[1]):
        parsed._request_id = find_request_id(response.headers)
    return parsed


def _parse_body(response: httpx.Response, cast_to: Any, as_text: bool) -> Any:
    """The body as ``cast_to``. Lenient inside (a field that does not match
    keeps its raw value) but never of another kind than declared: HTML for
    a model, ``null`` for a list or a list for an object raise
    ``ResponseMismatch``."""
    if cast_to is type(None):
        return None
    if isinstance(cast_to, type) and issubclass(cast_to, StreamedBody):
        return cast_to(response)
    if as_text:  # a text/* response: the text is the value
        return response.text
    pydantic, base_model = _pydantic()
    content = response.content
    try:
        # pydantic parses the JSON itself, in one pass, when it can.
        if content and isinstance(cast_to, type) and issubclass(cast_to, base_model):
            return cast_to.model_validate_json(content)  # type: ignore[attr-defined]
        # No body reads as null: right for an optional type, else a mismatch.
        # A plain scalar is parsed strictly: JSON true is not the integer 1.
        strict = cast_to in (int, float, bool, str)
        return _adapter(cast_to).validate_json(content or b"null", strict=strict)
    except pydantic.ValidationError as exc:
        return _fallback(response, cast_to, exc.error_count(), base_model)


def _fallback(
    response: httpx.Response, cast_to: Any, errors: int, base_model: Any
) -> Any:
    """The API sent something its spec does not quite describe. Return the
    data anyway, typed wherever it fits, when it is at least of the declared
    kind (an object for a model, a list for a list); the raw JSON stays on
    the model (``raw_json``)."""
    if not response.content:
        raise ResponseMismatch("the response has no body")
    try:
        data = response.json()
    except ValueError:
        kind = response.headers.get("content-type", "unknown type")
        raise ResponseMismatch(f"the response is not JSON ({kind})") from None
    if not _same_kind(cast_to, data):
        raise ResponseMismatch(
            f"the response is a JSON {type(data).__name__}, not {_name(cast_to)}"
        )
    log.debug(
        "response does not match %r (%d errors); parsed leniently", cast_to, errors
    )
    result = _lenient(cast_to, data)
    if isinstance(result, base_model):
        result._raw_json = data
    return result


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def _same_kind(tp: Any, data: Any) -> bool:
    """Whether ``data`` is at least the JSON kind ``tp`` describes."""
    import pydantic

    if tp is Any:
        return True
    origin = get_origin(tp)
    if origin in (Union, UnionType):
        return any(_same_kind(arg, data) for arg in get_args(tp))
    if tp is type(None):
        return data is None
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        origin = dict
    kind = origin or tp
    # Scalars, literals and enums: only the strict parse counts.
    return (kind is list and isinstance(data, list)) or (
        kind is dict and isinstance(data, dict)
    )


def _lenient_model(tp: "type[pydantic.BaseModel]", data: dict[str, Any]) -> Any:
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
    import pydantic

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
    if origin in (Union, UnionType) and isinstance(data, dict):
        models = [
            a for a in args if isinstance(a, type) and issubclass(a, pydantic.BaseModel)
        ]
        if models:
            return _lenient(max(models, key=lambda m: _likeness(m, data)), data)
    return data


def _likeness(
    model: "type[pydantic.BaseModel]", data: dict[str, Any]
) -> tuple[int, int]:
    """How much ``data`` looks like ``model``: all its required fields there
    first, then the keys it knows less the ones it does not."""
    wire = {(f.alias or name): f for name, f in model.model_fields.items()}
    required = all(k in data for k, f in wire.items() if f.is_required())
    known = sum(1 for k in data if k in wire)
    return int(required), known - (len(data) - known)

"""Request building helpers used by every generated method."""

import datetime
import enum
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pydantic

from ._types import FileTypes, NotGiven


def build_path(template: str, params: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders, percent-encoding each value.

    Empty values are refused before any request is made: ``/v3//bounces``
    would reach a different endpoint than the caller meant.
    """
    path = template
    for name, value in params.items():
        text = stringify(value)
        if text == "":
            raise ValueError(f"path parameter {name!r} must not be empty")
        path = path.replace("{" + name + "}", quote(text, safe=""))
    return path


def stringify(value: object) -> str:
    """How a scalar travels in a path, query string, header or form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return stringify(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def jsonable(value: object) -> Any:
    """Turn models, enums and dates into JSON-ready data."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {
            str(k): jsonable(v) for k, v in value.items() if not isinstance(v, NotGiven)
        }
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def flatten_params(
    params: Mapping[str, object], explode: Mapping[str, bool] | None = None
) -> list[tuple[str, str]]:
    """Query or form fields as ``(name, text)`` pairs, dropping ``NOT_GIVEN``.

    A sequence becomes one pair per item (``explode``, the default) or one
    comma-separated pair when ``explode[name]`` is false.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            items = [stringify(v) for v in value]
            if explode is not None and not explode.get(name, True):
                pairs.append((name, ",".join(items)))
            else:
                pairs.extend((name, item) for item in items)
        else:
            pairs.append((name, stringify(value)))
    return pairs


def file_part(value: FileTypes) -> tuple[str | None, Any, str | None]:
    """Normalise a file argument to httpx's ``(filename, content, type)``."""
    if isinstance(value, tuple):
        if len(value) == 2:
            filename, content = value
            content_type = None
        else:
            filename, content, content_type = value
        return (filename, _read(content), content_type)
    if isinstance(value, os.PathLike):
        path = Path(value)
        return (path.name, path.read_bytes(), None)
    if isinstance(value, io.IOBase):
        name = getattr(value, "name", None)
        return (
            os.path.basename(name) if isinstance(name, str) else "upload",
            value,
            None,
        )
    return ("upload", _read(value), None)


def _read(content: object) -> Any:
    if isinstance(content, os.PathLike):
        return Path(content).read_bytes()
    if isinstance(content, str):
        return content.encode()
    return content


def merge_fields(
    extra: Mapping[str, object] | NotGiven | None,
    *families: tuple[str, Mapping[str, object] | NotGiven],
) -> dict[str, object] | None:
    """Free-form body fields: ``extra`` as given, each family's keys prefixed
    (``("h:", {"X-A": "1"})`` -> ``{"h:X-A": "1"}``)."""
    out: dict[str, object] = {}
    for prefix, mapping in families:
        if not isinstance(mapping, NotGiven):
            out.update({f"{prefix}{key}": value for key, value in mapping.items()})
    if extra is not None and not isinstance(extra, NotGiven):
        out.update(extra)
    return out or None

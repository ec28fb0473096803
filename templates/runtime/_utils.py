"""Request bodies: JSON data, form fields, multipart parts and files.

Parameters are ``_params``'s job; this module turns a method's body into
what httpx sends. Objects inside form and multipart bodies travel as JSON
unless the spec's ``encoding`` says otherwise.
"""

import datetime
import email.utils
import enum
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from ._params import Param, _pct, _query_pairs, stringify
from ._types import NotGiven

__all__ = ["FieldEncoding", "file_part", "form_body", "jsonable", "multipart_parts"]


@dataclass(frozen=True)
class FieldEncoding:
    """A form or multipart field's ``encoding`` entry from the spec."""

    content_type: str = ""
    style: str = ""
    explode: bool | None = None
    # How the API spells dates and booleans in this field: "rfc2822" for
    # ``Fri, 14 Oct 2011 23:10:10 -0000``, and the texts for True and False.
    date_format: str = ""
    booleans: tuple[str, str] | None = None


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


def _fields(body: object) -> list[tuple[str, object]]:
    """A form body's fields: a mapping's items, or a model's (by wire name)."""
    if isinstance(body, pydantic.BaseModel):
        body = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if not isinstance(body, Mapping):
        raise TypeError(
            f"a form body must be a mapping or a model, not {type(body).__name__}"
        )
    return [
        (str(k), v)
        for k, v in body.items()
        if v is not None and not isinstance(v, NotGiven)
    ]


def _is_structured(value: object) -> bool:
    return isinstance(value, Mapping | pydantic.BaseModel | list | tuple)


def _as_json(value: object) -> str:
    return json.dumps(jsonable(value), separators=(",", ":"), ensure_ascii=False)


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _text(value: object, enc: FieldEncoding | None) -> str:
    """One scalar as the field's text, in the API's spelling when the spec
    gives one (``o:testmode=yes``, an RFC 2822 date)."""
    if enc is not None:
        if enc.booleans is not None and isinstance(value, bool):
            return enc.booleans[0] if value else enc.booleans[1]
        if enc.date_format == "rfc2822" and isinstance(value, datetime.datetime):
            if value.tzinfo is None:  # naive: taken as UTC
                value = value.replace(tzinfo=datetime.timezone.utc)
            return email.utils.format_datetime(value)
    return stringify(value)


def _items(value: object, enc: FieldEncoding | None) -> list[tuple[object, str]]:
    """One field's values, each with its text: one per list item; objects
    as JSON."""
    if enc is not None and _is_json_type(enc.content_type):
        return [(value, _as_json(value))]
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [
            (v, _as_json(v) if _is_structured(v) else _text(v, enc))
            for v in value
            if v is not None and not isinstance(v, NotGiven)
        ]
    return [(value, _as_json(value) if _is_structured(value) else _text(value, enc))]


def _texts(value: object, enc: FieldEncoding | None) -> list[str]:
    return [text for _, text in _items(value, enc)]


def form_body(body: object, encodings: Mapping[str, FieldEncoding]) -> str:
    """An ``application/x-www-form-urlencoded`` body."""
    pairs: list[str] = []
    for name, value in _fields(body):
        enc = encodings.get(name)
        if enc is not None and enc.style:
            pairs.extend(
                _query_pairs(
                    Param("query", name, value, enc.style, enc.explode), _explode(enc)
                )
            )
            continue
        texts = _texts(value, enc)
        if enc is not None and enc.explode is False and len(texts) > 1:
            texts = [",".join(texts)]
        pairs.extend(f"{_pct(name)}={_pct(t)}" for t in texts)
    return "&".join(pairs)


def _explode(enc: FieldEncoding) -> bool:
    return enc.explode if enc.explode is not None else enc.style == "form"


def multipart_parts(
    body: object, files: Mapping[str, object], encodings: Mapping[str, FieldEncoding]
) -> list[tuple[str, Any]]:
    """httpx ``files=`` parts: plain fields first (file-less parts, so the
    body is multipart even with no file), then every file."""
    parts: list[tuple[str, Any]] = []
    for name, value in _fields(body):
        enc = encodings.get(name)
        ctype = enc.content_type if enc is not None and enc.content_type else None
        # A list is one part per item, and each item says what it is: a
        # JSON object is application/json, a string has no type of its own.
        for item, text in _items(value, enc):
            if ctype is None and _is_structured(item):
                parts.append((name, (None, text, "application/json")))
            else:
                parts.append((name, (None, text, ctype) if ctype else (None, text)))
    for name, value in files.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        items = value if isinstance(value, list) else [value]
        parts.extend((name, file_part(item)) for item in items)
    return parts


def file_part(value: object) -> tuple[str | None, Any, str | None]:
    """Normalise a file argument to httpx's ``(filename, content, type)``.

    A ``str`` is refused: it could be a path or the content itself, and
    guessing wrong uploads the wrong thing. Pass ``pathlib.Path(...)`` for a
    file on disk, or ``text.encode()`` for content.
    """
    if isinstance(value, tuple) and len(value) in (2, 3):
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
        return (filename, _content(content), content_type)
    if isinstance(value, os.PathLike):
        path = Path(value)
        return (path.name, path.read_bytes(), None)
    if isinstance(value, io.TextIOBase):
        raise TypeError("open the file in binary mode ('rb') to upload it")
    if isinstance(value, io.IOBase):
        name = getattr(value, "name", None)
        return (
            os.path.basename(name) if isinstance(name, str) else "upload",
            value,
            None,
        )
    return ("upload", _content(value), None)


def _content(content: object) -> Any:
    if isinstance(content, os.PathLike):
        return Path(content).read_bytes()
    if isinstance(content, str):
        raise TypeError(
            "a file must be bytes, an open binary file or a pathlib.Path, not str "
            "(for a path use pathlib.Path(...); for text use .encode())"
        )
    if isinstance(content, bytearray | memoryview):
        return bytes(content)
    if isinstance(content, bytes | io.IOBase):
        return content
    raise TypeError(
        f"a file must be bytes, an open binary file or a path, not {type(content).__name__}"
    )


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


def raw_content(value: object) -> Any:
    """A raw request body: bytes as they are, text as UTF-8, a path or an
    open binary file read, an iterator of bytes streamed."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, os.PathLike):
        return Path(value).read_bytes()
    if isinstance(value, io.TextIOBase):
        raise TypeError("open the file in binary mode ('rb') to send it")
    if isinstance(value, io.IOBase):
        return value.read()
    return value  # an iterator or async iterator of bytes: httpx streams it

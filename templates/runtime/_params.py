"""Parameters on the wire: OpenAPI's ``style``/``explode`` rules.

Each generated method lists its parameters as ``Param``s; ``encode_params``
turns them into the request's path, query string, headers and cookies.
Values are percent-encoded everywhere they land in the URL, so no value can
change the path or add a query field; only the delimiters a style defines
(``,`` ``|`` ``.`` ``;`` ``[]``) are written as they are.
"""

import datetime
import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import quote

import pydantic

from ._types import NotGiven

__all__ = ["EncodedParams", "Param", "check_header", "encode_params", "stringify"]

Location = Literal["path", "query", "header", "cookie"]
_DEFAULT_STYLE = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}


@dataclass(frozen=True)
class Param:
    """One parameter of one call: where it goes, its wire name, its value."""

    location: Location
    name: str
    value: object
    style: str = ""  # "" means the location's default
    explode: bool | None = None  # None means the style's default
    content_json: bool = False  # a ``content``-typed parameter: sent as JSON text
    arg: str = ""  # the method's argument, where its name is not ``name``
    booleans: tuple[str, str] | None = None  # how true and false are spelled


@dataclass
class EncodedParams:
    path: str
    query: list[str] = field(default_factory=list)  # "name=value", already encoded
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)  # "name=value", already encoded


def stringify(value: object) -> str:
    """How a scalar travels in a path, query string, header or form field."""
    if type(value) is str:  # the common case, first
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return stringify(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _pct(text: str) -> str:
    return quote(text, safe="")


def _path_pct(text: str) -> str:
    # "." and ".." alone would be dot segments, which URL parsers remove.
    encoded = _pct(text)
    return encoded.replace(".", "%2E") if set(text) <= {"."} else encoded


def _absent(value: object) -> bool:
    return value is None or isinstance(value, NotGiven)


def _text(value: object) -> str:
    """A value inside an array or object: scalars as text, anything
    structured as JSON (OpenAPI leaves nesting undefined; a repr would be
    unreadable to any server)."""
    if isinstance(value, Mapping | pydantic.BaseModel) or (
        isinstance(value, Sequence) and not isinstance(value, str | bytes)
    ):
        return _to_json(value)
    return stringify(value)


def _shape(value: object) -> tuple[str, Any]:
    """``("scalar", text)``, ``("array", [text])`` or ``("object", [(k, text)])``;
    ``None`` items and members are left out (they have no text form)."""
    if isinstance(value, str | int | float):  # enums and bools too
        return "scalar", stringify(value)
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return "object", [
            (str(k), _text(v)) for k, v in value.items() if not _absent(v)
        ]
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return "array", [_text(v) for v in value if not _absent(v)]
    return "scalar", stringify(value)


def _to_json(value: object) -> str:
    from ._utils import jsonable

    # ASCII only: the text may go in a header, where only ASCII is safe.
    return json.dumps(jsonable(value), separators=(",", ":"))


def check_header(name: str, text: str) -> str:
    """A header value may not end the header (CR, LF) or hold NUL."""
    if "\r" in text or "\n" in text or "\0" in text:
        raise ValueError(f"header {name!r} must not contain CR, LF or NUL")
    return text


def _path_value(p: Param, explode: bool) -> str:
    """``simple``, ``label`` and ``matrix`` expansion of one path value."""
    style = p.style or "simple"
    kind, data = _shape(p.value)
    enc = _path_pct
    if kind == "scalar":
        items, pairs = [enc(data)], None
    elif kind == "array":
        items, pairs = [enc(v) for v in data], None
    else:
        items, pairs = None, [(enc(k), enc(v)) for k, v in data]
    if style == "matrix":
        name = _pct(p.name)
        if items is not None:
            if explode:
                return "".join(f";{name}={v}" for v in items)
            return f";{name}=" + ",".join(items)
        assert pairs is not None
        if explode:
            return "".join(f";{k}={v}" for k, v in pairs)
        return f";{name}=" + ",".join(f"{k},{v}" for k, v in pairs)
    if pairs is not None:
        items = (
            [f"{k}={v}" for k, v in pairs]
            if explode
            else [x for kv in pairs for x in kv]
        )
    assert items is not None
    if style == "label":
        return "." + ("." if explode else ",").join(items)
    return ",".join(items)


def _query_pairs(p: Param, explode: bool) -> list[str]:
    """``form``, ``spaceDelimited``, ``pipeDelimited`` and ``deepObject``."""
    style = p.style or "form"
    name = _pct(p.name)
    if p.content_json:
        return [f"{name}={_pct(_to_json(p.value))}"]
    if style == "deepObject":
        return _deep(name, p.value)
    kind, data = _shape(p.value)
    sep = {"spaceDelimited": "%20", "pipeDelimited": "|"}.get(style, ",")
    if kind == "scalar":
        pairs = [(name, _pct(data))]
    elif kind == "array":
        texts = [_pct(v) for v in data]
        pairs = [(name, v) for v in texts] if explode else [(name, sep.join(texts))]
    elif explode:
        pairs = [(_pct(k), _pct(v)) for k, v in data]
    else:
        pairs = [(name, sep.join(f"{_pct(k)}{sep}{_pct(v)}" for k, v in data))]
    return [f"{k}={v}" for k, v in pairs]


def _deep(prefix: str, value: object) -> list[str]:
    """``name[key]=value``, nested objects as ``name[a][b]``, lists repeated."""
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        out: list[str] = []
        for k, v in value.items():
            if not _absent(v):
                out.extend(_deep(f"{prefix}[{_pct(str(k))}]", v))
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [pair for v in value if not _absent(v) for pair in _deep(prefix, v)]
    return [f"{prefix}={_pct(stringify(value))}"]


def _simple_text(p: Param, explode: bool) -> str:
    """A header value: ``simple`` style, nothing percent-encoded."""
    if p.content_json:
        return _to_json(p.value)
    kind, data = _shape(p.value)
    if kind == "scalar":
        return str(data)
    if kind == "array":
        return ",".join(data)
    if explode:
        return ",".join(f"{k}={v}" for k, v in data)
    return ",".join(x for kv in data for x in kv)


def _cookie_pairs(p: Param, explode: bool) -> list[str]:
    name = _pct(p.name)
    if p.content_json:
        return [f"{name}={_pct(_to_json(p.value))}"]
    kind, data = _shape(p.value)
    if kind == "scalar":
        return [f"{name}={_pct(data)}"]
    if kind == "array":
        if explode:
            return [f"{name}={_pct(v)}" for v in data]
        return [f"{name}=" + ",".join(_pct(v) for v in data)]
    if explode:
        return [f"{_pct(k)}={_pct(v)}" for k, v in data]
    return [f"{name}=" + ",".join(f"{_pct(k)},{_pct(v)}" for k, v in data)]


def _check_path_value(p: Param) -> None:
    """Refused before anything is sent: a path with a hole in it would reach
    another endpoint (``/v3/{domain}/bounces`` as ``/v3//bounces``)."""
    what = f"path parameter {p.name!r}"
    if p.arg and p.arg != p.name:
        what = f"argument {p.arg!r} ({what})"
    if p.value is None:
        raise TypeError(f"{what} must not be None")
    kind, data = _shape(p.value)
    if (kind == "scalar" and data == "") or (kind != "scalar" and not data):
        raise ValueError(f"{what} must not be empty")


def _split_template(template: str) -> tuple[str, str]:
    """A path key's path and fixed query; a fragment is never sent. Only a
    ``?`` or ``#`` outside ``{placeholders}`` counts."""
    depth = 0
    for i, ch in enumerate(template):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and ch in "?#":
            path, rest = template[:i], template[i:]
            fixed = rest[1:].split("#", 1)[0] if ch == "?" else ""
            return path, fixed
    return template, ""


def _spelled(p: Param) -> Param:
    """A bool the API spells its own way (``yes``/``no``) as that text."""
    if p.booleans is None or not isinstance(p.value, bool):
        return p
    return replace(p, value=p.booleans[0] if p.value else p.booleans[1])


def encode_params(template: str, params: Sequence[Param]) -> EncodedParams:
    """The path (``template`` filled in, its fixed query kept) and the
    query, headers and cookies of ``params``; ``NOT_GIVEN`` and ``None``
    values (outside the path) are left out."""
    path, fixed = _split_template(template)
    out = EncodedParams(path=path, query=[q for q in fixed.split("&") if q])
    for p in map(_spelled, params):
        if isinstance(p.value, NotGiven):
            continue
        style = p.style or _DEFAULT_STYLE[p.location]
        explode = p.explode if p.explode is not None else style == "form"
        if p.location == "path":
            _check_path_value(p)
            if p.content_json:
                text = _path_pct(_to_json(p.value))
            else:
                text = _path_value(p, explode)
            out.path = out.path.replace("{" + p.name + "}", text)
        elif p.value is None:
            continue
        elif p.location == "query":
            out.query.extend(_query_pairs(p, explode))
        elif p.location == "header":
            out.headers[p.name] = check_header(p.name, _simple_text(p, explode))
        else:
            out.cookies.extend(_cookie_pairs(p, explode))
    return out

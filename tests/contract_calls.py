"""The calls of tests/contract.py: each operation's arguments, as the
generated signature takes them, and what the request must then carry.

Each operation is called with its required arguments only, and (when that
differs) with every argument. The JSON values come from
``contract_values.Values``; ``to_python`` turns them into models, enums,
dates and file bytes, as a typed caller would pass them.
"""

import ast
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from types import ModuleType
from typing import Any

from contract_values import Values

from generator import ir


class ArgumentError(Exception):
    """A schema-valid value the generated signature's types refuse."""


@dataclass
class Call:
    """One call of a generated method: ``label`` is ``required`` or ``all``."""

    label: str
    args: list[Any]
    kwargs: dict[str, Any]
    wire: dict[str, Any] = field(default_factory=dict)  # JSON values, by arg
    error: str = ""  # the arguments could not be made (``ArgumentError``)
    body: Any = None  # the request body's JSON value, by wire name
    # Parameters sent, by ``location.wire_name``, as JSON values; and those
    # typed as an array in a union (``[array, null]``), in lower case.
    params: dict[str, Any] = field(default_factory=dict)
    union_arrays: set[str] = field(default_factory=set)
    anonymous: bool = False  # the operation's security allows no credentials
    # What must be on the wire: (``query``/``header``/``body``, wire name),
    # and each path parameter's text (wire name, text).
    expect: list[tuple[str, str]] = field(default_factory=list)
    path_values: list[tuple[str, str | None]] = field(default_factory=list)
    # The JSON body's violations of the operation's own schema, checked
    # here where Prism cannot route the operation.
    body_errors: Callable[[Any], list[dict[str, Any]]] = lambda _: []
    # An answer's violations of its schema (status, JSON), checked here when
    # the client refuses an answer Prism passed.
    answer_errors: Callable[[int, Any], list[dict[str, Any]]] = lambda *_: []


# -- JSON values to what the generated signature takes ------------------------


def to_python(value: Any, t: ir.TypeRef, types: ModuleType) -> Any:
    """``value`` (JSON) as an argument of type ``t``."""
    k = t.kind
    if k == "model" and isinstance(value, dict):
        try:
            return getattr(types, t.name).model_validate(value)
        except Exception as exc:
            raise ArgumentError(f"{t.name} refuses {value!r}: {exc}") from exc
    if k == "enum" and isinstance(value, str | int) and not isinstance(value, bool):
        return getattr(types, t.name)(value)
    if k == "datetime" and isinstance(value, str):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if k == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if k in ("bytes", "file", "content"):
        return value.encode() if isinstance(value, str) else b"example"
    if k == "list" and isinstance(value, list):
        return [to_python(v, t.args[0], types) for v in value]
    if k in ("dict", "mapping") and isinstance(value, dict):
        return {key: to_python(v, t.args[0], types) for key, v in value.items()}
    if k == "union":
        # The first member that takes the value: a dict may fit several
        # models, and only one of them may accept it.
        members = [a for a in t.args if fits(value, a)]
        for member in members:
            try:
                return to_python(value, member, types)
            except ArgumentError:
                if member is members[-1]:
                    raise
    return value


def fits(value: Any, t: ir.TypeRef) -> bool:
    """Whether ``value`` (JSON) is one of ``t``'s values."""
    k = t.kind
    plain = {"str": str, "bool": bool, "list": list, "dict": dict, "mapping": dict}
    if k in plain:
        return isinstance(value, plain[k])
    if k in ("int", "float"):
        number = int if k == "int" else int | float
        return isinstance(value, number) and not isinstance(value, bool)
    if k in ("datetime", "date"):
        return isinstance(value, str) and _parses(value, k)
    if k == "literal":
        return bool(value == ast.literal_eval(t.literal))
    if k == "union":
        return any(fits(value, a) for a in t.args)
    checks = {
        "none": value is None,
        "any": True,
        "enum": isinstance(value, str | int) and not isinstance(value, bool),
        "model": isinstance(value, dict),
        "bytes": isinstance(value, str | bytes),
        "file": isinstance(value, str | bytes),
        "content": isinstance(value, str | bytes),
    }
    return checks.get(k, False)


def _parses(text: str, kind: str) -> bool:
    try:
        if kind == "date":
            datetime.date.fromisoformat(text)
        else:
            datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# -- one operation's calls ---------------------------------------------------


def calls(values: Values, op: ir.Operation, types: ModuleType) -> list[Call]:
    """The required-arguments call and, when it differs, the all-arguments one."""
    raw, raw_params = values.operation(op.pointer)
    security = raw.get("security", values.doc.get("security")) or []
    out: list[Call] = []
    for label, full in (("required", False), ("all", True)):
        wire: dict[str, Any] = {}
        params: dict[str, Any] = {}
        union_arrays = set()
        for p in op.parameters:
            spec = next(
                (
                    q
                    for q in raw_params
                    if q.get("name") == p.wire_name and q.get("in") == p.location
                ),
                {},
            )
            if p.required or full:
                wire[p.name] = values.parameter(spec, full)
                where = f"{p.location}.{p.wire_name}"
                params[where] = wire[p.name]
                if values.union_array(spec.get("schema")):
                    union_arrays.add(where.lower())
        body = None
        if op.body is not None:
            body = values.body(raw, op.body.media_type, full)
            wire.update(_body_args(body, op.body, full))
        if out and wire == out[0].wire:
            break
        call = _to_call(label, op, wire, types)
        call.body, call.params, call.union_arrays = body, params, union_arrays
        call.anonymous = any(req == {} for req in security)
        call.expect = _expected(op, wire)
        call.path_values = [(p.wire_name, _text(wire[p.name])) for p in op.path_params]
        call.answer_errors = partial(values.answer_errors, raw)
        if op.body is not None and op.body.encoding == "json":
            schema = values.media(raw, op.body.media_type).get("schema", {})
            call.body_errors = partial(values.errors, schema=schema)
        out.append(call)
    return out


def _expected(op: ir.Operation, wire: dict[str, Any]) -> list[tuple[str, str]]:
    """Where each given argument must show up under its own name (path ones
    Prism routes by; empty values send nothing; an object in a query string
    goes out as its properties)."""

    def shows(name: str, location: str = "") -> bool:
        value = wire.get(name)
        empty = value is None or value in ([], {})
        # An object in a query string or a form may go out as its properties.
        spread = location != "json" and isinstance(value, dict)
        return name in wire and not empty and not spread

    out = [
        (p.location, p.wire_name)
        for p in op.parameters
        if p.location in ("query", "header") and shows(p.name, p.location)
    ]
    if op.body is not None:
        encoding = op.body.encoding
        out += [
            ("body", f.wire_name) for f in op.body.fields if shows(f.name, encoding)
        ]
        if op.body.extra is not None and shows(op.body.extra.name, "json"):
            out += [("body", key) for key in wire[op.body.extra.name]]
    return out


def _text(value: Any) -> str | None:
    """A scalar path parameter's text, as it must show in the path."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, str | int | float) else None


def _body_args(value: Any, body: ir.Body, full: bool) -> dict[str, Any]:
    if body.whole is not None:
        return {body.whole.name: value}
    value = value if isinstance(value, dict) else {}
    args: dict[str, Any] = {}
    known = set()
    for f in body.fields:
        known.add(f.wire_name)
        # The value holds what the schema needs (required properties, and
        # enough others for minProperties); with ``full``, every property.
        if f.wire_name in value:
            args[f.name] = value[f.wire_name]
        elif f.required:
            args[f.name] = "example"
    rest = {k: v for k, v in value.items() if k not in known}
    if full and rest and body.extra is not None:
        args[body.extra.name] = rest
    return args


def _to_call(label: str, op: ir.Operation, wire: dict[str, Any], types: Any) -> Call:
    kinds: dict[str, ir.TypeRef] = {p.name: p.type for p in op.parameters}
    if op.body is not None:
        body_args = [*op.body.fields, *op.body.free_form]
        if op.body.whole is not None:
            body_args.append(op.body.whole)
        kinds.update({f.name: f.type for f in body_args})
    try:
        py = {name: to_python(v, kinds[name], types) for name, v in wire.items()}
    except ArgumentError as exc:
        return Call(label, [], {}, wire, error=str(exc))
    positional = [py.pop(p.name) for p in op.path_params]
    return Call(label, positional, py, wire)

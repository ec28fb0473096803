"""Parse state for one document, shared by the model builders."""

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.conventions import RESERVED_CLASSES
from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec
from generator.naming import Namespace, snake
from generator.refs import a, kind_at, pointer_parts

_SNAKE = re.compile(r"[a-z_][a-z0-9_]{0,63}")


class WrongKind(Exception):
    """A ``$ref`` to another kind of object than its place asks for; costs
    the operation (or the schema) it sits in."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


@dataclass
class Context:
    """Parse state for one document, threaded through every builder."""

    spec: LoadedSpec
    diags: Diagnostics
    classes: Namespace = field(default_factory=lambda: Namespace(RESERVED_CLASSES))
    component_names: dict[str, str] = field(default_factory=dict)  # ref -> class
    wanted_names: dict[str, str] = field(default_factory=dict)  # ref -> clean name
    # (path, wire name) -> the spelling used for that path parameter's
    # Python name, when the spec spells one parameter several ways.
    path_names: dict[tuple[str, str], str] = field(default_factory=dict)
    named: dict[str, ir.TypeRef] = field(default_factory=dict)  # ref -> type
    in_progress: set[str] = field(default_factory=set)
    models: dict[str, ir.Model] = field(default_factory=dict)
    enums: dict[str, ir.Enum] = field(default_factory=dict)
    # Inline enums and models by the pointer of their schema: a schema
    # reached twice (say a form body that is also a component) is one class.
    inline: dict[str, ir.TypeRef] = field(default_factory=dict)
    schemes: tuple[ir.Security, ...] = ()  # the security schemes the client can use
    # Class names made from a number because nothing in the spec names the
    # schema (a union member with no title, ...), and where: each class that
    # takes one gets an info line.
    numbered: dict[str, str] = field(default_factory=dict)

    def deref(self, node: Any, ptr: str, kind: str = "") -> tuple[Any, str]:
        """Follow ``$ref`` chains; returns the target and its pointer. With
        ``kind`` (``"parameter"``, ...), a target of another kind (a schema
        where a parameter belongs) raises ``WrongKind``."""
        seen = set()
        site = ptr
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.diags.error(ptr, f"$ref cycle through {ref!r}")
                return {}, ptr
            seen.add(ref)
            node, ptr = self.spec.resolve(ref), ref[1:]
        if kind and seen:
            found = kind_at(tuple(pointer_parts("#" + ptr)))
            if found and found != kind:
                raise WrongKind(
                    join(site, "$ref"),
                    f"$ref {'#' + ptr!r} points at {a(found)}, where {a(kind)} belongs",
                )
        return node, ptr

    def claim(self, names: Namespace, wanted: str, ptr: str, what: str) -> str:
        """Claim ``wanted`` in ``names``; a clash gets a numeric suffix and an
        info line (a naming decision, not a fault in the spec)."""
        name, clashed = names.claim(wanted)
        if clashed:
            self.diags.info(ptr, f"{what} is already taken; using {name!r}")
        return name

    def python_name(self, node: Any, ptr: str) -> str:
        """``x-python-name`` on a property or parameter (or on the target of
        its ``$ref``): the name the spec's author wants in Python, such as
        ``tags`` for Mailgun's ``o:tag``. Made safe like any other name."""
        for candidate in (node, self.deref(node, ptr)[0]):
            if not isinstance(candidate, dict) or "x-python-name" not in candidate:
                continue
            given = candidate["x-python-name"]
            if isinstance(given, str) and _SNAKE.fullmatch(given):
                if not keyword.iskeyword(given):
                    return given
            self.diags.warning(
                join(ptr, "x-python-name"),
                f"x-python-name {given!r} is not a snake_case Python name "
                "(or is a keyword); ignored",
            )
            return ""
        return ""

    def claim_class(self, wanted: str, ptr: str) -> str:
        return self.claim(self.classes, wanted, ptr, f"class name {wanted!r}")

    def claim_identifier(
        self,
        names: Namespace,
        wire: str,
        ptr: str,
        what: str,
        *,
        reserved: frozenset[str],
        prefix: str,
        qualified: Callable[[str], str] | None = None,
    ) -> str:
        """The Python name for spec text ``wire`` (an argument, a field; or
        its ``x-python-name``): made safe, moved off a ``reserved`` name with
        a trailing ``_``, then, if the scope already has it, ``qualified``
        (``body_name``, ``ip_query``), and only as a last resort numbered."""
        wanted = snake(wire, prefix=prefix)
        if wanted in reserved:
            wanted += "_"
        if wanted in names and qualified is not None:
            wanted = qualified(wanted)
        return self.claim(names, wanted, ptr, f"{what} {wire!r}")


def text_of(node: dict[str, Any], key: str = "description") -> str:
    value = node.get(key)
    return value.strip() if isinstance(value, str) else ""

"""Every reference in a document, checked once at load.

Part of the load stage. A ``$ref`` must stay inside the document (nothing
outside it is ever read or fetched) and must exist; ``$dynamicRef`` must
stay inside the document too. ``kind_at`` says what kind of object a place
holds, so the model stage can refuse a ``$ref`` to the wrong kind (a
parameter's ``$ref`` to a schema gave phantom arguments).
"""

from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostics, join

# Keywords that name another place: ``$dynamicRef`` names a
# ``$dynamicAnchor``, which must be in the document as well.
_REF_KEYWORDS = ("$ref", "$dynamicRef")


def pointer_parts(ref: str) -> list[str]:
    body = ref[1:] if ref.startswith("#") else ref
    if not body:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in body.split("/")[1:]]


def _walk_refs(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path of the keyword, its value) for every reference; the path stays
    a tuple, made into a pointer only for the few refs that are reported."""
    if isinstance(node, dict):
        for keyword in _REF_KEYWORDS:
            ref = node.get(keyword)
            if isinstance(ref, str):
                yield (*path, keyword), ref
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _walk_refs(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _walk_refs(value, (*path, i))


def check_refs(data: dict[str, Any], diags: Diagnostics) -> None:
    resolved: set[str] = set()
    for path, ref in _walk_refs(data):
        where, keyword = join("", *path), path[-1]
        if ref in resolved:
            continue
        if not ref.startswith("#"):
            diags.error(
                where,
                f"unsupported construct: external {keyword} {ref!r} (only "
                "references inside the document, '#/...', are supported)",
            )
            continue
        if keyword == "$dynamicRef":
            continue  # names a $dynamicAnchor, not a place in the document
        if ref != "#" and not ref.startswith("#/"):
            diags.error(
                where,
                f"unsupported construct: $ref {ref!r} names an anchor; only "
                "JSON pointers ('#/...') are supported",
            )
            continue
        parts = pointer_parts(ref)
        if not _exists(data, parts):
            diags.error(where, f"broken $ref: {ref!r} does not exist")
            continue
        resolved.add(ref)


def _exists(data: Any, parts: list[str]) -> bool:
    node = data
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


# What each section of ``components`` holds.
_SECTIONS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "request body",
    "headers": "header",
    "securitySchemes": "security scheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "path item",
}
_A = {
    kind: ("an " if kind[0] in "aeiou" else "a ") + kind for kind in _SECTIONS.values()
}
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch"})
_METHODS |= {"trace"}

# (kind, key) -> kind of the object under that key; a kind in _MAPS means
# the key leads to a map (or list) of objects of that kind, one level down.
_CHILD = {
    ("path item", "parameters"): "parameter*",
    ("operation", "parameters"): "parameter*",
    ("operation", "requestBody"): "request body",
    ("operation", "responses"): "response*",
    ("operation", "callbacks"): "callback*",
    ("callback", None): "path item",
    ("parameter", "schema"): "schema",
    ("header", "schema"): "schema",
    ("parameter", "content"): "media type*",
    ("header", "content"): "media type*",
    ("parameter", "examples"): "example*",
    ("header", "examples"): "example*",
    ("request body", "content"): "media type*",
    ("response", "content"): "media type*",
    ("response", "headers"): "header*",
    ("response", "links"): "link*",
    ("media type", "schema"): "schema",
    ("media type", "examples"): "example*",
    ("media type", "encoding"): "encoding*",
    ("encoding", "headers"): "header*",
}
# Schema keywords that hold one schema, or a list or map of them.
_SCHEMA_ONE = frozenset(
    {"items", "not", "if", "then", "else", "contains", "propertyNames"}
    | {"additionalProperties", "unevaluatedItems", "unevaluatedProperties"}
)
_SCHEMA_MANY = frozenset(
    {"allOf", "anyOf", "oneOf", "prefixItems", "properties", "patternProperties"}
    | {"$defs", "definitions", "dependentSchemas"}
)


def a(kind: str) -> str:
    """``"a schema"``, ``"an example"``."""
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def kind_at(path: tuple[str | int, ...]) -> str | None:
    """The kind of OpenAPI object at ``path`` (``"parameter"``, ``"schema"``,
    ...), or ``None`` where it is not one this check knows."""
    kind: str | None
    if len(path) >= 2 and path[0] in ("paths", "webhooks"):
        kind, rest = "path item", path[2:]
    elif len(path) >= 3 and path[0] == "components" and path[1] in _SECTIONS:
        kind, rest = _SECTIONS[str(path[1])], path[3:]
    else:
        return None
    while rest and kind is not None:
        kind, rest = _step(kind, rest)
    return kind


def _step(
    kind: str, rest: tuple[str | int, ...]
) -> tuple[str | None, tuple[str | int, ...]]:
    """One object down from one of ``kind``: its kind and the path left."""
    key = rest[0]
    if kind == "path item" and key in _METHODS:
        return "operation", rest[1:]
    if kind == "schema":
        if key in _SCHEMA_ONE:
            return "schema", rest[1:]
        if key in _SCHEMA_MANY and len(rest) > 1:
            return "schema", rest[2:]
        return None, ()  # data (example, enum, default) or an unknown keyword
    child = _CHILD.get((kind, None if kind == "callback" else str(key)))
    if child is None or not child.endswith("*"):
        return child, rest[1:]
    # A map or list of objects: the object is one level further down.
    return (child[:-1], rest[2:]) if len(rest) > 1 else (None, ())

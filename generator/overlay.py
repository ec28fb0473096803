"""OpenAPI Overlay 1.0: small documents that patch a spec before it is used.

A team keeps taking the upstream spec unchanged and fixes its faults (or
sets names with ``x-python-method``) in an overlay of its own::

    overlay: 1.0.0
    info: {title: Fixes, version: 1.0.0}
    actions:
      - target: $.components.schemas.Thing.properties.created_at
        update: {type: string}
      - target: $.paths['/v1/x'].get.parameters[?@.name == 'limit']
        update: {required: false}
      - target: $.paths['/v1/old']
        remove: true

Targets are RFC 9535 JSONPath queries. ``update`` merges objects deeply
(values of the same key are replaced, new keys added) and appends to
arrays; ``remove`` deletes the matched nodes. Every problem (a file that is
not an overlay, a bad JSONPath, a target that matches nothing) is reported
with the overlay's file name and the JSON pointer of the action.
"""

import copy
from typing import Any

import jsonpath_rfc9535 as jsonpath

from generator.diagnostics import Diagnostics, join


def check_overlay(data: dict[str, Any], diags: Diagnostics) -> dict[str, Any] | None:
    """``data`` if it is a usable Overlay 1.x document, else ``None``."""
    ok = True
    version = data.get("overlay")
    if not (isinstance(version, str) and version.startswith("1.")):
        diags.error(
            "/overlay", "not an Overlay 1.x document (missing 'overlay: 1.0.0')"
        )
        ok = False
    info = data.get("info")
    if not (isinstance(info, dict) and "title" in info and "version" in info):
        diags.error("/info", "an overlay needs 'info' with 'title' and 'version'")
        ok = False
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        diags.error("/actions", "an overlay needs a non-empty 'actions' list")
        return None
    for i, action in enumerate(actions):
        ptr = join("", "actions", i)
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            diags.error(ptr, "each action needs a 'target' JSONPath string")
            ok = False
        elif "update" not in action and not action.get("remove"):
            diags.error(ptr, "an action needs 'update' or 'remove: true'")
            ok = False
    return data if ok else None


def apply_overlay(
    document: dict[str, Any], overlay: dict[str, Any], diags: Diagnostics
) -> dict[str, Any]:
    """A patched copy of ``document``; errors are added to ``diags``."""
    doc = copy.deepcopy(document)
    for i, action in enumerate(overlay["actions"]):
        ptr = join("", "actions", i)
        target = action["target"]
        try:
            query = jsonpath.compile(target)
        except jsonpath.JSONPathError as exc:
            diags.error(join(ptr, "target"), f"bad JSONPath {target!r}: {exc}")
            continue
        nodes = list(query.finditer(doc))
        if not nodes:
            diags.error(join(ptr, "target"), f"target {target!r} matches nothing")
            continue
        if action.get("remove"):
            # Remove from the end so list indexes stay valid.
            for node in sorted(
                nodes, key=lambda n: _sort_key(n.location), reverse=True
            ):
                if not node.location:
                    diags.error(join(ptr, "target"), "cannot remove the whole document")
                    break
                parent = _at(doc, node.location[:-1])
                del parent[node.location[-1]]
            continue
        update = action["update"]
        for node in nodes:
            value = node.value
            if isinstance(value, dict) and isinstance(update, dict):
                _merge(value, update)
            elif isinstance(value, list):
                value.extend(
                    copy.deepcopy(update) if isinstance(update, list) else [update]
                )
            else:
                diags.error(
                    join(ptr, "update"),
                    f"target {target!r} matched a {type(value).__name__} at "
                    f"{node.path()}; only objects and arrays can be updated",
                )
                break
    return doc


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _at(doc: Any, location: tuple[str | int, ...]) -> Any:
    for part in location:
        doc = doc[part]
    return doc


def _sort_key(location: tuple[str | int, ...]) -> tuple[tuple[int, str | int], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in location)

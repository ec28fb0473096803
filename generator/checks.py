"""Checks that validators skip: examples that contradict their schemas.

openapi-spec-validator checks that a document is well-formed, not that its
examples agree with its schemas. A contradiction there usually means the
schema is wrong about what the API sends (an RFC 2822 date string where the
schema says object), which is worth knowing before a response fails to
parse. The generated client parses leniently, so such responses still come
back; these warnings say where to fix the schema (an overlay can).
"""

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec


def _example_sites(
    node: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(pointer of the example, schema, example value) for every media type
    and parameter object that has both."""
    if isinstance(node, dict):
        schema = node.get("schema")
        if isinstance(schema, dict) and schema:
            if "example" in node:
                yield join("", *path, "example"), schema, node["example"]
            examples = node.get("examples")
            if isinstance(examples, dict):
                for name, ex in examples.items():
                    if isinstance(ex, dict) and "value" in ex:
                        ptr = join("", *path, "examples", name, "value")
                        yield ptr, schema, ex["value"]
        for key, value in node.items():
            if isinstance(value, dict | list) and key not in ("example", "examples"):
                yield from _example_sites(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _example_sites(value, (*path, i))


def check_examples(spec: LoadedSpec, diags: Diagnostics) -> None:
    components = spec.data.get("components") or {}
    for ptr, schema, example in _example_sites(
        spec.data.get("paths") or {}, ("paths",)
    ):
        _check(ptr, schema, example, components, diags)
    for kind in ("responses", "requestBodies", "parameters"):
        section = components.get(kind) or {}
        for ptr, schema, example in _example_sites(section, ("components", kind)):
            _check(ptr, schema, example, components, diags)


def _check(
    ptr: str,
    schema: dict[str, Any],
    example: Any,
    components: dict[str, Any],
    diags: Diagnostics,
) -> None:
    from jsonschema import Draft202012Validator  # noqa: PLC0415  (slow import)
    from jsonschema.exceptions import _RefResolutionError, best_match  # noqa: PLC0415
    from referencing import Registry  # noqa: PLC0415
    from referencing.exceptions import Unresolvable  # noqa: PLC0415

    # OAS 3.1 schemas are JSON Schema 2020-12; OpenAPI's own keywords
    # (discriminator, xml, example) are annotations the validator ignores.
    # The registry retrieves nothing: without one, jsonschema fetches any
    # URI a schema names ($dynamicRef: file:///..., $id: http://...).
    validator = Draft202012Validator(
        {**schema, "components": components},
        registry=Registry(retrieve=_retrieve_nothing),  # type: ignore[call-arg]
    )
    try:
        errors = sorted(validator.iter_errors(example), key=lambda e: list(e.path))
    except (_RefResolutionError, Unresolvable):
        return  # references outside components: not ours to judge here
    except RecursionError:
        diags.warning(
            ptr,
            "its schema refers to itself without end; the example is not checked",
        )
        return
    except (TypeError, ValueError) as exc:
        # A keyword of the wrong type ("minimum": "0") that validators let by.
        diags.warning(
            ptr,
            f"its schema has a keyword jsonschema cannot apply ({exc}); "
            "the example is not checked",
        )
        return
    except re.error as exc:
        # OpenAPI patterns are ECMA-262; some (\\p{L}) Python cannot run.
        diags.warning(
            ptr,
            f"a pattern in its schema is not one Python can check ({exc}); "
            "the example is not checked against it",
        )
        return
    if not errors:
        return
    first = best_match(errors)
    where = "".join(f"/{p}" for p in first.path) or "the top"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    # The client is lenient inside a body of the declared kind; a body of
    # another kind (an object where the schema says string) it refuses.
    top_level = not first.path and first.validator in ("type", "$ref", "anyOf", "oneOf")
    outcome = (
        "responses like it raise APIResponseValidationError"
        if top_level
        else "responses like it are still returned (the client parses leniently)"
    )
    diags.warning(
        ptr,
        f"example contradicts its schema at {where}: {_short(first.message)}{more}; "
        f"{outcome}",
    )


def _retrieve_nothing(uri: str) -> Any:
    """Nothing outside the document is ever read or fetched."""
    from referencing.exceptions import NoSuchResource  # noqa: PLC0415

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""generator/docs.py: argument and field docs from everything the spec says."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    CORPUS,
    build_api,
    corpus_documents,
    json_at,
    json_content,
    json_deref,
    operation,
    path_param,
    spec_with,
    write_spec,
)

from generator.ir import Operation
from generator.pipeline import analyse

DOCUMENTS = corpus_documents(full_spec=True)


def _docs_of(tmp_path: Path, prop: dict[str, Any], **schemas: Any) -> tuple[str, str]:
    """(description, notes) of a query parameter and of a body field whose
    schema is ``prop``; both must agree."""
    paths = operation(
        "/things",
        "post",
        operationId="makeThing",
        tags=["Things"],
        parameters=[{"name": "q", "in": "query", "schema": prop}],
        requestBody=json_content({"type": "object", "properties": {"f": prop}}),
    )
    api, _ = build_api(tmp_path, spec_with(paths, schemas or None))
    [op] = api.operations
    param = op.parameters[0]
    assert op.body is not None
    field = op.body.fields[0]
    assert (param.description, param.notes) == (field.description, field.notes)
    return param.description, param.notes


def test_the_first_real_description_is_found(tmp_path: Path) -> None:
    target = {"type": "string", "description": "On the target."}
    # Beside the $ref (3.1 allows it), before the target's own.
    got = _docs_of(
        tmp_path,
        {"$ref": "#/components/schemas/T", "description": "Beside."},
        T=target,
    )
    assert got == ("Beside.", "")
    assert _docs_of(tmp_path, {"$ref": "#/components/schemas/T"}, T=target)[0] == (
        "On the target."
    )
    wrapped = {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}
    assert _docs_of(tmp_path, wrapped, T=target)[0] == "On the target."
    # None anywhere: no doc at all, never the argument's own name echoed.
    assert _docs_of(tmp_path, {"type": "string"}) == ("", "")


def test_notes_give_values_defaults_ranges_formats_and_examples(tmp_path: Path) -> None:
    described = {
        "type": "string",
        "enum": ["day", "month"],
        "x-enumDescriptions": {"day": "One day.", "month": "A calendar month."},
        "default": "day",
    }
    _, notes = _docs_of(tmp_path, described)
    assert (
        notes == 'Default: ``"day"``.\n\nOne of:\n'
        '- ``"day"``: One day.\n- ``"month"``: A calendar month.'
    )
    plain = {"type": "integer", "minimum": 1, "maximum": 100, "example": 20}
    assert _docs_of(tmp_path, plain)[1] == (
        "Range: at least 1 and at most 100. Example: ``20``."
    )
    listed = {"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 1}
    assert (
        _docs_of(tmp_path, listed)[1]
        == 'Each one of ``"a"``, ``"b"``. At least 1 item.'
    )
    assert _docs_of(tmp_path, {"type": "string", "format": "email"})[1] == (
        "Format: ``email``."
    )
    consts = {
        "oneOf": [{"const": 1, "title": "Low"}, {"const": 2, "description": "High."}]
    }
    assert _docs_of(tmp_path, consts)[1] == "One of:\n- ``1``: Low\n- ``2``: High."


def test_our_alert_arguments_list_their_values_with_their_meaning() -> None:
    api = analyse(Path("spec/mailgun.yaml"), ()).api
    assert api is not None
    [create] = [
        op
        for r in api.resources
        if r.attr == "alerts"
        for op in r.operations
        if op.method_name == "create"
    ]
    args = {a.name: a for a in create.keyword_args}
    for name in ("metric", "comparator", "dimension", "alert_channels"):
        notes = args[name].notes
        assert "one of:\n- ``" in notes.lower(), (name, notes)
        values = [line for line in notes.splitlines() if line.startswith("- ")]
        assert values and all("``: " in line for line in values), notes


def _described(doc: dict[str, Any], node: Any, depth: int = 0) -> bool:
    """Whether the spec describes this parameter or property anywhere: on
    itself, on what its $ref names, in a nullable wrapper's real member, in
    a one-member allOf, or on the items of an array (counted independently
    of generator/docs.py)."""
    if not isinstance(node, dict) or depth > 16:
        return False
    if isinstance(node.get("description"), str) and node["description"].strip():
        return True
    if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        return _described(doc, json_at(doc, node["$ref"][1:]), depth + 1)
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            real = [m for m in node[key] if not _null(doc, m)]
            return len(real) == 1 and _described(doc, real[0], depth + 1)
    if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
        return _described(doc, node["allOf"][0], depth + 1)
    if "schema" in node:  # a parameter
        return _described(doc, node["schema"], depth + 1)
    if node.get("type") == "array" and "items" in node:
        return _described(doc, node["items"], depth + 1)
    return False


def _null(doc: dict[str, Any], node: Any) -> bool:
    return isinstance(node, dict) and (
        node.get("type") == "null" or ("const" in node and node["const"] is None)
    )


def _arguments(op: Operation) -> list[tuple[str, str, bool]]:
    """(where, wire name, has a real doc) for each argument the spec gives."""
    out = [(p.location, p.wire_name, bool(p.description)) for p in op.parameters]
    if op.body is not None:
        out += [("body", f.wire_name, bool(f.description)) for f in op.body.fields]
    return out


@pytest.mark.skipif(not DOCUMENTS, reason=f"{CORPUS} is absent (it lives in ../shared)")
@pytest.mark.parametrize("spec", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_every_described_argument_has_its_doc(spec: Path) -> None:
    """An argument has a doc exactly when the spec describes its parameter
    or property somewhere: the share of documented arguments equals the
    share of described parameters and properties."""
    result = analyse(spec, ())
    assert result.api is not None
    doc = yaml.load(spec.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    wrong = []
    for op in result.api.operations:
        found = json_at(doc, op.pointer)
        params = _spec_parameters(doc, found, op.path)
        for p in op.parameters:
            expected = params.get((p.location, p.wire_name))
            if expected is not None and expected != bool(p.description):
                wrong.append(f"{op.pointer} {p.location} {p.wire_name}: {expected}")
        if op.body is not None and op.body.fields:
            props = _properties(doc, _body_schema(doc, found, op.body.media_type))
            for f in op.body.fields:
                expected = (
                    _described(doc, props[f.wire_name])
                    if f.wire_name in props
                    else None
                )
                if expected is not None and expected != bool(f.description):
                    wrong.append(f"{op.pointer} body {f.wire_name}: {expected}")
    assert not wrong, wrong[:20]


def _spec_parameters(
    doc: dict[str, Any], op: dict[str, Any], path: str
) -> dict[tuple[str, str], bool]:
    """Each parameter of an operation (the path item's too), by (in, name),
    with whether the spec describes it: beside its $ref, or on the target."""
    out = {}
    path_item = doc["paths"][path]
    for p in [*(path_item.get("parameters") or []), *(op.get("parameters") or [])]:
        target = json_deref(doc, p)
        if not isinstance(target, dict):
            continue
        beside = (
            isinstance(p, dict) and "$ref" in p and _described(doc, {**p, "$ref": None})
        )
        out[(target.get("in"), target.get("name"))] = beside or _described(doc, target)
    return out


def _body_schema(doc: dict[str, Any], op: dict[str, Any], media_type: str) -> Any:
    body = json_deref(doc, op.get("requestBody") or {})
    media = (body.get("content") or {}).get(media_type) or {}
    return json_deref(doc, media.get("schema") or {})


def _properties(doc: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """Every property of an object schema, through allOf, later ones winning."""
    out: dict[str, Any] = {}
    if not isinstance(schema, dict) or depth > 16:
        return out
    for part in schema.get("allOf") or []:
        out.update(_properties(doc, json_deref(doc, part), depth + 1))
    out.update(schema.get("properties") or {})
    return out


def test_the_readme_shows_calls_of_the_specs_own_operations(tmp_path: Path) -> None:
    """Every README showed Mailgun's ``client.bounces.get("mg.example.com",
    ...)``, whatever the spec; now its calls are the spec's own, with the
    spec's examples (only ones that cannot break out of a code block)."""
    from generator.pipeline import run

    paths = {
        **operation(
            "/boxes/{box}",
            operationId="getBox",
            tags=["Boxes"],
            parameters=[
                {**path_param("box"), "example": "big-box"},
                {
                    "name": "n",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "integer"},
                },
            ],
        ),
        **operation(
            "/lids/{lid}",
            operationId="getLid",
            tags=["Lids"],
            parameters=[{**path_param("lid"), "example": "```\nrm -rf /"}],
        ),
    }
    result = run(write_spec(tmp_path, spec_with(paths)))
    readme = result.files["README.md"]
    assert "bounces" not in readme and "mg.example.com" not in readme
    assert 'client.boxes.get("big-box", n=1, max_retries=0, timeout=3.0)' in readme
    assert 'client.boxes.with_raw_response.get("big-box", n=1)' in readme
    assert "rm -rf" not in readme
    assert "## Pagination" not in readme  # no operation pages

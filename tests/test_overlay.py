"""generator/overlay.py: OpenAPI Overlay 1.0, and --overlay on generate/lint/names."""

from pathlib import Path

import pytest
from helpers import MINIMAL, spec_with, write_spec

from generator.diagnostics import Diagnostics, SpecError
from generator.load import load
from generator.overlay import apply_overlay, check_overlay

DOC = spec_with(
    {
        "/a": {
            "get": {
                "operationId": "getA",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "r", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/old": {"get": {"responses": {"204": {"description": "ok"}}}},
    },
    schemas={"T": {"type": "object", "properties": {"a": {"type": "object"}}}},
)


def overlay(*actions: dict) -> dict:
    return {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": list(actions),
    }


def _apply(doc: dict, ov: dict) -> tuple[dict, Diagnostics]:
    diags = Diagnostics("ov.yaml")
    checked = check_overlay(ov, diags)
    assert checked is not None, diags.items
    return apply_overlay(doc, checked, diags), diags


def test_update_merges_deeply_and_remove_deletes() -> None:
    out, diags = _apply(
        DOC,
        overlay(
            {
                "target": "$.components.schemas.T.properties.a",
                "update": {"type": "string"},
            },
            {
                "target": "$.paths['/a'].get.parameters[?@.name == 'q']",
                "update": {"required": False, "x-note": {"k": 1}},
            },
            {"target": "$.paths['/old']", "remove": True},
            {"target": "$.paths['/a'].get", "update": {"x-python-method": "fetch"}},
        ),
    )
    assert diags.items == []
    assert out["components"]["schemas"]["T"]["properties"]["a"] == {"type": "string"}
    q = out["paths"]["/a"]["get"]["parameters"][0]
    assert q == {
        "name": "q",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "x-note": {"k": 1},
    }
    assert "/old" not in out["paths"]
    assert out["paths"]["/a"]["get"]["x-python-method"] == "fetch"
    assert DOC["paths"]["/a"]["get"]["parameters"][0]["required"] is True  # a copy


def test_update_appends_to_arrays_and_removes_many() -> None:
    out, _ = _apply(
        DOC,
        overlay(
            {
                "target": "$.paths['/a'].get.parameters",
                "update": {"name": "s", "in": "query"},
            },
            {
                "target": "$.paths['/a'].get.parameters"
                "[?@.in == 'query' && @.name != 's']",
                "remove": True,
            },
        ),
    )
    assert out["paths"]["/a"]["get"]["parameters"] == [{"name": "s", "in": "query"}]


@pytest.mark.parametrize(
    ("action", "pointer", "text"),
    [
        ({"target": "$.paths[", "update": {}}, "/actions/0/target", "bad JSONPath"),
        (
            {"target": "$.nothing.here", "update": {}},
            "/actions/0/target",
            "matches nothing",
        ),
        (
            {"target": "$.openapi", "update": {"x": 1}},
            "/actions/0/update",
            "only objects and arrays",
        ),
        ({"target": "$", "remove": True}, "/actions/0/target", "whole document"),
    ],
)
def test_bad_actions_are_clear_diagnostics(
    action: dict, pointer: str, text: str
) -> None:
    diags = Diagnostics("ov.yaml")
    apply_overlay(DOC, overlay(action), diags)
    (d,) = diags.errors
    assert (d.pointer, d.file) == (pointer, "ov.yaml")
    assert text in d.message


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        (
            {"info": {"title": "t", "version": "1"}, "actions": [{"target": "$"}]},
            "/overlay",
        ),
        ({"overlay": "1.0.0", "actions": [{"target": "$", "remove": True}]}, "/info"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}}, "/actions"),
        (overlay({"update": {}}), "/actions/0"),
        (overlay({"target": "$.x"}), "/actions/0"),
    ],
)
def test_not_an_overlay(doc: dict, pointer: str) -> None:
    diags = Diagnostics("ov.yaml")
    assert check_overlay(doc, diags) is None
    assert diags.errors[0].pointer == pointer


def test_load_applies_overlays_in_order_and_hashes_them(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, DOC)
    first = write_spec(
        tmp_path, overlay({"target": "$.info", "update": {"title": "One"}}), "one.yaml"
    )
    second = write_spec(
        tmp_path, overlay({"target": "$.info", "update": {"title": "Two"}}), "two.yaml"
    )
    plain = load(spec)
    both = load(spec, overlays=[first, second])
    assert both.data["info"]["title"] == "Two"
    assert both.overlays == ("one.yaml", "two.yaml")
    assert both.sha256 != plain.sha256
    assert load(spec, overlays=[second, first]).data["info"]["title"] == "One"


def test_overlay_errors_name_the_overlay_file(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, MINIMAL)
    bad = write_spec(tmp_path, overlay({"target": "$.nope", "update": {}}), "bad.yaml")
    with pytest.raises(SpecError) as info:
        load(spec, overlays=[bad])
    (d,) = info.value.diagnostics
    assert d.file == str(bad) and d.pointer == "/actions/0/target"
    broken = tmp_path / "broken.yaml"
    broken.write_text("overlay: [1.0\n")
    with pytest.raises(SpecError) as info:
        load(spec, overlays=[broken])
    assert info.value.diagnostics[0].file == str(broken)

"""generator/schemas.py: schemas to types, models and enums."""

from pathlib import Path

from helpers import build_api, spec_with, warning_lines

from generator import ir


def test_enums_dedupe_ints_nullable_and_varnames(tmp_path: Path) -> None:
    schemas = {
        "Dup": {"type": "string", "enum": ["a", "b", "a"]},
        "Code": {"type": "integer", "enum": [1, 2, 30]},
        "Maybe": {"type": ["string", "null"], "enum": ["x", None]},
        "Named": {
            "type": "string",
            "enum": ["<", ">"],
            "x-enum-varnames": ["LESS", "MORE"],
        },
    }
    api, diags = build_api(tmp_path, spec_with(schemas=schemas))
    enums = {e.name: e for e in api.enums}
    assert [m.value for m in enums["Dup"].members] == ["a", "b"]
    assert warning_lines(diags) == [
        "/components/schemas/Dup/enum/2|enum lists 'a' twice; kept once"
    ]
    assert enums["Code"].value_type == "int"
    assert [m.name for m in enums["Code"].members] == ["V_1", "V_2", "V_30"]
    assert [m.name for m in enums["Named"].members] == ["LESS", "MORE"]
    assert [m.value for m in enums["Maybe"].members] == ["x"]


def test_all_of_becomes_a_subclass(tmp_path: Path) -> None:
    schemas = {
        "Base": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}},
        },
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"n": {"type": "integer"}}},
            ]
        },
    }
    api, _ = build_api(tmp_path, spec_with(schemas=schemas))
    models = {m.name: m for m in api.models}
    assert models["Child"].base == "Base"
    assert [f.name for f in models["Child"].fields] == ["n"]
    assert [m.name for m in api.models] == ["Base", "Child"]


def test_object_wrapping_an_enum_is_the_enum_with_a_warning(tmp_path: Path) -> None:
    schemas = {
        "Metric": {"type": "string", "enum": ["a"]},
        "Req": {
            "type": "object",
            "properties": {
                "metric": {
                    "type": "object",
                    "allOf": [{"$ref": "#/components/schemas/Metric"}],
                }
            },
        },
    }
    api, diags = build_api(tmp_path, spec_with(schemas=schemas))
    (field,) = next(m for m in api.models if m.name == "Req").fields
    assert field.type == ir.TypeRef("enum", name="Metric")
    assert warning_lines(diags) == [
        "/components/schemas/Req/properties/metric/type|'type: object' with an allOf "
        "of a non-object schema; the allOf member's type is used"
    ]


def test_recursive_schema_is_a_self_referencing_model(tmp_path: Path) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Node"},
                },
                "parent": {
                    "anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]
                },
            },
        }
    }
    api, diags = build_api(tmp_path, spec_with(schemas=schemas))
    (node,) = api.models
    types = {f.name: f.type.annotation() for f in node.fields}
    assert types == {"value": "int", "children": "list[Node]", "parent": "Node | None"}
    assert diags.items == []


def test_reserved_field_names(tmp_path: Path) -> None:
    schemas = {
        "M": {
            "type": "object",
            "properties": {
                "json": {"type": "string"},
                "model_config": {"type": "string"},
                "int": {"type": "integer"},
                "x": {"type": "integer"},
            },
        }
    }
    api, _ = build_api(tmp_path, spec_with(schemas=schemas))
    assert [(f.name, f.wire_name) for f in api.models[0].fields] == [
        ("json_", "json"),
        ("model_config_", "model_config"),
        ("int_", "int"),
        ("x", "x"),
    ]

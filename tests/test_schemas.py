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


def test_an_all_of_that_includes_itself(tmp_path: Path) -> None:
    """RecursionError (exit 3) before; now the member that comes back is
    merged in without a base class (an object cannot extend itself)."""
    obj = "#/components/schemas/"
    schemas = {
        "A": {
            "allOf": [
                {"$ref": obj + "A"},
                {"type": "object", "properties": {"x": {"type": "string"}}},
            ]
        },
        "B": {
            "allOf": [
                {"$ref": obj + "C"},
                {"type": "object", "properties": {"b": {"type": "string"}}},
            ]
        },
        "C": {
            "allOf": [
                {"$ref": obj + "B"},
                {"type": "object", "properties": {"c": {"type": "integer"}}},
            ]
        },
        "D": {"allOf": [{"$ref": obj + "D"}]},
    }
    api, diags = build_api(tmp_path, spec_with(schemas=schemas))
    models = {m.name: m for m in api.models}
    assert models["A"].base == "" and [f.name for f in models["A"].fields] == ["x"]
    assert {f.name for f in models["B"].fields} == {"b", "c"}
    assert {f.name for f in models["C"].fields} == {"b", "c"}
    assert models["B"].base == models["C"].base == ""
    warnings = warning_lines(diags)
    assert (
        f"/components/schemas/A/allOf/0/$ref|allOf includes the schema itself "
        f"through '{obj}A'; its properties are merged in, without a base class"
    ) in warnings
    assert any(w.startswith("/components/schemas/B/allOf/0/$ref|") for w in warnings)


def test_a_ref_to_the_wrong_kind_of_object(tmp_path: Path) -> None:
    """A parameter whose $ref names a schema gave phantom arguments, a
    response naming a schema returned None: now the operation is left out
    with a warning, and a schema naming a response is typed Any."""
    doc = spec_with(
        paths={
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [{"$ref": "#/components/schemas/S"}],
                    "responses": {"200": {"description": "ok"}},
                },
                "put": {
                    "operationId": "putA",
                    "responses": {"200": {"$ref": "#/components/schemas/S"}},
                },
                "post": {
                    "operationId": "postA",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/responses/R"}
                                }
                            },
                        }
                    },
                },
            }
        },
        schemas={"S": {"type": "object", "properties": {"name": {"type": "string"}}}},
    )
    doc["components"]["responses"] = {"R": {"description": "r"}}
    api, diags = build_api(tmp_path, doc)
    ops = [op for r in api.resources for op in r.operations]
    assert [op.method_name for op in ops] == ["post"]
    assert ops[0].success.type == ir.TypeRef("any")
    warnings = warning_lines(diags)
    assert (
        "/paths/~1a/get/parameters/0/$ref|$ref '#/components/schemas/S' points at "
        "a schema, where a parameter belongs; the operation is not generated"
    ) in warnings
    assert any(w.startswith("/paths/~1a/put/responses/200/$ref|") for w in warnings)
    assert any("where a schema belongs; typed as Any" in w for w in warnings)

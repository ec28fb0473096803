"""generator/operations.py: parameters, request bodies, responses, pagination."""

from pathlib import Path
from typing import Any

from helpers import build_api, json_content, operation, spec_with

from generator import ir


def test_parameters_by_location_and_reserved_names(tmp_path: Path) -> None:
    params = [
        {"name": "b", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "a", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
        {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
        {"name": "Content-Type", "in": "header", "schema": {"type": "string"}},
        {
            "name": "class",
            "in": "query",
            "required": True,
            "schema": {"type": "string"},
        },
    ]
    api, diags = build_api(
        tmp_path,
        spec_with(operation("/x/{a}/{b}", operationId="op", parameters=params)),
    )
    op = api.operations[0]
    assert [p.name for p in op.path_params] == ["a", "b"]  # template order
    assert [(p.name, p.wire_name) for p in op.query_params] == [
        ("timeout_", "timeout"),
        ("class_", "class"),
    ]
    assert [p.name for p in op.header_params] == ["x_request_id"]
    assert op.keyword_args[0].name == "class_"  # required first
    assert any("Content-Type" in d.message for d in diags.infos)


def test_same_name_in_two_locations(tmp_path: Path) -> None:
    params = [
        {"name": "ip", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "ip", "in": "query", "schema": {"type": "string"}},
    ]
    api, diags = build_api(
        tmp_path, spec_with(operation("/x/{ip}", operationId="op", parameters=params))
    )
    assert [p.name for p in api.operations[0].parameters] == ["ip", "ip_query"]
    assert diags.items == []


def test_object_bodies_are_flattened_and_clashes_prefixed(tmp_path: Path) -> None:
    body = {
        "required": True,
        **json_content(
            {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "log-level": {"type": "string"},
                },
            }
        ),
    }
    params = [
        {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    api, _ = build_api(
        tmp_path,
        spec_with(
            operation(
                "/x/{name}",
                "put",
                operationId="put",
                parameters=params,
                requestBody=body,
            )
        ),
    )
    body_ir = api.operations[0].body
    assert body_ir is not None and body_ir.encoding == "json"
    assert [(f.name, f.wire_name, f.required) for f in body_ir.fields] == [
        ("body_name", "name", True),
        ("log_level", "log-level", False),
    ]


def test_one_method_per_request_media_type(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = {
        "content": {
            "application/x-www-form-urlencoded": {"schema": schema},
            "application/json": {"schema": {"type": "array", "items": schema}},
            "multipart/form-data": {"schema": schema, "x-python-method": "upload"},
        }
    }
    api, _ = build_api(
        tmp_path,
        spec_with(
            operation("/x", "post", operationId="add", tags=["X"], requestBody=body)
        ),
    )
    ops = api.operations
    assert [(o.method_name, o.body.encoding) for o in ops if o.body] == [
        ("add", "form"),
        ("add_json", "json"),
        ("upload", "multipart"),
    ]
    assert ops[1].body is not None and ops[1].body.whole is not None
    assert ops[1].body.whole.type.annotation() == "list[AddJsonBodyItem]"


def test_other_media_types_are_raw_bodies(tmp_path: Path) -> None:
    """Finding 1 of issue 8: an octet-stream or text body used to stop the run."""
    paths = {
        **operation(
            "/x",
            "post",
            operationId="x",
            requestBody={
                "content": {"application/xml": {"schema": {"type": "string"}}}
            },
        ),
        **operation(
            "/upload",
            "post",
            operationId="upload",
            requestBody={"required": True, "content": {"application/octet-stream": {}}},
        ),
    }
    api, diags = build_api(tmp_path, spec_with(paths))
    assert not diags.errors and not diags.warnings
    bodies = {op.operation_id: op.body for op in api.operations}
    xml, raw = bodies["x"], bodies["upload"]
    assert xml is not None and xml.encoding == "raw" and xml.whole is not None
    assert xml.whole.type.annotation() == "str | RawContent"
    assert not xml.whole.required  # the body is optional in the spec
    assert raw is not None and raw.whole is not None and raw.whole.required
    assert raw.whole.type.annotation() == "RawContent"


def test_responses_pick_the_success_type(tmp_path: Path) -> None:
    paths = {
        **operation(
            "/a",
            operationId="a",
            responses={
                "404": {"description": "missing", **json_content({"type": "object"})},
                "200": {
                    "description": "ok",
                    **json_content({"type": "array", "items": {"type": "string"}}),
                },
            },
        ),
        **operation(
            "/b",
            operationId="b",
            responses={"200": {"description": "csv", "content": {"text/csv": {}}}},
        ),
        **operation("/c", operationId="c"),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    by_id = {o.operation_id: o for o in api.operations}
    a = by_id["a"].success.type
    b = by_id["b"].success.type
    assert a is not None and a.annotation() == "list[str]"
    assert b is not None and b.annotation() == "str"
    assert by_id["c"].success.type is None
    assert [e.status for e in by_id["a"].errors] == ["404"]


def test_the_pagination_rule(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    paged = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "paging": {"type": "object", "properties": {"next": {"type": "string"}}},
        },
    }
    unpaged = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "total": {"type": "integer"},
        },
    }
    schemas = {"Item": item, "Paged": paged, "Unpaged": unpaged}

    def ok(name: str) -> dict[str, Any]:
        return {
            "200": {
                "description": "ok",
                **json_content({"$ref": f"#/components/schemas/{name}"}),
            }
        }

    paths = {
        **operation("/a", operationId="listA", responses=ok("Paged")),
        **operation("/b", operationId="listB", responses=ok("Unpaged")),
        **operation("/c", "post", operationId="postC", responses=ok("Paged")),
    }
    api, _ = build_api(tmp_path, spec_with(paths, schemas))
    pages = {o.operation_id: o.page for o in api.operations}
    assert pages["listA"] == ir.Page(item=ir.TypeRef("model", name="Item"))
    assert pages["listB"] is None and pages["postC"] is None

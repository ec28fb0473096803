"""Stage 2: the intermediate model built from small specs."""

from pathlib import Path
from typing import Any

from helpers import build_api, spec_with, write_spec

from generator import ir
from generator.diagnostics import Diagnostics


def _op(path: str, method: str = "get", **op: Any) -> dict[str, Any]:
    op.setdefault("responses", {"204": {"description": "done"}})
    return {path: {method: op}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _warnings(diags: Any) -> list[str]:
    return [f"{d.pointer}|{d.message}" for d in diags.warnings]


def test_resources_from_tags_and_readable_method_names(tmp_path: Path) -> None:
    paths = {
        **_op("/things", operationId="listThings", tags=["Things"]),
        **_op(
            "/things/{id}",
            operationId="getThing",
            tags=["Things"],
            parameters=[
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
        ),
        **_op("/other", operationId="ping", tags=["Health Checks"]),
        **_op("/untagged", operationId="doStuff"),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    got = {r.attr: [o.method_name for o in r.operations] for r in api.resources}
    assert got == {
        "default": ["do_stuff"],
        "health_checks": ["ping"],
        "things": ["list", "get"],
    }
    assert [r.class_name for r in api.resources] == [
        "Default",
        "HealthChecks",
        "Things",
    ]


def test_clashing_method_names_fall_back_to_the_operation_id(tmp_path: Path) -> None:
    # The plainest path keeps the short name; the other takes its full id.
    paths = {
        **_op("/a", "delete", operationId="deleteThing", tags=["Things"]),
        **_op("/b", "delete", operationId="deleteThings", tags=["Things"]),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    assert [o.method_name for o in api.resources[0].operations] == [
        "delete",
        "delete_things",
    ]


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
        tmp_path, spec_with(_op("/x/{a}/{b}", operationId="op", parameters=params))
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
        tmp_path, spec_with(_op("/x/{ip}", operationId="op", parameters=params))
    )
    assert [p.name for p in api.operations[0].parameters] == ["ip", "ip_query"]
    assert diags.items == []


def test_object_bodies_are_flattened_and_clashes_prefixed(tmp_path: Path) -> None:
    body = {
        "required": True,
        **_json(
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
            _op(
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
        spec_with(_op("/x", "post", operationId="add", tags=["X"], requestBody=body)),
    )
    ops = api.operations
    assert [(o.method_name, o.body.encoding) for o in ops if o.body] == [
        ("add", "form"),
        ("add_json", "json"),
        ("upload", "multipart"),
    ]
    assert ops[1].body is not None and ops[1].body.whole is not None
    assert ops[1].body.whole.type.annotation() == "list[AddJsonBodyItem]"


def test_unsupported_media_types(tmp_path: Path) -> None:
    only_xml = {"content": {"application/xml": {"schema": {"type": "string"}}}}
    _, diags = build_api(
        tmp_path, spec_with(_op("/x", "post", operationId="x", requestBody=only_xml))
    )
    assert [d.pointer for d in diags.errors] == ["/paths/~1x/post/requestBody/content"]
    assert "unsupported construct" in diags.errors[0].message


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
    assert _warnings(diags) == [
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
    assert _warnings(diags) == [
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


def test_class_name_clashes_are_settled_in_sorted_order(tmp_path: Path) -> None:
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    schemas = {"b-thing": obj, "a.thing": obj, "BaseModel": obj}
    api, diags = build_api(tmp_path, spec_with(schemas=schemas))
    names = {m.pointer: m.name for m in api.models}
    assert names == {
        "/components/schemas/a.thing": "AThing",
        "/components/schemas/b-thing": "BThing",
        "/components/schemas/BaseModel": "BaseModel2",  # BaseModel is ours
    }
    assert len(diags.infos) == 1 and not diags.warnings  # resolved, so reported as info


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


def test_responses_pick_the_success_type(tmp_path: Path) -> None:
    paths = {
        **_op(
            "/a",
            operationId="a",
            responses={
                "404": {"description": "missing", **_json({"type": "object"})},
                "200": {
                    "description": "ok",
                    **_json({"type": "array", "items": {"type": "string"}}),
                },
            },
        ),
        **_op(
            "/b",
            operationId="b",
            responses={"200": {"description": "csv", "content": {"text/csv": {}}}},
        ),
        **_op("/c", operationId="c"),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    by_id = {o.operation_id: o for o in api.operations}
    a = by_id["a"].success.type
    b = by_id["b"].success.type
    assert a is not None and a.annotation() == "list[str]"
    assert b is not None and b.annotation() == "str"
    assert by_id["c"].success.type is None
    assert [e.status for e in by_id["a"].errors] == ["404"]


def test_security_and_servers(tmp_path: Path) -> None:
    doc = spec_with(
        components={
            "securitySchemes": {
                "k": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }
        },
        security=[{"k": []}],
        servers=[
            {
                "url": "https://{env}.example.com",
                "description": "Production",
                "variables": {"env": {"default": "api"}},
            }
        ],
    )
    api, _ = build_api(tmp_path, doc)
    assert api.security == ir.Security("header", "X-Key", "")
    assert [(s.url, s.region) for s in api.servers] == [
        ("https://api.example.com", "production")
    ]
    assert (api.client_name, api.package, api.env_var) == (
        "Tiny",
        "tiny_client",
        "TINY_API_KEY",
    )


def test_unsupported_security_scheme_is_an_error(tmp_path: Path) -> None:
    doc = spec_with(
        components={"securitySchemes": {"m": {"type": "mutualTLS"}}},
        security=[{"m": []}],
    )
    _, diags = build_api(tmp_path, doc)
    assert [d.pointer for d in diags.errors] == ["/components/securitySchemes/m"]


METHOD_NAMES = [
    # (tag, method, path, response schema, summary) -> name
    ("Bounces", "get", "/v3/{domain_name}/bounces", {"type": "array"}, "", "list"),
    ("Bounces", "get", "/v3/{domain_name}/bounces/{address}", {}, "", "get"),
    ("Bounces", "delete", "/v3/{domain_name}/bounces", {}, "", "delete_all"),
    ("Bounces", "delete", "/v3/{domain_name}/bounces/{address}", {}, "", "delete"),
    ("Bounces", "post", "/v3/{domain_name}/bounces/import", {}, "Import", "import_"),
    (
        "Domain Tracking",
        "put",
        "/v3/domains/{name}/tracking/click",
        {},
        "",
        "update_click",
    ),
    ("Domains", "put", "/v4/domains/{name}/verify", {}, "Verify Domain", "verify"),
    ("Messages", "post", "/v3/{domain_name}/messages", {}, "Send an email", "send"),
    (
        "Messages",
        "post",
        "/v3/{domain_name}/messages.mime",
        {},
        "Send MIME",
        "send_mime",
    ),
    ("Lists", "get", "/v3/lists/{address}/members/{member}", {}, "", "get_member"),
    (
        "Lists",
        "post",
        "/v3/lists/{address}/members",
        {},
        "Add a member",
        "create_member",
    ),
    ("Alerts", "post", "/v1/alerts/send", {}, "Create a send alert", "create_send"),
    ("Hooks", "post", "/v3/d/{d}/hooks", {}, "", "create_v3"),
    ("Hooks", "post", "/v4/d/{d}/hooks", {}, "", "create"),
]


def test_machine_operation_ids_become_verb_and_path_names(tmp_path: Path) -> None:
    paths: dict[str, Any] = {}
    for i, (tag, method, path, schema, summary, _) in enumerate(METHOD_NAMES):
        paths.setdefault(path, {})[method] = {
            "operationId": f"{method.upper()}-{path.replace('/', '-')}",
            "tags": [tag],
            "summary": summary or f"op {i}",
            "responses": {"200": {"description": "ok", **_json(schema)}},
        }
    api, diags = build_api(tmp_path, spec_with(paths))
    got = {(o.http_method, o.path): o.method_name for o in api.operations}
    want = {(m, p): name for _, m, p, _, _, name in METHOD_NAMES}
    assert got == want
    assert not diags.warnings  # naming decisions are infos, not faults


def test_x_python_method_and_machine_tags(tmp_path: Path) -> None:
    paths = {
        **_op(
            "/v1/things",
            operationId="GET-v1-things",
            tags=["Things"],
            **{"x-python-method": "fetch_everything"},
        ),
        **_op(
            "/v1/things/{id}/x",
            operationId="GET-v1-x",
            tags=["openapi-tower_other"],
            parameters=[
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
        ),
    }
    api, diags = build_api(tmp_path, spec_with(paths))
    assert [(r.attr, [o.method_name for o in r.operations]) for r in api.resources] == [
        ("things", ["fetch_everything", "get_x"])
    ]
    assert any("looks machine-made" in d.message for d in diags.infos)


def test_machine_schema_names_are_cleaned(tmp_path: Path) -> None:
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    schemas = {
        "github.com-acme-thresholds-api-SendAlertRequest": obj,
        "github.com-acme-logs-api-pkg-api-model-Pagination": obj,
        "github.com-acme-tags-api-pkg-api-model-Pagination": obj,
        "POST-v3-domainID-bounces-multipart-form-data-RequestBody": obj,
        "Plain-Name": obj,
    }
    api, _ = build_api(tmp_path, spec_with(schemas=schemas))
    assert sorted(m.name for m in api.models) == [
        "BouncesRequestBody",
        "LogsPagination",
        "PlainName",
        "SendAlertRequest",
        "TagsPagination",
    ]


def test_examples_that_contradict_their_schema_are_reported(tmp_path: Path) -> None:
    from generator.checks import check_examples
    from generator.load import load

    paths = _op(
        "/x",
        operationId="x",
        responses={
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {
                            "A": {"value": {"at": {}}},
                            "B": {"value": {"at": "Mon, 1"}},
                        },
                    }
                },
            }
        },
    )
    schemas = {"Thing": {"type": "object", "properties": {"at": {"type": "object"}}}}
    path = write_spec(tmp_path, spec_with(paths, schemas))
    diags = Diagnostics(str(path))
    check_examples(load(path, diags), diags)
    assert [d.pointer for d in diags.warnings] == [
        "/paths/~1x/get/responses/200/content/application~1json/examples/B/value",
    ]
    assert "at /at: 'Mon, 1' is not of type 'object'" in diags.warnings[0].message


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
                **_json({"$ref": f"#/components/schemas/{name}"}),
            }
        }

    paths = {
        **_op("/a", operationId="listA", responses=ok("Paged")),
        **_op("/b", operationId="listB", responses=ok("Unpaged")),
        **_op("/c", "post", operationId="postC", responses=ok("Paged")),
    }
    api, _ = build_api(tmp_path, spec_with(paths, schemas))
    pages = {o.operation_id: o.page for o in api.operations}
    assert pages["listA"] == ir.Page(item=ir.TypeRef("model", name="Item"))
    assert pages["listB"] is None and pages["postC"] is None

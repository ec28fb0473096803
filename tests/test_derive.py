"""generator/derive.py: readable method, resource and schema names."""

from pathlib import Path
from typing import Any

from helpers import (
    build_api,
    json_content,
    operation,
    path_param,
    spec_with,
    warning_lines,
)


def test_clashing_method_names_fall_back_to_the_operation_id(tmp_path: Path) -> None:
    # The plainest path keeps the short name; the other takes its full id.
    paths = {
        **operation("/a", "delete", operationId="deleteThing", tags=["Things"]),
        **operation("/b", "delete", operationId="deleteThings", tags=["Things"]),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    assert [o.method_name for o in api.resources[0].operations] == [
        "delete",
        "delete_things",
    ]


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
            "responses": {"200": {"description": "ok", **json_content(schema)}},
        }
    api, diags = build_api(tmp_path, spec_with(paths))
    got = {(o.http_method, o.path): o.method_name for o in api.operations}
    want = {(m, p): name for _, m, p, _, _, name in METHOD_NAMES}
    assert got == want
    # Naming decisions are infos, not faults (the paths declare no parameters).
    assert not [w for w in diags.warnings if "has no parameter" not in w.message]


def test_x_python_method_and_machine_tags(tmp_path: Path) -> None:
    paths = {
        **operation(
            "/v1/things",
            operationId="GET-v1-things",
            tags=["Things"],
            **{"x-python-method": "fetch_everything"},
        ),
        **operation(
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


def test_readable_operation_ids_lose_the_resource_words(tmp_path: Path) -> None:
    # (path, operationId) -> method name on the "Bounces" resource
    cases = [
        ("/bounces", "listBounces", "list"),
        ("/bounces/{a}", "getBounce", "get"),
        ("/bounces/import", "importBounceList", "import_list"),
        ("/bounces/count", "CountAllBounces", "count_all"),
        ("/bounces/all", "Bounces", "get_all"),  # nothing left: from the path
    ]
    paths: dict[str, Any] = {}
    for path, op_id, _ in cases:
        params = [path_param("a")] if "{a}" in path else []
        paths.update(
            operation(path, operationId=op_id, tags=["Bounces"], parameters=params)
        )
    api, diags = build_api(tmp_path, spec_with(paths))
    assert {o.operation_id: o.method_name for o in api.operations} == {
        op_id: name for _, op_id, name in cases
    }
    assert diags.items == []  # readable ids are used as they are: nothing to say


def test_path_parameter_spellings_get_one_python_name(tmp_path: Path) -> None:
    paths: dict[str, Any] = {}
    for path in (
        "/v3/{domain}/stats",
        "/v3/{domain_name}/bounces",
        "/v3/{domain_name}/events",
    ):
        name = path.split("{")[1].split("}")[0]
        op_id = "get" + path.rsplit("/", 1)[1].title()
        paths.update(operation(path, operationId=op_id, parameters=[path_param(name)]))
    api, diags = build_api(tmp_path, spec_with(paths))
    got = {
        o.path: [(p.name, p.wire_name) for p in o.path_params] for o in api.operations
    }
    assert got == {
        "/v3/{domain}/stats": [("domain_name", "domain")],  # sent as spelled
        "/v3/{domain_name}/bounces": [("domain_name", "domain_name")],
        "/v3/{domain_name}/events": [("domain_name", "domain_name")],
    }
    assert warning_lines(diags) == [
        "/paths/~1v3~1{domain}~1stats|path parameter {domain} is spelled "
        "{domain_name} at the same place in other paths; in 1 path(s) its Python "
        "argument is named 'domain_name' (positional-only, as all path arguments "
        "are)"
    ]

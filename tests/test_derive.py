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


# (tag or None, method, path, operationId, summary) -> method name. Shapes
# taken from real documents (FastAPI, dotted namespaces, version tags, ids
# run together); each row is one kind.
ID_SHAPES = [
    ("Channels", "get", "/channels/{id}", "get_channel", "", "get"),
    ("Channels", "get", "/channels/{id}/pins", "getChannelPins", "", "get_pins"),
    ("Channels", "post", "/channels/{id}/pins", "add-channel-pin", "", "add_pin"),
    (
        "Channels",
        "put",
        "/channels/{id}/x",
        "Replace channel topic",
        "",
        "replace_topic",
    ),
    ("Flows", "post", "/flows/", "create_flow_flows__post", "", "create"),
    (
        "Flows",
        "get",
        "/flows/name/{name}",
        "read_flow_by_name_flows_name__name__get",
        "",
        "read_by_name",
    ),
    ("Application", "get", "/api/v1/app", "v1.application.list", "", "list"),
    (
        "Authentication",
        "post",
        "/api/v1/auth/token/{k}/expire",
        "v1.authentication.org-token.expire",
        "",
        "expire_org_token",
    ),
    ("Schedules", "post", "/api/v1/schedules", "create_schedule_v1", "", "create"),
    (
        "Org",
        "get",
        "/org/{o}/spend-limit",
        "getorganizationspendlimit",
        "Get organization spend limit",
        "get_organization_spend_limit",
    ),
    (
        "Organizations",
        "post",
        "/organizations/{a}/keys",
        "createan_ap_ikeyforaserviceaccount",
        "Create an API key for a service account",
        "create_api_key_for_service_account",
    ),
]


def test_operation_ids_of_every_shape_give_the_words_meant(tmp_path: Path) -> None:
    paths: dict[str, Any] = {}
    for tag, method, path, op_id, summary, _ in ID_SHAPES:
        params = [path_param(p.strip("{}")) for p in path.split("/") if "{" in p]
        paths.setdefault(path, {})[method] = {
            "operationId": op_id,
            "tags": [tag],
            **({"summary": summary} if summary else {}),
            "parameters": params,
            "responses": {"204": {"description": "done"}},
        }
    api, diags = build_api(tmp_path, spec_with(paths))
    got = {o.operation_id: o.method_name for o in api.operations}
    assert got == {op_id: name for *_, op_id, _, name in ID_SHAPES}
    assert not [d for d in diags.infos if "already taken" in d.message]


def test_untagged_operations_are_spread_over_resources_by_path(tmp_path: Path) -> None:
    """All untagged operations landed in one ``default`` resource."""
    paths = {
        **operation(
            "/api/v9/channels/{c}",
            operationId="get_channel",
            parameters=[path_param("c")],
        ),
        **operation(
            "/api/v9/channels/{c}/pins",
            operationId="get_pins",
            parameters=[path_param("c")],
        ),
        **operation(
            "/api/v9/guilds/{g}", operationId="get_guild", parameters=[path_param("g")]
        ),
        **operation(
            "/api/v9/guilds/{g}/bans",
            operationId="list_guild_bans",
            parameters=[path_param("g")],
            **{"x-python-resource": "Moderation"},
        ),
    }
    api, diags = build_api(tmp_path, spec_with(paths))
    got = {r.attr: [o.method_name for o in r.operations] for r in api.resources}
    assert got == {
        "channels": ["get", "get_pins"],
        "guilds": ["get"],
        "moderation": ["list_guild_bans"],
    }
    assert not diags.warnings


def test_the_client_name_keeps_the_titles_acronyms(tmp_path: Path) -> None:
    for title, name in [
        ("Acme AI API", "AcmeAI"),
        ("OpenAI REST API", "OpenAI"),
        ("MAILGUN API", "Mailgun"),
        ("trigger.dev v3", "TriggerDevV3"),
    ]:
        api, _ = build_api(tmp_path, spec_with(info={"title": title, "version": "1"}))
        assert api.client_name == name


def test_a_resource_yields_its_class_name_to_a_model(tmp_path: Path) -> None:
    """A tag ``Batch`` took the class name, so the component became ``Batch2``."""
    paths = operation(
        "/batches",
        operationId="getBatch",
        tags=["Batch"],
        responses={
            "200": {
                "description": "ok",
                **json_content({"$ref": "#/components/schemas/Batch"}),
            }
        },
    )
    schemas = {"Batch": {"type": "object", "properties": {"id": {"type": "string"}}}}
    api, diags = build_api(tmp_path, spec_with(paths, schemas))
    assert [m.name for m in api.models] == ["Batch"]
    assert [r.class_name for r in api.resources] == ["BatchResource"]
    assert not [d for d in diags.infos if "already taken" in d.message]


def test_union_members_are_named_from_the_spec(tmp_path: Path) -> None:
    def obj(**props: Any) -> dict[str, Any]:
        return {"type": "object", "properties": props}

    union = {
        "discriminator": {"propertyName": "kind"},
        "oneOf": [
            {**obj(id={"type": "string"}), "title": "Created event"},
            obj(kind={"const": "deleted"}, id={"type": "string"}),
            obj(kind={"enum": ["paused", "stopped"]}),
            {**obj(moved_to={"type": "string"}), "required": ["moved_to"]},
            obj(a={"type": "string"}),  # nothing of its own: numbered
            obj(a={"type": "string"}, extra={"type": "integer"}),
        ],
    }
    paths = operation(
        "/events",
        operationId="listEvents",
        tags=["Events"],
        responses={"200": {"description": "ok", **json_content(union)}},
    )
    api, diags = build_api(tmp_path, spec_with(paths))
    assert sorted(m.name for m in api.models) == [
        "CreatedEvent",
        "ListEventsResponse5",
        "ListEventsResponseDeleted",
        "ListEventsResponseExtra",
        "ListEventsResponseMovedTo",
        "ListEventsResponsePausedOrStopped",
    ]
    numbered = [d.message for d in diags.infos if "is numbered" in d.message]
    assert len(numbered) == 1 and "'ListEventsResponse5'" in numbered[0]


def test_a_nullable_wrapper_gives_its_name_to_the_one_real_member(
    tmp_path: Path,
) -> None:
    wrapped = {"anyOf": [{"type": "string", "enum": ["low", "high"]}, {"type": "null"}]}
    schemas = {"Args": {"type": "object", "properties": {"effort": wrapped}}}
    api, _ = build_api(tmp_path, spec_with(schemas=schemas))
    assert [e.name for e in api.enums] == ["ArgsEffort"]  # not ArgsEffort1


def test_a_titled_const_one_of_is_a_named_enum(tmp_path: Path) -> None:
    role = {
        "description": "What a member may do.",
        "oneOf": [
            {"title": "Viewer", "const": 0, "description": "Reads only."},
            {"title": "Editor", "const": 1},
            {"title": "Owner", "const": 2},
        ],
    }
    api, _ = build_api(tmp_path, spec_with(schemas={"Role": role}))
    [enum] = api.enums
    assert (enum.name, enum.value_type) == ("Role", "int")
    assert [(m.name, m.value, m.description) for m in enum.members] == [
        ("VIEWER", 0, "Reads only."),
        ("EDITOR", 1, ""),
        ("OWNER", 2, ""),
    ]


def test_error_bodies_are_named_by_their_status(tmp_path: Path) -> None:
    body = json_content({"type": "object", "properties": {"m": {"type": "string"}}})
    paths = operation(
        "/things",
        operationId="listThings_v2",
        tags=["Things"],
        responses={
            "200": {"description": "ok", **body},
            "404": {"description": "no", **body},
            "429": {"description": "slow down", **body},
            "418": {"description": "teapot", **body},
        },
    )
    api, _ = build_api(tmp_path, spec_with(paths))
    assert sorted(m.name for m in api.models) == [
        "ListThingsError418",
        "ListThingsNotFound",
        "ListThingsResponse",
        "ListThingsTooManyRequests",
    ]

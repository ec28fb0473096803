"""generator/model.py: the whole API: resources, class names, servers, security."""

from pathlib import Path

from helpers import build_api, operation, spec_with

from generator import ir


def test_resources_from_tags_and_readable_method_names(tmp_path: Path) -> None:
    paths = {
        **operation("/things", operationId="listThings", tags=["Things"]),
        **operation(
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
        **operation("/other", operationId="ping", tags=["Health Checks"]),
        **operation("/untagged", operationId="doStuff"),
    }
    api, _ = build_api(tmp_path, spec_with(paths))
    got = {r.attr: [o.method_name for o in r.operations] for r in api.resources}
    assert got == {
        "health_checks": ["ping"],
        "things": ["list", "get"],
        "untagged": ["do_stuff"],  # no tag: the resource its path names
    }
    assert [r.class_name for r in api.resources] == [
        "HealthChecks",
        "Things",
        "Untagged",
    ]


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
    assert api.security == (ir.Security("k", "header", "X-Key", ""),)
    assert api.default_security == (("k",),)
    assert [(s.url, s.region, s.variables) for s in api.servers] == [
        ("https://{env}.example.com", "production", (("env", "api"),))
    ]
    assert (api.client_name, api.package, api.env_var) == (
        "Tiny",
        "tiny_client",
        "TINY_API_KEY",
    )


def test_unsupported_security_scheme_costs_only_itself(tmp_path: Path) -> None:
    doc = spec_with(
        operation("/a", operationId="a"),
        components={"securitySchemes": {"m": {"type": "mutualTLS"}}},
        security=[{"m": []}],
    )
    api, diags = build_api(tmp_path, doc)
    assert not diags.errors
    assert [d.pointer for d in diags.warnings] == [
        "/components/securitySchemes/m",
        "/security/0",
    ]
    assert [op.method_name for op in api.operations] == ["get"]
    assert api.security == () and not api.needs_key


def test_server_variables_without_a_default_are_reported(tmp_path: Path) -> None:
    """Issue 8, finding 12: ``{tenant}`` with no definition stayed in the URL."""
    doc = spec_with(servers=[{"url": "https://{tenant}.example.com/{v}"}])
    doc["servers"][0]["variables"] = {"v": {"default": "v1", "enum": ["v1", "v2"]}}
    api, diags = build_api(tmp_path, doc)
    assert [(d.pointer, d.message) for d in diags.warnings] == [
        (
            "/servers/0/url",
            "server variable {tenant} has no default; the client needs "
            "server_variables={'tenant': ...}",
        )
    ]
    (server,) = api.servers
    assert server.variables == (("tenant", ""), ("v", "v1"))
    assert server.choices == (("v", ("v1", "v2")),)

"""generator/diff.py: the API change report, one kind of spec edit per row.

Each row edits a deep copy of one small base document and names every line
the report must hold, as (kind, severity, Python name): a line more or less
fails the row, so each edit is shown to make exactly the changes it should.
"""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import SPEC, build_api, json_content, write_spec

from generator.cli import main
from generator.diff import Change, diff


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", **json_content(schema)}}


BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny API", "version": "1.0.0"},
    "servers": [
        {"url": "https://tiny.example.com", "x-region": "main"},
        {"url": "https://eu.tiny.example.com", "x-region": "eu"},
    ],
    "paths": {
        "/v3/bounces": {
            "get": {
                "operationId": "listBounces",
                "tags": ["Bounces"],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "default": 100},
                    },
                    {
                        "name": "tag",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                ],
                "responses": ok(ref("BounceList")),
            },
            "post": {
                "operationId": "createBounce",
                "tags": ["Bounces"],
                "requestBody": {"required": True, **json_content(ref("BounceCreate"))},
                "responses": ok(ref("Bounce")),
            },
        },
        "/v3/bounces/{address}": {
            "get": {
                "operationId": "getBounce",
                "tags": ["Bounces"],
                "parameters": [
                    {
                        "name": "address",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": ok(ref("Bounce")),
            }
        },
        "/v3/events": {
            "get": {
                "operationId": "listEvents",
                "tags": ["Events"],
                "parameters": [
                    {
                        "name": "begin",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": ok(ref("Event")),
            }
        },
    },
    "webhooks": {
        "bounced": {
            "post": {
                "requestBody": json_content(ref("Event")),
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Bounce": {
                "type": "object",
                "required": ["address", "code"],
                "properties": {
                    "address": {"type": "string"},
                    "code": {"type": "string"},
                    "created_at": {"type": "string"},
                    "severity": ref("Severity"),
                },
            },
            "BounceList": {
                "type": "object",
                "properties": {"bounces": {"type": "array", "items": ref("Bounce")}},
            },
            "BounceCreate": {
                "type": "object",
                "required": ["address"],
                "properties": {
                    "address": {"type": "string"},
                    "code": {"type": "string"},
                    "kind": ref("Kind"),
                    "meta": ref("Meta"),
                },
            },
            "Meta": {
                "type": "object",
                "required": ["note"],
                "properties": {"note": {"type": "string"}},
            },
            "Event": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "type": {"type": "string"}},
            },
            "Legacy": {"type": "object", "properties": {"x": {"type": "string"}}},
            "Kind": {"type": "string", "enum": ["hard", "soft"]},
            "Severity": {"type": "string", "enum": ["low", "high"]},
        }
    },
}

Doc = dict[str, Any]
Line = tuple[str, str, str]


def op(doc: Doc, path: str, method: str = "get") -> Doc:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


def param(doc: Doc, path: str, name: str, method: str = "get") -> Doc:
    return next(p for p in op(doc, path, method)["parameters"] if p["name"] == name)


def schema(doc: Doc, name: str) -> Doc:
    return doc["components"]["schemas"][name]  # type: ignore[no-any-return]


def edit(*steps: Callable[[Doc], object]) -> Callable[[Doc], None]:
    """An edit of several steps, each a lambda (for rows that need two)."""

    def apply(doc: Doc) -> None:
        for step in steps:
            step(doc)

    return apply


B, E, BA = "/v3/bounces", "/v3/events", "/v3/bounces/{address}"
BREAKING, ADDITIVE, DEPRECATION = "breaking", "non-breaking", "deprecation"

# name -> (edit, expected report lines)
ROWS: dict[str, tuple[Callable[[Doc], object], list[Line]]] = {
    # --- methods and resources
    "remove an operation": (
        lambda d: d["paths"].pop(BA),
        [("method-removed", BREAKING, "client.bounces.get()")],
    ),
    "rename x-python-method": (
        lambda d: op(d, BA).update({"x-python-method": "fetch"}),
        [("method-renamed", BREAKING, "client.bounces.fetch()")],
    ),
    "rename operationId": (
        lambda d: op(d, BA).update({"operationId": "showBounce"}),
        [("method-renamed", BREAKING, "client.bounces.show()")],
    ),
    "move an operation to another tag": (
        lambda d: op(d, BA).update({"tags": ["Events"]}),
        [("method-renamed", BREAKING, "client.events.get_bounce()")],
    ),
    "add a tag (a resource)": (
        lambda d: d["paths"].update(
            {
                "/v3/domains": {
                    "get": {
                        "operationId": "listDomains",
                        "tags": ["Domains"],
                        "responses": {"204": {"description": "done"}},
                    }
                }
            }
        ),
        [("resource-added", ADDITIVE, "client.domains")],
    ),
    "remove a tag (a resource)": (
        lambda d: d["paths"].pop(E),
        [("resource-removed", BREAKING, "client.events")],
    ),
    "add an operation to a resource": (
        lambda d: d["paths"][BA].update(
            {
                "delete": {
                    "operationId": "deleteBounce",
                    "tags": ["Bounces"],
                    "parameters": [param(d, BA, "address")],
                    "responses": {"204": {"description": "done"}},
                }
            }
        ),
        [("method-added", ADDITIVE, "client.bounces.delete()")],
    ),
    "deprecate an operation": (
        lambda d: op(d, E).update({"deprecated": True}),
        [("method-deprecated", DEPRECATION, "client.events.list()")],
    ),
    "change the response type": (
        lambda d: op(d, BA).update({"responses": ok(ref("Event"))}),
        [("return-type-changed", BREAKING, "client.bounces.get()")],
    ),
    # --- arguments
    "add a required query parameter": (
        lambda d: op(d, B)["parameters"].append(
            {
                "name": "since",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
            }
        ),
        [("argument-added-required", BREAKING, "client.bounces.list(since=)")],
    ),
    "add an optional query parameter": (
        lambda d: op(d, B)["parameters"].append(
            {"name": "since", "in": "query", "schema": {"type": "string"}}
        ),
        [("argument-added-optional", ADDITIVE, "client.bounces.list(since=)")],
    ),
    "remove a parameter": (
        lambda d: op(d, B)["parameters"].pop(0),
        [("argument-removed", BREAKING, "client.bounces.list(limit=)")],
    ),
    "rename a parameter with x-python-name": (
        lambda d: param(d, B, "limit").update({"x-python-name": "max_items"}),
        [("argument-renamed", BREAKING, "client.bounces.list(max_items=)")],
    ),
    "rename a body field with x-python-name": (
        lambda d: schema(d, "BounceCreate")["properties"]["code"].update(
            {"x-python-name": "bounce_code"}
        ),
        [
            ("argument-renamed", BREAKING, "client.bounces.create(bounce_code=)"),
            ("field-renamed", BREAKING, "types.BounceCreate.bounce_code"),
        ],
    ),
    "retype a parameter (narrower)": (
        lambda d: param(d, B, "limit")["schema"].update({"type": "string"}),
        [("argument-retyped", BREAKING, "client.bounces.list(limit=)")],
    ),
    "retype a parameter (wider)": (
        lambda d: param(d, B, "limit")["schema"].update(
            {"type": ["integer", "string"]}
        ),
        [("argument-retyped", ADDITIVE, "client.bounces.list(limit=)")],
    ),
    "make a parameter required": (
        lambda d: param(d, B, "limit").update({"required": True}),
        [("argument-made-required", BREAKING, "client.bounces.list(limit=)")],
    ),
    "make a parameter optional": (
        lambda d: param(d, E, "begin").update({"required": False}),
        [("argument-made-optional", ADDITIVE, "client.events.list(begin=)")],
    ),
    "change a default": (
        lambda d: param(d, B, "limit")["schema"].update({"default": 50}),
        [("argument-default-changed", ADDITIVE, "client.bounces.list(limit=)")],
    ),
    "deprecate a parameter": (
        lambda d: param(d, B, "limit").update({"deprecated": True}),
        [("argument-deprecated", DEPRECATION, "client.bounces.list(limit=)")],
    ),
    # --- wire level: the same signature, another request
    "change a path": (
        lambda d: d["paths"].update({"/v4/events": d["paths"].pop(E)}),
        [("path-changed", BREAKING, "client.events.list()")],
    ),
    "move a parameter from query to header": (
        lambda d: param(d, BA, "X-Trace").update({"in": "query"}),
        [("argument-location-changed", BREAKING, "client.bounces.get(x_trace=)")],
    ),
    "change a parameter's style": (
        lambda d: param(d, B, "tag").update({"explode": False}),
        [("argument-style-changed", BREAKING, "client.bounces.list(tag=)")],
    ),
    "change the wire name behind an argument": (
        lambda d: param(d, B, "limit").update(
            {"name": "max", "x-python-name": "limit"}
        ),
        [("argument-wire-name-changed", BREAKING, "client.bounces.list(limit=)")],
    ),
    "change the request media type from JSON to form": (
        lambda d: op(d, B, "post")["requestBody"].update(
            {
                "content": {
                    "application/x-www-form-urlencoded": {"schema": ref("BounceCreate")}
                }
            }
        ),
        [("request-media-type-changed", BREAKING, "client.bounces.create()")],
    ),
    # --- models and fields
    "add a model": (
        lambda d: d["components"]["schemas"].update(
            {"Domain": {"type": "object", "properties": {"name": {"type": "string"}}}}
        ),
        [("model-added", ADDITIVE, "types.Domain")],
    ),
    "remove a model": (
        lambda d: d["components"]["schemas"].pop("Legacy"),
        [("model-removed", BREAKING, "types.Legacy")],
    ),
    "add a response field": (
        lambda d: schema(d, "Bounce")["properties"].update(
            {"reason": {"type": "string"}}
        ),
        [("field-added-optional", ADDITIVE, "types.Bounce.reason")],
    ),
    "remove a response field": (
        lambda d: schema(d, "Bounce")["properties"].pop("created_at"),
        [("field-removed", BREAKING, "types.Bounce.created_at")],
    ),
    "make a response field optional": (
        lambda d: schema(d, "Bounce")["required"].remove("code"),
        [("field-made-optional", BREAKING, "types.Bounce.code")],
    ),
    "make a response field required": (
        lambda d: schema(d, "Bounce")["required"].append("created_at"),
        [("field-made-required", ADDITIVE, "types.Bounce.created_at")],
    ),
    "make a response field nullable": (
        lambda d: schema(d, "Bounce")["properties"]["code"].update(
            {"type": ["string", "null"]}
        ),
        [("field-made-nullable", BREAKING, "types.Bounce.code")],
    ),
    "retype a response field": (
        lambda d: schema(d, "Bounce")["properties"]["created_at"].update(
            {"type": "integer"}
        ),
        [("field-retyped", BREAKING, "types.Bounce.created_at")],
    ),
    "deprecate a response field": (
        lambda d: schema(d, "Bounce")["properties"]["code"].update(
            {"deprecated": True}
        ),
        [("field-deprecated", DEPRECATION, "types.Bounce.code")],
    ),
    "make a request-model field optional": (
        lambda d: schema(d, "Meta").pop("required"),
        [("field-made-optional", ADDITIVE, "types.Meta.note")],
    ),
    "add a required request-model field": (
        edit(
            lambda d: schema(d, "Meta")["properties"].update(
                {"lang": {"type": "string"}}
            ),
            lambda d: schema(d, "Meta")["required"].append("lang"),
        ),
        [("field-added-required", BREAKING, "types.Meta.lang")],
    ),
    # --- enums: ours are open
    "add a value to a response enum": (
        lambda d: schema(d, "Severity")["enum"].append("medium"),
        [("enum-member-added", ADDITIVE, "types.Severity.MEDIUM")],
    ),
    "remove a value from a response enum": (
        lambda d: schema(d, "Severity")["enum"].remove("high"),
        [("enum-member-removed", BREAKING, "types.Severity.HIGH")],
    ),
    "add a value to a request enum": (
        lambda d: schema(d, "Kind")["enum"].append("temporary"),
        [("enum-member-added", ADDITIVE, "types.Kind.TEMPORARY")],
    ),
    "remove a value from a request enum": (
        lambda d: schema(d, "Kind")["enum"].remove("soft"),
        [("enum-member-removed", BREAKING, "types.Kind.SOFT")],
    ),
    # --- servers
    "add a server": (
        lambda d: d["servers"].append(
            {"url": "https://us.tiny.example.com", "x-region": "us"}
        ),
        [("server-added", ADDITIVE, "Region.US")],
    ),
    "remove a server": (
        lambda d: d["servers"].pop(),
        [("server-removed", BREAKING, "Region.EU")],
    ),
    "change a server's URL": (
        lambda d: d["servers"][1].update({"url": "https://api.eu.tiny.example.com"}),
        [("server-url-changed", BREAKING, "Region.EU")],
    ),
    # --- webhooks
    "add a webhook": (
        lambda d: d["webhooks"].update({"complained": d["webhooks"]["bounced"]}),
        [("webhook-added", ADDITIVE, "parse_webhook('complained')")],
    ),
    "remove a webhook": (
        lambda d: d["webhooks"].pop("bounced"),
        [("webhook-removed", BREAKING, "parse_webhook('bounced')")],
    ),
    "change a webhook's payload": (
        lambda d: d["webhooks"]["bounced"]["post"].update(
            {"requestBody": json_content(ref("Bounce"))}
        ),
        [("webhook-payload-changed", BREAKING, "parse_webhook('bounced')")],
    ),
}


def test_the_table_has_thirty_kinds_of_edit() -> None:
    kinds = {line[0] for _, lines in ROWS.values() for line in lines}
    assert len(ROWS) >= 30 and len(kinds) >= 30, (len(ROWS), sorted(kinds))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Any:
    api, diags = build_api(tmp_path_factory.mktemp("base"), BASE)
    assert not diags.errors and not diags.warnings, diags.items
    return api


def _report(base: Any, tmp_path: Path, doc: Doc) -> list[Change]:
    api, diags = build_api(tmp_path, doc)
    assert not diags.errors, diags.items
    return diff(base, api)


@pytest.mark.parametrize("row", ROWS)
def test_each_edit_makes_exactly_its_report_lines(
    base: Any, tmp_path: Path, row: str
) -> None:
    change, expected = ROWS[row]
    doc = copy.deepcopy(BASE)
    change(doc)
    report = _report(base, tmp_path, doc)
    got = sorted((c.kind, c.severity, c.python) for c in report)
    assert got == sorted(expected), "\n".join(
        f"{c.python}: {c.message}" for c in report
    )
    for c in report:  # every line says where, in the document it is about
        assert c.message and "\n" not in c.message
        assert c.old_pointer or c.new_pointer, c


def test_a_new_response_enum_value_says_our_enums_are_open(
    base: Any, tmp_path: Path
) -> None:
    doc = copy.deepcopy(BASE)
    schema(doc, "Severity")["enum"].append("medium")
    (line,) = _report(base, tmp_path, doc)
    assert "open" in line.message and "still parse" in line.message, line.message
    assert line.old_pointer == line.new_pointer == "/components/schemas/Severity"


def test_pointers_name_the_place_in_each_document(base: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(BASE)
    param(doc, B, "limit").update({"x-python-name": "max_items"})
    (line,) = _report(base, tmp_path, doc)
    assert (
        line.old_pointer == line.new_pointer == "/paths/~1v3~1bounces/get/parameters/0"
    )


def test_the_report_is_the_same_whatever_the_order_of_the_document(
    base: Any, tmp_path: Path
) -> None:
    doc = copy.deepcopy(BASE)
    for row in (
        "remove an operation",
        "add a model",
        "add a server",
        "remove a webhook",
    ):
        ROWS[row][0](doc)
    shuffled = copy.deepcopy(doc)
    shuffled["paths"] = dict(reversed(list(doc["paths"].items())))
    shuffled["components"]["schemas"] = dict(
        reversed(list(doc["components"]["schemas"].items()))
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _report(base, tmp_path / "a", doc)
    second = _report(base, tmp_path / "b", shuffled)
    assert first == second and len(first) == 4
    assert [c.severity for c in first] == sorted(
        (c.severity for c in first), key=("breaking", "non-breaking").index
    )


def test_mailgun_spec_against_itself_is_an_empty_report() -> None:
    result = CliRunner().invoke(
        main, ["diff", "--from", str(SPEC), "--to", str(SPEC), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


# --- the command line ---------------------------------------------------------


def _specs(tmp_path: Path, *rows: str) -> tuple[str, str]:
    new = copy.deepcopy(BASE)
    for row in rows:
        ROWS[row][0](new)
    return (
        str(write_spec(tmp_path, BASE, "old.yaml")),
        str(write_spec(tmp_path, new, "new.yaml")),
    )


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)


def test_cli_text_groups_by_severity_with_a_summary(tmp_path: Path) -> None:
    old, new = _specs(
        tmp_path, "remove an operation", "add a model", "deprecate an operation"
    )
    result = _cli("--from", old, "--to", new)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Breaking (1):"
    assert lines[1].split() == [
        "method-removed",
        "client.bounces.get():",
        "client.bounces.get()",
        "removed",
        "(GET",
        "/v3/bounces/{address})",
    ]
    assert "Non-breaking (1):" in lines and "Deprecations (1):" in lines
    assert lines[-1] == "1 breaking, 1 non-breaking, 1 deprecations"


def test_cli_json_is_a_stable_list_of_objects(tmp_path: Path) -> None:
    old, new = _specs(tmp_path, "add a required query parameter", "add a server")
    first = _cli("--from", old, "--to", new, "--format", "json")
    assert first.exit_code == 0
    assert first.output == _cli("--from", old, "--to", new, "--format", "json").output
    assert json.loads(first.output) == [
        {
            "kind": "argument-added-required",
            "severity": "breaking",
            "python": "client.bounces.list(since=)",
            "message": "required argument 'since' added (str)",
            "old_pointer": "",
            "new_pointer": "/paths/~1v3~1bounces/get/parameters/2",
        },
        {
            "kind": "server-added",
            "severity": "non-breaking",
            "python": "Region.US",
            "message": "region 'us' (https://us.tiny.example.com) added",
            "old_pointer": "",
            "new_pointer": "/servers/2",
        },
    ]


def test_cli_markdown_is_a_table(tmp_path: Path) -> None:
    old, new = _specs(tmp_path, "retype a parameter (wider)")
    result = _cli("--from", old, "--to", new, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "**API changes**: 0 breaking, 1 non-breaking, 0 deprecations"
    assert lines[2] == "| severity | change | Python | what | old | new |"
    # A union's "|" cannot end a cell early.
    assert lines[4].startswith(
        "| non-breaking | `argument-retyped` | `client.bounces.list(limit=)` | "
        "takes int \\| str, was int (wider) |"
    )
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("rows", "fail_on", "code"),
    [
        (("add a required query parameter",), "breaking", 1),
        (("add an optional query parameter", "add a model"), "breaking", 0),
        (("deprecate a parameter",), "breaking", 0),
        (("deprecate a parameter",), "deprecation", 1),
        (("remove a parameter",), "deprecation", 1),
        (("add a model",), "deprecation", 0),
        (("remove a parameter",), None, 0),
    ],
)
def test_cli_fail_on(
    tmp_path: Path, rows: tuple[str, ...], fail_on: str | None, code: int
) -> None:
    old, new = _specs(tmp_path, *rows)
    extra = ["--fail-on", fail_on] if fail_on else []
    assert _cli("--from", old, "--to", new, *extra).exit_code == code


def test_cli_overlays_apply_to_both_documents(tmp_path: Path) -> None:
    old, new = _specs(tmp_path, "rename x-python-method")
    overlay = write_spec(
        tmp_path,
        {
            "overlay": "1.0.0",
            "info": {"title": "names", "version": "1"},
            "actions": [
                {
                    "target": "$.paths['/v3/bounces/{address}'].get",
                    "update": {"x-python-method": "lookup"},
                }
            ],
        },
        "overlay.yaml",
    )
    result = _cli("--from", old, "--to", new, "--overlay", str(overlay))
    assert result.exit_code == 0
    assert result.output.strip() == "0 breaking, 0 non-breaking, 0 deprecations"


def test_cli_spec_errors_exit_2_with_one_line_each(tmp_path: Path) -> None:
    old, _ = _specs(tmp_path)
    broken = copy.deepcopy(BASE)
    op(broken, B)["responses"] = ok(ref("Gone"))
    bad = write_spec(tmp_path, broken, "bad.yaml")
    result = CliRunner().invoke(main, ["diff", "--from", old, "--to", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and not result.stdout
    assert result.stderr.splitlines()[0].startswith(
        f"error: {bad}#/paths/~1v3~1bounces/get/responses/200/content/"
        "application~1json/schema/$ref: broken $ref"
    )

"""spec/mailgun.yaml itself: valid, complete, and its examples match its schemas."""

from typing import Any

import pytest
import yaml
from helpers import SPEC
from openapi_pydantic import parse_obj
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

DOC: dict[str, Any] = yaml.safe_load(SPEC.read_text())
METHODS = ("get", "put", "post", "delete", "patch")
OPERATIONS = [
    (path, method, op)
    for path, item in DOC["paths"].items()
    for method, op in item.items()
    if method in METHODS
]
IDS = [f"{m.upper()} {p}" for p, m, _ in OPERATIONS]


def test_validators_accept_it() -> None:
    validate(DOC)
    assert parse_obj(DOC).info.title == "Mailgun API"


def test_covers_the_operations_we_promise() -> None:
    assert len(OPERATIONS) == 76
    tags = {op["tags"][0] for _, _, op in OPERATIONS}
    assert tags == {
        "Messages",
        "Domains",
        "Domain Tracking",
        "Account Webhooks",
        "Stats",
        "Events",
        "Alerts",
        "Bounces",
        "Allowlist",
        "Unsubscribes",
        "Complaints",
        "Templates",
        "Domain Webhooks",
        "Metrics",
        "Logs",
    }
    assert {s["url"] for s in DOC["servers"]} == {
        "https://api.mailgun.net",
        "https://api.eu.mailgun.net",
    }


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = DOC
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=IDS)
def test_operation_is_complete(path: str, method: str, op: dict[str, Any]) -> None:
    assert op.get("operationId") and op.get("summary")
    errors = [_deref(r) for s, r in op["responses"].items() if s.startswith(("4", "5"))]
    assert errors, "documents its error responses"
    for err in errors:
        schema = err["content"]["application/json"]["schema"]
        assert _deref(schema)["required"] == ["message"]
    for status, resp in op["responses"].items():
        for media in _deref(resp).get("content", {}).values():
            assert "example" in media, f"{status} has an example"
    if "requestBody" in op:
        for media in op["requestBody"]["content"].values():
            assert "example" in media or media["schema"] in (
                {"$ref": "#/components/schemas/CsvUpload"},
                {"$ref": "#/components/schemas/SendMimeForm"},
            )  # a file has no example


def _examples() -> list[tuple[str, Any, Any]]:
    found = []
    for path, method, op in OPERATIONS:
        for status, resp in op["responses"].items():
            for mt, media in _deref(resp).get("content", {}).items():
                if "example" in media:
                    found.append(
                        (
                            f"{method} {path} {status} {mt}",
                            media["schema"],
                            media["example"],
                        )
                    )
        for mt, media in op.get("requestBody", {}).get("content", {}).items():
            if "example" in media:
                found.append(
                    (f"{method} {path} body {mt}", media["schema"], media["example"])
                )
    for name, item in DOC.get("webhooks", {}).items():
        for method, op in item.items():
            for mt, media in op["requestBody"]["content"].items():
                found.append(
                    (f"webhook {name} {method} {mt}", media["schema"], media["example"])
                )
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize(
    ("where", "schema", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_examples_match_their_schemas(where: str, schema: Any, example: Any) -> None:
    # Carry the components along so "#/components/..." refs resolve.
    validator = OAS31Validator({**schema, "components": DOC["components"]})
    errors = [e.message for e in validator.iter_errors(example)]
    assert errors == [], where


def test_deprecations_name_a_method_that_replaces_them() -> None:
    """Each deprecated operation says which method to use instead, and that
    method exists on the generated client."""
    import re

    from mailgun_client import Mailgun

    client = Mailgun("key")
    deprecated = [op for _, _, op in OPERATIONS if op.get("deprecated")]
    assert len(deprecated) >= 8
    for op in deprecated:
        found = re.search(r"`client\.(\w+)\.(\w+)\(\)`", op.get("description", ""))
        assert found, op["operationId"]
        assert callable(getattr(getattr(client, found[1]), found[2]))

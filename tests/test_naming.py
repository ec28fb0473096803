"""generator/naming.py: identifiers from arbitrary spec text are safe Python."""

import keyword
from pathlib import Path

import pytest
from helpers import build_api, generate_package, operation, spec_with, write_spec

from generator.naming import Namespace, constant, pascal, snake

CASES = [
    ("message-id", "message_id", "MessageId", "MESSAGE_ID"),
    ("from", "from_", "From", "FROM"),
    ("class", "class_", "Class", "CLASS"),
    ("getX509Status", "get_x509_status", "GetX509Status", "GET_X509_STATUS"),
    ("createdAt", "created_at", "CreatedAt", "CREATED_AT"),
    ("HTTPServer", "http_server", "HTTPServer", "HTTP_SERVER"),
    ("1st", "n_1st", "N_1st", "V_1ST"),
    ("a.b:c", "a_b_c", "ABC", "A_B_C"),
    ("not contains", "not_contains", "NotContains", "NOT_CONTAINS"),
    ("<=", "lt_eq", "LtEq", "LT_EQ"),
    ("!=", "not_eq", "NotEq", "NOT_EQ"),
    ("café", "cafe", "Cafe", "CAFE"),
    ("IPs", "ips", "IPs", "IPS"),
    ("Dynamic IP Pools", "dynamic_ip_pools", "DynamicIPPools", "DYNAMIC_IP_POOLS"),
    (
        "listURLsByDomain",
        "list_urls_by_domain",
        "ListURLsByDomain",
        "LIST_URLS_BY_DOMAIN",
    ),
    (
        "github.com-mailgun-x-SendAlertRequest",
        "github_com_mailgun_x_send_alert_request",
        "GithubComMailgunXSendAlertRequest",
        "GITHUB_COM_MAILGUN_X_SEND_ALERT_REQUEST",
    ),
]


@pytest.mark.parametrize(("text", "s", "p", "c"), CASES)
def test_conversions(text: str, s: str, p: str, c: str) -> None:
    assert (snake(text), pascal(text), constant(text)) == (s, p, c)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "数据",
        "'; import os; os.system('x') #",
        "\n\t",
        "__init__",
        "None",
        "True",
        "a" * 300,
        "🙂",
        "x-y-",
        "-1",
    ],
)
def test_hostile_text_gives_identifiers(text: str) -> None:
    for name in (snake(text), pascal(text), constant(text)):
        assert name.isidentifier(), (text, name)
        assert not keyword.iskeyword(name), (text, name)


def test_namespace_resolves_clashes_deterministically() -> None:
    ns = Namespace(frozenset({"taken"}))
    assert ns.claim("a") == ("a", False)
    assert ns.claim("a") == ("a2", True)
    assert ns.claim("a") == ("a3", True)
    assert ns.claim("taken") == ("taken2", True)


def test_x_python_name_renames_arguments_and_fields(tmp_path: Path) -> None:
    """``x-python-name`` gives a wire name a readable Python name (Mailgun's
    ``o:tag`` becomes ``tags``) in method arguments and model fields, on a
    ``$ref`` or beside it; what is sent keeps the wire name. A name that is
    not snake_case, or is a keyword, is a warning and the usual name stays."""
    form = {
        "type": "object",
        "properties": {
            "o:tag": {"type": "array", "items": {"type": "string"}},
            "o:mode": {"$ref": "#/components/schemas/Mode", "x-python-name": "mode"},
            "t:text": {"type": "string", "x-python-name": "Bad Name"},
            "v:class": {"type": "string", "x-python-name": "class"},
        },
    }
    form["properties"]["o:tag"]["x-python-name"] = "tags"
    doc = spec_with(
        paths=operation(
            "/send",
            "post",
            parameters=[
                {"name": "p:limit", "in": "query", "x-python-name": "limit"},
            ],
            requestBody={"content": {"multipart/form-data": {"schema": form}}},
        ),
        schemas={"Mode": {"type": "string", "enum": ["a", "b"]}, "Form": form},
    )
    doc["paths"]["/send"]["post"]["parameters"][0]["schema"] = {"type": "integer"}
    api, diags = build_api(tmp_path, doc)
    (op,) = api.operations
    args = {a.name: a.wire_name for a in op.keyword_args}
    assert args["tags"] == "o:tag"
    assert args["mode"] == "o:mode"
    assert args["limit"] == "p:limit"
    assert args["t_text"] == "t:text"
    assert args["v_class"] == "v:class"
    model = next(m for m in api.models if m.name == "Form")
    assert {f.name for f in model.fields} == {"tags", "mode", "t_text", "v_class"}
    warned = sorted({(d.pointer, d.message) for d in diags.warnings})
    assert [p.rsplit("/", 2)[-2] for p, _ in warned] == ["t:text", "v:class"] * 2
    assert all("is not a snake_case Python name" in m for _, m in warned)
    assert generate_package(write_spec(tmp_path, doc), tmp_path / "out")

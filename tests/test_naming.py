"""generator/naming.py: identifiers from arbitrary spec text are safe Python."""

import keyword

import pytest

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

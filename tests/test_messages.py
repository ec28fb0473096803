"""generated/mailgun_client: ``messages.send`` and ``messages.mime`` on the wire.

Prism keeps only the last of repeated form keys, so it cannot judge a send;
a local server records the body and this test reads it part by part with
the standard library's MIME parser, sync and async.
"""

import asyncio
import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import multipart_parts
from mailgun_client import AsyncMailgun, Mailgun
from pytest_httpserver import HTTPServer

KEY = "key-messages-test"
QUEUED = {"id": "<1@mg.example.com>", "message": "Queued. Thank you."}
WHEN = datetime.datetime(2026, 11, 30, 9, 15, 0, tzinfo=datetime.UTC)


def _send_args(logo: Path) -> dict[str, Any]:
    """One send with every kind of field, for the sync and async clients."""
    return {
        "from_": "Shop <shop@mg.example.com>",
        "to": ["alice@example.com", "Bob <bob@example.com>"],
        "cc": ["carol@example.com"],
        "subject": "Your order",
        "html": '<p>Thanks!</p><img src="cid:logo.png">',
        "attachments": [("invoice.pdf", b"%PDF-1.7 fake", "application/pdf")],
        "inline": [logo],
        "template": "order-shipped",
        "template_variables": {"order": {"id": 42, "items": ["tea", "cups"]}},
        "recipient_variables": {"alice@example.com": {"first": "Alice"}},
        "tags": ["orders", "shipping"],
        "delivery_time": WHEN,
        "test_mode": True,
        "tracking_clicks": "htmlonly",
        "headers": {"X-Campaign": "winter", "Reply-To": "help@example.com"},
        "variables": {"user_id": 7, "plan": {"tier": "pro"}, "note": "vip"},
    }


EXPECTED = [
    ("from", None, "", b"Shop <shop@mg.example.com>"),
    ("to", None, "", b"alice@example.com"),
    ("to", None, "", b"Bob <bob@example.com>"),
    ("cc", None, "", b"carol@example.com"),
    ("subject", None, "", b"Your order"),
    ("html", None, "", b'<p>Thanks!</p><img src="cid:logo.png">'),
    ("template", None, "", b"order-shipped"),
    (
        "t:variables",
        None,
        "application/json",
        b'{"order":{"id":42,"items":["tea","cups"]}}',
    ),
    (
        "recipient-variables",
        None,
        "application/json",
        b'{"alice@example.com":{"first":"Alice"}}',
    ),
    ("o:tag", None, "", b"orders"),
    ("o:tag", None, "", b"shipping"),
    ("o:deliverytime", None, "", b"Mon, 30 Nov 2026 09:15:00 +0000"),
    ("o:testmode", None, "", b"yes"),
    ("o:tracking-clicks", None, "", b"htmlonly"),
    ("h:X-Campaign", None, "", b"winter"),
    ("h:Reply-To", None, "", b"help@example.com"),
    ("v:user_id", None, "", b"7"),
    ("v:plan", None, "application/json", b'{"tier":"pro"}'),
    ("v:note", None, "", b"vip"),
    ("attachment", "invoice.pdf", "application/pdf", b"%PDF-1.7 fake"),
    ("inline", "logo.png", "image/png", b"\x89PNG fake"),
]


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG fake")
    return path


def _recorded(httpserver: HTTPServer) -> list[tuple[str, str | None, str, bytes]]:
    [(request, _)] = httpserver.log
    assert request.path == "/v3/mg.example.com/messages"
    return multipart_parts(request.headers["Content-Type"], request.get_data())


def test_send_puts_every_field_on_the_wire(httpserver: HTTPServer, logo: Path) -> None:
    httpserver.expect_request(
        "/v3/mg.example.com/messages", method="POST"
    ).respond_with_json(QUEUED)
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        queued = client.messages.send("mg.example.com", **_send_args(logo))
    assert (queued.id, queued.message) == (QUEUED["id"], QUEUED["message"])
    assert _recorded(httpserver) == EXPECTED


def test_async_send_sends_the_same_body(httpserver: HTTPServer, logo: Path) -> None:
    httpserver.expect_request(
        "/v3/mg.example.com/messages", method="POST"
    ).respond_with_json(QUEUED)

    async def main() -> Any:
        async with AsyncMailgun(KEY, base_url=httpserver.url_for("/")) as client:
            return await client.messages.send("mg.example.com", **_send_args(logo))

    queued = asyncio.run(main())
    assert queued.id == QUEUED["id"]
    assert _recorded(httpserver) == EXPECTED


def test_booleans_and_dates_in_mailguns_spelling(httpserver: HTTPServer) -> None:
    """False is "no"; a naive datetime is taken as UTC."""
    httpserver.expect_request(
        "/v3/mg.example.com/messages", method="POST"
    ).respond_with_json(QUEUED)
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        client.messages.send(
            "mg.example.com",
            from_="a@mg.example.com",
            to=["b@example.com"],
            text="hi",
            test_mode=False,
            require_tls=True,
            delivery_time=datetime.datetime(2026, 1, 2, 3, 4, 5),
        )
    parts = {name: value for name, _, _, value in _recorded(httpserver)}
    assert parts["o:testmode"] == b"no"
    assert parts["o:require-tls"] == b"yes"
    assert parts["o:deliverytime"] == b"Fri, 02 Jan 2026 03:04:05 +0000"


def test_mime_sends_the_message_as_a_file(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/v3/mg.example.com/messages.mime", method="POST"
    ).respond_with_json(QUEUED)
    mime = (
        b"From: a@mg.example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nhello\r\n"
    )
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        client.messages.mime(
            "mg.example.com",
            to=["b@example.com"],
            message=("message.mime", io.BytesIO(mime), "message/rfc822"),
            tags=["raw"],
        )
    [(request, _)] = httpserver.log
    parts = multipart_parts(request.headers["Content-Type"], request.get_data())
    assert parts == [
        ("to", None, "", b"b@example.com"),
        ("o:tag", None, "", b"raw"),
        ("message", "message.mime", "message/rfc822", mime),
    ]
    assert json.loads(json.dumps(QUEUED))  # the response parsed above


def test_a_query_flag_in_mailguns_spelling(httpserver: HTTPServer) -> None:
    """``x-form-booleans`` on a query parameter: the argument is a bool, sent
    as ``yes``/``no`` (it was typed bool but sent as ``true``)."""
    httpserver.expect_request(
        "/v3/mg.example.com/templates/order", query_string="active=yes"
    ).respond_with_json({"template": {"name": "order"}})
    httpserver.expect_request(
        "/v3/mg.example.com/templates/order", query_string="active=no"
    ).respond_with_json({"template": {"name": "order"}})
    with Mailgun(KEY, base_url=httpserver.url_for("/").rstrip("/")) as client:
        client.templates.get("mg.example.com", "order", active=True)
        client.templates.get("mg.example.com", "order", active=False)
    assert [r.query_string for r, _ in httpserver.log] == [b"active=yes", b"active=no"]

"""generated/mailgun_client: template and domain webhook forms on the wire.

Prism neither parses the JSON ``headers`` part of a template form nor keeps
more than the last of repeated ``url`` fields, so a local server records
these bodies and the test reads them part by part.
"""

import json

from helpers import multipart_parts
from mailgun_client import Mailgun
from pytest_httpserver import HTTPServer

KEY = "key-forms-test"


def _sent(httpserver: HTTPServer) -> list[tuple[str, str | None, str, bytes]]:
    [(request, _)] = httpserver.log
    return multipart_parts(request.headers["Content-Type"], request.get_data())


def test_a_template_version_sends_headers_as_json_and_active_as_yes(
    httpserver: HTTPServer,
) -> None:
    stored = {"message": "stored", "template": {"name": "order-shipped"}}
    httpserver.expect_request(
        "/v3/mg.example.com/templates/order-shipped/versions", method="POST"
    ).respond_with_json(stored)
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        result = client.templates.create_version(
            "mg.example.com",
            "order-shipped",
            template="<p>Hi {{name}}</p>",
            tag="v2",
            active=True,
            headers={"Subject": "Order {{order_id}} shipped"},
        )
    assert result.template.name == "order-shipped"
    parts = {name: (ctype, value) for name, _, ctype, value in _sent(httpserver)}
    assert parts["active"][1] == b"yes"
    ctype, value = parts["headers"]
    assert ctype == "application/json"
    assert json.loads(value) == {"Subject": "Order {{order_id}} shipped"}


def test_an_inactive_version_is_no(httpserver: HTTPServer) -> None:
    changed = {"message": "updated", "template": {"name": "t", "version": {"tag": "v"}}}
    httpserver.expect_request(
        "/v3/mg.example.com/templates/t/versions/v", method="PUT"
    ).respond_with_json(changed)
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        result = client.templates.update_version(
            "mg.example.com", "t", "v", active=False
        )
    assert result.template.version is not None
    assert result.template.version.tag == "v"
    assert [(n, v) for n, _, _, v in _sent(httpserver)] == [("active", b"no")]


def test_a_domain_webhook_repeats_url_once_per_address(httpserver: HTTPServer) -> None:
    urls = ["https://hooks.example.com/a", "https://hooks.example.com/b?x=1&y=2"]
    httpserver.expect_request(
        "/v3/domains/mg.example.com/webhooks", method="POST"
    ).respond_with_json({"message": "created", "webhook": {"urls": urls}})
    with Mailgun(KEY, base_url=httpserver.url_for("/")) as client:
        result = client.domain_webhooks.create(
            "mg.example.com", webhook_name="clicked", urls=urls
        )
    assert result.webhook.urls == urls
    assert [(n, v) for n, _, _, v in _sent(httpserver)] == [
        ("id", b"clicked"),
        ("url", urls[0].encode()),
        ("url", urls[1].encode()),
    ]

"""generated/mailgun_client: client ergonomics (issue 11) against a local server.

with_options/copy, environment settings, request ids, streaming responses,
extra_body, custom requests, list iteration, resumable pagination. Each test
runs the sync and the async client.
"""

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from faultserver import FaultServer, Reply
from mailgun_client import AsyncMailgun, Mailgun

KEY = "key-ergo-0123456789-secret"
BOUNCES = "/v3/d.com/bounces"
BOUNCE = {"address": "a@x.com", "code": "550", "error": "e", "created_at": "now"}
ALERT = {
    "id": "1",
    "name": "n",
    "metric": "delivered_rate",
    "comparator": "<",
    "limit": "1",
    "dimension": "ip",
    "alert_channels": ["email"],
}
KINDS = ["sync", "async"]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


def run(kind: str, url: str, call: Callable[[Any], Any], **client_args: Any) -> Any:
    """Run ``call(client)`` through Mailgun or AsyncMailgun; a coroutine
    ``call`` returns is awaited."""
    if kind == "sync":
        with Mailgun(KEY, base_url=url, **client_args) as client:
            return call(client)

    async def main() -> Any:
        async with AsyncMailgun(KEY, base_url=url, **client_args) as client:
            result = call(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
def test_extra_body_joins_json_form_and_multipart_bodies(
    server: FaultServer, kind: str
) -> None:
    server.on("POST", "/v1/thresholds/alerts/send", Reply(body=ALERT))
    server.on("POST", BOUNCES, Reply(body={"message": "ok"}))
    server.on("POST", "/v1/webhooks", Reply(body={"webhook_id": "w"}))
    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE))
    extra = {"beta": True, "note": "n"}

    def call(c: Any) -> Any:
        calls = [
            c.alerts.create(
                name="n",
                metric="delivered_rate",
                comparator="<",
                limit="1",
                dimension="ip",
                alert_channels=["email"],
                extra_body=extra,
            ),
            c.bounces.create("d.com", address="a@x.com", extra_body=extra),
            c.account_webhooks.create(
                url="https://h.example.com", event_types=["opened"], extra_body=extra
            ),
            c.bounces.get("d.com", "a@x.com", extra_body={"why": "x"}),
        ]
        if kind == "sync":
            return calls

        async def wait() -> Any:
            return [await x for x in calls]

        return wait()

    run(kind, server.url, call)
    (sent_json,) = server.seen("POST", "/v1/thresholds/alerts/send")
    body = json.loads(sent_json.body)
    assert body["beta"] is True and body["note"] == "n" and body["name"] == "n"
    (sent_form,) = server.seen("POST", BOUNCES)
    assert parse_qs(sent_form.body.decode()) == {
        "address": ["a@x.com"],
        "beta": ["true"],
        "note": ["n"],
    }
    (sent_multipart,) = server.seen("POST", "/v1/webhooks")
    assert b'name="note"' in sent_multipart.body
    assert b'name="event_types"' in sent_multipart.body
    (sent_get,) = server.seen("GET", BOUNCES + "/a@x.com")
    assert json.loads(sent_get.body) == {"why": "x"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "header", ["X-Mailgun-Request-Id", "X-Request-Id", "Request-Id"]
)
def test_request_id_on_models_pages_raw_responses_and_errors(
    server: FaultServer, kind: str, header: str
) -> None:
    import mailgun_client

    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE, headers={header: "r1"}))
    server.on("GET", BOUNCES + "/b@x.com", Reply(body=BOUNCE, headers={header: "r2"}))
    server.on(
        "GET", BOUNCES, Reply(body={"items": [], "paging": {}}, headers={header: "r3"})
    )
    server.on(
        "GET", BOUNCES + "/c@x.com", Reply(404, {"message": "no"}, {header: "r4"})
    )
    server.on("GET", BOUNCES + "/d@x.com", Reply(body=BOUNCE))

    def call(c: Any) -> Any:
        async def both() -> Any:
            got = [
                await c.bounces.get("d.com", "a@x.com"),
                await c.bounces.with_raw_response.get("d.com", "b@x.com"),
                await c.bounces.list("d.com"),
            ]
            try:
                await c.bounces.get("d.com", "c@x.com")
            except mailgun_client.NotFoundError as exc:
                got.append(exc)
            return [*got, await c.bounces.get("d.com", "d@x.com")]

        if kind == "async":
            return both()
        got = [
            c.bounces.get("d.com", "a@x.com"),
            c.bounces.with_raw_response.get("d.com", "b@x.com"),
            c.bounces.list("d.com"),
        ]
        with pytest.raises(mailgun_client.NotFoundError) as info:
            c.bounces.get("d.com", "c@x.com")
        return [*got, info.value, c.bounces.get("d.com", "d@x.com")]

    model, raw, page, error, without = run(kind, server.url, call)
    assert model._request_id == "r1"
    assert raw.request_id == "r2" and raw.parse()._request_id == "r2"
    assert page.request_id == "r3" and page.response._request_id == "r3"
    assert error.request_id == "r4"
    assert without._request_id is None

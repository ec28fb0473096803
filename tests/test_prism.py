"""generated/mailgun_client: every operation, sync and async, against Prism."""

# Prism serves spec/mailgun.yaml, checks each request against it and reports
# what does not match in the ``sl-violations`` response header. A call passes
# when it returns a parsed result and Prism found nothing to report.

import asyncio
import datetime
import warnings
from typing import Any

import httpx
import pytest
from helpers import SPEC

from generator.diagnostics import Diagnostics
from generator.load import load
from generator.model import build

CSV = b"address,code,error\nalice@example.com,550,No such mailbox\n"

# One call per generated method: positional path arguments and keywords.
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "account_webhooks.list": ((), {"webhook_ids": ["w1", "w2"]}),
    "account_webhooks.create": (
        (),
        {
            "url": "https://hooks.example.com/h",
            "event_types": ["delivered", "opened"],
            "description": "feed",
        },
    ),
    "account_webhooks.delete_many": ((), {"webhook_ids": ["w1", "w2"]}),
    "account_webhooks.get": (("w1",), {}),
    "account_webhooks.update": (
        ("w1",),
        {"url": "https://hooks.example.com/h2", "event_types": ["clicked"]},
    ),
    "account_webhooks.delete": (("w1",), {}),
    "messages.send": (
        ("mg.example.com",),
        {
            "from_": "Shop <shop@mg.example.com>",
            "to": ["alice@example.com"],
            "subject": "Shipped",
            "text": "On its way.",
            "attachments": [("note.txt", b"hello", "text/plain")],
            "tags": ["orders"],
            "delivery_time": datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC),
            "test_mode": True,
            "headers": {"X-Campaign": "winter"},
            "variables": {"user": {"id": 7}},
        },
    ),
    "messages.mime": (
        ("mg.example.com",),
        {
            "to": ["alice@example.com"],
            "message": ("m.mime", b"Subject: hi\r\n\r\nhello\r\n", "message/rfc822"),
        },
    ),
    "messages.retrieve": (("mg.example.com", "AgEFTbqGQ0Re3gxbkGrQfw=="), {}),
    "domains.list": ((), {"limit": 10, "state": "active", "search": "mg"}),
    "domains.create": (
        (),
        {"name": "mg.example.com", "spam_action": "tag", "dkim_key_size": "2048"},
    ),
    "domains.get": (("mg.example.com",), {}),
    "domains.update": (("mg.example.com",), {"spam_action": "block", "wildcard": True}),
    "domains.delete": (("mg.example.com",), {}),
    "domains.verify": (("mg.example.com",), {}),
    "unsubscribes.list": (("mg.example.com",), {"limit": 10}),
    "unsubscribes.create": (
        ("mg.example.com",),
        {"address": "alice@example.com", "tag": "newsletters"},
    ),
    "unsubscribes.get": (("mg.example.com", "alice@example.com"), {}),
    "unsubscribes.delete": (
        ("mg.example.com", "alice@example.com"),
        {"tag": "newsletters"},
    ),
    "complaints.list": (("mg.example.com",), {}),
    "complaints.create": (("mg.example.com",), {"address": "alice@example.com"}),
    "complaints.get": (("mg.example.com", "alice@example.com"), {}),
    "complaints.delete": (("mg.example.com", "alice@example.com"), {}),
    "alerts.list": ((), {}),
    "alerts.create": (
        (),
        {
            "name": "drop",
            "metric": "delivered_rate",
            "comparator": "<",
            "limit": ".99",
            "dimension": "domain",
            "alert_channels": ["email"],
            "period": "1h",
        },
    ),
    "alerts.get": (("drop",), {}),
    "alerts.update": (
        ("drop",),
        {
            "body_name": "drop",
            "metric": "hard_bounce_rate",
            "comparator": ">=",
            "limit": ".03",
            "dimension": "ip",
            "alert_channels": ["slack"],
        },
    ),
    "alerts.delete": (("drop",), {}),
    "alerts.list_hits": ((), {}),
    "allowlist.list": (("mg.example.com",), {"limit": 10, "page": "next", "term": "a"}),
    "allowlist.create": (
        ("mg.example.com",),
        {"domain": "example.org", "reason": "partner"},
    ),
    "allowlist.delete_all": (("mg.example.com",), {}),
    "allowlist.import_csv": (
        ("mg.example.com",),
        {"file": ("allow.csv", CSV, "text/csv")},
    ),
    "allowlist.get": (("mg.example.com", "example.org"), {}),
    "allowlist.delete": (("mg.example.com", "example.org"), {}),
    "bounces.list": (("mg.example.com",), {"limit": 25}),
    "bounces.create": (
        ("mg.example.com",),
        {"address": "a@example.com", "code": "550"},
    ),
    "bounces.create_many": ("BODY", {}),  # filled in below: needs the package
    "bounces.delete_all": (("mg.example.com",), {}),
    "bounces.import_csv": (("mg.example.com",), {"file": CSV}),
    "bounces.get": (("mg.example.com", "a@example.com"), {}),
    "bounces.delete": (("mg.example.com", "a@example.com"), {}),
    "domain_tracking.get": (("mg.example.com",), {}),
    "domain_tracking.update_click": (("mg.example.com",), {"active": "htmlonly"}),
    "domain_tracking.update_open": (
        ("mg.example.com",),
        {"active": "yes", "place_at_the_top": "no"},
    ),
    "domain_tracking.update_unsubscribe": (
        ("mg.example.com",),
        {"active": "true", "html_footer": "<p>bye</p>"},
    ),
    "domain_tracking.get_certificate_status": (("mg.example.com",), {}),
    "domain_tracking.generate_certificate": (("mg.example.com",), {}),
    "domain_tracking.regenerate_certificate": (("mg.example.com",), {}),
    "events.list": (
        ("mg.example.com",),
        {
            "begin": "Mon, 23 Nov 2026 00:00:00 -0000",
            "ascending": "yes",
            "limit": 50,
            "event": "delivered",
            "from_": "hello@mg.example.com",
            "message_id": "abc@x",
            "severity": "permanent",
        },
    ),
    "stats.get_account_total": (
        (),
        {"event": ["accepted", "delivered"], "duration": "7d"},
    ),
    "stats.get_account_by_domain": (
        (),
        {
            "event": ["delivered"],
            "timestamp": "Mon, 23 Nov 2026 00:00:00 -0000",
            "limit": 5,
        },
    ),
    "stats.filter_account": (
        (),
        {
            "event": ["opened"],
            "filter": "domain:mg.example.com",
            "group": "tag",
            "resolution": "hour",
        },
    ),
    "stats.get_domain_total": (
        ("mg.example.com",),
        {"event": ["failed"], "resolution": "month"},
    ),
    "stats.get_domain_by_provider": (("mg.example.com",), {}),
    "stats.get_domain_by_device": (("mg.example.com",), {}),
    "stats.get_domain_by_country": (("mg.example.com",), {}),
    "templates.list": (
        ("mg.example.com",),
        {"limit": 10, "page": "next", "pivot": "a"},
    ),
    # No `headers` in the two template calls: it travels as a JSON part, and
    # Prism does not parse JSON object fields of form bodies (it reports
    # "must be object"); tests/test_mailgun_forms.py checks that part instead.
    "templates.create": (
        ("mg.example.com",),
        {
            "name": "order-shipped",
            "description": "Sent when an order leaves",
            "template": "<p>Hi {{name}}</p>",
            "tag": "v1",
            "engine": "handlebars",
            "comment": "First draft",
        },
    ),
    "templates.delete_all": (("mg.example.com",), {}),
    "templates.get": (("mg.example.com", "order-shipped"), {"active": True}),
    "templates.update": (
        ("mg.example.com", "order-shipped"),
        {"description": "Sent when an order ships"},
    ),
    "templates.delete": (("mg.example.com", "order-shipped"), {}),
    "templates.list_versions": (
        ("mg.example.com", "order-shipped"),
        {"limit": 5, "page": "first"},
    ),
    "templates.create_version": (
        ("mg.example.com", "order-shipped"),
        {
            "template": "<p>Hello {{name}}</p>",
            "tag": "v2",
            "comment": "Friendlier",
            "active": True,
        },
    ),
    "templates.get_version": (("mg.example.com", "order-shipped", "v2"), {}),
    "templates.update_version": (
        ("mg.example.com", "order-shipped", "v2"),
        {"comment": "Now active", "active": False},
    ),
    "templates.delete_version": (("mg.example.com", "order-shipped", "v1"), {}),
    "templates.copy_version": (
        ("mg.example.com", "order-shipped", "v2", "v3"),
        {"comment": "Holiday copy"},
    ),
    "domain_webhooks.list": (("mg.example.com",), {}),
    "domain_webhooks.create": (
        ("mg.example.com",),
        {
            "webhook_name": "delivered",
            "urls": ["https://hooks.example.com/a", "https://hooks.example.com/b"],
        },
    ),
    "domain_webhooks.get": (("mg.example.com", "permanent_fail"), {}),
    "domain_webhooks.update": (
        ("mg.example.com", "clicked"),
        {"url": ["https://hooks.example.com/c"]},
    ),
    "domain_webhooks.delete": (("mg.example.com", "opened"), {}),
    # filled in below: their filters and pagination are models of the package
    "metrics.query": ("MODELS", {}),
    "metrics.query_usage": ("MODELS", {}),
    "logs.query": ("MODELS", {}),
}


def _methods() -> list[tuple[str, bool]]:
    """(resource.method, returns a body?) for every method the spec yields."""
    diags = Diagnostics(str(SPEC))
    api = build(load(SPEC, diags), diags)
    return [
        (f"{r.attr}.{op.method_name}", op.success.type is not None)
        for r in api.resources
        for op in r.operations
    ]


METHODS = _methods()


def test_every_method_has_a_call() -> None:
    assert sorted(CALLS) == sorted(name for name, _ in METHODS)


def _call_args(name: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args, kwargs = CALLS[name]
    if args == "BODY":
        from mailgun_client.types import BounceInput

        return ("mg.example.com",), {
            "body": [
                BounceInput(address="a@example.com", code="550"),
                BounceInput(address="b@example.com", error="Mailbox full"),
            ]
        }
    if args == "MODELS":
        return (), _model_calls()[name]
    return args, kwargs


def _model_calls() -> dict[str, dict[str, Any]]:
    from mailgun_client.types import (
        LabeledValue,
        LogsFilter,
        LogsFilterCondition,
        LogsPagination,
        MetricsFilter,
        MetricsFilterCondition,
    )

    domain = [LabeledValue(label="mg.example.com", value="mg.example.com")]
    return {
        "metrics.query": {
            "start": "Mon, 16 Nov 2026 00:00:00 +0000",
            "end": "Mon, 23 Nov 2026 00:00:00 +0000",
            "resolution": "day",
            "dimensions": ["time", "domain"],
            "metrics": ["delivered_count", "opened_rate"],
            "filter": MetricsFilter(
                AND=[
                    MetricsFilterCondition(
                        attribute="domain", comparator="=", values=domain
                    )
                ]
            ),
            "include_aggregates": True,
        },
        "metrics.query_usage": {
            "duration": "1m",
            "resolution": "month",
            "dimensions": ["time"],
            "metrics": ["processed_count", "email_validation_count"],
            "include_subaccounts": True,
        },
        "logs.query": {
            "start": "Mon, 23 Nov 2026 00:00:00 +0000",
            "events": ["delivered", "failed"],
            "filter": LogsFilter(
                AND=[
                    LogsFilterCondition(
                        attribute="domain", comparator="=", values=domain
                    )
                ]
            ),
            "include_totals": True,
            "pagination": LogsPagination(sort="timestamp:desc", limit=50),
        },
    }


class Recorder:
    """Collects Prism's verdict on each response (an httpx event hook)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, str | None]] = []

    def sync_hook(self, response: httpx.Response) -> None:
        self.seen.append(
            (
                f"{response.request.method} {response.request.url}",
                response.status_code,
                response.headers.get("sl-violations"),
            )
        )

    async def async_hook(self, response: httpx.Response) -> None:
        self.sync_hook(response)


def _check(recorder: Recorder, result: Any, returns_body: bool) -> None:
    assert len(recorder.seen) == 1, recorder.seen
    request, status, violations = recorder.seen[0]
    assert violations is None, f"Prism reported violations for {request}: {violations}"
    assert 200 <= status < 300, request
    if returns_body:
        assert result is not None
        parsed = getattr(result, "response", result)  # a page wraps its response
        assert hasattr(parsed, "model_dump")  # a parsed model, not raw JSON
    else:
        assert result is None


@pytest.mark.parametrize(("name", "returns_body"), METHODS, ids=[m for m, _ in METHODS])
def test_sync_call(prism_url: str, name: str, returns_body: bool) -> None:
    from mailgun_client import Mailgun

    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder.sync_hook]})
    with Mailgun("key-test", base_url=prism_url, http_client=http) as client:
        resource, method = name.split(".")
        args, kwargs = _call_args(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            result = getattr(getattr(client, resource), method)(*args, **kwargs)
    http.close()
    _check(recorder, result, returns_body)


@pytest.mark.parametrize(("name", "returns_body"), METHODS, ids=[m for m, _ in METHODS])
def test_async_call(prism_url: str, name: str, returns_body: bool) -> None:
    from mailgun_client import AsyncMailgun

    recorder = Recorder()

    async def main() -> Any:
        http = httpx.AsyncClient(event_hooks={"response": [recorder.async_hook]})
        async with AsyncMailgun(
            "key-test", base_url=prism_url, http_client=http
        ) as client:
            resource, method = name.split(".")
            args, kwargs = _call_args(name)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                result = await getattr(getattr(client, resource), method)(
                    *args, **kwargs
                )
        await http.aclose()
        return result

    _check(recorder, asyncio.run(main()), returns_body)


def test_prism_rejects_a_bad_request(prism_url: str) -> None:
    """The check above can fail: a request outside the spec is reported."""
    from mailgun_client import Mailgun

    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder.sync_hook]})
    client = Mailgun("key-test", base_url=prism_url, http_client=http)
    with pytest.raises(Exception, match="400"):
        client.bounces.list("mg.example.com", limit=0)  # the spec says minimum 1
    assert recorder.seen[0][2] is not None
    http.close()

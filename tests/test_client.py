"""generated/mailgun_client: the client against a local HTTP server."""

# Covers what Prism cannot: the exact auth header, region selection, error
# mapping for each status, leniency to unknown values, deprecation warnings.

import asyncio
import base64
import json
import warnings
from typing import Any

import httpx
import mailgun_client
import pytest
from mailgun_client import (
    APIStatusError,
    AsyncMailgun,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    Mailgun,
    MailgunError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Region,
    UnprocessableEntityError,
)
from mailgun_client.types import AlertFilter, Dimension, Metric, WebhookEventType
from pytest_httpserver import HTTPServer

KEY = "key-0123456789abcdef-secret"
BOUNCE = {"address": "a@example.com", "code": "550", "error": "x", "created_at": "now"}


def _basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"api:{key}".encode()).decode()


def test_auth_header_is_basic_with_user_api(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/v3/mg.example.com/bounces/a@example.com",
        headers={"Authorization": _basic(KEY)},
    ).respond_with_json(BOUNCE)
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    bounce = client.bounces.get("mg.example.com", "a@example.com")
    assert bounce.address == "a@example.com"
    httpserver.check_assertions()


def test_key_falls_back_to_environment(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILGUN_API_KEY", "env-key")
    httpserver.expect_request(
        "/v1/thresholds/alerts/send", headers={"Authorization": _basic("env-key")}
    ).respond_with_json({"items": []})
    assert Mailgun(base_url=httpserver.url_for("/")).alerts.list().items == []


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILGUN_API_KEY", raising=False)
    with pytest.raises(MailgunError, match="MAILGUN_API_KEY"):
        Mailgun()
    with pytest.raises(MailgunError, match="MAILGUN_API_KEY"):
        AsyncMailgun()


def test_regions_and_base_url() -> None:
    assert Mailgun(KEY).base_url == "https://api.mailgun.net"
    assert Mailgun(KEY, region=Region.EU).base_url == "https://api.eu.mailgun.net"
    assert Mailgun(KEY, region="eu").base_url == "https://api.eu.mailgun.net"
    assert AsyncMailgun(KEY, region="eu").base_url == "https://api.eu.mailgun.net"
    # Regions are case-insensitive (issue 11): "EU" was an unknown region.
    for spelling in ("EU", "Eu", " eu "):
        assert Mailgun(KEY, region=spelling).base_url == "https://api.eu.mailgun.net"
    assert AsyncMailgun(KEY, region="US").base_url == "https://api.mailgun.net"
    with pytest.warns(UserWarning, match="plain http"):
        assert (
            Mailgun(KEY, region="eu", base_url="http://proxy:1/").base_url
            == "http://proxy:1"
        )
    with pytest.raises(MailgunError, match="Unknown region 'mars'"):
        Mailgun(KEY, region="mars")


def test_base_url_is_where_requests_go(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/bounces").respond_with_json(
        {"items": [], "paging": {"first": "f", "last": "l"}}
    )
    page = Mailgun(KEY, region="eu", base_url=httpserver.url_for("/")).bounces.list(
        "d.com"
    )
    assert page.items == []


def test_key_never_shows_in_repr_or_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/webhooks/w").respond_with_json(
        {"message": "Invalid private key"}, status=401
    )
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    assert KEY not in repr(client)
    with pytest.raises(AuthenticationError) as info:
        client.account_webhooks.get("w")
    err = info.value
    texts = [str(err), repr(err), err.message, repr(err.request), str(err.request.url)]
    assert not [t for t in texts if KEY in t]


STATUSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "exc_type"), STATUSES)
def test_error_mapping(httpserver: HTTPServer, status: int, exc_type: type) -> None:
    httpserver.expect_request("/v3/d.com/bounces/x").respond_with_json(
        {"message": f"failure {status}"}, status=status, headers={"X-Trace": "t1"}
    )
    with pytest.raises(exc_type) as info:
        Mailgun(KEY, base_url=httpserver.url_for("/")).bounces.get("d.com", "x")
    err = info.value
    assert type(err) is exc_type
    assert isinstance(err, MailgunError)
    assert err.status_code == status
    assert err.message == f"failure {status}"
    assert err.body == {"message": f"failure {status}"}
    assert err.headers["X-Trace"] == "t1"
    assert f"Error code: {status}" in str(err)


def test_error_mapping_async(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/bounces/x").respond_with_json(
        {"message": "Address not found"}, status=404
    )

    async def main() -> None:
        async with AsyncMailgun(KEY, base_url=httpserver.url_for("/")) as client:
            await client.bounces.get("d.com", "x")

    with pytest.raises(NotFoundError, match="Address not found"):
        asyncio.run(main())


def test_non_json_error_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/bounces/x").respond_with_data(
        "<html>Bad gateway</html>", status=502, content_type="text/html"
    )
    with pytest.raises(InternalServerError) as info:
        Mailgun(KEY, base_url=httpserver.url_for("/")).bounces.get("d.com", "x")
    assert info.value.body == "<html>Bad gateway</html>"
    assert "Bad gateway" in info.value.message


def test_unknown_enum_values_and_extra_fields_are_kept(httpserver: HTTPServer) -> None:
    alert = {
        "id": "a1",
        "name": "n",
        "metric": "brand_new_metric",
        "comparator": "~=",
        "limit": ".5",
        "dimension": "planet",
        "alert_channels": ["email", "pager"],
        "filters": [
            {"dimension": "domain", "comparator": "=", "values": ["x"], "weight": 3}
        ],
        "surprise": {"nested": True},
    }
    httpserver.expect_request("/v1/thresholds/alerts/send/n").respond_with_json(alert)
    got = Mailgun(KEY, base_url=httpserver.url_for("/")).alerts.get("n")
    assert got.metric == "brand_new_metric"
    assert isinstance(got.metric, Metric)
    assert got.dimension.value == "planet"
    assert got.alert_channels[1].value == "pager"
    assert got.model_extra == {"surprise": {"nested": True}}
    assert got.filters is not None and got.filters[0].model_extra == {"weight": 3}
    assert got.to_dict()["surprise"] == {"nested": True}
    assert got.to_dict()["metric"] == "brand_new_metric"
    # Known values still map to the members.
    assert Metric("delivered_rate") is Metric.DELIVERED_RATE


def test_enum_arguments_take_members_or_strings(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/v1/thresholds/alerts/send", method="POST"
    ).respond_with_json(
        {
            "id": "1",
            "name": "n",
            "metric": "delivered_rate",
            "comparator": "<",
            "limit": "1",
            "dimension": "ip",
            "alert_channels": ["email"],
        }
    )
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    client.alerts.create(
        name="n",
        metric=Metric.DELIVERED_RATE,
        comparator="<",
        limit=".9",
        dimension=Dimension("ip"),
        alert_channels=["email", "future_channel"],
        filters=[AlertFilter(dimension=Dimension.DOMAIN, comparator="=", values=["d"])],
    )
    request, _ = httpserver.log[0]
    assert json.loads(request.data) == {
        "name": "n",
        "metric": "delivered_rate",
        "comparator": "<",
        "limit": ".9",
        "dimension": "ip",
        "alert_channels": ["email", "future_channel"],
        "filters": [{"dimension": "domain", "comparator": "=", "values": ["d"]}],
    }


def test_repeated_multipart_fields(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/webhooks", method="POST").respond_with_json(
        {"webhook_id": "w"}
    )
    Mailgun(KEY, base_url=httpserver.url_for("/")).account_webhooks.create(
        url="https://h.example.com", event_types=[WebhookEventType.DELIVERED, "opened"]
    )
    request, _ = httpserver.log[0]
    assert request.content_type.startswith("multipart/form-data")
    assert request.form.getlist("event_types") == ["delivered", "opened"]
    assert request.form["url"] == "https://h.example.com"
    assert "description" not in request.form  # NOT_GIVEN is not sent


def test_query_lists_and_booleans(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/webhooks", method="DELETE").respond_with_data(
        status=204
    )
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    assert client.account_webhooks.delete_many(webhook_ids=["a", "b"], all=True) is None
    request, _ = httpserver.log[0]
    assert request.args.to_dict(flat=False) == {"webhook_ids": ["a,b"], "all": ["true"]}


def test_empty_path_parameter_is_refused_before_sending(httpserver: HTTPServer) -> None:
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    with pytest.raises(ValueError, match="domain_name"):
        client.bounces.list("")
    assert httpserver.log == []


def test_path_parameters_are_encoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/bounces/a/b@c.com").respond_with_json(BOUNCE)
    Mailgun(KEY, base_url=httpserver.url_for("/")).bounces.get("d.com", "a/b@c.com")
    request, _ = httpserver.log[0]
    # "/" inside a value must not split the path.
    assert request.environ["REQUEST_URI"] == "/v3/d.com/bounces/a%2Fb%40c.com"


def test_deprecated_operations_warn(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/aggregates/devices").respond_with_json(
        {"devices": {"mobile": {"opened": 1}}}
    )
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    # The message names what replaces it.
    with pytest.warns(
        DeprecationWarning, match=r"get_domain_by_device .*`client\.metrics\.query\(\)`"
    ):
        got = client.stats.get_domain_by_device("d.com")
    assert got.devices == {"mobile": {"opened": 1}}
    # Not deprecated: no warning.
    httpserver.expect_request("/v3/d.com/bounces/x").respond_with_json(BOUNCE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.bounces.get("d.com", "x")


def test_deprecated_operations_warn_async(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v3/d.com/events").respond_with_json(
        {"items": [], "paging": {"first": "f", "last": "l"}}
    )

    async def main() -> Any:
        async with AsyncMailgun(KEY, base_url=httpserver.url_for("/")) as client:
            return await client.events.list("d.com")

    with pytest.warns(DeprecationWarning, match="list"):
        assert asyncio.run(main()).items == []


def test_context_managers_close_their_http_client() -> None:
    with Mailgun(KEY) as client:
        http = client._http
    assert http.is_closed

    async def main() -> httpx.AsyncClient:
        async with AsyncMailgun(KEY) as aclient:
            return aclient._http

    assert asyncio.run(main()).is_closed
    # A client the caller passed in is the caller's to close.
    mine = httpx.Client()
    with Mailgun(KEY, http_client=mine):
        pass
    assert not mine.is_closed
    mine.close()


def test_per_call_headers_query_and_timeout(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/v3/d.com/bounces/x", headers={"X-Extra": "1"}, query_string="debug=yes"
    ).respond_with_json(BOUNCE)
    Mailgun(KEY, base_url=httpserver.url_for("/")).bounces.get(
        "d.com",
        "x",
        extra_headers={"X-Extra": "1"},
        extra_query={"debug": "yes"},
        timeout=5.0,
    )
    httpserver.check_assertions()


def test_timeout_raises_the_package_error(httpserver: HTTPServer) -> None:
    import time

    def slow(_: Any) -> Any:
        time.sleep(0.5)
        from werkzeug import Response

        return Response(json.dumps(BOUNCE), content_type="application/json")

    httpserver.expect_request("/v3/d.com/bounces/x").respond_with_handler(slow)
    client = Mailgun(KEY, base_url=httpserver.url_for("/"))
    with pytest.raises(mailgun_client.APITimeoutError):
        client.bounces.get("d.com", "x", timeout=0.1)


def test_a_response_that_breaks_its_schema_is_still_returned(
    httpserver: HTTPServer,
) -> None:
    # created_at should be a string, metric an enum string, items a list.
    httpserver.expect_request("/v3/d.com/bounces").respond_with_json(
        {
            "items": [{"address": "a@b.c", "created_at": {"odd": 1}, "code": 550}],
            "paging": {"first": "f", "last": "l"},
            "new": True,
        }
    )
    page = Mailgun(KEY, base_url=httpserver.url_for("/")).bounces.list("d.com")
    (bounce,) = page.items
    assert bounce.address == "a@b.c"
    assert bounce.created_at == {"odd": 1}  # kept as sent
    assert page.response.paging.first == "f"  # the parts that fit are still typed
    assert page.response.model_extra == {"new": True}
    assert page.response.raw_json["new"] is True  # the JSON as received

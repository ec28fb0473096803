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
from mailgun_client import AsyncMailgun, InternalServerError, Mailgun

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


# -- with_options / copy -----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_with_options_changes_what_is_given_and_shares_the_pool(
    server: FaultServer, kind: str
) -> None:
    import httpx

    server.on("GET", BOUNCES + "/a@x.com", *[Reply(body=BOUNCE)] * 3)
    server.on("GET", BOUNCES + "/b@x.com", *[Reply(503, {"message": "x"})] * 2)

    async def async_main() -> tuple[Any, Any, Any]:
        async with AsyncMailgun(
            KEY, base_url=server.url, max_retries=0, default_headers={"X-A": "1"}
        ) as client:
            other = client.with_options(
                api_key="key-other-0123456789",
                timeout=9.0,
                default_headers={"X-B": "2"},
            )
            await other.bounces.get("d.com", "a@x.com")
            await other.close()  # shares client's pool: leaves it open
            assert not client._http.is_closed
            await client.bounces.get("d.com", "a@x.com")
            retrying = client.copy(max_retries=1)
            with pytest.raises(InternalServerError):
                await retrying.bounces.get("d.com", "b@x.com")
            return client, other, retrying

    if kind == "async":
        client, other, retrying = asyncio.run(async_main())
    else:
        with Mailgun(
            KEY, base_url=server.url, max_retries=0, default_headers={"X-A": "1"}
        ) as client:
            other = client.with_options(
                api_key="key-other-0123456789",
                timeout=9.0,
                default_headers={"X-B": "2"},
            )
            other.bounces.get("d.com", "a@x.com")
            other.close()
            assert not client._http.is_closed
            client.bounces.get("d.com", "a@x.com")
            retrying = client.copy(max_retries=1)
            with pytest.raises(InternalServerError):
                retrying.bounces.get("d.com", "b@x.com")
    assert type(other) is type(client)
    assert other._http is client._http and client._http.is_closed
    assert other.base_url == client.base_url == server.url
    assert (other.timeout, client.timeout) == (9.0, httpx.Timeout(60.0, connect=5.0))
    assert (retrying.max_retries, client.max_retries) == (1, 0)
    first, second = server.seen("GET", BOUNCES + "/a@x.com")
    assert first.headers["Authorization"] != second.headers["Authorization"]
    assert first.headers["X-A"] == "1" and first.headers["X-B"] == "2"
    assert second.headers["X-A"] == "1" and "X-B" not in second.headers
    assert len(server.seen("GET", BOUNCES + "/b@x.com")) == 2  # one retry
    for c in (client, other, retrying):
        assert KEY not in repr(c) and "key-other" not in repr(c)


def test_copy_switches_region_and_a_given_http_client_is_the_callers() -> None:
    import httpx

    client = Mailgun(KEY, base_url="https://proxy.example.com")
    assert client.copy(region="eu").base_url == "https://api.eu.mailgun.net"
    assert client.copy().base_url == "https://proxy.example.com"
    eu = Mailgun(KEY, region="eu")
    assert eu.with_options(timeout=1.0).base_url == "https://api.eu.mailgun.net"
    mine = httpx.Client()
    copied = eu.copy(http_client=mine)
    assert copied._http is mine
    copied.close()
    assert not mine.is_closed and not eu._http.is_closed
    mine.close()
    # The copy of a client that made its own pool does not own that pool.
    own = Mailgun(KEY)
    own.copy().close()
    assert not own._http.is_closed
    own.close()
    assert own._http.is_closed


# -- environment ---------------------------------------------------------------


def test_region_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, server: FaultServer
) -> None:
    from mailgun_client import MailgunError

    monkeypatch.setenv("MAILGUN_REGION", "EU")
    assert Mailgun(KEY).base_url == "https://api.eu.mailgun.net"
    assert AsyncMailgun(KEY).base_url == "https://api.eu.mailgun.net"
    assert Mailgun(KEY, region="us").base_url == "https://api.mailgun.net"  # wins
    monkeypatch.setenv("MAILGUN_REGION", "mars")
    with pytest.raises(MailgunError, match=r"Unknown region 'mars' \(from MAILGUN_REG"):
        Mailgun(KEY)
    with pytest.raises(MailgunError, match="Unknown region 'mars'"):
        AsyncMailgun(KEY)
    monkeypatch.setenv("MAILGUN_BASE_URL", server.url)
    assert Mailgun(KEY).base_url == server.url  # over the (bad) region
    assert Mailgun(KEY, base_url="https://x.example.com").base_url == (
        "https://x.example.com"
    )
    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE))
    assert Mailgun(KEY).bounces.get("d.com", "a@x.com").address == "a@x.com"
    monkeypatch.setenv("MAILGUN_BASE_URL", "")  # empty is unset
    monkeypatch.delenv("MAILGUN_REGION")
    assert Mailgun(KEY).base_url == "https://api.mailgun.net"


@pytest.mark.parametrize("cls", [Mailgun, AsyncMailgun])
def test_a_base_url_without_a_scheme_is_refused_at_construction(
    monkeypatch: pytest.MonkeyPatch, cls: Any
) -> None:
    with pytest.raises(
        ValueError, match=r"base_url 'api\.mailgun\.net' must be an abs"
    ):
        cls(KEY, base_url="api.mailgun.net")
    monkeypatch.setenv("MAILGUN_BASE_URL", "api.mailgun.net")
    with pytest.raises(
        ValueError, match=r"MAILGUN_BASE_URL 'api\.mailgun\.net' must be an absolute"
    ):
        cls(KEY)
    monkeypatch.setenv("MAILGUN_BASE_URL", "https://api.mailgun.net?x=1")
    with pytest.raises(ValueError, match=r"MAILGUN_BASE_URL .* may not have a query"):
        cls(KEY)


@pytest.fixture
def package_log() -> Iterator[None]:
    """Undo what MAILGUN_LOG sets up (handlers and levels outlive a test)."""
    import logging

    loggers = [logging.getLogger("mailgun_client"), logging.getLogger("httpx")]
    saved = [(lg, list(lg.handlers), lg.level) for lg in loggers]
    yield
    for lg, handlers, level in saved:
        lg.handlers[:] = handlers
        lg.setLevel(level)


@pytest.mark.parametrize("kind", KINDS)
def test_env_log_prints_requests_to_stderr_without_the_key(
    server: FaultServer,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    package_log: None,
) -> None:
    import mailgun_client

    monkeypatch.setenv("MAILGUN_LOG", "debug")
    server.on(
        "GET", BOUNCES + "/a@x.com", Reply(503, {"message": "x"}), Reply(body=BOUNCE)
    )
    server.on("GET", BOUNCES + "/b@x.com", Reply(401, {"message": f"bad {KEY}"}))

    def call(c: Any) -> Any:
        async def both() -> None:
            await c.bounces.get("d.com", "a@x.com")
            with pytest.raises(mailgun_client.AuthenticationError):
                await c.bounces.get("d.com", "b@x.com")

        if kind == "async":
            return both()
        c.bounces.get("d.com", "a@x.com")
        with pytest.raises(mailgun_client.AuthenticationError):
            c.bounces.get("d.com", "b@x.com")
        return None

    run(kind, server.url, call)
    err = capsys.readouterr().err
    assert "mailgun_client" in err and "DEBUG" in err
    assert "request GET /v3/d.com/bounces/a@x.com" in err
    assert "retrying GET" in err and "-> 401" in err
    assert "HTTP Request: GET" in err  # httpx's own line
    assert KEY not in err and "Basic " not in err and "Authorization" not in err


def test_env_log_info_and_unset(
    server: FaultServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    package_log: None,
) -> None:
    server.on("GET", BOUNCES + "/a@x.com", *[Reply(body=BOUNCE)] * 2)
    monkeypatch.delenv("MAILGUN_LOG", raising=False)
    with Mailgun(KEY, base_url=server.url) as client:
        client.bounces.get("d.com", "a@x.com")
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("MAILGUN_LOG", "info")
    with Mailgun(KEY, base_url=server.url) as client:
        client.bounces.get("d.com", "a@x.com")
    err = capsys.readouterr().err
    assert "HTTP Request: GET" in err and "request GET" not in err  # no DEBUG
    assert KEY not in err


# -- 401 -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_401_says_where_the_request_went_and_what_to_check(
    server: FaultServer, kind: str
) -> None:
    import mailgun_client

    server.on(
        "GET", BOUNCES + "/a@x.com", Reply(401, {"message": f"Invalid key {KEY}"})
    )
    with pytest.raises(mailgun_client.AuthenticationError) as info:
        run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"))
    text = str(info.value)
    assert text.startswith("Error code: 401 - Invalid key [redacted]. ")
    assert f"went to base_url {server.url}" in text
    assert "check the API key (MAILGUN_API_KEY)" in text
    assert info.value.message == "Invalid key [redacted]"  # the API's own words
    assert KEY not in text and KEY not in repr(info.value)


def test_a_401_names_the_region_and_the_other_regions() -> None:
    import httpx
    import mailgun_client

    def deny(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"message": "Forbidden"})

    http = httpx.Client(transport=httpx.MockTransport(deny))
    for region, other in (("us", "eu"), ("eu", "us")):
        client = Mailgun(KEY, region=region, http_client=http)
        with pytest.raises(mailgun_client.AuthenticationError) as info:
            client.bounces.get("d.com", "a@x.com")
        text = str(info.value)
        assert f"went to region {region!r} ({client.base_url})" in text
        assert f"another region needs region={other!r}" in text
        assert KEY not in text
    http.close()


# -- with_streaming_response -----------------------------------------------------


def _page(items: list[str], next_url: str | None) -> dict[str, Any]:
    paging: dict[str, Any] = {"first": "f", "last": "l"}
    if next_url:
        paging["next"] = next_url
    return {"items": [{**BOUNCE, "address": a} for a in items], "paging": paging}


def test_streaming_response_reads_the_body_only_when_asked(server: FaultServer) -> None:
    import mailgun_client

    server.on("GET", BOUNCES + "/a@x.com", *[Reply(body=BOUNCE)] * 4)
    server.on("GET", BOUNCES, Reply(body=_page(["a"], f"{server.url}{BOUNCES}?p=2")))
    server.on("GET", BOUNCES, Reply(body=_page(["b"], None)))
    server.on("DELETE", BOUNCES + "/a@x.com", Reply(body={"message": "gone"}))
    server.on("GET", BOUNCES + "/c@x.com", Reply(404, {"message": "no"}))
    with Mailgun(KEY, base_url=server.url) as client:
        stream = client.bounces.with_streaming_response
        with stream.get("d.com", "a@x.com") as response:
            assert response.status_code == 200
            assert not response.http_response.is_stream_consumed  # not read yet
            bounce = response.parse()
            assert bounce.address == "a@x.com"
        assert response.http_response.is_closed
        with stream.get("d.com", "a@x.com") as response:
            assert b"".join(response.iter_bytes(4)) == json.dumps(BOUNCE).encode()
        with stream.get("d.com", "a@x.com") as response:
            assert response.json() == BOUNCE and response.read()
        with stream.get("d.com", "a@x.com") as response:
            assert json.loads("".join(response.iter_lines())) == BOUNCE
        with stream.list("d.com") as response:
            page = response.parse()  # the page, as the method returns it
            assert [b.address for b in page] == ["a", "b"]
        with stream.delete("d.com", "a@x.com") as response:
            assert response.parse().message == "gone"
        with pytest.raises(mailgun_client.NotFoundError):  # raised on entering
            with stream.get("d.com", "c@x.com"):
                raise AssertionError("not reached")


def test_streaming_response_async(server: FaultServer) -> None:
    import mailgun_client

    server.on("GET", BOUNCES + "/a@x.com", *[Reply(body=BOUNCE)] * 3)
    server.on("GET", BOUNCES, Reply(body=_page(["a"], f"{server.url}{BOUNCES}?p=2")))
    server.on("GET", BOUNCES, Reply(body=_page(["b"], None)))
    server.on("GET", BOUNCES + "/c@x.com", Reply(404, {"message": "no"}))

    async def main() -> None:
        async with AsyncMailgun(KEY, base_url=server.url) as client:
            stream = client.bounces.with_streaming_response
            async with stream.get("d.com", "a@x.com") as response:
                assert not response.http_response.is_stream_consumed
                assert response.request_id is None
                assert (await response.parse()).address == "a@x.com"
            assert response.http_response.is_closed
            async with stream.get("d.com", "a@x.com") as response:
                chunks = [c async for c in response.iter_bytes(4)]
                assert b"".join(chunks) == json.dumps(BOUNCE).encode()
            async with stream.get("d.com", "a@x.com") as response:
                assert await response.json() == BOUNCE
            async with stream.list("d.com") as response:
                page = await response.parse()
                assert [b.address async for b in page] == ["a", "b"]
            with pytest.raises(mailgun_client.NotFoundError):
                async with stream.get("d.com", "c@x.com"):
                    raise AssertionError("not reached")

    asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
def test_raw_response_of_a_list_and_of_a_method_without_a_result(
    server: FaultServer, kind: str
) -> None:
    server.on(
        "GET", BOUNCES, Reply(body=_page(["a"], None), headers={"X-Request-Id": "r"})
    )
    server.on("DELETE", "/v1/webhooks", Reply(204))

    def call(c: Any) -> Any:
        async def both() -> Any:
            return (
                await c.bounces.with_raw_response.list("d.com"),
                await c.account_webhooks.with_raw_response.delete_many(all=True),
            )

        if kind == "async":
            return both()
        return (
            c.bounces.with_raw_response.list("d.com"),
            c.account_webhooks.with_raw_response.delete_many(all=True),
        )

    page_raw, none_raw = run(kind, server.url, call)
    assert page_raw.request_id == "r"
    assert page_raw.parse().items[0].address == "a"  # a page, as list() returns
    assert type(page_raw.parse()).__name__ in ("SyncPage", "AsyncPage")
    assert none_raw.status_code == 204 and none_raw.parse() is None


# -- client.get/post/put/patch/delete ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_custom_requests_go_through_auth_retries_errors_and_base_url(
    server: FaultServer, kind: str
) -> None:
    import mailgun_client
    from mailgun_client.types import Bounce

    server.on("GET", "/v9/new", Reply(503, {"message": "x"}), Reply(body={"n": [1, 2]}))
    server.on("POST", "/v9/new", Reply(body=BOUNCE))
    server.on("PUT", "/v9/new/{x}", Reply(body={"ok": True}))
    server.on("PATCH", "/v9/form", Reply(body="done"))
    server.on("DELETE", "/v9/new", Reply(204))
    server.on("GET", "/v9/missing", Reply(404, {"message": "nope"}))

    def call(c: Any) -> Any:
        calls = [
            lambda: c.get("/v9/new", cast_to=object, query={"a": ["1", "2"], "b": 3}),
            lambda: c.post("v9/new", cast_to=Bounce, body={"address": "a@x.com"}),
            lambda: c.put(
                f"{server.url}/v9/new/{{x}}", cast_to=dict, headers={"X-A": "1"}
            ),
            lambda: c.patch("/v9/form", cast_to=str, form={"f": "v"}),
            lambda: c.delete("/v9/new", cast_to=type(None)),
        ]

        async def each() -> Any:
            got = [await f() for f in calls]
            with pytest.raises(mailgun_client.NotFoundError):
                await c.get("/v9/missing", cast_to=object)
            return got

        if kind == "async":
            return each()
        got = [f() for f in calls]
        with pytest.raises(mailgun_client.NotFoundError):
            c.get("/v9/missing", cast_to=object)
        return got

    got = run(kind, server.url, call)
    assert got[0] == {"n": [1, 2]}
    assert isinstance(got[1], Bounce) and got[1].address == "a@x.com"
    assert got[2:] == [{"ok": True}, "done", None]
    gets = server.seen("GET", "/v9/new")
    assert len(gets) == 2 and gets[1].query == "a=1&a=2&b=3"  # retried
    assert json.loads(server.seen("POST", "/v9/new")[0].body) == {"address": "a@x.com"}
    assert server.seen("PUT", "/v9/new/{x}")[0].headers["X-A"] == "1"
    assert server.seen("PATCH", "/v9/form")[0].body == b"f=v"
    assert all(s.headers["Authorization"].startswith("Basic ") for s in server.log)


def test_custom_requests_never_leave_the_base_url(server: FaultServer) -> None:
    with Mailgun(KEY, base_url=server.url) as client:
        with pytest.raises(ValueError, match="not under the client's base_url"):
            client.get("https://elsewhere.example.com/v1/x", cast_to=object)
        with pytest.raises(ValueError, match="not under the client's base_url"):
            client.get(server.url + "evil.example.com/x", cast_to=object)
    assert server.log == []


# -- list results ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_list_results_iterate_alike(server: FaultServer, kind: str) -> None:
    server.on("GET", "/v1/thresholds/alerts/send", Reply(body={"items": [ALERT] * 2}))
    hook = {"webhook_id": "w1", "url": "https://h.example.com", "event_types": []}
    server.on("GET", "/v1/webhooks", Reply(body={"webhooks": [hook]}))
    server.on("GET", BOUNCES, Reply(body=_page(["a", "b"], f"{server.url}{BOUNCES}?n")))
    server.on("GET", BOUNCES, Reply(body=_page(["c"], None)))

    def call(c: Any) -> Any:
        async def both() -> Any:
            alerts = await c.alerts.list()
            bounces = [b.address async for b in c.bounces.list("d.com")]
            return alerts, bounces, await c.account_webhooks.list()

        if kind == "async":
            return both()
        bounces = [b.address for b in c.bounces.list("d.com")]
        return c.alerts.list(), bounces, c.account_webhooks.list()

    alerts, addresses, hooks = run(kind, server.url, call)
    # A list under another name, alone in its response, iterates the same.
    assert [h.webhook_id for h in hooks] == ["w1"] and len(hooks) == 1
    assert hooks[0] is hooks.webhooks[0] and hooks.items == hooks.webhooks
    assert [a.name for a in alerts] == ["n", "n"]
    assert len(alerts) == 2 and alerts[1].metric == "delivered_rate"
    assert list(alerts) == alerts.items
    assert addresses == ["a", "b", "c"]  # every page
    empty = type(alerts).model_validate({"items": []})
    assert len(empty) == 0 and list(empty) == [] and empty  # a result is true
    assert alerts.to_dict()["items"][0]["name"] == "n"  # still a model


# -- resuming a list -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_resumes_from_a_stored_page_url(server: FaultServer, kind: str) -> None:
    # The API names its own host; the URL is followed on the client's base URL.
    second = "https://api.mailgun.net/v3/d.com/bounces?page=next&address=b"
    third = "https://api.mailgun.net/v3/d.com/bounces?page=next&address=d"
    server.on("GET", BOUNCES, Reply(body=_page(["a", "b"], second)))
    server.on("GET", BOUNCES, Reply(body=_page(["c", "d"], third)))
    server.on("GET", BOUNCES, Reply(body=_page(["e"], None)))

    def first_page(c: Any) -> Any:
        async def get() -> Any:
            return await c.bounces.list("d.com", limit=2)

        return get() if kind == "async" else c.bounces.list("d.com", limit=2)

    page = run(kind, server.url, first_page)
    stored = page.next_page_url
    assert stored == second and [b.address for b in page.items] == ["a", "b"]

    def resume(c: Any) -> Any:  # another client, later
        async def collect() -> Any:
            resumed = c.bounces.list("d.com", page_url=stored)
            return [b.address async for b in resumed]

        if kind == "async":
            return collect()
        return [b.address for b in c.bounces.list("d.com", page_url=stored)]

    assert run(kind, server.url, resume) == ["c", "d", "e"]
    queries = [s.query for s in server.seen("GET", BOUNCES)]
    assert queries == ["limit=2", "page=next&address=b", "page=next&address=d"]
    assert all(s.headers["Authorization"].startswith("Basic ") for s in server.log)


def test_the_last_page_has_no_next_page_url(server: FaultServer) -> None:
    server.on("GET", BOUNCES, Reply(body=_page(["a"], None)))
    with Mailgun(KEY, base_url=server.url) as client:
        assert client.bounces.list("d.com").next_page_url is None


# -- None in a path --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_none_in_a_path_argument_is_refused_before_sending(
    server: FaultServer, kind: str
) -> None:
    def call(c: Any) -> Any:
        async def both() -> None:
            with pytest.raises(TypeError, match="'address' must not be None"):
                await c.bounces.get("d.com", None)
            with pytest.raises(TypeError, match="'domain_name' must not be None"):
                await c.bounces.list(None)
            with pytest.raises(ValueError, match="'domain_name' must not be empty"):
                await c.bounces.delete("", "a@x.com")

        if kind == "async":
            return both()
        with pytest.raises(TypeError, match="'address' must not be None"):
            c.bounces.get("d.com", None)
        with pytest.raises(TypeError, match="'domain_name' must not be None"):
            c.bounces.list(None)
        with pytest.raises(TypeError, match="'domain_name' must not be None"):
            with c.bounces.with_streaming_response.get(None, "a@x.com"):
                pass
        return None

    run(kind, server.url, call)
    assert server.log == []


def test_a_path_argument_is_named_as_the_method_spells_it() -> None:
    from mailgun_client._params import Param, encode_params

    with pytest.raises(TypeError) as info:
        encode_params("/v1/{domainName}", [Param("path", "domainName", None, arg="d")])
    assert str(info.value) == (
        "argument 'd' (path parameter 'domainName') must not be None"
    )

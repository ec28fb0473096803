"""generated/mailgun_client runtime (_base_client etc.) against injected faults."""

# Sync and async: pagination, retries, timeouts, uploads, raw responses, logging.

import asyncio
import functools
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import mailgun_client
import pytest
from faultserver import FaultServer, Reply
from mailgun_client import AsyncMailgun, Mailgun

KEY = "key-fault-0123456789-secret"
BOUNCES = "/v3/d.com/bounces"
BOUNCE = {"address": "a@x.com", "code": "550", "error": "e", "created_at": "now"}


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


def run(kind: str, url: str, call: Callable[[Any], Any], **client_args: Any) -> Any:
    """Run ``call(client)`` through Mailgun or AsyncMailgun."""
    if kind == "sync":
        with Mailgun(KEY, base_url=url, **client_args) as client:
            return call(client)

    async def main() -> Any:
        async with AsyncMailgun(KEY, base_url=url, **client_args) as client:
            result = call(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(main())


KINDS = ["sync", "async"]
FAST = {"max_retries": 3}


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry waits instead of sleeping them (the waits are asserted)."""
    waits: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("mailgun_client._base_client._sleep", waits.append)
    monkeypatch.setattr("mailgun_client._base_client._async_sleep", fake_async_sleep)
    return waits


def _page(items: list[str], next_url: str | None) -> dict[str, Any]:
    paging: dict[str, Any] = {"first": "f", "last": "l"}
    if next_url:
        paging["next"] = next_url
    return {"items": [{**BOUNCE, "address": a} for a in items], "paging": paging}


@pytest.mark.parametrize("kind", KINDS)
def test_three_pages(server: FaultServer, kind: str) -> None:
    # Next URLs name Mailgun's host: the client follows them on its base URL.
    server.on(
        "GET",
        BOUNCES,
        Reply(
            body=_page(
                ["a", "b"],
                "https://api.mailgun.net/v3/d.com/bounces?page=next&address=b&limit=2",
            )
        ),
        Reply(
            body=_page(
                ["c", "d"],
                "https://api.mailgun.net/v3/d.com/bounces?page=next&address=d&limit=2",
            )
        ),
        Reply(
            body=_page(
                ["e"],
                "https://api.mailgun.net/v3/d.com/bounces?page=next&address=e&limit=2",
            )
        ),
        Reply(
            body=_page(
                [],
                "https://api.mailgun.net/v3/d.com/bounces?page=next&address=z&limit=2",
            )
        ),
    )

    def call(client: Any) -> Any:
        if kind == "sync":
            page = client.bounces.list("d.com", limit=2)
            return [b.address for b in page], len(list(page.iter_pages()))

        async def collect() -> Any:
            # The async list call is iterated directly, no await needed.
            return [b.address async for b in client.bounces.list("d.com", limit=2)]

        return collect()

    got = run(kind, server.url, call)
    addresses = got[0] if kind == "sync" else got
    assert addresses == ["a", "b", "c", "d", "e"]
    queries = [s.query for s in server.seen("GET", BOUNCES)]
    assert queries[0] == "limit=2"  # page size passes through
    assert queries[1] == "page=next&address=b&limit=2"
    assert all(s.headers["Authorization"].startswith("Basic ") for s in server.log)


@pytest.mark.parametrize("kind", KINDS)
def test_pagination_stops_on_a_repeated_next_url(
    server: FaultServer, kind: str
) -> None:
    loop = "http://x/v3/d.com/bounces?page=next&address=b"
    server.on(
        "GET",
        BOUNCES,
        Reply(body=_page(["a"], loop)),
        Reply(body=_page(["b"], loop)),
        Reply(body=_page(["c"], loop)),
    )

    def call(client: Any) -> Any:
        if kind == "sync":
            return [b.address for b in client.bounces.list("d.com")]

        async def collect() -> Any:
            page = await client.bounces.list("d.com")
            return [b.address async for b in page]

        return collect()

    assert run(kind, server.url, call) == ["a", "b"]
    assert len(server.seen("GET", BOUNCES)) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_429_with_retry_after_then_200(
    server: FaultServer, kind: str, no_real_sleep: list[float]
) -> None:
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(429, {"message": "slow down"}, {"Retry-After": "2"}),
        Reply(body=BOUNCE),
    )
    got = run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), **FAST)
    assert got.address == "a@x.com"
    assert no_real_sleep == [2.0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_after_that_is_not_a_number_means_the_usual_backoff(
    server: FaultServer, kind: str, no_real_sleep: list[float]
) -> None:
    """Issue 9, finding 10: ``Retry-After: nan`` ended in time.sleep's
    ValueError."""
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(429, {"message": "x"}, {"Retry-After": "nan"}),
        Reply(503, {"message": "x"}, {"X-RateLimit-Reset": "NaN"}),
        Reply(body=BOUNCE),
    )
    got = run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), **FAST)
    assert got.address == "a@x.com"
    assert len(no_real_sleep) == 2
    assert all(0.375 <= w <= 1.0 for w in no_real_sleep)  # backoff, not NaN


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_as_http_date_and_ratelimit_reset(
    server: FaultServer, kind: str, no_real_sleep: list[float]
) -> None:
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(429, {"message": "x"}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        Reply(503, {"message": "x"}, {"X-RateLimit-Reset": "3"}),
        Reply(body=BOUNCE),
    )
    run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), **FAST)
    assert no_real_sleep == [0.0, 3.0]  # a date in the past means now


@pytest.mark.parametrize("kind", KINDS)
def test_503_twice_then_200(
    server: FaultServer, kind: str, no_real_sleep: list[float]
) -> None:
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(503, {"message": "busy"}),
        Reply(503, {"message": "busy"}),
        Reply(body=BOUNCE),
    )
    assert (
        run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com")).code == "550"
    )
    assert len(no_real_sleep) == 2
    assert (
        0.375 <= no_real_sleep[0] <= 0.5 and 0.75 <= no_real_sleep[1] <= 1.0
    )  # backoff


@pytest.mark.parametrize("kind", KINDS)
def test_gives_up_and_says_how_many_tries(server: FaultServer, kind: str) -> None:
    server.on(
        "GET", BOUNCES + "/a@x.com", *[Reply(502, {"message": "bad gateway"})] * 4
    )
    with pytest.raises(mailgun_client.InternalServerError) as info:
        run(
            kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), max_retries=2
        )
    assert info.value.tries == 3
    assert "after 3 tries" in str(info.value)
    assert len(server.seen("GET", BOUNCES + "/a@x.com")) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_per_call_max_retries_and_zero_disables(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", *[Reply(503, {"message": "x"})] * 3)
    with pytest.raises(mailgun_client.InternalServerError) as info:
        run(
            kind,
            server.url,
            lambda c: c.bounces.get("d.com", "a@x.com", max_retries=0),
            max_retries=5,
        )
    assert info.value.tries == 1
    assert len(server.seen("GET", BOUNCES + "/a@x.com")) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_connection_reset_is_retried_for_a_get(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(reset=True), Reply(body=BOUNCE))
    got = run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"))
    assert got.address == "a@x.com"
    assert len(server.seen("GET", BOUNCES + "/a@x.com")) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_slow_response_times_out(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE, delay=1.0))
    with pytest.raises(mailgun_client.APITimeoutError):
        run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com", timeout=0.2))
    # Per client too, and not retried: the caller's time budget is spent.
    server.on("GET", BOUNCES + "/b@x.com", Reply(body=BOUNCE, delay=1.0))
    with pytest.raises(mailgun_client.APITimeoutError):
        run(kind, server.url, lambda c: c.bounces.get("d.com", "b@x.com"), timeout=0.2)
    assert len(server.seen("GET", BOUNCES + "/b@x.com")) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_post_is_not_retried_after_a_500(server: FaultServer, kind: str) -> None:
    server.on(
        "POST", BOUNCES, Reply(500, {"message": "oops"}), Reply(body={"message": "ok"})
    )
    with pytest.raises(mailgun_client.InternalServerError) as info:
        run(kind, server.url, lambda c: c.bounces.create("d.com", address="a@x.com"))
    assert info.value.tries == 1
    writes = server.seen("POST", BOUNCES)
    assert len(writes) == 1  # the server's log shows no duplicated write


@pytest.mark.parametrize("kind", KINDS)
def test_post_is_retried_after_429_and_reset_is_not(
    server: FaultServer, kind: str
) -> None:
    server.on(
        "POST",
        BOUNCES,
        Reply(429, {"message": "x"}, {"Retry-After": "0"}),
        Reply(body={"message": "ok"}),
    )
    assert (
        run(
            kind, server.url, lambda c: c.bounces.create("d.com", address="a@x.com")
        ).message
        == "ok"
    )
    assert len(server.seen("POST", BOUNCES)) == 2
    server.on("POST", BOUNCES, Reply(reset=True), Reply(body={"message": "twice!"}))
    with pytest.raises(mailgun_client.APIConnectionError):
        run(kind, server.url, lambda c: c.bounces.create("d.com", address="b@x.com"))
    assert len(server.seen("POST", BOUNCES)) == 3  # the reset POST was sent once


@pytest.mark.parametrize("kind", KINDS)
def test_post_is_retried_when_the_connection_is_refused(kind: str) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(mailgun_client.APIConnectionError) as info:
        run(
            kind,
            f"http://127.0.0.1:{port}",
            lambda c: c.bounces.create("d.com", address="a@x.com"),
            max_retries=2,
        )
    assert info.value.tries == 3


@pytest.mark.parametrize("kind", KINDS)
def test_uploads_from_path_bytes_and_open_file(
    server: FaultServer, kind: str, tmp_path: Path
) -> None:
    csv = tmp_path / "bounces.csv"
    csv.write_bytes(b"address\na@x.com\n")
    server.on("POST", BOUNCES + "/import", *[Reply(202, {"message": "ok"})] * 3)

    def call(client: Any) -> Any:
        async def all_async() -> None:
            await client.bounces.import_csv("d.com", file=csv)
            await client.bounces.import_csv("d.com", file=b"address\nb@x.com\n")
            with open(csv, "rb") as fh:
                await client.bounces.import_csv("d.com", file=fh)

        if kind == "async":
            return all_async()
        client.bounces.import_csv("d.com", file=csv)
        client.bounces.import_csv("d.com", file=b"address\nb@x.com\n")
        with open(csv, "rb") as fh:
            client.bounces.import_csv("d.com", file=fh)
        return None

    run(kind, server.url, call)
    bodies = [s.body for s in server.seen("POST", BOUNCES + "/import")]
    assert len(bodies) == 3
    assert b'filename="bounces.csv"' in bodies[0] and b"a@x.com" in bodies[0]
    assert b"b@x.com" in bodies[1]
    assert b'filename="bounces.csv"' in bodies[2]
    assert all(b'name="file"' in b for b in bodies)


@pytest.mark.parametrize("kind", KINDS)
def test_raw_response(server: FaultServer, kind: str) -> None:
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(503, {"message": "x"}),
        Reply(body=BOUNCE, headers={"X-Request-Id": "r1"}),
    )
    raw = run(
        kind, server.url, lambda c: c.bounces.with_raw_response.get("d.com", "a@x.com")
    )
    assert raw.status_code == 200
    assert raw.headers["X-Request-Id"] == "r1"
    assert raw.parsed.address == "a@x.com" and raw.parse() is raw.parsed
    assert raw.tries == 2


@pytest.mark.parametrize("kind", KINDS)
def test_empty_and_html_error_bodies(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(404))
    with pytest.raises(mailgun_client.NotFoundError) as info:
        run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"))
    assert info.value.status_code == 404 and info.value.message == "Not Found"


def test_logs_requests_retries_and_never_the_key(
    server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.on(
        "GET", BOUNCES + "/a@x.com", Reply(503, {"message": "x"}), Reply(body=BOUNCE)
    )
    server.on(
        "GET", BOUNCES + "/b@x.com", *[Reply(401, {"message": f"bad key {KEY}?"})]
    )
    caplog.set_level(logging.DEBUG, logger="mailgun_client")
    texts: list[str] = []
    with Mailgun(KEY, base_url=server.url) as client:
        texts.append(repr(client))
        client.bounces.get("d.com", "a@x.com")
        try:
            client.bounces.get("d.com", "b@x.com")
        except mailgun_client.AuthenticationError as exc:
            # The server echoed the key; the message redacts it.
            assert exc.message == "bad key [redacted]?"
            texts += [
                str(exc),
                repr(exc),
                exc.message,
                repr(exc.request),
                str(exc.request.url),
            ]
    messages = [r.getMessage() for r in caplog.records]
    assert any("request GET /v3/d.com/bounces/a@x.com" in m for m in messages)
    assert any("retrying GET" in m and "status 503" in m for m in messages)
    assert any("-> 200" in m for m in messages)
    for text in [*messages, *texts, *(str(r.args) for r in caplog.records)]:
        assert KEY not in text
        assert "Authorization" not in text


def test_http_client_timeouts_are_the_package_errors(server: FaultServer) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE, delay=1.0))
    client = Mailgun(
        KEY, base_url=server.url, timeout=httpx.Timeout(0.2), max_retries=0
    )
    with pytest.raises(mailgun_client.APITimeoutError) as info:
        client.bounces.get("d.com", "a@x.com")
    assert isinstance(info.value, mailgun_client.APIConnectionError)
    client.close()


@pytest.mark.parametrize("kind", KINDS)
def test_html_error_and_lenient_success(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(502, None, {"X-Why": "proxy"}))
    with pytest.raises(mailgun_client.InternalServerError) as info:
        run(
            kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), max_retries=0
        )
    assert info.value.status_code == 502 and info.value.headers["X-Why"] == "proxy"
    # A 2xx body that breaks its schema still comes back, raw JSON kept.
    odd = {**BOUNCE, "created_at": {"not": "a string"}, "extra": 1}
    server.on("GET", BOUNCES + "/b@x.com", Reply(body=odd))
    got = run(kind, server.url, lambda c: c.bounces.get("d.com", "b@x.com"))
    assert got.address == "a@x.com" and got.created_at == {"not": "a string"}
    assert got.raw_json == odd and got.model_extra == {"extra": 1}


@pytest.mark.parametrize("kind", KINDS)
def test_extra_headers_and_query_per_call(server: FaultServer, kind: str) -> None:
    server.on("GET", BOUNCES + "/a@x.com", Reply(body=BOUNCE))
    run(
        kind,
        server.url,
        lambda c: c.bounces.get(
            "d.com",
            "a@x.com",
            extra_headers={"X-Trace": "t1"},
            extra_query={"debug": "yes"},
        ),
    )
    (seen,) = server.seen("GET", BOUNCES + "/a@x.com")
    assert seen.headers["X-Trace"] == "t1" and seen.query == "debug=yes"


@pytest.mark.parametrize("kind", KINDS)
def test_logs_never_hold_the_key(
    server: FaultServer, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(429, {"message": "x"}, {"Retry-After": "0"}),
        Reply(body=BOUNCE),
    )
    caplog.set_level(logging.DEBUG, logger="mailgun_client")
    run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"))
    messages = [r.getMessage() for r in caplog.records]
    assert any("retrying GET" in m for m in messages)
    assert not [m for m in messages if KEY in m or "Basic " in m]


@functools.cache
def _gzip_bomb() -> bytes:
    """1.3 MB of gzip that is 300 MB of JSON."""
    import gzip

    return gzip.compress(b'{"address": "' + b"a" * 300_000_000 + b'"}', 1)


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzip_bomb_is_not_read_past_max_response_bytes(
    server: FaultServer, kind: str
) -> None:
    """Issue 9, finding 10: 300 KB of gzip that expands to 300 MB took 1.6 GB
    of memory. The body is read decompressed up to ``max_response_bytes``
    (64 MiB by default) and refused beyond, without a retry."""
    import gzip
    import resource

    from mailgun_client import APIResponseValidationError

    bomb = _gzip_bomb()
    assert len(bomb) < 2_000_000
    gz = {"Content-Encoding": "gzip"}
    small = gzip.compress(json.dumps(BOUNCE).encode())
    server.on(
        "GET",
        BOUNCES + "/a@x.com",
        Reply(raw=small, headers=gz),
        Reply(raw=bomb, headers=gz),
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"))
    with pytest.raises(APIResponseValidationError) as info:
        run(kind, server.url, lambda c: c.bounces.get("d.com", "a@x.com"), **FAST)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "larger than max_response_bytes (67,108,864 bytes" in str(info.value)
    assert len(server.seen("GET", BOUNCES + "/a@x.com")) == 2  # not retried
    assert grown_mb < 400, f"peak memory grew {grown_mb:.0f} MB"

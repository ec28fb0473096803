"""The exact requests a generated client sends, and what it returns (issue 8).

tests/specs/wire.yaml holds one construct per finding; its client talks to
a real local HTTP server (pytest-httpserver), sync and async, and each test
checks the raw request line, headers and body the server received.
"""

import asyncio
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from helpers import ROOT, generate_package, imported_package
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SPEC = ROOT / "tests" / "specs" / "wire.yaml"


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from imported_package(tmp_path_factory, SPEC)


def both(wire: ModuleType, url: str, call: Callable[[Any], Any]) -> list[Any]:
    """``call(client)`` with the sync client, then with the async one."""
    sync = wire.Wire("k", base_url=url)
    out = [call(sync)]

    async def go() -> Any:
        async with wire.AsyncWire("k", base_url=url) as client:
            return await call(client)

    out.append(asyncio.run(go()))
    return out


def requests(httpserver: HTTPServer) -> list[Request]:
    return [request for request, _ in httpserver.log]


def raw_uri(request: Request) -> str:
    """The request target exactly as sent (werkzeug decodes ``path``)."""
    return str(request.environ.get("RAW_URI") or request.environ["REQUEST_URI"])


ITEM = {"id": "i1", "name": "n"}


# --- parameters (findings 2, 3, 4, 8, 12) -------------------------------------


def test_every_query_header_and_cookie_style(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/items/a/b").respond_with_json(ITEM)
    t = wire.types
    got = both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.items.get(
            "a/b",
            tags=["x", "y"],
            ids=[1, 2],
            filter=t.GetItemFilter(status="on", size=2),
            range=t.GetItemRange(lo=1, hi=5),
            pipes=["a", "b"],
            spaces=["a", "b"],
            where=t.GetItemWhere(n=1),
            x_trace=5,
            x_beta=["a=1", "b"],
            x_mode="fast",
            session="s 1",
        ),
    )
    assert all(isinstance(item, t.Item) and item.id == "i1" for item in got)
    for request in requests(httpserver):
        assert raw_uri(request) == (
            "/items/a%2Fb?tags=x,y&ids=1&ids=2&filter[status]=on&filter[size]=2"
            "&lo=1&hi=5&pipes=a|b&spaces=a%20b&where=%7B%22n%22%3A1%7D&api_key=k"
        )
        assert request.headers["x-trace"] == "5"  # an int header (finding 2)
        assert request.headers["x-beta"] == "a=1,b"  # an array, not a repr
        assert request.headers["x-mode"] == "fast"
        assert request.headers["Cookie"] == "session=s%201"  # finding 3


def test_left_out_parameters_are_not_sent(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/items/x").respond_with_json(ITEM)
    both(wire, httpserver.url_for("/"), lambda c: c.items.get("x", session="s"))
    for request in requests(httpserver):
        assert raw_uri(request) == "/items/x?api_key=k"
        assert "x-trace" not in request.headers


def test_path_values_cannot_change_the_path(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/items/..").respond_with_json(ITEM)
    both(wire, httpserver.url_for("/"), lambda c: c.items.get("..", session="s"))
    assert [raw_uri(r).split("?")[0] for r in requests(httpserver)] == [
        "/items/%2E%2E"
    ] * 2
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    with pytest.raises(ValueError, match="'id' must not be empty"):
        client.items.get("", session="s")
    with pytest.raises(TypeError, match="'id' must not be None"):
        client.items.get(None, session="s")


def test_matrix_and_label_styles_and_an_undeclared_placeholder(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/grid/;cells=a;cells=b/.1,2/acme").respond_with_data(
        status=204
    )
    got = both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.items.get_grid(["a", "b"], [1, 2], "acme"),
    )
    assert got == [None, None]
    assert {raw_uri(r) for r in requests(httpserver)} == {
        "/grid/;cells=a;cells=b/.1,2/acme?api_key=k"
    }


def test_a_path_key_keeps_its_fixed_query(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/things").respond_with_json([ITEM])
    both(wire, httpserver.url_for("/"), lambda c: c.items.list_beta_things(limit=5))
    assert {raw_uri(r) for r in requests(httpserver)} == {
        "/things?beta=true&limit=5&api_key=k"
    }


# --- bodies (findings 1, 4, 5, 6, 7, 10) -------------------------------------------


def test_raw_and_text_bodies(
    wire: ModuleType, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/upload").respond_with_data(status=204)
    httpserver.expect_request("/config").respond_with_data(
        "saved", content_type="text/plain"
    )
    data = tmp_path / "data.bin"
    data.write_bytes(b"from a file")
    url = httpserver.url_for("/")
    both(wire, url, lambda c: c.files.upload(body=b"\x00\x01"))
    both(wire, url, lambda c: c.files.upload(body=data))
    wire.Wire("k", base_url=url).files.upload(body=iter([b"chunk1", b"chunk2"]))
    assert both(wire, url, lambda c: c.files.save_config(body="a: 1")) == [
        "saved",
        "saved",
    ]
    uploads = [r for r in requests(httpserver) if r.path == "/upload"]
    assert [r.get_data() for r in uploads] == [
        b"\x00\x01",
        b"\x00\x01",
        b"from a file",
        b"from a file",
        b"chunk1chunk2",
    ]
    assert {r.headers["Content-Type"] for r in uploads} == {"application/octet-stream"}
    configs = [r for r in requests(httpserver) if r.path == "/config"]
    assert [
        (r.headers["Content-Type"], r.headers["Accept"], r.get_data()) for r in configs
    ] == [("text/plain; charset=utf-8", "text/plain", b"a: 1")] * 2


def test_form_fields_named_like_the_method_body_uses(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/forms", method="POST").respond_with_data(status=204)
    got = both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.forms.submit(
            type="t",
            cast="c",
            build_path="b",
            meta=wire.types.SubmitFormBodyMeta(a=1),
            variables={"x": [1, "y"]},
            tags=["a", "b"],
            sort=wire.types.SubmitFormBodySort(by="name"),
        ),
    )
    assert got == [None, None]  # 204, even with a field called ``type``
    for request in requests(httpserver):
        assert request.get_data(as_text=True) == (
            "type=t&cast=c&build_path=b&meta=%7B%22a%22%3A1%7D"
            "&variables=%7B%22x%22%3A%5B1%2C%22y%22%5D%7D&tags=a&tags=b&sort[by]=name"
        )


def test_multipart_files_lists_and_objects(
    wire: ModuleType, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/multi", method="POST").respond_with_data(status=204)
    second = tmp_path / "two.txt"
    second.write_bytes(b"2")
    both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.forms.submit_multipart(
            file=("a.csv", b"a,b", "text/csv"),
            more=[b"1", second],
            meta=wire.types.SubmitMultipartBodyMeta(a=1),
            tags=["x", "y"],
        ),
    )
    for request in requests(httpserver):
        assert request.files["file"].read() == b"a,b"
        assert request.files["file"].filename == "a.csv"
        assert request.files["file"].content_type == "text/csv"
        assert [f.read() for f in request.files.getlist("more")] == [b"1", b"2"]
        assert request.files.getlist("more")[1].filename == "two.txt"
        assert request.form.getlist("tags") == ["x", "y"]
        assert request.form["meta"] == '{"a":1}'


def test_a_str_is_never_taken_for_a_file(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    with pytest.raises(TypeError, match="not str"):
        client.forms.submit_multipart(file="/etc/passwd")
    assert not httpserver.log  # refused before anything was sent


def test_a_union_of_objects_as_a_form_body(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/pets", method="POST").respond_with_data(status=204)
    t = wire.types
    url = httpserver.url_for("/")
    both(wire, url, lambda c: c.forms.add_pet(body=t.Cat(meow=True, name="c")))
    both(wire, url, lambda c: c.forms.add_pet(body={"bark": 2}))
    assert [r.get_data(as_text=True) for r in requests(httpserver)] == [
        "meow=true&name=c",
        "meow=true&name=c",
        "bark=2",
        "bark=2",
    ]


def test_read_only_is_never_sent_and_write_only_never_required(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/items", method="POST").respond_with_json(
        ITEM, status=201
    )
    got = both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.items.create(name="n", secret="s"),
    )
    assert all(item.id == "i1" and item.secret is None for item in got)
    for request in requests(httpserver):
        assert request.get_json() == {"name": "n", "secret": "s"}


def test_variant_properties_and_undeclared_required_names(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/sinks", method="POST").respond_with_data(status=204)
    both(
        wire,
        httpserver.url_for("/"),
        lambda c: c.items.create_sink(
            uid="u", team="t", type="bucket", config={"bucket": "b"}
        ),
    )
    for request in requests(httpserver):
        assert request.get_json() == {
            "team": "t",
            "uid": "u",
            "type": "bucket",
            "config": {"bucket": "b"},
        }


# --- responses (finding 9) ---------------------------------------------------


def test_binary_responses_stream(
    wire: ModuleType, httpserver: HTTPServer, tmp_path: Path
) -> None:
    payload = bytes(range(256)) * 1000
    httpserver.expect_request("/download").respond_with_data(
        payload, content_type="application/octet-stream"
    )
    url = httpserver.url_for("/")
    client = wire.Wire("k", base_url=url)
    with client.files.download() as body:
        assert isinstance(body, wire.BinaryResponse)
        assert b"".join(body.iter_bytes(4096)) == payload
    client.files.download().write_to_file(tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == payload

    async def go() -> bytes:
        async with wire.AsyncWire("k", base_url=url) as c:
            body = await c.files.download()
            assert isinstance(body, wire.AsyncBinaryResponse)
            data: bytes = await body.read()
            return data

    assert asyncio.run(go()) == payload
    # It asks for what the operation returns, not JSON.
    assert {r.headers["Accept"] for r in requests(httpserver)} == {
        "application/octet-stream"
    }


def test_event_streams_iterate(wire: ModuleType, httpserver: HTTPServer) -> None:
    text = 'data: {"n": 1}\n\nevent: done\nid: 7\ndata: a\ndata: b\n\n: comment\n\n'
    httpserver.expect_request("/events").respond_with_data(
        text, content_type="text/event-stream"
    )
    url = httpserver.url_for("/")
    events = list(wire.Wire("k", base_url=url).files.stream_events())
    assert [(e.event, e.data, e.id) for e in events] == [
        ("message", '{"n": 1}', None),
        ("done", "a\nb", "7"),
    ]
    assert events[0].json() == {"n": 1}

    async def go() -> list[str]:
        async with wire.AsyncWire("k", base_url=url) as c:
            return [e.data async for e in await c.files.stream_events()]

    assert asyncio.run(go()) == ['{"n": 1}', "a\nb"]


WRONG_KINDS = {
    "html": Response("<html>oops</html>", content_type="text/html"),
    "invalid json": Response("{", content_type="application/json"),
    "null": Response("null", content_type="application/json"),
    "a list": Response("[1]", content_type="application/json"),
    "no body": Response("", status=200),
}


@pytest.mark.parametrize("kind", WRONG_KINDS)
def test_a_body_of_the_wrong_kind_is_an_error(
    wire: ModuleType, httpserver: HTTPServer, kind: str
) -> None:
    httpserver.expect_request("/items/x").respond_with_response(WRONG_KINDS[kind])

    def call(c: Any) -> Any:
        return c.items.get("x", session="s")

    url = httpserver.url_for("/")
    with pytest.raises(wire.APIResponseValidationError) as err:
        call(wire.Wire("k", base_url=url))
    assert err.value.status_code == 200

    async def go() -> None:
        async with wire.AsyncWire("k", base_url=url) as c:
            await call(c)

    with pytest.raises(wire.APIResponseValidationError):
        asyncio.run(go())


def test_redirects_are_errors_and_never_followed(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/items/x").respond_with_data(
        status=307, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    http = httpx.Client(follow_redirects=True)  # even when the caller's client would
    client = wire.Wire("k", base_url=httpserver.url_for("/"), http_client=http)
    with pytest.raises(wire.APIStatusError) as err:
        client.items.get("x", session="s")
    assert err.value.status_code == 307
    assert [r.path for r in requests(httpserver)] == ["/items/x"]


# --- security (finding 11) ---------------------------------------------------


def test_security_per_operation(wire: ModuleType, httpserver: HTTPServer) -> None:
    for path in ("/public", "/either", "/both"):
        httpserver.expect_request(path).respond_with_data(status=204)
    url = httpserver.url_for("/")
    both(wire, url, lambda c: c.request2.ping())
    both(wire, url, lambda c: c.close2.deprecated())
    both(wire, url, lambda c: c.close2.both())
    sent = {r.path: r for r in requests(httpserver)}
    assert raw_uri(sent["/public"]) == "/public"  # security: []
    assert "Authorization" not in sent["/public"].headers
    assert sent["/either"].headers["X-Key"] == "k"  # the first alternative
    assert "api_key" not in raw_uri(sent["/either"])
    assert sent["/both"].headers["Cookie"] == "key=k"  # both schemes at once
    assert sent["/both"].headers["Authorization"] == "Bearer k"


def test_a_key_in_the_query_is_redacted(
    wire: ModuleType, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-key"
    httpserver.expect_request("/items/x").respond_with_json({"message": "no"}, 403)
    client = wire.Wire(secret, base_url=httpserver.url_for("/"))
    with caplog.at_level(logging.DEBUG), pytest.raises(wire.APIStatusError) as err:
        client.items.get("x", session="s")
    assert f"api_key={secret}" in raw_uri(requests(httpserver)[0])  # it was sent
    assert secret not in repr(err.value.request) + str(err.value.request.url)
    assert secret not in str(err.value)
    # Everything the client side logged (the test server logs its own way).
    logged = [r.getMessage() for r in caplog.records if r.name != "werkzeug"]
    assert any("HTTP Request" in m for m in logged)  # httpx's INFO line
    assert not [m for m in logged if secret in m]


def _run_with(tmp_path: Path, spec_text: str, code: str) -> None:
    """Generate ``spec_text`` and run ``code`` against its package (``p``)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text)
    package = generate_package(spec, tmp_path / "out")
    proc = subprocess.run(
        [sys.executable, "-c", f"import {package} as p, httpx, pytest\n{code}"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


OPEN_SPEC = (
    "openapi: 3.1.0\ninfo: {title: Open, version: '1'}\n"
    "servers: [{url: %s}]\n"
    "paths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n"
)


def test_no_security_means_no_key(tmp_path: Path) -> None:
    _run_with(
        tmp_path,
        OPEN_SPEC % "'https://open.example.com'",
        "seen = []\n"
        "t = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))\n"
        "c = p.Open(http_client=httpx.Client(transport=t))\n"  # no key needed
        "c.a.get()\n"
        "assert 'authorization' not in seen[0].headers, seen[0].headers\n",
    )


def test_a_relative_server_url_needs_a_base_url(tmp_path: Path) -> None:
    _run_with(
        tmp_path,
        OPEN_SPEC % "/api",
        "with pytest.raises(ValueError, match='relative; pass base_url'):\n"
        "    p.Open()\n"
        "assert p.Open(base_url='https://h.example.com/api').base_url"
        " == 'https://h.example.com/api'\n",
    )


def test_a_server_variable_without_a_default_must_be_given(tmp_path: Path) -> None:
    _run_with(
        tmp_path,
        OPEN_SPEC % "'https://{tenant}.example.com'",
        "with pytest.raises(ValueError, match='needs server_variables'):\n"
        "    p.Open()\n"
        "c = p.Open(server_variables={'tenant': 'acme'})\n"
        "assert c.base_url == 'https://acme.example.com', c.base_url\n",
    )


# --- names, types, servers (findings 6, 10, 12) ------------------------------------


def test_names_cannot_hide_what_the_package_uses(wire: ModuleType) -> None:
    client = wire.Wire("k", base_url="https://x.example.com")
    assert callable(client.close)  # tags ``close`` and ``request`` moved aside
    assert hasattr(client, "close2") and hasattr(client, "request2")
    field = wire.types.Field2.model_validate({"label": "l", "alias_me": "a"})
    item = wire.types.Item.model_validate({**ITEM, "field": {"label": "l"}})
    assert field.alias_me == "a" and item.field is not None
    assert item.field.label == "l"


def test_types_the_spec_narrows_or_cannot_spell(wire: ModuleType) -> None:
    derived = wire.types.Derived.model_validate(
        {"kind": "a", "ratio": 0.5, "flag": True, "nothing": "x", "fixed": 2.5}
    )
    assert (derived.ratio, derived.flag, derived.fixed) == (0.5, True, 2.5)


def test_server_variables(wire: ModuleType) -> None:
    assert wire.Wire("k").base_url == "https://eu.wire.example.com/v1"
    us = wire.Wire("k", server_variables={"zone": "us", "base": "v2"})
    assert us.base_url == "https://us.wire.example.com/v2"
    with pytest.raises(ValueError, match="absolute http"):
        wire.Wire("k", base_url="api.example.com")
    with pytest.warns(UserWarning, match="unencrypted"):
        wire.Wire("k", base_url="http://api.example.com")


def test_natural_calls_type_check(wire: ModuleType, tmp_path: Path) -> None:
    """mypy --strict accepts the calls a user would write (finding 2)."""
    package_dir = Path(wire.__file__).parent.parent
    usage = tmp_path / "usage.py"
    usage.write_text(
        "from pathlib import Path\n"
        "import wire_client as w\n"
        "c = w.Wire('k')\n"
        "item: w.types.Item = c.items.get('x', session='s', x_trace=1, "
        "x_beta=['a'], x_mode='fast', tags=['a'], ids=[1])\n"
        "c.items.get('x', session='s', x_mode=w.types.GetItemXMode.FAST)\n"
        "c.files.upload(body=Path('f'))\n"
        "c.files.upload(body=b'x')\n"
        "text: str = c.files.save_config(body='a')\n"
        "data: bytes = c.files.download().read()\n"
        "c.forms.add_pet(body=w.types.Dog(bark=1))\n"
        "c.forms.submit_multipart(file=Path('f'), more=[b'1'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(usage)],
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": str(package_dir), "PATH": ""},
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

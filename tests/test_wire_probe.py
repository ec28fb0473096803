"""Defects found by probing the generated client's requests and responses.

Each test asserts what OpenAPI 3.1, the HTTP/URI/cookie RFCs or the WHATWG
server-sent-events spec require (cited beside it) and fails on this commit.
``wire.yaml`` is used where it has the construct; ``PROBE`` below adds a
server URL with a base path, paginated lists, free-form object parameters, a
JSON-typed header, a cookie key, a union of models and an integer response.
Every request goes to a real local HTTP server.
"""

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from helpers import ROOT, imported_package, write_spec
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

WIRE = ROOT / "tests" / "specs" / "wire.yaml"
ITEM = {"id": "i1", "name": "n"}

PROBE = """\
openapi: 3.1.0
info: {title: Probe API, version: 1.0.0}
servers:
  - url: https://api.probe.example.com/v3
    x-region: main
security:
  - q: []
components:
  securitySchemes:
    q: {type: apiKey, in: query, name: key}
    c: {type: apiKey, in: cookie, name: sid}
    h: {type: apiKey, in: header, name: X-Api-Key}
  schemas:
    Paging:
      type: object
      properties:
        next: {type: string}
    Thing:
      type: object
      properties:
        id: {type: string}
    Things:
      type: object
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Thing"}}
        paging: {$ref: "#/components/schemas/Paging"}
    Cat:
      type: object
      required: [meow]
      properties:
        meow: {type: boolean}
    Dog:
      type: object
      required: [bark]
      properties:
        bark: {type: integer}
paths:
  /things:
    get:
      operationId: listThings
      tags: [Things]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Things"}
  /params:
    get:
      operationId: params
      tags: [Things]
      parameters:
        - name: deep
          in: query
          style: deepObject
          explode: true
          schema: {type: object, additionalProperties: true}
        - name: flat
          in: query
          style: form
          explode: false
          schema: {type: object, additionalProperties: true}
        - name: arr
          in: query
          schema: {type: array, items: {type: [string, "null"]}}
        - name: js
          in: header
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
      responses:
        "204": {description: Done.}
  /cookie:
    get:
      operationId: cookieKey
      tags: [Things]
      security: [{c: []}]
      responses:
        "204": {description: Done.}
  /header:
    get:
      operationId: headerKey
      tags: [Things]
      security: [{h: []}]
      responses:
        "204": {description: Done.}
  /pet:
    get:
      operationId: getPet
      tags: [Things]
      responses:
        "200":
          description: A pet.
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/Cat"
                  - $ref: "#/components/schemas/Dog"
  /count:
    get:
      operationId: count
      tags: [Things]
      responses:
        "200":
          description: A number.
          content:
            application/json:
              schema: {type: integer}
"""


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from imported_package(tmp_path_factory, WIRE)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = write_spec(tmp_path_factory.mktemp("probe-spec"), PROBE, "probe.yaml")
    yield from imported_package(tmp_path_factory, spec)


def requests(httpserver: HTTPServer) -> list[Request]:
    return [request for request, _ in httpserver.log]


def raw_uri(request: Request) -> str:
    """The request target exactly as sent (werkzeug decodes ``path``)."""
    return str(request.environ.get("RAW_URI") or request.environ["REQUEST_URI"])


class RawServer:
    """A socket server that records each request's bytes exactly (header
    lines, duplicates and all) and answers every one with ``reply``."""

    def __init__(self, reply: bytes) -> None:
        self.reply = reply
        self.received: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                self.received.append(data)
                try:
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def header_lines(self, name: str) -> list[str]:
        """Every ``name:`` line of the last request (case-insensitive)."""
        head = self.received[-1].split(b"\r\n\r\n")[0].decode("latin-1")
        return [
            line.split(":", 1)[1].strip()
            for line in head.split("\r\n")[1:]
            if line.split(":", 1)[0].strip().lower() == name.lower()
        ]

    def close(self) -> None:
        self.sock.close()


NO_CONTENT = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"


@pytest.fixture
def raw_server() -> Iterator[Callable[[bytes], RawServer]]:
    servers: list[RawServer] = []

    def start(reply: bytes = NO_CONTENT) -> RawServer:
        servers.append(RawServer(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def run_async(make: Callable[[], Any]) -> Any:
    return asyncio.run(make())


# --- a retried request must carry the same body --------------------------------


@pytest.mark.parametrize("kind", ["open file", "iterator"])
def test_a_retried_upload_resends_its_body(
    wire: ModuleType, httpserver: HTTPServer, tmp_path: Path, kind: str
) -> None:
    # RFC 9110 9.2.2: a client may retry only by repeating *the same*
    # request. After a 429 (which the client retries even for POST) the
    # second try of a body read from an open file or an iterator was sent
    # empty (b""), and the server stored an empty upload with a 204.
    data = tmp_path / "data.bin"
    data.write_bytes(b"payload")
    httpserver.expect_oneshot_request("/upload").respond_with_data(
        status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request("/upload").respond_with_data(status=204)
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    with open(data, "rb") as fh:
        body = fh if kind == "open file" else iter([b"pay", b"load"])
        try:
            client.files.upload(body=body)
        except wire.RateLimitError:
            pass  # refusing to replay a one-shot body is also correct
    assert [r.get_data() for r in requests(httpserver)] in (
        [b"payload", b"payload"],  # replayed
        [b"payload"],  # not retried
    )


# --- pagination ---------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url", ["{base}/things?page=2", "?page=2"], ids=["absolute", "query only"]
)
def test_next_page_urls_resolve_against_the_current_request(
    probe: ModuleType, httpserver: HTTPServer, next_url: str
) -> None:
    # The next URL names the next page's resource. RFC 3986 5.2: an absolute
    # URL is the target as it stands (this client keeps its own host, but
    # must not prefix the base path twice: it requested /v3/v3/things); a
    # query-only reference keeps the current path (it requested /v3?page=2).
    base = httpserver.url_for("/v3")
    httpserver.expect_oneshot_request("/v3/things").respond_with_json(
        {"items": [{"id": "1"}], "paging": {"next": next_url.format(base=base)}}
    )
    httpserver.expect_request("/v3/things").respond_with_json({"items": []})
    client = probe.Probe("k", base_url=base)
    assert [t.id for t in client.things.list(limit=1)] == ["1"]
    assert [raw_uri(r) for r in requests(httpserver)] == [
        "/v3/things?limit=1&key=k",
        "/v3/things?page=2&key=k",
    ]


def test_a_next_url_carrying_the_key_does_not_send_it_twice(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # APIs that echo the query (key included) into paging.next got
    # ``key=k&key=k``: two values for one single-valued apiKey parameter,
    # which servers may reject or read differently (OpenAPI 3.1 4.8.27: an
    # apiKey is *one* query parameter).
    httpserver.expect_oneshot_request("/things").respond_with_json(
        {
            "items": [{"id": "1"}],
            "paging": {"next": httpserver.url_for("/things") + "?page=2&key=k"},
        }
    )
    httpserver.expect_request("/things").respond_with_json({"items": []})
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    list(client.things.list())
    second = requests(httpserver)[1]
    assert [
        v for k, v in parse_qsl(raw_uri(second).split("?", 1)[1]) if k == "key"
    ] == ["k"]


# --- secrets ------------------------------------------------------------------

KEY = "sk_live_ABCDEFGHIJKLMNOP+/=="


def test_a_key_echoed_percent_encoded_is_redacted_from_the_message(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # README: "The key never appears in ... error messages". An API that
    # echoes the request target as received has the key percent-encoded
    # (RFC 3986 2.1: sk_live_...%2B%2F%3D%3D), and only the raw spelling
    # was redacted.
    def echo(request: Request) -> Response:
        return Response(
            json.dumps({"message": f"bad request {raw_uri(request)}"}),
            400,
            content_type="application/json",
        )

    httpserver.expect_request("/items/x").respond_with_handler(echo)
    client = wire.Wire(KEY, base_url=httpserver.url_for("/"), max_retries=0)
    with pytest.raises(wire.BadRequestError) as info:
        client.items.get("x", session="s")
    text = str(info.value) + repr(info.value)
    assert quote(KEY, safe="") not in text
    assert KEY not in text


def test_a_truncated_error_message_shows_no_part_of_the_key(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # The message is the body cut to 200 characters *before* the key is
    # redacted, so a key straddling the cut leaked its first characters.
    httpserver.expect_request("/items/x").respond_with_data(
        "x" * 190 + KEY, status=400, content_type="text/plain"
    )
    client = wire.Wire(KEY, base_url=httpserver.url_for("/"), max_retries=0)
    with pytest.raises(wire.BadRequestError) as info:
        client.items.get("x", session="s")
    assert KEY[:10] not in str(info.value)


@pytest.mark.parametrize("operation", ["header_key", "cookie_key"])
def test_err_request_shows_no_key_in_a_header_or_cookie(
    probe: ModuleType, httpserver: HTTPServer, operation: str
) -> None:
    # README: "The key never appears in logs, reprs or error messages"; a
    # key in the query is redacted from err.request, but a key in a header
    # or cookie was shown by repr(err.request.headers) (httpx masks only
    # Authorization).
    httpserver.expect_request("/" + operation.removesuffix("_key")).respond_with_json(
        {"message": "no"}, 401
    )
    client = probe.Probe("secret-key-123", base_url=httpserver.url_for("/"))
    with pytest.raises(probe.AuthenticationError) as info:
        getattr(client.things, operation)()
    assert "secret-key-123" not in repr(info.value.request.headers)


def test_a_cookie_key_is_sent_as_it_is(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # RFC 6265 4.1.1: cookie-octet includes "/", "+" and "=", so a base64
    # key is a valid cookie value as it is, and RFC 6265 5.4 sends it
    # unchanged; the client sent sid=abc%2Fdef%2Bghi%3D%3D, which a server
    # comparing the cookie to the key rejects (cookies are not URL-decoded).
    httpserver.expect_request("/cookie").respond_with_data(status=204)
    client = probe.Probe("abc/def+ghi==", base_url=httpserver.url_for("/"))
    client.things.cookie_key()
    assert requests(httpserver)[0].headers["Cookie"] == "sid=abc/def+ghi=="


# --- headers ------------------------------------------------------------------


def test_a_header_value_with_cr_lf_is_refused_before_sending(
    wire: ModuleType, raw_server: Callable[[bytes], RawServer]
) -> None:
    # RFC 9110 5.5: field values containing CR, LF or NUL are invalid. The
    # client handed "a\r\nX-Evil: 1" to the transport; h11 refused it, and
    # the refusal was retried twice and reported as "Connection error."
    # (APIConnectionError), with three connections opened.
    server = raw_server(NO_CONTENT)
    client = wire.Wire("k", base_url=server.url)
    with pytest.raises(ValueError):
        client.items.get("x", session="s", x_mode="a\r\nX-Evil: 1")
    assert server.received == []


def test_extra_headers_replace_headers_whatever_their_case(
    wire: ModuleType, raw_server: Callable[[bytes], RawServer]
) -> None:
    # RFC 9110 5.1: field names are case-insensitive; 5.3: a sender MUST NOT
    # generate several lines for a field that is not a list, which
    # Authorization is not (11.6.2). extra_headers={"authorization": ...}
    # sent "Authorization: Bearer k" *and* "authorization: Bearer other";
    # "accept" likewise gave two Accept lines.
    server = raw_server(NO_CONTENT)
    client = wire.Wire("k", base_url=server.url)
    client.close2.both(
        extra_headers={"authorization": "Bearer other", "accept": "text/plain"}
    )
    assert server.header_lines("Authorization") == ["Bearer other"]
    assert server.header_lines("Accept") == ["text/plain"]


@pytest.mark.parametrize("name", ["Cookie", "cookie"])
def test_a_cookie_in_extra_headers_joins_the_operations_cookies(
    wire: ModuleType, raw_server: Callable[[bytes], RawServer], name: str
) -> None:
    # RFC 6265 5.4: at most one Cookie header, its pairs joined by "; ".
    # extra_headers={"Cookie": "mine=1"} was silently dropped in favour of
    # the operation's cookies, and {"cookie": ...} gave two Cookie lines.
    server = raw_server(NO_CONTENT)
    client = wire.Wire("k", base_url=server.url)
    client.close2.both(extra_headers={name: "mine=1"})
    lines = server.header_lines("Cookie")
    assert len(lines) == 1
    assert sorted(lines[0].split("; ")) == ["key=k", "mine=1"]


def test_a_json_header_with_non_ascii_text_is_sent(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # OpenAPI 3.1 4.8.12.3 (content): the parameter is the JSON text, and
    # RFC 8259 7 lets any character be written as \\uXXXX, so a JSON header
    # can always be ASCII (RFC 9110 5.5). The client sent é raw and httpx
    # raised UnicodeEncodeError instead.
    httpserver.expect_request("/params").respond_with_data(status=204)
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    client.things.params(js={"name": "café"})
    assert json.loads(requests(httpserver)[0].headers["js"]) == {"name": "café"}


# --- parameter values ---------------------------------------------------------


def test_null_array_items_are_not_sent_as_python_none(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # A null has no text form; RFC 6570 2.3 (which OpenAPI's styles follow)
    # treats undefined values as absent. The client sent "arr=None", the
    # Python repr, which the API reads as the string "None".
    httpserver.expect_request("/params").respond_with_data(status=204)
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    client.things.params(arr=["a", None])
    assert "None" not in raw_uri(requests(httpserver)[0])


def test_deep_object_nulls_are_not_sent_as_python_none(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # Top-level None members of a deepObject are skipped; a None inside a
    # nested list was sent as deep[a][b]=None (Python's repr).
    httpserver.expect_request("/params").respond_with_data(status=204)
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    client.things.params(deep={"a": {"b": [1, None]}})
    assert "None" not in raw_uri(requests(httpserver)[0])


def test_nested_values_in_a_form_object_are_not_python_reprs(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # form/explode=false object with a nested object and list: OpenAPI
    # leaves nesting undefined, but the client sent Python reprs
    # ("{'x': 1}", "[1, 2]") that no server can parse; the package sends
    # nested values as JSON everywhere else (form and multipart bodies).
    httpserver.expect_request("/params").respond_with_data(status=204)
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    try:
        client.things.params(flat={"a": {"x": 1}, "b": [1, 2]})
    except (TypeError, ValueError):
        return  # refusing an undefined serialisation is also correct
    uri = raw_uri(requests(httpserver)[0])
    assert "%27" not in uri  # no Python quote characters
    assert "%7B%27" not in uri and "%5B1%2C%202%5D" not in uri


def test_null_list_items_in_a_form_body_are_not_python_none(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # The same for an x-www-form-urlencoded body: tags=None was sent.
    httpserver.expect_request("/forms", method="POST").respond_with_data(status=204)
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    client.forms.submit(type="t", tags=["a", None])
    assert "None" not in requests(httpserver)[0].get_data(as_text=True)


# --- bodies -------------------------------------------------------------------


def test_a_bytearray_file_is_uploaded(wire: ModuleType, httpserver: HTTPServer) -> None:
    # file_part accepts bytes-like content (bytes, bytearray, memoryview)
    # but passed bytearray/memoryview on to httpx, which raised
    # AttributeError: 'bytearray' object has no attribute 'read'.
    httpserver.expect_request("/multi", method="POST").respond_with_data(status=204)
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    client.forms.submit_multipart(file=bytearray(b"ba"), more=[memoryview(b"mv")])
    files = requests(httpserver)[0].files
    assert files["file"].read() == b"ba"
    assert files["more"].read() == b"mv"


def test_a_sync_iterator_body_on_the_async_client(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # RawContent (the body's type on both clients) includes Iterable[bytes]
    # and the README lists "an iterator of chunks"; on AsyncWire httpx
    # raised RuntimeError("Attempted to send an sync request with an
    # AsyncClient instance.").
    httpserver.expect_request("/upload").respond_with_data(status=204)

    async def go() -> None:
        async with wire.AsyncWire("k", base_url=httpserver.url_for("/")) as client:
            await client.files.upload(body=iter([b"a", b"b"]))

    run_async(go)
    assert requests(httpserver)[0].get_data() == b"ab"


def test_a_text_body_names_its_charset(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # A str body is encoded as UTF-8, but the Content-Type said only
    # "text/plain", whose default charset is US-ASCII (RFC 2046 4.1.2,
    # kept by RFC 6657 4), so "é" arrives as two unknown bytes.
    httpserver.expect_request("/config").respond_with_data(
        "ok", content_type="text/plain"
    )
    client = wire.Wire("k", base_url=httpserver.url_for("/"))
    client.files.save_config(body="café")
    request = requests(httpserver)[0]
    assert request.get_data() == "café".encode()
    assert request.mimetype_params.get("charset", "").lower() == "utf-8"


# --- base URL and servers -----------------------------------------------------


@pytest.mark.parametrize("suffix", ["?tenant=1", "#frag"])
def test_a_base_url_with_a_query_or_fragment(
    wire: ModuleType, httpserver: HTTPServer, suffix: str
) -> None:
    # RFC 3986 3: the path comes before "?" and "#". Appending the
    # operation's path after them sent GET /base?tenant=1/items/x?api_key=k
    # and, for a fragment, GET /base (path and key cut off). Refusing such a
    # base URL, or keeping its query and sending /base/items/x, are right.
    httpserver.expect_request("/base/items/x").respond_with_json(ITEM)
    httpserver.expect_request("/base").respond_with_json(ITEM)
    try:
        client = wire.Wire("k", base_url=httpserver.url_for("/base") + suffix)
    except ValueError:
        return
    client.items.get("x", session="s")
    assert requests(httpserver)[0].path == "/base/items/x"


def test_an_unknown_server_variable_is_refused(wire: ModuleType) -> None:
    # wire.yaml's server has {zone} and {base}; a misspelt name was ignored
    # and the default server (zone "eu") used, sending the key to a server
    # the caller did not choose (OpenAPI 3.1 4.8.6: variables are the
    # server's named substitutions, nothing else).
    with pytest.raises((ValueError, wire.WireError)):
        wire.Wire("k", server_variables={"zones": "us"})


def test_a_server_variable_outside_its_enum_is_refused(wire: ModuleType) -> None:
    # OpenAPI 3.1 4.8.6: "enum: An enumeration of string values to be used
    # if the substitution options are from a limited set". zone is [eu, us];
    # "evil.example/" became https://evil.example/.wire.example.com/v1, a
    # different host that then got the key.
    with pytest.raises((ValueError, wire.WireError)):
        wire.Wire("k", server_variables={"zone": "evil.example/"})


# --- responses ----------------------------------------------------------------


def test_a_union_falls_back_to_the_variant_the_body_looks_like(
    probe: ModuleType, httpserver: HTTPServer
) -> None:
    # {"bark": "loud"} fits neither Cat (meow required) nor Dog (bark must
    # be an integer). The lenient fallback returned Cat(bark='loud'), a Cat
    # with no meow, so isinstance dispatch goes the wrong way. A Dog (the
    # only variant whose required properties are all there) or
    # APIResponseValidationError is right.
    httpserver.expect_request("/pet").respond_with_json({"bark": "loud"})
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    try:
        pet = client.things.get_pet()
    except probe.APIResponseValidationError:
        return
    assert not isinstance(pet, probe.types.Cat)
    assert isinstance(pet, probe.types.Dog)


def test_a_boolean_is_not_an_integer(probe: ModuleType, httpserver: HTTPServer) -> None:
    # RFC 8259 3 / JSON Schema 2020-12 (validation 6.1.1): true is a
    # boolean, not an integer. The README promises an error for "a body of
    # another kind than declared", but the client returned 1.
    httpserver.expect_request("/count").respond_with_json(True)
    client = probe.Probe("k", base_url=httpserver.url_for("/"))
    with pytest.raises(probe.APIResponseValidationError):
        client.things.count()


# --- server-sent events -------------------------------------------------------


def events(wire: ModuleType, httpserver: HTTPServer, body: bytes) -> list[Any]:
    """The events of ``body`` through the sync and the async client."""
    httpserver.expect_request("/events").respond_with_data(
        body, content_type="text/event-stream"
    )
    url = httpserver.url_for("/")
    sync = [
        (e.event, e.data) for e in wire.Wire("k", base_url=url).files.stream_events()
    ]

    async def go() -> list[Any]:
        async with wire.AsyncWire("k", base_url=url) as client:
            stream = await client.files.stream_events()
            return [(e.event, e.data) async for e in stream]

    return [sync, run_async(go)]


def test_sse_a_leading_bom_is_ignored(wire: ModuleType, httpserver: HTTPServer) -> None:
    # WHATWG HTML 9.2.5: "One leading U+FEFF BYTE ORDER MARK character must
    # be ignored if any are present." With one, the first line read as the
    # field "\\ufeffdata" and no event came out.
    got = events(wire, httpserver, b"\xef\xbb\xbfdata: a\n\n")
    assert got == [[("message", "a")]] * 2


def test_sse_an_unfinished_last_event_is_discarded(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # WHATWG HTML 9.2.6: "Once the end of the file is reached, any pending
    # data must be discarded. (If the file ends in the middle of an event,
    # before the final empty line, the incomplete event is not
    # dispatched.)" The client dispatched "tail".
    got = events(wire, httpserver, b"data: a\n\ndata: tail")
    assert got == [[("message", "a")]] * 2


def test_sse_retry_with_non_ascii_digits_is_ignored(
    wire: ModuleType, httpserver: HTTPServer
) -> None:
    # WHATWG HTML 9.2.6: retry is used only "if the field value consists of
    # only ASCII digits"; otherwise the field is ignored. str.isdigit()
    # accepted "²" and int() then raised ValueError mid-stream.
    got = events(wire, httpserver, "retry: ²\ndata: a\n\n".encode())
    assert got == [[("message", "a")]] * 2


# --- errors while a streamed body is read --------------------------------------


@pytest.mark.parametrize("operation", ["download", "stream_events"])
def test_a_broken_stream_raises_the_packages_error(
    wire: ModuleType, raw_server: Callable[[bytes], RawServer], operation: str
) -> None:
    # The package's errors all derive from WireError ("Catch WireError for
    # all of them"), and a connection lost while reading a non-streamed body
    # is APIConnectionError; one lost while reading a binary or event stream
    # escaped as a bare httpx.RemoteProtocolError.
    server = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 100\r\n\r\ndata: a\n\n"
    )
    client = wire.Wire("k", base_url=server.url)
    result = getattr(client.files, operation)()
    with pytest.raises(wire.APIConnectionError):
        if operation == "download":
            result.read()
        else:
            list(result)

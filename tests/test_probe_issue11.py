"""Hostile probe of issue 11's features: x-python-name, x-readme, parse_event
and the client's ergonomics. Tests named ``test_bug_*`` failed on the probed
commit (each reproduces one finding, now fixed); the others pin what held
up."""

import ast
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import GENERATED, build_api, operation, spec_with
from mailgun_client import Mailgun
from mailgun_client.lib import WebhookVerificationError, parse_event
from mailgun_client.webhook_events import WebhookPayloadError

KEY = "whsec-probe-key"
NOW = 1_767_225_600.0
API_KEY = "key-SECRET-probe"


def _signed(timestamp: object, token: str = "a" * 50) -> dict[str, object]:
    digest = hmac.new(KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {"timestamp": timestamp, "token": token, "signature": digest.hexdigest()}


def _recording_client(
    reply: Any = None,
) -> tuple[Mailgun, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if reply is not None:
            return reply(request, len(sent))
        return httpx.Response(200, json={"items": [], "paging": {}})

    client = Mailgun(
        API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    return client, sent


# --- page_url / next links: the key must never leave the client's host -------


@pytest.mark.parametrize(
    "page_url",
    ["x:.evil.com/steal", "mailto:.attacker.example/v3?x=1", "data:@evil.com/x"],
)
def test_bug_page_url_with_another_scheme_sends_the_key_elsewhere(
    page_url: str,
) -> None:
    """options_for() keeps only the path of the joined URL; a URL with another
    scheme has a path without a leading '/', which is glued to the base URL:
    https://api.mailgun.net + .evil.com/steal -> host api.mailgun.net.evil.com,
    with the Authorization header."""
    client, sent = _recording_client()
    try:
        client.bounces.list("mg.example.com", page_url=page_url)
    except Exception:
        pass  # refusing the URL is fine; sending it elsewhere is not
    for request in sent:
        assert request.url.host == "api.mailgun.net", str(request.url)


def test_bug_a_next_link_with_another_scheme_sends_the_key_elsewhere() -> None:
    def reply(request: httpx.Request, n: int) -> httpx.Response:
        if n == 1:
            item = {
                "address": "a@b.c",
                "code": "550",
                "error": "x",
                "created_at": "Mon, 01 Jan 2024 00:00:00 UTC",
            }
            return httpx.Response(
                200,
                json={
                    "items": [item],
                    "paging": {"next": "x:.evil.com/v3/mg.example.com/bounces"},
                },
            )
        return httpx.Response(200, json={"items": [], "paging": {}})

    client, sent = _recording_client(reply)
    try:
        for _ in client.bounces.list("mg.example.com"):
            pass
    except Exception:
        pass
    assert [r.url.host for r in sent] == ["api.mailgun.net"] * len(sent), [
        str(r.url) for r in sent
    ]


@pytest.mark.parametrize(
    "path", ["//evil.com/x", "https://evil.com/x", "http:evil.com", " https://e.com/"]
)
def test_custom_verbs_stay_on_the_host(path: str) -> None:
    client, sent = _recording_client(lambda r, n: httpx.Response(200, json={}))
    try:
        client.get(path, cast_to=object)
    except ValueError:
        pass
    assert all(r.url.host == "api.mailgun.net" for r in sent)


# --- the 401 message ---------------------------------------------------------


def test_bug_401_message_shows_the_basic_credentials_the_server_echoes() -> None:
    """The key is redacted as is and percent-encoded, not as the Basic token
    (base64 of api:key) that a proxy or mock echoing the request shows."""

    def reply(request: httpx.Request, n: int) -> httpx.Response:
        auth = request.headers["authorization"]
        return httpx.Response(401, json={"message": f"rejected {auth}"})

    client, _ = _recording_client(reply)
    with pytest.raises(Exception) as caught:
        client.get("/v3/domains", cast_to=object)
    token = httpx.BasicAuth("api", API_KEY)._auth_header.split()[1]
    assert token not in str(caught.value)


# --- base_url ----------------------------------------------------------------


@pytest.mark.parametrize("url", [" https://x.example.com ", "https://x.example.com\n"])
def test_bug_base_url_with_whitespace_is_accepted_then_every_call_fails(
    url: str,
) -> None:
    """A MAILGUN_BASE_URL read from a file with a trailing newline: the client
    is made, then each call is "Connection error. (after 3 tries)" or a raw
    httpx.InvalidURL. Expected: stripped, or a ValueError at construction."""
    try:
        client = Mailgun(API_KEY, base_url=url)
    except ValueError:
        return
    assert client.base_url == url.strip()


# --- parse_event: only WebhookVerificationError / WebhookPayloadError --------

_ALLOWED = (WebhookVerificationError, WebhookPayloadError)


@pytest.mark.parametrize(
    "body",
    [
        '{"signature": {"timestamp": 1' + "0" * 400 + ', "token": "t", '
        '"signature": "00"}}',
        {
            "signature": {
                "timestamp": str(int(NOW)),
                "token": "t",
                "signature": "é" * 64,
            }
        },
        {"signature": {"timestamp": str(int(NOW)), "token": "t", "signature": "İ"}},
    ],
    ids=[
        "huge-int-timestamp-OverflowError",
        "non-ascii-signature-TypeError",
        "dotted-I",
    ],
)
def test_bug_unsigned_bodies_raise_other_exceptions(body: object) -> None:
    with pytest.raises(_ALLOWED):
        parse_event(KEY, body, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize("timestamp", ["nan", "NaN", float("nan")])
def test_bug_a_nan_timestamp_skips_the_age_check(timestamp: object) -> None:
    """abs(now - nan) > max_age is False: the age check passes for any NaN.
    (Forging still needs the key: defence in depth.)"""
    body = {"signature": _signed(timestamp), "event-data": {"event": "delivered"}}
    with pytest.raises(WebhookVerificationError):
        parse_event(KEY, body, now=NOW)


def test_bug_a_nan_max_age_accepts_any_age() -> None:
    body = {"signature": _signed(str(int(NOW) - 10**6)), "event-data": {}}
    with pytest.raises(WebhookVerificationError):
        parse_event(KEY, body, now=NOW, max_age=float("nan"))


@pytest.mark.parametrize(
    "body",
    [
        "[1,2]",
        '"x"',
        "5",
        "null",
        b"\xff\xfe{",
        "[" * 100_000 + "]" * 100_000,
        '{"signature": {"timestamp": NaN, "token": "t", "signature": "00"}}',
        {"signature": {"timestamp": True, "token": "t", "signature": "00"}},
        {"signature": {"timestamp": "1", "token": "t", "signature": ["00"]}},
        {"signature": ["x"]},
        {"signature": {1: 2}},
        {"signature": {"timestamp": "inf", "token": "t", "signature": "00"}},
    ],
)
def test_hostile_bodies_raise_only_the_two_errors(body: object) -> None:
    with pytest.raises(_ALLOWED):
        parse_event(KEY, body, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "event_data",
    [
        None,
        [],
        {"event": 5},
        {"event": "exploded"},
        {"event": "failed"},
        {"event": "failed", "severity": ["permanent"]},
    ],
)
def test_signed_but_odd_event_data_is_a_payload_error(event_data: object) -> None:
    body = {"signature": _signed(str(int(NOW))), "event-data": event_data}
    with pytest.raises(WebhookPayloadError):
        parse_event(KEY, body, now=NOW)


# --- x-python-name -----------------------------------------------------------


def test_bug_x_python_name_beside_a_parameter_ref_is_ignored(tmp_path: Path) -> None:
    """OpenAPI 3.1 allows siblings of $ref; on a property the sibling
    x-python-name is honoured, on a parameter it is dropped without a word
    (the parameter is dereferenced before python_name() looks)."""
    doc = spec_with(
        paths=operation(
            "/things",
            operationId="listThings",
            parameters=[
                {"$ref": "#/components/parameters/Limit", "x-python-name": "max_items"}
            ],
        )
    )
    doc["components"] = {
        "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {}}}
    }
    api, diags = build_api(tmp_path, doc)
    (op,) = api.resources[0].operations
    names = [p.name for p in op.keyword_args]
    assert "max_items" in names or diags.warnings, names


def test_bug_a_field_named_raw_json_shadows_the_models_raw_json(
    tmp_path: Path,
) -> None:
    """RESERVED_FIELDS lacks the runtime BaseModel's own ``raw_json``
    property: pydantic warns at import and ``m.raw_json`` is None."""
    doc = spec_with(
        schemas={
            "R": {
                "type": "object",
                "properties": {
                    "raw-json": {"type": "string"},
                    "other": {"type": "string", "x-python-name": "raw_json"},
                },
            }
        }
    )
    api, _ = build_api(tmp_path, doc)
    names = [f.name for m in api.models for f in m.fields]
    assert "raw_json" not in names, names


def test_bug_a_subclass_renaming_an_inherited_property_has_two_fields(
    tmp_path: Path,
) -> None:
    """Base names o:tag ``tags``, the allOf child names it ``labels``: the
    child has both fields with alias o:tag, both filled from one key."""
    doc = spec_with(
        schemas={
            "Base": {
                "type": "object",
                "properties": {"o:tag": {"type": "string", "x-python-name": "tags"}},
            },
            "Child": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "properties": {
                            "o:tag": {"type": "string", "x-python-name": "labels"},
                            "extra": {"type": "string"},
                        },
                    },
                ]
            },
        }
    )
    api, _ = build_api(tmp_path, doc)
    models = {m.name: m for m in api.models}
    aliases: list[str] = []
    model: Any = models["Child"]
    while model is not None:
        aliases += [f.wire_name for f in model.fields]
        model = models.get(model.base) if model.base else None
    assert aliases.count("o:tag") == 1, aliases


def test_x_python_name_keeps_wire_names_on_the_wire(tmp_path: Path) -> None:
    doc = spec_with(
        paths=operation(
            "/t",
            "post",
            operationId="sendT",
            parameters=[
                {
                    "name": "o:tag",
                    "in": "query",
                    "schema": {"type": "string"},
                    "x-python-name": "tags",
                },
            ],
            requestBody={
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "o:tag": {"type": "string", "x-python-name": "tags"},
                                "v:x": {"type": "string", "x-python-name": "self"},
                            },
                        }
                    }
                }
            },
        )
    )
    api, _ = build_api(tmp_path, doc)
    (op,) = api.resources[0].operations
    wire = {p.name: p.wire_name for p in op.keyword_args}
    assert wire["tags"] == "o:tag"
    assert wire["body_tags"] == "o:tag"
    assert wire["self_"] == "v:x"


# --- x-readme ----------------------------------------------------------------


def _readme_api(tmp_path: Path, title: str, value: object) -> Any:
    doc = spec_with(
        paths=operation(
            "/send",
            "post",
            operationId="send",
            requestBody={
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "to": {"type": "string"},
                                "count": {"type": "number"},
                            },
                        }
                    }
                }
            },
        )
    )
    doc["x-readme"] = {
        "quickstart": [
            {"title": title, "operationId": "send", "arguments": {"count": value}}
        ]
    }
    api, _ = build_api(tmp_path, doc)
    return api


def _example_source(api: Any) -> str:
    (e,) = api.readme.quickstart
    args = ", ".join([*e.positional, *(f"{k}={v}" for k, v in e.keywords)])
    return f"# {e.title}\nf({args})\n"


def test_bug_readme_title_keeps_nul_and_terminal_escapes(tmp_path: Path) -> None:
    """md_text() strips non-printables from the webhooks prose, but a quickstart
    title keeps NUL (the code block no longer compiles), ESC sequences and
    bidi overrides."""
    api = _readme_api(tmp_path, "a\x00b\x1b[2Jc\u202ed", 1)
    title = api.readme.quickstart[0].title
    assert title.isprintable(), repr(title)
    compile(_example_source(api), "<readme>", "exec")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_bug_readme_nan_and_inf_become_undefined_names(
    tmp_path: Path, value: float
) -> None:
    """YAML .nan / .inf are written with repr(): ``count=nan`` is a NameError
    when the README's example is run."""
    source = _example_source(_readme_api(tmp_path, "t", value))
    names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    assert names <= {"f", "float"}, source  # float("nan"): a builtin


# --- generated Mailgun code ----------------------------------------------------


def test_bug_domain_webhooks_create_docstring_names_the_wire_field() -> None:
    """create() takes ``urls=`` (x-python-name) but its docstring says "Give
    `url` up to three times"; update() still takes ``url=``."""
    text = (GENERATED / "mailgun_client/resources/domain_webhooks.py").read_text()
    create = text.split("    def create(", 1)[1].split("    def get(", 1)[0]
    assert "Give `url`" not in create


def test_webhook_bodies_as_text_and_mapping_agree() -> None:
    body = {"signature": _signed(str(int(NOW))), "event-data": {"event": "nope"}}
    for given in (body, json.dumps(body), json.dumps(body).encode()):
        with pytest.raises(WebhookPayloadError, match="unknown webhook"):
            parse_event(KEY, given, now=NOW)  # type: ignore[arg-type]


def test_bug_an_explicit_region_loses_to_mailgun_base_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """region="eu" given in code is silently dropped when MAILGUN_BASE_URL is
    set (copy(region="eu") too): the environment beats an argument."""
    monkeypatch.setenv("MAILGUN_BASE_URL", "https://mock.example.com")
    assert Mailgun(API_KEY, region="eu").base_url == "https://api.eu.mailgun.net"


def test_bug_x_python_name_extra_fields_takes_the_free_form_argument(
    tmp_path: Path,
) -> None:
    """A body property named extra_fields (by x-python-name or by its wire
    name) takes the name of the free-form argument, which becomes
    extra_fields2 with only an info line."""
    doc = spec_with(
        paths=operation(
            "/a",
            "post",
            operationId="postA",
            requestBody={
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "o:tag": {
                                    "type": "string",
                                    "x-python-name": "extra_fields",
                                }
                            },
                            "additionalProperties": {"type": "string"},
                        }
                    }
                }
            },
        )
    )
    api, _ = build_api(tmp_path, doc)
    (op,) = api.resources[0].operations
    by_name = {a.name: a.wire_name for a in op.keyword_args}
    assert by_name.get("extra_fields") == "", by_name


@pytest.mark.parametrize("renamed", ["items", "paging", "next"])
def test_bug_x_python_name_on_items_or_paging_empties_every_page(
    tmp_path: Path, renamed: str
) -> None:
    """page_info() finds pages by the wire names items/paging/next, but the
    runtime reads the Python attributes: with x-python-name on any of them
    the method is still paginated and yields nothing (or only page one)."""
    import importlib
    import sys

    from helpers import generate_package, write_spec

    nxt: dict[str, Any] = {"type": "string"}
    paging: dict[str, Any] = {"type": "object", "properties": {"next": nxt}}
    items: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    {"items": items, "paging": paging, "next": nxt}[renamed]["x-python-name"] = (
        "renamed_" + renamed
    )
    schema = {
        "type": "object",
        "properties": {"items": items, "paging": paging, "total": {"type": "integer"}},
    }
    doc = spec_with(
        paths=operation(
            "/things",
            operationId="listThings",
            responses={
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}},
                }
            },
        )
    )
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if len(calls) == 1:
            return httpx.Response(
                200,
                json={
                    "items": ["a", "b"],
                    "paging": {"next": "https://tiny.example.com/things?p=2"},
                },
            )
        return httpx.Response(200, json={"items": ["c"], "paging": {}})

    sys.path.insert(0, str(out))
    try:
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]
        module = importlib.import_module(package)
        client_class = next(
            getattr(module, n)
            for n in module.__all__
            if not n.startswith("Async") and n.startswith("Tiny")
        )
        client = client_class(
            api_key="k",
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        )
        assert list(client.things.list()) == ["a", "b", "c"]
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]

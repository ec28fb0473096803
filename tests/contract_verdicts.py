"""What Prism said about each call of tests/contract.py, and the verdict.

A response hook records each exchange (``Seen``): the ``sl-violations``
header, Prism's own problem answer if it sent one, and what the request
carried. ``judge`` turns that, with what the call was given (a
``contract_calls.Call``), into an ``Outcome``: see tests/contract.py for
the verdicts. Prism cannot judge everything; ``prism_gap`` lists what it
gets wrong, and each rule checks that the request was right before it
excuses a violation.
"""

import contextvars
import email.parser
import json
import logging
import traceback
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from contract_calls import Call

from generator import ir

PRISM_ERRORS = "https://stoplight.io/prism/errors#"


# --- what each call saw ------------------------------------------------------


@dataclass
class Seen:
    """One HTTP exchange, as the response hook saw it."""

    request: str  # method and URL
    status: int
    violations: list[dict[str, Any]]
    problem: dict[str, Any] | None  # Prism's own problem+json, if it sent one
    headers: set[str] = field(default_factory=set)  # names, in lower case
    query: dict[str, list[str]] = field(default_factory=dict)
    json: Any = None  # a JSON body, parsed
    form: dict[str, list[str]] | None = None  # a form or multipart body's fields
    lenient: str = ""  # the client's log line when the answer did not fit its type
    accept: str = ""  # the request's Accept header
    answer: bytes = b""  # the answer's body


@dataclass
class Outcome:
    pointer: str
    method: str  # resource.method
    http: str  # POST /path
    mode: str  # sync or async
    label: str  # required or all
    verdict: str
    status: int | None = None
    messages: list[str] = field(default_factory=list)
    ms: int = 0  # how long the call took
    request: str = ""  # what went out: method and URL


SEEN: contextvars.ContextVar[list[Seen]] = contextvars.ContextVar("seen")


def _form_fields(request: httpx.Request) -> dict[str, list[str]] | None:
    """The fields of a form or multipart request body, each with its values
    in order (file parts: their content as text)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        pairs = urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True)
    elif content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser().parsebytes(head + request.content)
        if not message.is_multipart():
            return {}
        pairs = [
            (
                str(part.get_param("name", header="content-disposition")),
                (part.get_payload(decode=True) or b"").decode(errors="replace"),
            )
            for part in message.get_payload()
        ]
    else:
        return None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def parse_violations(header: str) -> list[dict[str, Any]]:
    """The header's list; past 8 kB Prism cuts it off after a prefix, so
    read as many whole entries as there are."""
    if not header.startswith("Too many violations! "):
        return list(json.loads(header)) if header else []
    text = header.removeprefix("Too many violations! ")
    decoder = json.JSONDecoder()
    found, index = [], 1
    while True:
        try:
            item, index = decoder.raw_decode(text, index)
        except ValueError:
            return found
        found.append(item)
        index += 1  # the comma


def _record(response: httpx.Response) -> None:
    violations = parse_violations(response.headers.get("sl-violations", ""))
    problem = None
    if response.headers.get("content-type", "").startswith("application/problem"):
        try:
            body = json.loads(response.content)
            if str(body.get("type", "")).startswith(PRISM_ERRORS):
                problem = body
        except (ValueError, AttributeError):
            pass
    request = response.request
    seen = Seen(
        f"{request.method} {request.url}", response.status_code, violations, problem
    )
    if response.is_stream_consumed:
        seen.answer = response.content
    seen.headers = {name.lower() for name in request.headers}
    seen.accept = request.headers.get("accept", "")
    seen.query = urllib.parse.parse_qs(
        request.url.query.decode(), keep_blank_values=True
    )
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            seen.json = json.loads(request.content) if request.content else None
        else:
            seen.form = _form_fields(request)
    except ValueError:  # not what its content type says: judged by Prism alone
        pass
    SEEN.get().append(seen)


class LenientLog(logging.Handler):
    """Notes on the current call when the client parses an answer leniently
    (the runtime logs it at DEBUG): its types refused the answer."""

    def emit(self, record: logging.LogRecord) -> None:
        seen = SEEN.get(None)
        message = record.getMessage()
        if seen and ("leniently" in message or "returned as text" in message):
            seen[-1].lenient = message


def _json(response: httpx.Response) -> bool:
    """A JSON answer, read here (the client reads it anyway, and httpx
    keeps it); binary and event streams are left to the client to read."""
    return "json" in response.headers.get("content-type", "")


def sync_hook(response: httpx.Response) -> None:
    if _json(response):
        response.read()
    response.request.read()  # a multipart stream can be read again
    _record(response)


async def async_hook(response: httpx.Response) -> None:
    if _json(response):
        await response.aread()
    await response.request.aread()
    _record(response)


# --- verdicts ----------------------------------------------------------------


def _where(v: dict[str, Any]) -> str:
    return ".".join(str(x) for x in v.get("location") or [])


def _text(value: Any) -> str:
    """How a scalar travels in a query string or a form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sent_items(value: Any, sent: list[str] | None) -> bool:
    """Whether an array ``value`` went out one field per item, as plain text."""
    return isinstance(value, list) and sent == [_text(v) for v in value]


def _sent_json(value: Any, sent: list[str] | None) -> bool:
    """Whether an object ``value`` went out as one field of JSON text."""
    try:
        return (
            isinstance(value, dict)
            and len(sent or []) == 1
            and json.loads((sent or [""])[0]) == json.loads(json.dumps(value))
        )
    except ValueError:
        return False


def prism_gap(
    v: dict[str, Any], op: ir.Operation, call: Call, seen: Seen
) -> str | None:
    """Why Prism cannot judge this request violation, or None if it can.

    Each rule checks that the request itself was right, so a client that
    gets it wrong in the same place is still caught.
    """
    message = str(v.get("message", ""))
    loc = [str(x) for x in v.get("location") or []]
    if ("#" in op.path or "?" in op.path) and (
        loc == ["request"] or loc[1:2] == ["body"]
    ):
        # mistral's "/v1/chat/completions#stream", wire.yaml's
        # "/things?beta=true": Prism takes the key for a literal path, so it
        # judges the request against another operation on the same URL, or
        # finds none. The path is checked by ``not_sent``, a JSON body here
        # against the operation's own schema.
        if seen.json is not None and call.body_errors(seen.json):
            return None
        return "Prism cannot route a path key with a #fragment or ?query"
    if call.anonymous and (v.get("code") == 401 or "UNAUTHORIZED" in message):
        # Prism's "none" handler for `security: [{}]` fails any request
        # that carries an Authorization header; OpenAPI calls it optional.
        return "Prism refuses credentials where security [{}] makes them optional"
    if loc[1:2] == ["body"] and len(loc) == 3 and seen.form is not None:
        value = call.body.get(loc[2]) if isinstance(call.body, dict) else None
        sent = seen.form.get(loc[2])
        if message.endswith("must be array") and _sent_items(value, sent):
            return "Prism reads only the last of repeated form/multipart keys"
        if message.endswith("must be object") and _sent_json(value, sent):
            # Prism parses form fields only by an encoding ``style``; an
            # object sent as JSON (multipart's default, or contentType
            # application/json) stays a string to it.
            return "Prism does not parse JSON object fields of form bodies"
    where = ".".join(loc[1:3])
    if loc[1:2] == ["query"] and len(loc) == 3 and where in call.union_arrays:
        # Prism names parameters in lower case.
        value = next(v for k, v in call.params.items() if k.lower() == where)
        sent = {k.lower(): vals for k, vals in seen.query.items()}
        if _sent_items(value, sent.get(loc[2])):
            return "Prism parses a query array only for a plain `type: array` schema"
    if "do not support this type of security scheme" in message:
        return f"Prism cannot check it: {message}"
    return None


def not_sent(call: Call, seen: Seen) -> list[dict[str, Any]]:
    """Arguments given but missing from the request: Prism ignores unknown
    query parameters and body properties, so a client that drops or renames
    an optional argument would pass it."""
    body = seen.json if isinstance(seen.json, dict) else seen.form or {}
    present = {
        "query": set(seen.query),
        "header": seen.headers,
        # a deepObject form field goes out as name[key]
        "body": set(body) | {key.split("[", 1)[0] for key in body},
    }
    if seen.json is None and seen.form is None:
        present.pop("body")
    path = urllib.parse.unquote(urllib.parse.urlsplit(seen.request.split(" ")[1]).path)
    missing = [
        (where, name)
        for where, name in call.expect
        if where in present
        and (name.lower() if where == "header" else name) not in present[where]
    ]
    # A scalar must show in the path (label and matrix styles add only
    # prefixes); and no placeholder may be left unfilled.
    missing += [
        ("path", name)
        for name, text in call.path_values
        if (text is not None and text not in path) or "{" + name + "}" in path
    ]
    return [
        {"location": ["request", where, name], "message": "given, but not sent"}
        for where, name in missing
    ]


def judge(
    op: ir.Operation,
    call: Call,
    seen: list[Seen],
    error: BaseException | None,
) -> Outcome:
    """The verdict on one call (method, mode and label filled in by the caller)."""
    out = Outcome(op.pointer, "", f"{op.http_method.upper()} {op.path}", "", "", "ok")
    if not seen:
        out.verdict = "crash"
        if error is not None and _named(error, "APITimeoutError"):
            out.verdict = "gap"  # a request Prism chokes on (figma's node trees)
        sent = _named(error, "APIConnectionError") if error is not None else False
        out.messages = [
            f"{'no answer' if sent else 'before sending'}: {describe(error)}"
        ]
        return out
    last = seen[-1]
    out.status, out.request = last.status, last.request
    request_side, response_side, problem = _violations(last)
    if _request_verdict(out, op, call, last, (request_side, problem)):
        return out
    refused = error is not None and _named(error, "APIResponseValidationError")
    if refused and not response_side:  # Prism passed it: check it here
        response_side = _answer_errors(call, last)
    if error is not None and not _named(error, "APIStatusError"):
        if not (refused and response_side):  # refusing a bad answer is right
            out.verdict = "crash"
            out.messages = [f"after HTTP {last.status}: {describe(error)}"]
            return out
    if response_side or last.status >= 400:
        out.verdict = "response"
        out.messages = [f"{_where(v)}: {v.get('message')}" for v in response_side]
        if last.status >= 400:
            out.messages.append(f"HTTP {last.status}: the document's own answer")
        if last.lenient or refused:
            out.messages.append(f"the client says: {last.lenient or error}")
    elif last.lenient:
        _lenient(out, call, last)
    return out


def _request_verdict(
    out: Outcome,
    op: ir.Operation,
    call: Call,
    seen: Seen,
    said: tuple[list[dict[str, Any]], dict[str, Any] | None],
) -> bool:
    """A verdict on the request (client, spec or gap), if there is one."""
    request_side, problem = said
    gaps = [(v, prism_gap(v, op, call, seen)) for v in request_side]
    client = [v for v, gap in gaps if gap is None and v.get("severity") != "Warning"]
    client += not_sent(call, seen)
    if ("#" in op.path or "?" in op.path) and seen.json is not None:
        client += call.body_errors(seen.json)
    # The best body made here breaks the schema too: no valid body exists
    # (assemblyai's additionalProperties: false beside an allOf).
    impossible = call.body is not None and call.body_errors(call.body)
    spec = [v for v in client if impossible and v["location"][1:2] == ["body"]]
    client = [v for v in client if v not in spec]
    if client:
        out.verdict = "client"
        out.messages = list(
            dict.fromkeys(f"{_where(v)}: {v.get('message')}" for v in client)
        )
        if seen.status == 406:
            answers = op.success.media_type or "no body"
            out.messages.append(f"sent Accept: {seen.accept}; it answers {answers}")
    elif spec:
        out.verdict = "spec"
        out.messages = [f"{_where(v)}: {v.get('message')}" for v in spec[:5]]
        first = impossible[0]
        out.messages.append(
            f"no valid body exists; the best made here breaks the schema too: "
            f"{_where(first)}: {first['message'][:200]}"
        )
    elif any(gap for _, gap in gaps) or (problem and seen.status == 500):
        out.verdict = "gap"
        reasons = {f"{gap} ({_where(v)})" for v, gap in gaps if gap}
        out.messages = sorted(reasons) + ([_problem(problem)] if problem else [])
    return out.verdict != "ok"


def _answer_errors(call: Call, seen: Seen) -> list[dict[str, Any]]:
    """The answer's violations of its schema, checked here: Prism's check of
    its own (often made-up) examples misses some (figma's node maps)."""
    try:
        errors = call.answer_errors(seen.status, json.loads(seen.answer))
    except ValueError:
        return []
    return [{**v, "message": f"{v['message'][:200]} (checked here)"} for v in errors]


def _lenient(out: Outcome, call: Call, seen: Seen) -> None:
    """The client refused an answer Prism passed: the client's fault only if
    the answer does fit its schema."""
    errors = _answer_errors(call, seen)
    if errors:
        out.verdict = "response"
        out.messages = [f"{_where(v)}: {v['message']}" for v in errors]
        out.messages.append(f"the client says: {seen.lenient}")
    else:
        out.verdict = "lenient"
        out.messages = [f"a valid answer parsed leniently: {seen.lenient}"]


def _violations(
    seen: Seen,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
    """Request-side and response-side violations, and Prism's own problem
    answer, whose validation list (or, without one, itself) is request-side."""
    request_side = [v for v in seen.violations if v["location"][:1] == ["request"]]
    response_side = [v for v in seen.violations if v not in request_side]
    problem = seen.problem
    if problem is not None:
        for v in problem.get("validation") or []:
            request_side.append({**v, "location": ["request", *v.get("location", [])]})
        if not problem.get("validation") and seen.status != 500:
            request_side.append({"location": ["request"], "message": _problem(problem)})
    return request_side, response_side, problem


def _problem(problem: dict[str, Any]) -> str:
    kind = str(problem.get("type", "")).removeprefix(PRISM_ERRORS)
    return f"Prism {problem.get('status')} {kind}: {problem.get('detail', '')}"


def _named(error: BaseException, name: str) -> bool:
    """Whether ``error`` is the generated package's exception ``name``."""
    return any(c.__name__ == name for c in type(error).__mro__)


def describe(error: BaseException | None) -> str:
    if error is None:
        return "no request was sent"
    frames = traceback.extract_tb(error.__traceback__)
    where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)), "?")
    return f"{type(error).__name__}: {str(error)[:300]} (at {where})"

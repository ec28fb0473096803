"""Each document's generated client against Prism serving it (tests/contract.py)."""

# One test per document: the public corpus in ../shared/specs/corpus and the
# fixtures in tests/specs. A document passes when it generates and no call,
# sync or async, with required or with all arguments, crashes the client or
# makes Prism report a request violation that Prism can judge. Response-side
# issues (Prism's examples against their own schemas) and Prism's gaps are
# reported, not failed: see contract.prism_gap for each gap and its check.
# The documents run two at a time, each in a worker process with its own
# Prism, when the first test asks for them (only those selected, with -k).
# The table and every outcome go to contract.txt / contract.json in the
# pytest temp folder.

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from contract import (
    CORPUS,
    FAILING,
    FIXTURES,
    Report,
    details,
    documents,
    run_documents,
    table,
)
from contract_calls import Call
from contract_values import Values, from_pattern
from contract_verdicts import Seen, judge, not_sent, parse_violations, prism_gap
from helpers import IN_CI, PRISM

from generator import ir


def _documents() -> list[Any]:
    params = [pytest.param(p, id=p.name) for p in sorted(FIXTURES.glob("*.yaml"))]
    if not CORPUS.is_dir():
        reason = f"{CORPUS} is absent (the corpus lives in ../shared)"
        skip = pytest.mark.skip(reason=reason)
        return [pytest.param(None, id="corpus", marks=skip), *params]
    corpus = [p for p in documents() if p.parent == CORPUS]
    return [*(pytest.param(p, id=p.name) for p in corpus), *params]


@pytest.fixture(scope="module")
def reports(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Report]:
    if not PRISM.exists():
        if IN_CI:
            pytest.fail(f"Prism is not installed at {PRISM}; run .ci/setup prism")
        pytest.skip("Prism is not installed; run `bash .ci/setup prism`")
    selected = [
        item.callspec.params["spec"]
        for item in request.session.items
        if getattr(item, "function", None) is test_contract
        and item.callspec.params["spec"] is not None
    ]
    results = run_documents(selected, jobs=2)
    out = tmp_path_factory.getbasetemp()
    (out / "contract.json").write_text(json.dumps([asdict(r) for r in results]))
    lines = [table(results)]
    for r in results:
        lines += [f"\n{r.document}:", *details(r)]
    (out / "contract.txt").write_text("\n".join(lines) + "\n")
    return {r.document: r for r in results}


@pytest.mark.parametrize("spec", _documents())
def test_contract(spec: Path, reports: dict[str, Report]) -> None:
    report = reports[spec.name]
    failures = details(report, FAILING)
    summary = table([report])
    assert not report.failed, f"{summary}\n" + "\n".join(failures)
    assert report.operations == 0 or report.outcomes, "no call was made"


# --- the harness itself, without Prism -------------------------------------------


def test_truncated_violations_header_keeps_whole_entries() -> None:
    entry = {"location": ["request", "query", "a"], "message": "must be integer"}
    text = json.dumps([entry, entry])
    header = "Too many violations! " + text[: len(text) - 10]
    assert parse_violations(header) == [entry]
    assert parse_violations(text) == [entry, entry]


def _seen(status: int = 422, violations: Any = (), **kwargs: Any) -> Seen:
    return Seen("GET http://127.0.0.1/x", status, list(violations), None, **kwargs)


OP = ir.Operation(
    "op",
    "op",
    "post",
    "/x",
    "",
    "",
    False,
    (),
    None,
    ir.Response("200", "", None),
    (),
    "",
)


def test_repeated_form_keys_are_a_gap_only_when_sent_one_per_item() -> None:
    call = Call("all", [], {}, body={"tags": ["a", "b"]})
    violation = {"location": ["request", "body", "tags"], "message": "must be array"}
    right = _seen(form={"tags": ["a", "b"]})
    wrong = _seen(form={"tags": ["['a', 'b']"]})
    assert prism_gap(violation, OP, call, right) is not None
    assert prism_gap(violation, OP, call, wrong) is None


def test_union_query_arrays_are_a_gap_only_when_sent_one_per_item() -> None:
    call = Call("all", [], {}, params={"query.Status": ["A"]})
    call.union_arrays = {"query.status"}
    violation = {"location": ["request", "query", "status"], "message": "must be array"}
    assert prism_gap(violation, OP, call, _seen(query={"Status": ["A"]})) is not None
    assert prism_gap(violation, OP, call, _seen(query={"Status": ["['A']"]})) is None


def test_arguments_given_but_not_sent_are_reported() -> None:
    call = Call("all", [], {}, expect=[("query", "limit"), ("header", "X-Id")])
    sent = _seen(query={"limit": ["1"]}, headers={"x-id"})
    assert not_sent(call, sent) == []
    dropped = not_sent(call, _seen(query={}, headers=set()))
    assert [v["location"][1:] for v in dropped] == [
        ["query", "limit"],
        ["header", "X-Id"],
    ]


def test_values_follow_the_schema() -> None:
    doc = {
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["name", "kind"],
                    "properties": {
                        "name": {"type": "string", "minLength": 3, "example": "Rex"},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "age": {"type": "integer", "minimum": 5, "maximum": 9},
                        "tags": {"type": "array", "minItems": 2, "items": {}},
                    },
                },
                "Kind": {"type": ["string", "null"], "enum": [None, "dog", "cat"]},
            }
        }
    }
    values = Values(doc)
    pet = {"$ref": "#/components/schemas/Pet"}
    assert values.value(pet, full=False) == {"name": "Rex", "kind": "dog"}
    full = values.value(pet, full=True)
    assert full["age"] == 5 and len(full["tags"]) == 2
    assert values.valid(full, pet) and not values.valid({"name": "Rex"}, pet)
    one_of = {"oneOf": [{"type": "integer"}, {"type": "string", "format": "email"}]}
    assert values.value(one_of, full=False) == 1
    assert values.value({"type": "string", "format": "date-time"}, False).endswith("Z")


@pytest.mark.parametrize(
    "pattern",
    [r"^[a-z0-9]+$", r"^app_[A-Za-z0-9]{3,8}$", r"^(?!sink_)[a-zA-Z0-9_-]+$", r"\d{4}"],
)
def test_from_pattern_matches(pattern: str) -> None:
    text = from_pattern(pattern)
    assert text is not None and re.search(pattern, text)


def test_prism_refusing_optional_credentials_is_a_gap() -> None:
    unauthorized = {"location": ["request"], "code": 401, "message": "UNAUTHORIZED"}
    assert prism_gap(unauthorized, OP, Call("required", [], {}), _seen()) is None
    anonymous = Call("required", [], {}, anonymous=True)
    assert prism_gap(unauthorized, OP, anonymous, _seen()) is not None


def test_a_client_refusing_a_bad_answer_is_not_a_crash() -> None:
    class APIResponseValidationError(Exception):
        pass

    bad = {"location": ["response", "body"], "message": "must be object"}
    call = Call("required", [], {})
    refused = APIResponseValidationError()
    assert judge(OP, call, [_seen(200, [bad])], refused).verdict == "response"
    assert judge(OP, call, [_seen(200)], refused).verdict == "crash"
    assert judge(OP, call, [_seen(200)], None).verdict == "ok"

"""generator/pipeline.py output for Mailgun's full spec: every GET against Prism."""

# Prism serves that same spec. Each operation's outcome is classified: ok, or
# a fault of the spec (no success response, an example that breaks its schema,
# "required" that its prose calls optional). A failure the spec does not
# explain is the client's and fails the test; the report goes to
# full-spec-prism.json in the pytest temp folder.

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from helpers import SHARED_SPEC, start_prism

from generator import ir
from generator.pipeline import analyse

pytestmark = pytest.mark.skipif(
    not SHARED_SPEC.exists(), reason=f"{SHARED_SPEC} is absent (it lives in ../shared)"
)


@pytest.fixture(scope="module")
def full_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from start_prism(SHARED_SPEC, tmp_path_factory.mktemp("prism-full") / "log")


def _value(t: ir.TypeRef, api: ir.Api) -> Any:
    if t.kind == "enum":
        enum = next(e for e in api.enums if e.name == t.name)
        return enum.members[0].value
    if t.kind == "union":
        return _value(next(a for a in t.args if a.kind != "none"), api)
    if t.kind == "list":
        return [_value(t.args[0], api)]
    return {"int": 1, "float": 1.0, "bool": True}.get(t.kind, "example.com")


def _gets() -> list[tuple[str, str, ir.Operation]]:
    if not SHARED_SPEC.exists():
        return []
    api = analyse(SHARED_SPEC).api
    assert api is not None
    return [
        (r.attr, op.method_name, op)
        for r in api.resources
        for op in r.operations
        if op.http_method == "get"
    ]


GETS = _gets()


def test_every_get_operation(
    full: tuple[Path, ModuleType],
    full_prism: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    _, pkg = full
    result = analyse(SHARED_SPEC)
    api = result.api
    assert api is not None
    # Operations whose spec says "required" where its prose says optional:
    # we leave those parameters out, and Prism, going by the schema, objects.
    optional_by_prose = {
        "GET " + d.pointer.split("/")[2].replace("~1", "/")
        for d in result.diagnostics
        if "described as optional" in d.message
    }
    seen: list[tuple[int, list[dict[str, Any]]]] = []
    raw = yaml.safe_load(SHARED_SPEC.read_text())["paths"]

    def record(r: httpx.Response) -> None:
        seen.append((r.status_code, json.loads(r.headers.get("sl-violations", "[]"))))

    http = httpx.Client(event_hooks={"response": [record]})
    client = pkg.Mailgun("key", base_url=full_prism, http_client=http)
    outcome: dict[str, tuple[str, str]] = {}
    for attr, name, op in GETS:
        args = [_value(p.type, api) for p in op.path_params]
        kwargs = {p.name: _value(p.type, api) for p in op.keyword_args if p.required}
        seen.clear()
        mismatch = False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                getattr(getattr(client, attr), name)(*args, **kwargs)
            except pkg.APIStatusError:
                pass  # Prism answers 4xx to requests it rejects; judged below
            except pkg.APIResponseValidationError:
                # A body of another kind than the spec declares: right only
                # when Prism, too, finds the spec's example breaks its schema.
                mismatch = True
        status, violations = seen[-1]
        sides = {v["location"][0] for v in violations}
        first = violations[0]["message"] if violations else ""
        key = f"GET {op.path}"
        if not violations and status < 400 and not mismatch:
            outcome[key] = ("ok", "")
        elif not violations and not any(
            str(code).startswith("2") for code in raw[op.path]["get"]["responses"]
        ):
            # The client raised the typed error for the documented status.
            outcome[key] = ("spec: documents no success response", f"HTTP {status}")
        elif sides == {"response"}:
            outcome[key] = ("spec: its example breaks its schema", first)
        elif key in optional_by_prose:
            outcome[key] = ("spec: required, but described as optional", first)
        else:
            outcome[key] = ("client", f"HTTP {status}: {violations}")
    http.close()

    report = tmp_path_factory.getbasetemp() / "full-spec-prism.json"
    report.write_text(json.dumps(outcome, indent=2))
    ok = [k for k, (verdict, _) in outcome.items() if verdict == "ok"]
    print(f"\n{len(ok)}/{len(outcome)} GET operations answered without violations;")
    for key, (verdict, why) in sorted(outcome.items()):
        if verdict != "ok":
            print(f"  {key}: {verdict}: {why}")
    assert len(outcome) == len(GETS) == 89
    assert [k for k, (verdict, _) in outcome.items() if verdict == "client"] == []
    assert len(ok) >= 50

"""Webhooks and callbacks: typed payloads and ``parse_webhook``.

The fixture tests/specs/webhooks.yaml is generated and its package imported;
for every document of ../shared/specs/corpus/ with webhooks or callbacks
(skipped, with the reason, where ../shared is absent), each one's example
(or an instance built from its schema) is parsed by the generated package
into its typed payload, in a fresh interpreter.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import (
    CORPUS,
    ROOT,
    build_api,
    corpus_documents,
    generate_package,
    imported_package,
    json_at,
    json_deref,
)

from generator.pipeline import analyse

FIXTURE = ROOT / "tests" / "specs" / "webhooks.yaml"


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from imported_package(tmp_path_factory, FIXTURE)


def _events(package: ModuleType) -> ModuleType:
    import importlib

    return importlib.import_module(f"{package.__name__}.webhook_events")


def test_every_webhook_and_callback_is_found(tmp_path: Path) -> None:
    api, diags = build_api(tmp_path, FIXTURE.read_text())
    got = {(h.name, h.kind, h.type.annotation()) for h in api.webhooks}
    assert got == {
        ("animal.event", "webhook", "Cat | Dog"),
        ("audit.post", "webhook", "AuditPostEvent"),
        ("audit.put", "webhook", "list[str]"),
        ("delivered", "callback", "DeliveredCallback"),
        ("pet.created", "webhook", "Pet"),
    }
    [animal] = [h for h in api.webhooks if h.name == "animal.event"]
    assert animal.discriminator == "kind"
    assert [(v, t.name) for v, t in animal.mapping] == [("cat", "Cat"), ("dog", "Dog")]
    # No body: said, not guessed at.
    assert [d.message for d in diags.infos] == [
        "webhook 'ping' has no request body; nothing to parse"
    ]
    assert not diags.warnings


def test_parse_webhook_types_bytes_text_and_mappings(hooks: ModuleType) -> None:
    events = _events(hooks)
    pet = events.parse_webhook("pet.created", b'{"id": 7, "name": "Rex"}')
    assert type(pet).__name__ == "Pet" and (pet.id, pet.name) == (7, "Rex")
    assert events.parse_webhook("pet.created", '{"id": 8}').id == 8
    assert events.parse_webhook("audit.put", ["a", "b"]) == ["a", "b"]
    done = events.parse_webhook("delivered", {"message_id": "m1"})
    assert type(done).__name__ == "DeliveredCallback" and done.message_id == "m1"


def test_the_discriminator_picks_the_class(hooks: ModuleType) -> None:
    events = _events(hooks)
    # Both classes accept either body; only the discriminator tells them apart.
    cat = events.parse_webhook("animal.event", {"kind": "cat", "lives": 9})
    dog = events.parse_webhook("animal.event", b'{"kind": "dog"}')
    assert (type(cat).__name__, type(dog).__name__) == ("Cat", "Dog")
    assert cat.lives == 9


def test_bad_bodies_raise_a_clear_error(hooks: ModuleType) -> None:
    events = _events(hooks)
    error = events.WebhookPayloadError
    with pytest.raises(error, match="not JSON"):
        events.parse_webhook("pet.created", b"<html>")
    with pytest.raises(
        error, match=r"not a 'pet.created' payload: 1 error\(s\), first at id"
    ):
        events.parse_webhook("pet.created", {"name": "no id"})
    with pytest.raises(error, match=r"unknown webhook 'nope'; known: animal\.event"):
        events.parse_webhook("nope", {})
    assert issubclass(error, ValueError)
    assert events.WEBHOOK_NAMES == (
        "animal.event",
        "audit.post",
        "audit.put",
        "delivered",
        "pet.created",
    )


# --- the corpus --------------------------------------------------------------


def _documents() -> list[Path]:
    out = []
    for p in corpus_documents():
        doc = yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        has_callbacks = any(
            isinstance(op, dict) and op.get("callbacks")
            for item in (doc.get("paths") or {}).values()
            for op in (item or {}).values()
        )
        if doc.get("webhooks") or has_callbacks:
            out.append(p)
    return out


DOCUMENTS = _documents()


def _instance(doc: Any, schema: Any, depth: int = 0) -> Any:
    """A value the schema accepts: its required properties, each the
    simplest value of its type (enough for payloads without an example)."""
    schema = json_deref(doc, schema)
    if not isinstance(schema, dict) or depth > 12:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return _instance(doc, schema[key][0], depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = _instance(doc, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    kind = (
        next((k for k in kind if k != "null"), "null")
        if isinstance(kind, list)
        else kind
    )
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {
            name: _instance(doc, props.get(name, {}), depth + 1)
            for name in schema.get("required") or []
        }
    if kind == "array":
        return []
    if kind == "string":
        return {"date-time": "2024-01-02T03:04:05Z", "date": "2024-01-02"}.get(
            schema.get("format"), "x"
        )
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind)


def _example(doc: Any, op_pointer: str) -> tuple[Any, str]:
    """The body example the spec gives for a webhook, or one built from its
    schema when it gives none or one its own schema refuses (a fault in the
    spec, checked here with jsonschema); and which it is."""
    op = json_at(doc, op_pointer)
    body_pointer = op["requestBody"].get("$ref", "#" + op_pointer + "/requestBody")[1:]
    body = json_at(doc, body_pointer)
    media_type = next(iter(body["content"]))
    media = body["content"][media_type]
    mt = media_type.replace("~", "~0").replace("/", "~1")
    schema_pointer = f"{body_pointer}/content/{mt}/schema"
    given = []
    if "example" in media:
        given.append(media["example"])
    for named in (media.get("examples") or {}).values():
        resolved = json_deref(doc, named)
        if isinstance(resolved, dict) and "value" in resolved:
            given.append(resolved["value"])
    schema = json_deref(doc, media.get("schema", {}))
    if isinstance(schema, dict) and "example" in schema:
        given.append(schema["example"])
    # The document as the root, so its "#/components/..." refs resolve.
    root = {k: v for k, v in doc.items() if k in ("components", "paths", "webhooks")}
    validator = jsonschema.Draft202012Validator({**root, "$ref": "#" + schema_pointer})
    for example in given:
        if validator.is_valid(example):
            return example, "example"
    return _instance(doc, media.get("schema", {})), "built"


PARSE_ALL = """
import importlib, json, sys
events = importlib.import_module(sys.argv[1] + ".webhook_events")
cases = json.loads(sys.stdin.read())
out = {}
for name, body in cases.items():
    value = events.parse_webhook(name, json.dumps(body).encode())
    out[name] = type(value).__name__
print(json.dumps(out))
"""


@pytest.mark.skipif(not DOCUMENTS, reason=f"{CORPUS} is absent (it lives in ../shared)")
@pytest.mark.parametrize("spec", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_every_corpus_webhook_parses_into_its_model(spec: Path, tmp_path: Path) -> None:
    api = analyse(spec, ()).api
    assert api is not None
    doc = yaml.load(spec.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    cases = {}
    for h in api.webhooks:
        cases[h.name], _ = _example(doc, h.pointer)
    assert cases, "a document with webhooks or callbacks gave none"
    package = generate_package(spec, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", PARSE_ALL, package],
        input=json.dumps(cases),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    parsed = json.loads(proc.stdout)
    for h in api.webhooks:
        want = h.type.name if h.type.kind == "model" else None
        if want is not None:
            assert parsed[h.name] == want, (h.name, parsed[h.name])
        elif h.mapping:
            assert parsed[h.name] in {t.name for _, t in h.mapping}, h.name

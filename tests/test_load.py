"""generator/load.py: reading, validating and reference checking."""

from pathlib import Path

import pytest
from helpers import MINIMAL, SHARED_SPEC, spec_with, write_spec

from generator.diagnostics import Diagnostics, SpecError
from generator.load import load


def _errors(path: Path) -> list[str]:
    with pytest.raises(SpecError) as info:
        load(path, Diagnostics(str(path)))
    return [f"{d.pointer}|{d.message}" for d in info.value.diagnostics]


def test_loads_yaml_and_json(tmp_path: Path) -> None:
    import json

    y = load(write_spec(tmp_path, MINIMAL))
    j = tmp_path / "spec.json"
    j.write_text(json.dumps(MINIMAL))
    assert load(j).data == y.data
    assert len(y.sha256) == 64


def test_yaml_dates_and_numeric_keys_stay_strings(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: T, version: 2024-01-01}
        paths:
          /a:
            get:
              responses:
                200: {description: ok}
        """,
    )
    data = load(spec).data
    assert data["info"]["version"] == "2024-01-01"
    assert "200" in data["paths"]["/a"]["get"]["responses"]


def test_yaml_follows_the_1_2_core_schema(tmp_path: Path) -> None:
    """OpenAPI 3.1 documents are YAML 1.2: ``no`` is Norwegian, not false
    (a YAML 1.1 loader made assemblyai's language code ``no`` into False,
    and the client would have sent ``false``), and ``1e-08`` is a number."""
    text = (
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x-values: [no, yes, on, off, y, 1e-08, 0o17, 017, 0x1f, 1_000, .inf]\n"
        "x-keys: {no: 1, on: 2}\n"
    )
    data = load(write_spec(tmp_path, text), Diagnostics("spec.yaml")).data
    assert data["x-values"][:5] == ["no", "yes", "on", "off", "y"]
    assert data["x-values"][5:10] == [1e-08, 15, 17, 31, "1_000"]
    assert data["x-values"][10] == float("inf")
    assert data["x-keys"] == {"no": 1, "on": 2}


def test_unparseable_yaml_names_line_and_column(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, "openapi: 3.1.0\ninfo: {title: [unclosed\n")
    (msg,) = _errors(spec)
    assert "not valid YAML at line" in msg and "column" in msg


def test_not_a_mapping(tmp_path: Path) -> None:
    assert "must be a mapping" in _errors(write_spec(tmp_path, "- just\n- a list\n"))[0]


def test_wrong_version(tmp_path: Path) -> None:
    doc = {**MINIMAL, "openapi": "3.0.3"}
    assert _errors(write_spec(tmp_path, doc)) == [
        "/openapi|OpenAPI 3.0.3 is not supported; this generator reads 3.1"
    ]


def test_an_unquoted_version_is_named_as_such(tmp_path: Path) -> None:
    """Issue 9, finding 8: ``openapi: 3.1`` is a YAML number, and the
    message said the field was missing."""
    text = "openapi: 3.1\ninfo: {title: T, version: '1'}\npaths: {}\n"
    assert _errors(write_spec(tmp_path, text)) == [
        "/openapi|the 'openapi' version 3.1 is read as a float, not text: "
        'write openapi: "3.1.0" (quoted)'
    ]


def test_a_key_twice_in_one_mapping_is_an_error(tmp_path: Path) -> None:
    """Issue 9, finding 8: duplicate keys were dropped silently (YAML 1.2 and
    RFC 8259 both call for unique keys); a ``<<`` merge may still be
    overridden."""
    text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\npaths: {}\n"
    assert _errors(write_spec(tmp_path, text)) == [
        "|not valid YAML at line 4, column 1: "
        "the key 'paths' appears twice in one mapping"
    ]
    doc = '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "info": {}}'
    assert _errors(write_spec(tmp_path, doc, "spec.json")) == [
        "|cannot parse the file: the key 'info' appears twice in one object"
    ]
    merged = (
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x-a: &a {k: 1, j: 2}\nx-b:\n  <<: *a\n  k: 3\n"
    )
    data = load(write_spec(tmp_path, merged), Diagnostics("spec.yaml")).data
    assert data["x-b"] == {"k": 3, "j": 2}


def test_invalid_document_points_at_the_fault(tmp_path: Path) -> None:
    doc = spec_with(
        {
            "/a": {
                "get": {
                    "responses": {"200": {"description": "ok"}},
                    "parameters": [{"name": "q", "in": "sideways"}],
                }
            }
        }
    )
    errors = _errors(write_spec(tmp_path, doc))
    assert any(e.startswith("/paths/~1a/get/parameters/0") for e in errors), errors
    assert all("invalid OpenAPI document" in e for e in errors)


def test_broken_ref_points_at_the_ref(tmp_path: Path) -> None:
    doc = spec_with(
        {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Nope"}
                                }
                            },
                        }
                    }
                }
            }
        },
        schemas={},
    )
    assert _errors(write_spec(tmp_path, doc)) == [
        "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
        "|broken $ref: '#/components/schemas/Nope' does not exist"
    ]


def test_external_ref_is_unsupported(tmp_path: Path) -> None:
    doc = spec_with(schemas={"A": {"$ref": "other.yaml#/components/schemas/B"}})
    (msg,) = _errors(write_spec(tmp_path, doc))
    assert msg.startswith(
        "/components/schemas/A/$ref|unsupported construct: external $ref"
    )


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read the file" in _errors(tmp_path / "absent.yaml")[0]


def test_recursive_refs_load(tmp_path: Path) -> None:
    doc = spec_with(
        schemas={
            "Node": {
                "type": "object",
                "properties": {
                    "children": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Node"},
                    }
                },
            },
        }
    )
    assert (
        load(write_spec(tmp_path, doc)).resolve("#/components/schemas/Node")["type"]
        == "object"
    )


def test_reference_spec_loads() -> None:
    if not SHARED_SPEC.exists():
        pytest.skip(f"{SHARED_SPEC} is absent (it lives in ../shared beside the repo)")
    spec = load(SHARED_SPEC)
    assert len(spec.data["paths"]) == 139


# --- Hostile documents (issue 9): refused with a pointer, in linear time ------


def _alias_bomb(levels: int) -> str:
    """A few hundred bytes whose aliases expand to 10**levels nodes."""
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}"]
    lines.append("x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]")
    for i in range(1, levels):
        lines.append(f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """18 s for 8 levels before, and exponential: the check enters a node
    shared through aliases once, so 12 levels (10**12 nodes) cost nothing."""
    import time

    path = write_spec(tmp_path, _alias_bomb(12))
    start = time.perf_counter()
    errors = _errors(path)
    assert time.perf_counter() - start < 5
    assert len(errors) == 1
    pointer, message = errors[0].split("|")
    assert pointer == "/x-a5"  # the deepest node past the bound
    assert "alias bomb" in message and "1,000,000" in message


def test_aliases_within_reason_still_load(tmp_path: Path) -> None:
    """Real specs share a response or a schema through anchors."""
    path = write_spec(tmp_path, _alias_bomb(4))  # 10,000 nodes
    assert load(path).data["x-a3"][9][9][9][9] == "x"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # Past the parser's recursion ("nested too deeply to read") or,
        # with a higher recursion limit, past MAX_DEPTH ("nested deeper").
        ("deep.json", '{"x":' + "[" * 5000 + "]" * 5000 + "}", "|nested "),
        ("deep.yaml", "x: " + "[" * 2000 + "]" * 2000 + "\n", "|nested "),
        ("deep100.json", '{"x":' + "[" * 100 + "]" * 100 + "}", "/0/0|nested deeper"),
        ("lone.json", '{"a": {"b\\ud800": 1}}', "/a|a key holds a lone surrogate"),
        ("lone2.json", '{"a": ["\\udfff"]}', "/a/0|a value holds a lone surrogate"),
        ("loop.yaml", "x: &r [1, *r]\n", "|not valid YAML at line 1"),
    ],
)
def test_documents_that_crashed_later_stages_are_refused(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    """RecursionError (exit 3) at ~300 levels of YAML or ~600 of JSON, false
    'Field required' errors at 300, UnicodeEncodeError on a lone surrogate:
    now one clear error each, with its pointer."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    errors = _errors(path)
    assert len(errors) == 1
    pointer, message = expected.split("|")
    assert errors[0].split("|")[0].endswith(pointer)
    assert errors[0].split("|")[1].startswith(message)


def test_nothing_outside_the_document_is_named(tmp_path: Path) -> None:
    """``$dynamicRef`` to file:// or http:// made the example check read or
    fetch it (``lint`` printed the file); ``#name`` anchors resolved to the
    whole document."""
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY")
    schema = {
        "type": "object",
        "properties": {
            "f": {"$dynamicRef": canary.as_uri()},
            "h": {"$dynamicRef": "http://127.0.0.1:9/x"},
            "a": {"$ref": "#node"},
            "ok": {"$dynamicRef": "#node"},
        },
    }
    errors = _errors(write_spec(tmp_path, spec_with(schemas={"S": schema})))
    assert [e.split("|")[0] for e in errors] == [
        f"/components/schemas/S/properties/{p}/{k}"
        for p, k in (("f", "$dynamicRef"), ("h", "$dynamicRef"), ("a", "$ref"))
    ]
    assert "external $dynamicRef" in errors[0] and "anchor" in errors[2]
    assert not any("CANARY" in e for e in errors)

"""Documents the fuzzer (tests/fuzz.py) found, cut down to what matters.

Each failed before its fix with the exit code or the broken output named in
its docstring (issue 9); each is a regression test now.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

from helpers import ROOT, build_api, generate_package, operation, spec_with, write_spec

from generator import ir
from generator.naming import MAX_FILE_NAME

GENERATE = [sys.executable, "-m", "generator", "generate"]


def _run_cli(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process: a crash (even a segfault) is its exit code."""
    return subprocess.run(
        [*GENERATE, "--spec", str(spec), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _runs_in(out: Path, code: str) -> None:
    """``code`` runs in a fresh interpreter beside the generated package."""
    run = [sys.executable, "-c", code]
    proc = subprocess.run(run, cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-800:]


def test_yaml_nested_30000_levels_is_refused_not_a_segfault(tmp_path: Path) -> None:
    """PyYAML's C composer recursed once per level: a segfault (-11), no
    message. The depth is now measured from the parser's events first."""
    spec = tmp_path / "deep.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x: " + "[" * 30_000 + "]" * 30_000 + "\n"
    )
    proc = _run_cli(spec, tmp_path / "out")
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "nested too deeply to read (over 64 levels allowed)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_empty_combinators_are_ignored(tmp_path: Path) -> None:
    """``allOf: []`` was an IndexError (exit 3); ``anyOf: []`` rendered an
    empty annotation ruff could not parse (FormatError, exit 3)."""
    doc = spec_with(
        paths=operation(
            "/a", parameters=[{"name": "q", "in": "query", "schema": {"anyOf": []}}]
        ),
        schemas={"A": {"properties": {"b": {"allOf": []}, "c": {"oneOf": []}}}},
    )
    api, diags = build_api(tmp_path, doc)
    fields = {f.name: f.type for m in api.models for f in m.fields}
    assert fields == {"b": ir.TypeRef("any"), "c": ir.TypeRef("any")}
    messages = sorted(d.message for d in diags.warnings)
    assert messages.count("anyOf: [] constrains nothing; it is ignored") == 1
    assert "allOf: [] constrains nothing; it is ignored" in messages
    assert generate_package(write_spec(tmp_path, doc), tmp_path / "out")


def test_a_literal_too_large_for_mypy_is_an_int(tmp_path: Path) -> None:
    """``const: 18446744073709551616`` became a Literal mypy refuses."""
    doc = spec_with(
        schemas={"A": {"properties": {"big": {"const": 2**64}, "ok": {"const": 7}}}}
    )
    api, diags = build_api(tmp_path, doc)
    fields = {f.name: f.type for f in api.models[0].fields}
    assert fields["big"] == ir.TypeRef("int")
    assert fields["ok"] == ir.TypeRef("literal", literal="7")
    assert any("too large for a Literal type" in d.message for d in diags.warnings)


def test_long_names_make_short_file_names(tmp_path: Path) -> None:
    """A 5,000-character title made a package folder the file system
    refused (an OSError traceback); a 300-character tag a module file."""
    doc = spec_with(paths=operation("/a", tags=["t" * 300]), info={"title": "x" * 5000})
    doc["info"]["version"] = "1"
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    assert len(package) <= MAX_FILE_NAME
    modules = [p.name for p in (out / package / "resources").glob("*.py")]
    assert max(len(m) for m in modules) <= MAX_FILE_NAME + 3
    again = generate_package(write_spec(tmp_path, doc), tmp_path / "again")
    assert again == package  # the shortened name is the same every run


def test_a_method_named_int_keeps_the_package_importable(tmp_path: Path) -> None:
    """A method ``int`` hid the builtin in the class body, and every later
    method's ``max_retries: int | NotGiven`` failed at import."""
    doc = spec_with(
        paths={
            **operation("/a", operationId="int", tags=["default"]),
            **operation("/b", operationId="later", tags=["default"]),
        }
    )
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    _runs_in(out, f"import {package}.resources.default")
    source = (out / package / "resources" / "default.py").read_text()
    assert "max_retries: builtins.int | NotGiven" in source


def test_pyproject_takes_any_title(tmp_path: Path) -> None:
    """``Snake 🐍`` was written as JSON's ``\\ud83d\\udc0d``, which TOML
    refuses: pip could not install the package."""
    doc = spec_with(info={"title": 'Snake 🐍 "quoted" \\ back\tslash', "version": "1"})
    out = tmp_path / "out"
    generate_package(write_spec(tmp_path, doc), out)
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    assert 'Snake 🐍 "quoted" \\ back\tslash' in project["project"]["description"]


def test_an_example_of_a_schema_that_refers_to_itself(tmp_path: Path) -> None:
    """``A: {anyOf: [$ref A]}`` with an example: jsonschema recursed without
    end in the example check (exit 3, the child's traceback printed)."""
    doc = spec_with(
        paths=operation(
            "/a",
            parameters=[
                {
                    "name": "q",
                    "in": "query",
                    "schema": {"$ref": "#/components/schemas/A"},
                    "example": "x",
                }
            ],
        ),
        schemas={"A": {"anyOf": [{"$ref": "#/components/schemas/A"}]}},
    )
    proc = _run_cli(write_spec(tmp_path, doc), tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-800:]
    assert "its schema refers to itself without end; the example is not checked" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr


def test_an_all_of_inside_a_property_that_names_its_parent(tmp_path: Path) -> None:
    """``A: {allOf: [{properties: {b: {allOf: [$ref A, {...}]}}}]}``: the
    inline model ``b`` flattened ``A``, which holds ``b`` again
    (RecursionError, exit 3). Inline models are now registered before their
    fields are built."""
    inner = {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"c": {}}}]}
    doc = spec_with(schemas={"A": {"allOf": [{"properties": {"b": inner}}]}})
    api, _ = build_api(tmp_path, doc)
    fields = {
        m.name: [(f.name, f.type.annotation()) for f in m.fields] for m in api.models
    }
    assert fields == {"A": [("b", "AB")], "AB": [("b", "AB"), ("c", "Any")]}


def test_a_method_named_str_and_an_enum_argument(tmp_path: Path) -> None:
    """An enum argument is typed ``Enum | str``; with a method named ``str``
    in the class, that ``str`` was the method (TypeError at import)."""
    doc = spec_with(
        paths={
            **operation("/a", operationId="str", tags=["default"]),
            **operation(
                "/b",
                operationId="later",
                tags=["default"],
                parameters=[
                    {
                        "name": "q",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["x", "y"]},
                    }
                ],
            ),
        }
    )
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    _runs_in(out, f"import {package}.resources.default")


def test_null_schema_keywords_are_ignored(tmp_path: Path) -> None:
    """``enum: null`` passes openapi-pydantic and was a TypeError (exit 3)."""
    props = {
        "e": {"type": "string", "enum": None},
        "i": {"type": "array", "items": None},
    }
    api, diags = build_api(tmp_path, spec_with(schemas={"A": {"properties": props}}))
    fields = {f.name: f.type.annotation() for f in api.models[0].fields}
    assert fields == {"e": "str", "i": "list[Any]"}
    assert sum("null is not allowed; ignored" in d.message for d in diags.warnings) == 2


def test_an_all_of_that_names_itself_through_a_ref_chain(tmp_path: Path) -> None:
    """``A: {allOf: [$ref B, {...}]}`` with ``B: {$ref: A}``: the chain
    was not seen as a cycle, and ``class A(A)`` failed at import."""
    doc = spec_with(
        schemas={
            "A": {
                "allOf": [
                    {"$ref": "#/components/schemas/B"},
                    {"type": "object", "properties": {"x": {"type": "string"}}},
                ]
            },
            "B": {"$ref": "#/components/schemas/A"},
        }
    )
    api, _ = build_api(tmp_path, doc)
    assert [(m.name, m.base) for m in api.models] == [("A", "")]


def test_a_title_that_names_a_runtime_class(tmp_path: Path) -> None:
    """A "Region API" made a client class ``Region`` that hid the ``Region``
    enum of the same module (AttributeError at import)."""
    doc = spec_with(paths=operation("/a"), info={"title": "Region API", "version": "1"})
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    _runs_in(out, f"from {package} import RegionClient, Region")


def test_a_ref_that_is_not_a_string(tmp_path: Path) -> None:
    """``$ref: {a: 1}`` in a schema was an AttributeError (exit 3)."""
    _, diags = build_api(tmp_path, spec_with(schemas={"A": {"$ref": {"a": 1}}}))
    assert any(
        d.message == "$ref is not a string; typed as Any" for d in diags.warnings
    )


# --- found by probing the naming, docs and webhook changes (issue 10) --------


def _checked(out: Path, package: str) -> None:
    """The package passes ruff (its own config) and mypy --strict."""
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", "pyproject.toml", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-2000:]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-2000:]


def _hook(body: dict, method: str = "post") -> dict:
    return {
        method: {
            "requestBody": {"content": body},
            "responses": {"200": {"description": "ok"}},
        }
    }


def test_webhooks_that_clash_or_nest_still_make_a_clean_package(tmp_path: Path) -> None:
    """Two webhooks both named ``audit.post`` (a path item's POST and a
    webhook of that name) gave a dict with a key twice and an overload that
    could never match; the catch-all overload split ``list[int | str]`` at
    its inner ``|``; a mapping to a schema outside the union was dispatched
    on; a text webhook could not be parsed; a name made of code went into
    the README's example as code."""
    as_json = lambda schema: {"application/json": {"schema": schema}}  # noqa: E731
    evil = "!\nimport os\nos.system('echo pwned')\n#\\"
    doc = spec_with(
        schemas={
            "A": {
                "type": "object",
                "properties": {"k": {"type": "string"}, "a": {"type": "integer"}},
            },
            "B": {
                "type": "object",
                "properties": {"k": {"type": "string"}, "b": {"type": "integer"}},
            },
            "C": {"type": "object", "properties": {"k": {"type": "string"}}},
        },
    )
    union = {
        "oneOf": [
            {"$ref": "#/components/schemas/A"},
            {"$ref": "#/components/schemas/B"},
        ],
        "discriminator": {
            "propertyName": "k",
            "mapping": {"c": "#/components/schemas/C"},
        },
    }
    doc["webhooks"] = {
        "audit.post": _hook(as_json({"type": "string"})),
        "audit": {
            **_hook(
                as_json(
                    {
                        "type": "array",
                        "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                    }
                )
            ),
            **_hook(as_json({"type": "integer"}), "put"),
        },
        "odd": _hook(as_json(union)),
        "note": _hook({"text/plain": {"schema": {"type": "string"}}}),
        evil: _hook(as_json({"type": "boolean"})),
    }
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    _checked(out, package)
    readme = (out / "README.md").read_text()
    assert "os.system" not in readme.split("```python")[-1].split("```")[0]
    _runs_in(
        out,
        f"from {package}.webhook_events import WEBHOOK_NAMES, parse_webhook\n"
        "assert sorted(WEBHOOK_NAMES).count('audit.post') == 1, WEBHOOK_NAMES\n"
        "assert 'audit.post#2' in WEBHOOK_NAMES\n"
        "assert parse_webhook('note', b'hello') == 'hello'\n"
        "assert type(parse_webhook('odd', {'k': 'c', 'a': 1})).__name__ == 'A'\n"
        "import pytest\n"
        "from " + package + ".webhook_events import WebhookPayloadError\n"
        "with pytest.raises(WebhookPayloadError, match='nested too deeply'):\n"
        "    parse_webhook('audit.put', b'[' * 100000 + b']' * 100000)\n",
    )


def test_names_that_would_shadow_the_packages_own_classes(tmp_path: Path) -> None:
    """A ``Not Found API`` made ``NotFoundError`` the client's base error,
    hiding the 404 exception; tags ``Item`` and ``Async Item`` both gave an
    ``AsyncItem...`` class; an optional null-only property was ``None |
    NotGiven`` (ruff RUF036); zero-width characters became words of names; a
    tab in a description failed ruff E101; a string ``minimum`` crashed the
    example check (exit 3)."""
    doc = spec_with(
        paths={
            **operation("/items", tags=["Item"], operationId="listItems"),
            **operation(
                "/async-items",
                "post",
                tags=["Async Item"],
                operationId="makeAsyncItem",
                parameters=[
                    {
                        "name": "p",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": "0"},
                        "example": 5,
                    }
                ],
                requestBody={
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "nothing": {
                                        "type": "null",
                                        "description": "a\n\tb",
                                    },
                                    "pay\u200bments": {"type": "string"},
                                },
                            }
                        }
                    }
                },
            ),
        },
        schemas={
            "Item": {"type": "object", "properties": {"a": {"type": "string"}}},
            "AsyncItem": {"type": "object", "properties": {"a": {"type": "string"}}},
        },
        info={"title": "Not Found API", "version": "1"},
    )
    proc = _run_cli(write_spec(tmp_path, doc), tmp_path / "cli")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    assert package == "not_found_client"
    _checked(out, package)
    client = (out / package / "_client.py").read_text()
    assert "class NotFoundClient" in client
    source = (out / package / "resources" / "async_item.py").read_text()
    # The Python name drops the invisible character; the wire name keeps it.
    assert "payments: str | NotGiven" in source and "pay_u200" not in source


def test_a_title_naming_a_status_exception(tmp_path: Path) -> None:
    """Fuzzer finding (10,000-document run, doc-09400): title ``Not Found
    Error`` made the client ``NotFoundError``, and the package's
    ``__init__`` imported two classes of that name (mypy error)."""
    for title in ("Not Found Error", "Rate Limit", "API Error", "Not Found"):
        api, _ = build_api(tmp_path, spec_with(info={"title": title, "version": "1"}))
        names = {api.client_name, f"{api.client_name}Error"}
        assert not names & {"NotFoundError", "RateLimitError", "APIError"}, title


def test_a_spec_without_models_makes_a_ruff_clean_package(tmp_path: Path) -> None:
    """types/models.py had one blank line too many without imports (ruff
    I001): a spec with no object schemas, as webhook-only specs often are."""
    doc = spec_with(paths=operation("/ping", operationId="ping"))
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, doc), out)
    _checked(out, package)


def test_a_very_long_operation_id_is_not_split_for_ever(tmp_path: Path) -> None:
    """Fuzzer finding (post-merge run, doc-00116): a 70,000-character
    operationId made the run-together split copy ever longer tuples; the
    run passed the fuzzer's 60 s bound. Long text is no longer split, and
    the split itself keeps back-pointers."""
    from generator.operation_ids import MAX_SEGMENTED, segment

    vocab = frozenset({"get", "user", "name"})
    assert segment("getusername", vocab) == ["get", "user", "name"]
    assert segment("get" * (MAX_SEGMENTED // 3 + 1), vocab) is None
    doc = spec_with(paths=operation("/pets", operationId="getpets" * 10_000))
    proc = _run_cli(write_spec(tmp_path, doc), tmp_path / "out")  # bounded: 120 s
    assert proc.returncode == 0, proc.stderr[-800:]

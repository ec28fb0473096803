"""generator/render.py: golden output per fixture spec, and the packages it makes."""

# Golden files cover constructs spec/mailgun.yaml does not use; the fixture
# packages are imported and exercised, and hostile spec text must not inject
# code or paths.

import datetime
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from helpers import GENERATED, ROOT, generate_package, imported_package, tree
from pytest_httpserver import HTTPServer
from werkzeug import Request

from generator.pipeline import run
from generator.write import write

SPECS = ROOT / "tests" / "specs"
GOLDEN = ROOT / "tests" / "golden"
# Every tests/specs/<case>.yaml is a golden case, compared against
# tests/golden/<case>/, except these, each checked by its own test instead.
NOT_GOLDEN_CASES = {
    "hostile": "test_hostile_spec_text_cannot_inject_code_or_paths",
}
GOLDEN_CASES = sorted(
    p.stem for p in SPECS.glob("*.yaml") if p.stem not in NOT_GOLDEN_CASES
)
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
# Only the files that depend on the spec; runtime files are covered by the
# snapshot of generated/.
GOLDEN_FILES = (
    "_client.py",
    "types/models.py",
    "types/enums.py",
    "resources/",
    "webhook_events.py",
)


def _golden_paths(files: dict[str, str], package: str) -> dict[str, str]:
    out = {}
    for rel, text in files.items():
        inner = rel.removeprefix(package + "/")
        if rel.startswith(package + "/") and inner.startswith(GOLDEN_FILES):
            out[inner] = text
    return out


def _refresh(folder: Path, files: dict[str, str]) -> None:
    """Make ``folder`` hold exactly ``files``."""
    for rel in tree(folder):
        if rel not in files:
            (folder / rel).unlink()
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    for sub in sorted(folder.rglob("*"), reverse=True):  # deepest first
        if sub.is_dir() and not any(sub.iterdir()):
            sub.rmdir()


def test_every_fixture_spec_is_a_golden_case_or_excused() -> None:
    assert GOLDEN_CASES, f"no golden cases in {SPECS}"
    specs = {p.stem for p in SPECS.glob("*.yaml")}
    assert set(NOT_GOLDEN_CASES) <= specs, "NOT_GOLDEN_CASES names a missing spec"
    unused = {p.name for p in GOLDEN.iterdir()} - set(GOLDEN_CASES)
    assert not unused, f"tests/golden/ has folders with no spec: {sorted(unused)}"


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden(case: str) -> None:
    """tests/specs/<case>.yaml renders to exactly tests/golden/<case>/.

    ``UPDATE_GOLDEN=1`` (re)writes the folder, removing files no longer
    produced; review the diff before committing it."""
    result = run(SPECS / f"{case}.yaml")
    assert result.ok and result.api is not None, [str(d) for d in result.diagnostics]
    got = _golden_paths(result.files, result.api.package)
    assert got, f"{case}: nothing to compare"
    folder = GOLDEN / case
    if UPDATE_GOLDEN:
        _refresh(folder, got)
    hint = (
        f"run `UPDATE_GOLDEN=1 python -m pytest 'tests/test_render.py::"
        f"test_golden[{case}]'` and review tests/golden/{case}/"
    )
    if not folder.is_dir():
        pytest.fail(f"tests/golden/{case}/ does not exist; {hint}")
    want = {k: v.decode() for k, v in tree(folder).items()}
    assert sorted(got) == sorted(want), (
        f"missing from tests/golden/{case}/: {sorted(set(got) - set(want))}; "
        f"no longer generated: {sorted(set(want) - set(got))}; {hint}"
    )
    for rel in got:
        assert got[rel] == want[rel], f"{rel} differs from tests/golden/{case}/; {hint}"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from imported_package(tmp_path_factory, SPECS / "shapes.yaml")


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from imported_package(tmp_path_factory, SPECS / "bodies.yaml")


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_case_package_is_mypy_strict_clean(tmp_path: Path, case: str) -> None:
    out = tmp_path / "pkg"
    package = generate_package(SPECS / f"{case}.yaml", out)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "c"),
            package,
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_unions_recursion_and_int_enums_parse(shapes: ModuleType) -> None:
    t = shapes.types
    ls = t.LabelledShape.model_validate(
        {"label": "l", "shape": {"kind": "square", "side": 2}, "priority": 7}
    )
    assert isinstance(ls.shape, t.Square) and ls.shape.side == 2
    assert ls.priority == 7 and isinstance(ls.priority, t.Priority)  # unknown int kept
    assert t.Priority(2) is t.Priority.V_2
    tree_ = t.TreeNode.model_validate(
        {
            "name": "root",
            "children": [{"name": "a", "children": [{"name": "b"}]}],
            "parent": None,
        }
    )
    assert tree_.children[0].children[0].name == "b"
    grid = t.Grid.model_validate(
        {
            "cells": [[1, None], [3]],
            "tags": {"a": "b"},
            "meta": {"k": [1]},
            "weights": {"w": [0.5]},
            "color": None,
            "id_or_name": "x",
            "created": "2026-01-01T00:00:00Z",
            "day": None,
        }
    )
    assert grid.cells == [[1, None], [3]] and grid.id_or_name == "x"
    assert grid.created.year == 2026
    merged = t.Merged.model_validate({"kind": "circle", "radius": 1.5, "label": "m"})
    assert merged.label == "m"
    assert issubclass(t.LabelledShape, t.Labelled)


def test_shapes_client_round_trip(shapes: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/shapes",
        query_string="priority=2&ids=1,2",
        headers={"Authorization": "Bearer tok"},
    ).respond_with_json([{"shape": {"kind": "circle", "radius": 1}}])
    httpserver.expect_request(
        "/shapes", method="POST", json={"kind": "square", "side": 3}
    ).respond_with_json({"kind": "square", "side": 3}, status=201)
    client = shapes.Shapes("tok", base_url=httpserver.url_for("/"))
    got = client.shapes.list(priority=shapes.types.Priority.V_2, ids=[1, 2])
    assert got[0].shape.radius == 1
    made = client.shapes.create(body=shapes.types.Square(kind="square", side=3))
    assert isinstance(made, shapes.types.Square)


def _sent(httpserver: HTTPServer) -> Request:
    """The last request the server saw."""
    request, _ = httpserver.log[-1]
    return request


def test_bodies_json_object_and_whole_array(
    bodies: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/notes", method="POST").respond_with_json(
        {"title": "t"}, status=201
    )
    httpserver.expect_request("/notes/batch", method="PUT").respond_with_json(
        {"id": "b", "count": 2}
    )
    client = bodies.Bodies("tok", base_url=httpserver.url_for("/"))
    note = client.notes.create(title="t", tags=["a", "b"])
    assert isinstance(note, bodies.types.Note)
    assert _sent(httpserver).get_json() == {"title": "t", "tags": ["a", "b"]}
    notes = [bodies.types.Note(title="x"), bodies.types.Note(title="y", pinned=True)]
    assert client.notes.replace(body=notes).count == 2
    assert _sent(httpserver).get_json() == [
        {"title": "x"},
        {"title": "y", "pinned": True},
    ]


def test_bodies_form_repeats_array_fields(
    bodies: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/subscribers", method="POST").respond_with_data(
        status=204
    )
    client = bodies.Bodies("tok", base_url=httpserver.url_for("/"))
    assert client.subscribers.add(address="a@x.com", lists=["l1", "l2"]) is None
    sent = _sent(httpserver)
    assert sent.mimetype == "application/x-www-form-urlencoded"
    assert sent.get_data(as_text=True) == "address=a%40x.com&lists=l1&lists=l2"


def test_bodies_multipart_files_and_file_lists(
    bodies: ModuleType, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/uploads", method="POST").respond_with_json(
        {"id": "u"}, status=201
    )
    (tmp_path / "b.csv").write_bytes(b"B")
    client = bodies.Bodies("tok", base_url=httpserver.url_for("/"))
    client.uploads.files(
        document=("doc.txt", b"D", "text/plain"),
        caption="c",
        attachments=[("a.txt", b"A"), tmp_path / "b.csv"],
    )
    sent = _sent(httpserver)
    assert sent.mimetype == "multipart/form-data"
    assert sent.form.to_dict(flat=False) == {"caption": ["c"]}
    document = sent.files["document"]
    assert (document.filename, document.read(), document.mimetype) == (
        "doc.txt",
        b"D",
        "text/plain",
    )
    assert [(f.filename, f.read()) for f in sent.files.getlist("attachments")] == [
        ("a.txt", b"A"),
        ("b.csv", b"B"),
    ]


def test_bodies_one_operation_two_media_types(
    bodies: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/messages", method="POST").respond_with_json({"id": "m"})
    client = bodies.Bodies("tok", base_url=httpserver.url_for("/"))
    client.messages.send(to="a@x.com", subject="hi")
    assert _sent(httpserver).get_json() == {"to": "a@x.com", "subject": "hi"}
    client.messages.send_form(to="a@x.com", subject="hi", text="t")
    sent = _sent(httpserver)
    assert sent.mimetype == "application/x-www-form-urlencoded"
    assert sent.form.to_dict(flat=False) == {
        "to": ["a@x.com"],
        "subject": ["hi"],
        "text": ["t"],
    }


def test_bodies_free_form_fields_join_the_json_body(
    bodies: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/events", method="POST").respond_with_data(status=204)
    client = bodies.Bodies("tok", base_url=httpserver.url_for("/"))
    at = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    client.events.track(name="n", at=at, extra_fields={"v": 1, "m": {"k": [1]}})
    assert _sent(httpserver).get_json() == {
        "name": "n",
        "at": "2026-01-02T03:04:05+00:00",
        "v": 1,
        "m": {"k": [1]},
    }


def test_hostile_spec_text_cannot_inject_code_or_paths(tmp_path: Path) -> None:
    markers = [
        Path(f"/tmp/pwned-{n}") for n in ("title", "desc", "url", "op", "summary")
    ]
    for m in markers:
        m.unlink(missing_ok=True)
    out = tmp_path / "out"
    result = run(SPECS / "hostile.yaml")
    assert result.ok, [str(d) for d in result.diagnostics]
    write(out, result.files)
    # Every file is inside the output folder.
    for rel in result.files:
        assert (out / rel).resolve().is_relative_to(out.resolve()), rel
    assert {
        p.parent.name for p in tmp_path.rglob("*") if not p.is_relative_to(out)
    } <= {tmp_path.name}
    # The package compiles, imports, and its client can be built and used.
    assert result.api is not None
    package = result.api.package
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {package} as p, {package}.types as t\n"
            # Its server URL has a fragment: refused, and shown as data.
            f"try:\n    p.{result.api.client_name}('k')\n"
            f"except ValueError as e:\n    print(e)\n"
            f"c = p.{result.api.client_name}('k', base_url='https://x.example.com')\n"
            f"[getattr(c, r) for r in dir(c) if not r.startswith('_')]",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "pwned-url" in proc.stdout  # the URL is data, kept as written
    assert not [m for m in markers if m.exists()]


def test_generated_package_installs_with_pip(tmp_path: Path) -> None:
    """``pip install ./generated`` gives an importable, typed package."""
    source = tmp_path / "src"
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (target / "mailgun_client" / "py.typed").exists()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mailgun_client as m; "
            "print(m.__file__, m.__version__, m.Mailgun('k'))",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(str(target))
    assert "Mailgun(base_url='https://api.mailgun.net')" in proc.stdout


def test_a_spec_file_name_cannot_inject_code(tmp_path: Path) -> None:
    """Issue 9, finding 1: the file name is in every generated file's header;
    a newline in it used to end the comment and start code."""
    name = "api\nimport os; os.system('touch pwned')\n#.yaml"
    spec = tmp_path / name
    spec.write_text((SPECS / "bodies.yaml").read_text())
    out = tmp_path / "out"
    package = generate_package(spec, out)
    proc = subprocess.run(
        [sys.executable, "-c", f"import {package}, {package}.resources"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (out / "pwned").exists()
    client = (out / package / "_client.py").read_text()
    assert client.splitlines()[0] == (
        "# Generated by openapi-client-generator from "
        "api\\nimport os; os.system('touch pwned')\\n#.yaml. Do not edit."
    )


def test_invisible_characters_never_reach_the_code(tmp_path: Path) -> None:
    """Issue 9, finding 9: zero-width and bidi characters in descriptions
    reached docstrings, and the package failed ruff under its own rules."""
    hidden = "\u202e\u2066\u200b\u200d\u00ad\u2060\ufeff"
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        (SPECS / "bodies.yaml")
        .read_text()
        .replace("A short title.", f"A short{hidden} title.")
        .replace("Create a note from", f"Create{hidden} a note from"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    package = generate_package(spec, out)
    code = "".join(p.read_text() for p in (out / package).rglob("*.py"))
    assert "A short title." in code and "Create a note from" in code
    assert not set(hidden) & set(code)
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout

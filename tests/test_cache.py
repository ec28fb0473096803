"""generator/cache.py: skipping a run whose inputs have not changed."""

from pathlib import Path

import pytest
from helpers import MINIMAL, spec_with, write_spec

from generator.cache import CACHE_FILE, fingerprint, is_fresh, record

FILES = {"pkg/__init__.py": "", "pkg/a.py": "A = 1\n", "README.md": "# pkg\n"}


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, MINIMAL)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding FILES, as a write would leave it."""
    folder = tmp_path / "out"
    for rel, text in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def _overlay(tmp_path: Path) -> Path:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "overlay: 1.0.0\ninfo: {title: o, version: '1'}\n"
        "actions:\n  - target: $.info\n    update: {description: d}\n"
    )
    return overlay


# --- fingerprint() -----------------------------------------------------------


def test_same_inputs_same_fingerprint(spec: Path) -> None:
    first = fingerprint(spec, [])
    assert first is not None and first == fingerprint(spec, [])


def test_fingerprint_changes_with_the_spec_bytes(spec: Path) -> None:
    before = fingerprint(spec, [])
    spec.write_bytes(spec.read_bytes() + b"\n")  # even a byte that means nothing
    assert fingerprint(spec, []) != before


def test_fingerprint_changes_when_an_overlay_is_added_or_edited(
    spec: Path, tmp_path: Path
) -> None:
    overlay = _overlay(tmp_path)
    plain = fingerprint(spec, [])
    with_overlay = fingerprint(spec, [overlay])
    assert with_overlay is not None and with_overlay != plain
    overlay.write_text(overlay.read_text().replace("{description: d}", "{x: 1}"))
    assert fingerprint(spec, [overlay]) not in (plain, with_overlay)


def test_fingerprint_of_an_unreadable_input_is_none(spec: Path, tmp_path: Path) -> None:
    assert fingerprint(tmp_path / "missing.yaml", []) is None
    assert fingerprint(spec, [tmp_path / "missing-overlay.yaml"]) is None


# --- record() and is_fresh() -------------------------------------------------


def test_fresh_after_record_gives_the_file_count(spec: Path, out: Path) -> None:
    inputs = fingerprint(spec, [])
    assert is_fresh(out, inputs) is None  # nothing recorded yet
    record(out, inputs, FILES)
    assert (out / CACHE_FILE).is_file()
    assert is_fresh(out, inputs) == len(FILES)


def test_not_fresh_after_an_output_file_is_edited(spec: Path, out: Path) -> None:
    inputs = fingerprint(spec, [])
    record(out, inputs, FILES)
    target = out / "pkg" / "a.py"
    target.write_text(target.read_text() + "# edited\n")
    assert is_fresh(out, inputs) is None


def test_not_fresh_after_an_output_file_is_deleted(spec: Path, out: Path) -> None:
    inputs = fingerprint(spec, [])
    record(out, inputs, FILES)
    (out / "README.md").unlink()
    assert is_fresh(out, inputs) is None


def test_not_fresh_after_the_cache_file_is_deleted(spec: Path, out: Path) -> None:
    inputs = fingerprint(spec, [])
    record(out, inputs, FILES)
    (out / CACHE_FILE).unlink()
    assert is_fresh(out, inputs) is None


def test_not_fresh_when_the_cache_file_is_garbage(spec: Path, out: Path) -> None:
    inputs = fingerprint(spec, [])
    record(out, inputs, FILES)
    (out / CACHE_FILE).write_text("{not json")
    assert is_fresh(out, inputs) is None


def test_not_fresh_when_the_inputs_differ(
    spec: Path, out: Path, tmp_path: Path
) -> None:
    inputs = fingerprint(spec, [])
    record(out, inputs, FILES)
    assert is_fresh(out, fingerprint(spec, [_overlay(tmp_path)])) is None
    doc = spec_with(info={"title": "Other", "version": "2"})
    other = write_spec(tmp_path, doc, "other.yaml")
    assert is_fresh(out, fingerprint(other, [])) is None
    assert is_fresh(out, inputs) == len(FILES)  # the recorded inputs still are


def test_unknown_inputs_are_never_fresh_and_never_recorded(out: Path) -> None:
    record(out, None, FILES)
    assert not (out / CACHE_FILE).exists()
    assert is_fresh(out, None) is None

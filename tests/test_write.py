"""generator/write.py: staged, manifest-based writing and the --check comparison."""

from pathlib import Path

import pytest
from helpers import SPEC, generate, tree

from generator import write as write_mod
from generator.write import MANIFEST, OutputError, compare, write

V1 = {
    "pkg/__init__.py": "from pkg.a import A\n",
    "pkg/a.py": "A = 1\n",
    "pkg/sub/b.py": "B = 2\n",
}


def package(files: dict[str, str]) -> dict[str, str]:
    """``files`` and their manifest, as the pipeline hands them to write()."""
    return {**files, MANIFEST: "".join(f"{rel}\n" for rel in sorted(files))}


def text_tree(folder: Path) -> dict[str, str]:
    return {rel: data.decode() for rel, data in tree(folder).items()}


# --- write() -----------------------------------------------------------------


def test_write_makes_the_files_and_the_manifest_lists_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    changes = write(out, package(V1))
    assert text_tree(out) == package(V1)
    assert (out / MANIFEST).read_text().splitlines() == sorted(V1)
    assert changes.added == sorted(package(V1))
    assert changes.changed == [] and changes.removed == []
    # Writing the same again changes nothing.
    assert not write(out, package(V1)).any
    assert text_tree(out) == package(V1)


def test_stale_generated_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    v2 = {"pkg/__init__.py": "", "pkg/a.py": "A = 2\n"}
    changes = write(out, package(v2))
    assert changes.removed == ["pkg/sub/b.py"]
    assert changes.changed == sorted(["pkg/__init__.py", "pkg/a.py", MANIFEST])
    assert text_tree(out) == package(v2)
    assert not (out / "pkg" / "sub").exists()  # emptied by us, so removed


def test_files_not_in_the_manifest_are_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    (out / "notes.txt").write_text("mine")
    (out / "pkg" / "sub" / "mine.py").write_text("M = 0\n")
    (out / "pkg" / "a.py.orig").write_text("A = 0\n")
    write(out, package({"pkg/a.py": "A = 3\n"}))
    assert text_tree(out) == {
        **package({"pkg/a.py": "A = 3\n"}),
        "notes.txt": "mine",
        "pkg/sub/mine.py": "M = 0\n",  # its folder stays, not being empty
        "pkg/a.py.orig": "A = 0\n",
    }


def test_an_empty_folder_is_written_into(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write(out, package(V1))
    assert text_tree(out) == package(V1)


def test_refuses_a_non_empty_folder_without_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write(out, package(V1))
    assert text_tree(out) == {"thesis.tex": "years of work"}


def test_refuses_an_output_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("a file")
    with pytest.raises(OutputError, match="not a folder"):
        write(out, package(V1))
    assert out.read_text() == "a file"


# Each names tmp_path/x.py, beside the output folder tmp_path/out.
ESCAPING = ["../x.py", "pkg/../../x.py", "{tmp}/x.py"]


@pytest.mark.parametrize("rel", ESCAPING)
def test_a_path_escaping_the_folder_is_refused(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    rel = rel.format(tmp=tmp_path)
    outside = tree(tmp_path)
    with pytest.raises(OutputError, match="outside the output folder"):
        write(out, package({**V1, rel: "import os\n"}))
    with pytest.raises(OutputError, match="outside the output folder"):
        compare(out, package({**V1, rel: "import os\n"}))
    assert tree(tmp_path) == outside  # nothing written, inside or out


@pytest.mark.parametrize("rel", ESCAPING)
def test_a_manifest_naming_a_path_outside_deletes_nothing(
    tmp_path: Path, rel: str
) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    victim = tmp_path / "x.py"
    victim.write_text("keep me")
    rel = rel.format(tmp=tmp_path)
    (out / MANIFEST).write_text((out / MANIFEST).read_text() + f"{rel}\n")
    before = tree(tmp_path)
    with pytest.raises(OutputError, match="outside the output folder"):
        write(out, package({"pkg/a.py": "A = 9\n"}))
    assert tree(tmp_path) == before
    assert victim.read_text() == "keep me"


# --- compare() ---------------------------------------------------------------


def test_compare_reports_added_changed_removed_and_writes_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    before = tree(out)
    v2 = {"pkg/__init__.py": V1["pkg/__init__.py"], "pkg/a.py": "A = 2\n"}
    v2["pkg/c.py"] = "C = 3\n"
    changes = compare(out, package(v2))
    assert changes.any
    assert changes.added == ["pkg/c.py"]
    assert changes.changed == [MANIFEST, "pkg/a.py"]
    assert changes.removed == ["pkg/sub/b.py"]
    assert "-A = 1" in changes.diffs["pkg/a.py"]
    assert "+A = 2" in changes.diffs["pkg/a.py"]
    assert tree(out) == before


def test_compare_with_nothing_on_disk(tmp_path: Path) -> None:
    out = tmp_path / "out"
    changes = compare(out, package(V1))
    assert changes.added == sorted(package(V1))
    assert changes.changed == [] and changes.removed == []
    assert not out.exists()


def test_compare_after_write_finds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    changes = compare(out, package(V1))
    assert not changes.any
    assert (changes.added, changes.changed, changes.removed) == ([], [], [])


# --- through the CLI ---------------------------------------------------------


def test_check_reports_missing_and_stale_files(
    tmp_path: Path, generated_copy: Path
) -> None:
    (generated_copy / "mailgun_client" / "resources" / "events.py").unlink()
    manifest = generated_copy / ".generated-files"
    manifest.write_text(manifest.read_text() + "mailgun_client/old.py\n")
    (generated_copy / "mailgun_client" / "old.py").write_text("x = 1\n")
    result = generate("--out", str(generated_copy), "--check")
    assert result.exit_code == 1
    assert "missing: mailgun_client/resources/events.py" in result.output
    assert "stale:   mailgun_client/old.py" in result.output
    # Regenerating repairs both, and removes only what we generated.
    (generated_copy / "notes.txt").write_text("mine")
    assert generate("--out", str(generated_copy)).exit_code == 0
    assert not (generated_copy / "mailgun_client" / "old.py").exists()
    assert (generated_copy / "notes.txt").read_text() == "mine"
    assert generate("--out", str(generated_copy), "--check").exit_code == 0


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.tex").write_text("years of work")
    result = generate("--out", str(tmp_path / "precious"))
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output
    assert tree(tmp_path / "precious") == {"thesis.tex": b"years of work"}


def test_failed_write_leaves_the_old_package(
    generated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(SPEC.read_text().replace("Mailgun API", "Mailgun HTTP API"))
    before = tree(generated_copy)
    real_open = open
    calls = {"n": 0}

    def flaky_open(file: object, *args: object, **kwargs: object) -> object:
        if f"/{write_mod.STAGING}/" in str(file):
            calls["n"] += 1
            if calls["n"] == 5:
                raise OSError(28, "No space left on device")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", flaky_open)
    result = generate("--spec", str(spec), "--out", str(generated_copy))
    monkeypatch.undo()
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert tree(generated_copy) == before  # no half-written package, no temp files

"""generator/write.py: staged, manifest-based writing and the --check comparison."""

import builtins
import itertools
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import SPEC, generate, tree

from generator import write as write_mod
from generator.cache import is_fresh, record
from generator.write import MANIFEST, OutputError, compare, write

if sys.platform != "win32":
    import fcntl

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


# --- kills, leftovers and concurrent runs (issue 9, finding 6) -----------------

# The generator's own transient names in the output folder.
STAGING = ".generator-tmp"
JOURNAL = ".generator-journal"
# V1 -> V2: pkg/c.py added, pkg/sub/b.py removed, pkg/a.py, pkg/__init__.py
# and the manifest changed.
V2 = {"pkg/__init__.py": "from pkg.c import C\n", "pkg/a.py": "A = 2\n"}
V2["pkg/c.py"] = "C = 3\n"


class Killed(BaseException):
    """What SIGKILL does to a run: it stops there, and no cleanup code runs."""


def _kill_at(m: pytest.MonkeyPatch, n: int) -> None:
    """The n-th change to the file system (create, write, fsync, rename,
    delete) raises Killed instead of happening."""
    count = [0]

    def counted(real: Any) -> Any:
        def op(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            if count[0] == n:
                raise Killed
            return real(*args, **kwargs)

        return op

    changes = [(os, "replace"), (os, "fsync"), (shutil, "rmtree")]
    changes += [(Path, name) for name in ("unlink", "mkdir", "rmdir", "write_text")]
    for owner, name in changes:
        m.setattr(owner, name, counted(getattr(owner, name)))
    plain_open = builtins.open
    counted_open = counted(plain_open)

    def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        use = counted_open if set(mode) & set("wax+") else plain_open
        return use(file, mode, *args, **kwargs)

    m.setattr(builtins, "open", opener)


def _generation(folder: Path) -> dict[str, str]:
    """The folder without the generator's transient files."""
    return {
        rel: text
        for rel, text in text_tree(folder).items()
        if rel != JOURNAL and not rel.startswith(f"{STAGING}/")
    }


def _exactly(folder: Path, files: dict[str, str]) -> bool:
    """``folder`` holds ``files`` and no leftovers, not even an empty folder."""
    return text_tree(folder) == files and not (folder / STAGING).exists()


def test_a_kill_at_any_step_leaves_the_old_or_the_new_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before each file-system change of a write in turn: the folder
    is old (plus leftovers) or, once the journal is there, on its way to new;
    --check and the cache tell the truth; the next run gives exactly what it
    is asked for; recovery alone gives exactly old, or new once committed."""
    old, new = package(V1), package(V2)
    seen: set[str] = set()
    probes: list[tuple[int, Path, dict[str, str]]] = []
    for n in itertools.count(1):
        out = tmp_path / f"out{n}"
        write(out, old)
        record(out, "old inputs", old)  # as the CLI does
        try:
            with monkeypatch.context() as m:
                _kill_at(m, n)
                write(out, new)
        except Killed:
            pass
        else:
            assert _exactly(out, new)
            break
        now, pending = _generation(out), (out / JOURNAL).exists()
        state = "old" if now == old else "new" if now == new else "mixed"
        seen.add(state + (" + journal" if pending else ""))
        assert pending or state != "mixed", f"kill {n}: mixed and no journal"
        # --check and the cache say "up to date" only when it is exactly so.
        assert compare(out, old).any != _exactly(out, old), n
        assert compare(out, new).any != _exactly(out, new), n
        if is_fresh(out, "old inputs") is not None:
            assert _exactly(out, old), n
        probe = shutil.copytree(out, tmp_path / f"probe{n}", symlinks=True)
        probes.append((n, probe, new if pending or state == "new" else old))
        # The next run, either way.
        write(out, new)
        assert _exactly(out, new) and not compare(out, new).any, n
    assert {"old", "mixed + journal", "new + journal"} <= seen, seen
    for n, probe, committed in probes:
        write_mod.recover(probe)  # what every run does first, alone
        assert _exactly(probe, committed), n
        write(probe, old)
        assert _exactly(probe, old) and not compare(probe, old).any, n


def test_staging_left_by_a_run_killed_before_its_commit_is_removed(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    (out / STAGING / "pkg").mkdir(parents=True)
    (out / STAGING / "pkg" / "a.py").write_text("A = 'half'")
    changes = compare(out, package(V1))
    assert changes.any  # never "up to date" with leftovers
    assert STAGING in changes.interrupted
    assert not write(out, package(V1)).any
    assert text_tree(out) == package(V1)


def test_temporaries_an_older_version_left_are_removed_and_no_others(
    tmp_path: Path,
) -> None:
    """``<file>.generator-tmp`` beside a file we generate (the old scheme's
    leftovers) goes; the same suffix anywhere else is the user's."""
    out = tmp_path / "out"
    write(out, package(V1))
    ours = ["pkg/a.py", "pkg/c.py", "pkg/sub/b.py", MANIFEST]  # c: new in V2
    for rel in ours:
        (out / f"{rel}{STAGING}").write_text("half")
    mine = {"notes.generator-tmp": "mine", "pkg/mine.py.generator-tmp": "mine"}
    for rel, text in mine.items():
        (out / rel).write_text(text)
    changes = compare(out, package(V2))
    assert changes.any
    assert "4 temporary file(s)" in changes.interrupted
    write(out, package(V2))
    assert text_tree(out) == {**package(V2), **mine}
    assert not compare(out, package(V2)).any


def test_an_unreadable_journal_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    (out / JOURNAL).write_text('{"steps": [["chmod", "pkg/a.py"]]}')
    assert "interrupted" in compare(out, package(V1)).interrupted
    with pytest.raises(OutputError, match=r"unreadable.*delete it"):
        write(out, package(V2))
    assert _generation(out) == package(V1)


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_second_run_fails_at_once_while_one_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, package(V1))
    before = tree(out)
    busy = f"another generator run is writing {re.escape(str(out))}; try again"
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a run that is writing
        with pytest.raises(OutputError, match=busy):
            write(out, package(V2))
        with pytest.raises(OutputError, match=busy):  # nor read half-written
            compare(out, package(V2))
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # a --check
        assert compare(out, package(V2)).any  # checks run side by side
        with pytest.raises(OutputError, match=busy):
            write(out, package(V2))
    finally:
        os.close(fd)
    assert tree(out) == before
    write(out, package(V2))
    assert text_tree(out) == package(V2)


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_the_cli_says_another_run_is_writing(
    generated_copy: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(SPEC.read_text().replace("Mailgun API", "Mailgun HTTP API"))
    before = tree(generated_copy)
    fd = os.open(generated_copy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = generate("--spec", str(spec), "--out", str(generated_copy))
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert f"error: another generator run is writing {generated_copy}" in result.output
    assert "Traceback" not in result.output
    assert tree(generated_copy) == before

"""Writing the output folder, or comparing against it (``--check``).

Writes go only inside the output folder. Every file is first written to a
temporary sibling inside that folder; only when all are written are they
renamed over the old ones, so a failure part-way leaves the old package
intact. A manifest lists the files we generated, so stale ones can be
removed without ever touching files we did not write (the hand-written
area, a user's notes).
"""

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".generated-files"
TMP_SUFFIX = ".generator-tmp"


class OutputError(Exception):
    """The output folder cannot be written safely."""


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _safe_path(out: Path, rel: str) -> Path:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise OutputError(f"refusing to write outside the output folder: {rel!r}")
    path = out.joinpath(*pure.parts)
    if not path.resolve().is_relative_to(out.resolve()):
        raise OutputError(f"refusing to write outside the output folder: {rel!r}")
    return path


def _previous(out: Path) -> list[str]:
    manifest = out / MANIFEST
    if not manifest.is_file():
        return []
    return [ln for ln in manifest.read_text(encoding="utf-8").splitlines() if ln]


def with_manifest(files: dict[str, str]) -> dict[str, str]:
    listing = "".join(f"{p}\n" for p in sorted(files))
    return {**files, MANIFEST: listing}


def compare(out: Path, files: dict[str, str], diff_lines: int = 20) -> Changes:
    """What writing ``files`` would change in ``out``."""
    changes = Changes()
    for rel in sorted(files):
        path = _safe_path(out, rel)
        if not path.is_file():
            changes.added.append(rel)
            continue
        old = path.read_text(encoding="utf-8", errors="replace")
        if old != files[rel]:
            changes.changed.append(rel)
            diff = list(
                difflib.unified_diff(
                    old.splitlines(),
                    files[rel].splitlines(),
                    f"{rel} (on disk)",
                    f"{rel} (from spec)",
                    lineterm="",
                    n=1,
                )
            )
            more = len(diff) - diff_lines
            text = "\n".join(diff[:diff_lines])
            changes.diffs[rel] = text + (
                f"\n... {more} more diff lines" if more > 0 else ""
            )
    for rel in _previous(out):
        if rel not in files and _safe_path(out, rel).exists():
            changes.removed.append(rel)
    return changes


def write(out: Path, files: dict[str, str]) -> Changes:
    """Make ``out`` hold exactly ``files`` (plus whatever we did not generate)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise OutputError(
            f"{out} is not empty and was not made by this generator "
            f"(no {MANIFEST}); refusing to overwrite it"
        )
    changes = compare(out, files)
    staged = _stage(out, files, changes.added + changes.changed)
    for tmp, target in staged:
        os.replace(tmp, target)
    for rel in changes.removed:
        _remove(out, rel)
    return changes


def _stage(
    out: Path, files: dict[str, str], rels: list[str]
) -> list[tuple[Path, Path]]:
    """Each file written beside its target under a temporary name; on a
    failure, every temporary file and new folder is removed again."""
    staged: list[tuple[Path, Path]] = []
    made_dirs: list[Path] = []
    try:
        for rel in rels:
            target = _safe_path(out, rel)
            for parent in reversed(target.parents):
                if not parent.exists():
                    parent.mkdir()
                    made_dirs.append(parent)
            tmp = target.with_name(target.name + TMP_SUFFIX)
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(files[rel])
            staged.append((tmp, target))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for d in reversed(made_dirs):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()
        raise OutputError(f"cannot write {out}: {exc}") from None
    return staged


def _remove(out: Path, rel: str) -> None:
    """A stale generated file, and the folders it leaves empty."""
    path = _safe_path(out, rel)
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == out or not parent.is_relative_to(out):
            break
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()

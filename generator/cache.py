"""Skip a regeneration whose inputs have not changed.

Output is a pure function of the spec, the overlays, the generator's own
code and templates, and the pinned formatter. After each write we record a
fingerprint of those inputs and a hash of every file written in
``<out>/.generator-cache.json``; the next run with the same fingerprint and
untouched files has nothing to do. The cache lives inside the output folder
(the only place the generator writes), is not part of the package, and may
be deleted at any time: the next run is then a full one.
"""

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

CACHE_FILE = ".generator-cache.json"
_ROOT = Path(__file__).resolve().parent.parent


def fingerprint(spec: Path, overlays: Sequence[Path]) -> str | None:
    """Hash of everything the output depends on; ``None`` if unreadable."""
    digest = hashlib.sha256()
    try:
        for path in (spec, *overlays):
            digest.update(path.read_bytes())
            digest.update(b"\0")
        # pyproject.toml pins the formatter, whose version shapes the output.
        pins = _ROOT / "pyproject.toml"
        if pins.is_file():
            digest.update(pins.read_bytes())
        for folder in ("generator", "templates"):
            for source in sorted((_ROOT / folder).rglob("*")):
                if source.is_file() and "__pycache__" not in source.parts:
                    digest.update(source.relative_to(_ROOT).as_posix().encode())
                    digest.update(source.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_fresh(out: Path, inputs: str | None) -> int | None:
    """The number of files, if ``out`` already holds exactly what these
    inputs produce; ``None`` when a real run is needed."""
    if inputs is None:
        return None
    try:
        cache = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
        if cache.get("inputs") != inputs:
            return None
        files: dict[str, str] = cache["files"]
        for rel, digest in files.items():
            if _hash(out / rel) != digest:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return len(files)


def record(out: Path, inputs: str | None, files: dict[str, str]) -> None:
    if inputs is None:
        return
    data = {
        "inputs": inputs,
        "files": {
            rel: hashlib.sha256(text.encode()).hexdigest()
            for rel, text in sorted(files.items())
        },
    }
    try:
        (out / CACHE_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs the next run time

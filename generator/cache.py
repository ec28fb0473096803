"""Skip a regeneration whose inputs have not changed.

Output is a pure function of the spec, the overlays (names included), the
generator's own code and templates, and the versions of the formatter and
the renderer. After each write we record a fingerprint of those inputs and a
hash of every file written in
``<out>/.generator-cache.json``; the next run with the same fingerprint and
untouched files has nothing to do. The cache lives inside the output folder
(the only place the generator writes), is not part of the package, and may
be deleted at any time: the next run is then a full one.
"""

import hashlib
import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path

from generator import templates_folder

CACHE_FILE = ".generator-cache.json"
_PACKAGE = Path(__file__).resolve().parent
# Their versions shape the output: the formatter's layout, the renderer.
_TOOLS = ("ruff", "jinja2")


def fingerprint(spec: Path, overlays: Sequence[Path]) -> str | None:
    """Hash of everything the output depends on; ``None`` if unreadable.

    The inputs' names count too: they are in every generated file's header.
    """
    digest = hashlib.sha256()
    try:
        for path in (spec, *overlays):
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        for tool in _TOOLS:
            digest.update(_installed_version(tool).encode() + b"\0")
        # The generator's own code and templates, wherever they are installed.
        folders = {_PACKAGE, templates_folder()}
        for folder in sorted(folders):
            for source in sorted(folder.rglob("*")):
                if source.is_file() and "__pycache__" not in source.parts:
                    digest.update(source.relative_to(folder).as_posix().encode())
                    digest.update(source.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _installed_version(package: str) -> str:
    """``ruff-0.17.5.dist-info``: the installed distribution's folder names
    its version. (importlib.metadata would say the same, but importing it
    costs more than this whole shortcut.)"""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return f"{package}: not installed"
    site = Path(spec.origin).parent.parent
    return " ".join(sorted(p.name for p in site.glob(f"{package}-*.dist-info")))


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

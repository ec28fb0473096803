"""The corpus run: real public OpenAPI 3.1 documents through the generator and
the gates every generated package must pass.

    python tests/corpus.py [--json FILE] [--jobs N] [SPEC ...]

Without SPEC: every *.yaml/*.json in ../shared/specs/corpus/ (skipped, with a
message, where ../shared is absent) plus every tests/specs/*.yaml. For each
document: generate in-process, write the package to a temporary folder,
import every module in a fresh interpreter, run ``mypy --strict``, ``ruff
check`` and ``black --check`` the way tests/test_quality.py runs them on
generated/, and count the spec's operations against the methods made. Prints
a markdown table and the details; exit 0 only when every document generates
every operation and passes every gate.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers import CORPUS, IMPORT_ALL, ROOT

import generator
from generator.diagnostics import Diagnostic, Diagnostics, Level, pointer
from generator.load import parse_document
from generator.paths import HTTP_METHODS
from generator.pipeline import run
from generator.write import OutputError, write

FIXTURES = ROOT / "tests" / "specs"
NO_DIAGNOSTIC = "no diagnostic"
MAX_MYPY_SHOWN = 20  # per document, in the printed details
MAX_OUTPUT = 4000  # characters of a failing tool's output kept in the report
TIMEOUT = 900  # seconds for one tool on one package

_MYPY_LINE = re.compile(r"^(?P<where>[^:\n]+:\d+)(?::\d+)?: error: (?P<message>.*)$")


@dataclass
class Gate:
    """One check on the generated package; ``passed`` is None when not run."""

    passed: bool | None = None
    output: str = field(default="", repr=False)


@dataclass
class Skipped:
    """A spec operation that became no method, and the diagnostics naming it."""

    pointer: str
    operation: str  # "POST /v2/upload"
    reasons: list[str]


@dataclass
class Report:
    """One document's run. The repr (what a failing assertion shows) is the
    summary; ``details()`` renders the findings."""

    document: str
    path: str
    package: str = ""
    generated: bool = False  # the run ended without errors and made files
    operations: int = 0
    methods: int = 0
    skipped: list[Skipped] = field(default_factory=list, repr=False)
    warnings: int = 0
    errors: list[str] = field(default_factory=list, repr=False)
    # None when mypy did not run
    mypy_errors: list[str] | None = field(default=None, repr=False)
    mypy: Gate = field(default_factory=Gate)
    ruff: Gate = field(default_factory=Gate)
    black: Gate = field(default_factory=Gate)
    imports: Gate = field(default_factory=Gate)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def lost(self) -> list[Skipped]:
        """Operations dropped without a diagnostic that says why."""
        return [s for s in self.skipped if not s.reasons]

    @property
    def clean(self) -> bool:
        """Every operation a method, every gate passed."""
        return (
            self.generated
            and not self.skipped
            and self.mypy_errors == []
            and all(g.passed for g in (self.mypy, self.ruff, self.black, self.imports))
        )


# --- one document --------------------------------------------------------------


def spec_operations(path: Path) -> dict[str, str]:
    """The document's operations (path x HTTP method under ``paths``): their
    JSON pointers, as the generator spells ``Operation.pointer``, to
    ``"GET /path"``."""
    doc = parse_document(path, Diagnostics(str(path))) or {}
    paths = doc.get("paths") or {}
    return {
        pointer("paths", p, method): f"{method.upper()} {p}"
        for p, item in paths.items()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if method in item
    }


def reasons_for(op_pointer: str, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Warnings and errors at the operation or anywhere inside it."""
    return [
        f"{d.level.value}: {d.pointer}: {d.message}"
        for d in diagnostics
        if d.level in (Level.WARNING, Level.ERROR)
        and (d.pointer == op_pointer or d.pointer.startswith(op_pointer + "/"))
    ]


def _generate(report: Report, spec: Path, out: Path) -> list[str]:
    """Run the generator, fill in the counts; write the package if it was
    made. Returns the package's module names (empty when nothing was made)."""
    ops = spec_operations(spec)
    report.operations = len(ops)
    try:
        result = run(spec)
    except Exception:  # an internal error is a finding, not a crash of the run
        report.errors.append("internal error:\n" + traceback.format_exc(limit=-6))
        report.skipped = [Skipped(p, op, []) for p, op in ops.items()]
        return []
    diags = result.diagnostics
    report.warnings = sum(d.level is Level.WARNING for d in diags)
    report.errors = [str(d) for d in diags if d.level is Level.ERROR]
    made = {op.pointer for op in result.api.operations} if result.api else set()
    report.methods = len(made & ops.keys())
    report.skipped = [
        Skipped(p, op, reasons_for(p, diags)) for p, op in ops.items() if p not in made
    ]
    if not result.ok or result.api is None or not result.files:
        return []
    report.package = result.api.package
    try:
        write(out, result.files)
    except OutputError as exc:
        report.errors.append(f"the files could not be written: {exc}")
        return []
    report.generated = True
    return sorted(
        rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for rel in result.files
        if rel.startswith(report.package + "/") and rel.endswith(".py")
    )


def _tool(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLACK_CACHE_DIR": str(cwd.parent / "black-cache")}
    try:
        return subprocess.run(
            [sys.executable, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(args, -1, "", f"timed out: {exc}")


def _check_imports(out: Path, modules: list[str]) -> Gate:
    proc = _tool(["-I", "-c", IMPORT_ALL, str(out), *modules], out)
    try:
        failed = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Gate(False, (proc.stdout + proc.stderr)[-MAX_OUTPUT:])
    text = "".join(f"{name}:\n{tb}" for name, tb in failed.items())
    return Gate(proc.returncode == 0 and not failed, text[-MAX_OUTPUT:])


def _check_mypy(report: Report, out: Path, cache: Path) -> None:
    """``mypy --strict`` as tests/test_quality.py runs it on generated/: from
    the project folder, so the project's own [tool.mypy] applies."""
    args = ["-m", "mypy", "--strict", "--cache-dir", str(cache), report.package]
    if not (out / "pyproject.toml").is_file():
        args[2:2] = ["--config-file", ""]  # no project settings: none at all
    proc = _tool(args, out)
    errors = [
        f"{m['where']}: {m['message']}"
        for m in map(_MYPY_LINE.match, proc.stdout.splitlines())
        if m
    ]
    if proc.returncode != 0 and not errors:  # a crash or a usage error
        errors = [
            f"mypy exited {proc.returncode}: {(proc.stdout + proc.stderr)[-500:]}"
        ]
    report.mypy_errors = errors
    report.mypy = Gate(proc.returncode == 0, proc.stdout[-MAX_OUTPUT:])


def _check_style(report: Report, out: Path) -> None:
    """``ruff check .`` and ``black --check --quiet .`` from the project
    folder, as tests/test_quality.py runs them on generated/."""
    own = (out / "pyproject.toml").is_file()
    proc = _tool(["-m", "ruff", "check", *([] if own else ["--isolated"]), "."], out)
    report.ruff = Gate(proc.returncode == 0, (proc.stdout + proc.stderr)[-MAX_OUTPUT:])
    proc = _tool(["-m", "black", "--check", "--quiet", "."], out)
    if proc.returncode == 0:
        report.black = Gate(True, "")
        return
    # --quiet names nothing; the diff says what black would change.
    diff = _tool(["-m", "black", "--diff", "--quiet", "."], out)
    report.black = Gate(False, (proc.stderr + diff.stdout)[:MAX_OUTPUT])


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    began = time.monotonic()
    try:
        yield
    finally:
        timings[step] = round(time.monotonic() - began, 2)


def check_document(spec: Path, work: Path, mypy_cache: Path | None = None) -> Report:
    """Generate ``spec`` into ``work``/pkg and run every gate on the package.

    ``mypy_cache`` may be shared between documents (see ``warm_mypy_cache``);
    by default each document has its own, under ``work``."""
    started = time.monotonic()
    report = Report(document=spec.name, path=str(spec))
    out = work / "pkg"
    out.mkdir(parents=True, exist_ok=True)
    with _timed(report.timings, "generate"):
        modules = _generate(report, spec, out)
    if report.generated:
        with _timed(report.timings, "import"):
            report.imports = _check_imports(out, modules)
        with _timed(report.timings, "mypy"):
            _check_mypy(report, out, mypy_cache or work / "mypy-cache")
        with _timed(report.timings, "ruff+black"):
            _check_style(report, out)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def warm_mypy_cache(cache: Path) -> None:
    """Type-check httpx and pydantic once into ``cache``, so that the packages
    checked in parallel afterwards only read it (and each writes only its own
    modules): about 3 s saved per package. Python 3.10 is what generated
    projects pin; a different pin only makes the cache miss."""
    cache.mkdir(parents=True, exist_ok=True)
    args = ["-m", "mypy", "--strict", "--python-version", "3.10"]
    args += ["--cache-dir", str(cache), "-c", "import httpx, pydantic"]
    _tool(args, cache)


# --- the whole run ---------------------------------------------------------------


def default_specs() -> list[Path]:
    corpus = sorted(
        p for p in CORPUS.glob("*") if p.suffix in (".yaml", ".json") and p.is_file()
    )
    return corpus + sorted(FIXTURES.glob("*.yaml"))


def run_all(specs: Sequence[Path], root: Path, jobs: int) -> list[Report]:
    """Every document, ``jobs`` at a time, largest first; reports in the
    order given."""
    cache = root / "mypy-cache"
    warm_mypy_cache(cache)
    order = sorted(range(len(specs)), key=lambda i: -specs[i].stat().st_size)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {
            i: pool.submit(check_document, specs[i], root / f"{i:02d}", cache)
            for i in order
        }
        return [futures[i].result() for i in range(len(specs))]


def _mark(gate: Gate) -> str:
    return {None: "—", True: "pass", False: "FAIL"}[gate.passed]


def table(reports: Sequence[Report]) -> str:
    head = (
        "document",
        "operations",
        "methods",
        "skipped",
        "warnings",
        "errors",
        "mypy errors",
        "ruff",
        "black",
        "import",
        "seconds",
    )
    lines = [
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * 6 + "---|" * 3 + "---:|",
    ]
    for r in reports:
        mypy = "—" if r.mypy_errors is None else str(len(r.mypy_errors))
        errors = f"{len(r.errors)}: not generated" if r.errors else "0"
        if not r.generated and not r.errors:
            errors = "0: nothing generated"
        cells = (r.document, r.operations, r.methods, len(r.skipped), r.warnings)
        cells += (errors, mypy, _mark(r.ruff), _mark(r.black), _mark(r.imports))
        lines.append("| " + " | ".join(map(str, cells)) + f" | {r.seconds:.1f} |")
    return "\n".join(lines)


def _mypy_groups(errors: Sequence[str]) -> dict[str, list[str]]:
    """mypy errors by their code (``[arg-type]``), most frequent first."""
    groups: dict[str, list[str]] = defaultdict(list)
    for line in errors:
        code = re.search(r"\[([a-z-]+)\]$", line)
        groups[code.group(1) if code else "other"].append(line)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def details(report: Report) -> str:
    """The findings behind one row of the table: nothing when it is clean."""
    out = []
    for err in report.errors:
        out.append(f"- {err}")
    for s in report.skipped:
        why = "; ".join(s.reasons) or NO_DIAGNOSTIC
        out.append(f"- skipped `{s.operation}` ({s.pointer}): {why}")
    shown = 0
    for code, lines in _mypy_groups(report.mypy_errors or []).items():
        out.append(f"- mypy [{code}]: {len(lines)} error(s)")
        for line in lines[: max(0, MAX_MYPY_SHOWN - shown)]:
            out.append(f"    - {line}")
        shown += len(lines)
    if shown > MAX_MYPY_SHOWN:
        out.append(f"    - … {shown - MAX_MYPY_SHOWN} more (--json has them all)")
    for name, gate in (("import", report.imports), ("ruff", report.ruff)):
        if gate.passed is False:
            out.append(f"- {name} failed:\n" + _indent(gate.output[-1500:]))
    if report.black.passed is False:
        out.append("- black would reformat:\n" + _indent(report.black.output[:1500]))
    if not out:
        return ""
    return f"### {report.document}\n\n" + "\n".join(out) + "\n"


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.rstrip().splitlines())


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python tests/corpus.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("specs", nargs="*", type=Path, metavar="SPEC")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write JSON")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="documents at once"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    specs = list(args.specs)
    if not specs:
        if not CORPUS.is_dir():
            print(f"skipping the corpus: {CORPUS} is absent", file=sys.stderr)
        specs = default_specs()
    missing = [str(p) for p in specs if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(f"generator: {Path(generator.__file__).parent}; {len(specs)} documents")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        reports = run_all(specs, Path(tmp), max(1, args.jobs))
    seconds = time.monotonic() - started
    passed = all(r.clean for r in reports)
    print(table(reports) + "\n")
    for text in filter(None, map(details, reports)):
        print(text)
    print(f"{sum(r.clean for r in reports)}/{len(reports)} clean in {seconds:.1f} s")
    if args.json:
        data = {
            "passed": passed,
            "seconds": round(seconds, 1),
            "documents": [{**asdict(r), "clean": r.clean} for r in reports],
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""Contract tests: each document's generated client against Prism.

    PYTHONPATH=. python tests/contract.py [SPEC ...] [--json FILE] [--jobs N]

For every document (by default the public corpus in ../shared/specs/corpus
and the fixtures in tests/specs), the generator's client is written to a
temporary folder and imported in a process of its own, Prism serves the same
document (``prism mock``: example answers, request violations in the
``sl-violations`` header), and every operation is called through the client,
sync and async, with its required arguments and then with all of them.

The parts: contract_values.py makes JSON values from the spec (its examples,
else a schema synthesizer), contract_calls.py turns them into each method's
arguments, contract_verdicts.py records what Prism said and judges each
call; this module runs the documents and prints the table.

Each call gets one verdict:

- ``ok``: a 2xx answer, no violation, a result;
- ``crash``: the client raised something other than its status error
  (before sending, or while reading a 2xx answer), or a typed argument
  refused a schema-valid value;
- ``client``: Prism says the request breaks the document (``sl-violations``
  on the request, or its own 4xx problem with the validation list), or an
  argument that was given is missing from the request (``not_sent``);
- ``lenient``: the answer fits the document, but the client's types refused
  it (its runtime fell back to lenient parsing);
- ``gap``: Prism cannot judge the request (``prism_gap`` names each case
  and checks the request was right), or it failed itself (a 500 problem, no
  answer in time);
- ``spec``: the document admits no valid request body (the best body
  made here breaks its schema too: assemblyai's ``additionalProperties:
  false`` beside an ``allOf``);
- ``response``: only the answer is off (Prism's example breaks its own
  schema, or the document's first answer is an error): not the client's
  doing;
- ``harness``: this script could not make the arguments (a bug here).

Exit status 1 when a document does not generate, or any call is a crash,
client, lenient or harness verdict.
"""

import argparse
import asyncio
import contextlib
import importlib
import inspect
import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from contract_calls import Call, calls
from contract_values import Values
from contract_verdicts import (
    SEEN,
    LenientLog,
    Outcome,
    Seen,
    async_hook,
    describe,
    judge,
    sync_hook,
)
from helpers import PRISM, ROOT

from generator import ir
from generator.diagnostics import Diagnostics, Level
from generator.load import parse_document
from generator.pipeline import run

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "specs" / "corpus"
FIXTURES = ROOT / "tests" / "specs"
VERDICTS = ("ok", "crash", "client", "lenient", "gap", "spec", "response", "harness")
FAILING = ("crash", "client", "lenient", "harness")
CALL_TIMEOUT = 60.0
# figma's document takes Prism over a minute to load on an idle core.
PRISM_START = 300
# A new connection per request: Prism (Node) closes idle keep-alive sockets
# when its event loop comes back from a long request, and a request already
# written to such a socket is lost.
FRESH = httpx.Limits(max_keepalive_connections=0)
DOCUMENT_TIMEOUT = 900
MAX_RESTARTS = 10  # of a Prism that crashed, per document


def documents() -> list[Path]:
    """The default set: the corpus (when ../shared is there), then fixtures."""
    corpus = sorted(p for p in CORPUS.glob("*.*") if p.suffix != ".md")
    return [*corpus, *sorted(FIXTURES.glob("*.yaml"))]


# --- Prism -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrismServer:
    """``prism mock`` on one document, started at once; ``url()`` waits
    until it listens. Ports are picked free but bound by Prism only once it
    has loaded the document (a minute for figma's), so another server may
    take the port meanwhile: Prism then exits with EADDRINUSE and is started
    again on another port. Only Prism's own "listening" line counts, never
    a mere open port."""

    def __init__(self, spec: Path, log: Path) -> None:
        if not PRISM.exists():
            raise RuntimeError(f"Prism is not installed at {PRISM}")
        self.spec, self.log = spec, log
        self._start()

    def _start(self) -> None:
        self.port = _free_port()
        host = ["-h", "127.0.0.1", "-p", str(self.port)]
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [str(PRISM), "mock", *host, str(self.spec)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def url(self) -> str:
        deadline = time.monotonic() + PRISM_START
        for _attempt in range(3):
            text = ""
            while time.monotonic() < deadline:
                text = self.log.read_text(errors="replace")
                address = f"http://127.0.0.1:{self.port}"
                if f"Prism is listening on {address}" in text:
                    return address
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
            else:
                raise RuntimeError(f"Prism did not start:\n{text[-2000:]}")
            if "EADDRINUSE" not in text:
                raise RuntimeError(f"Prism exited:\n{text[-2000:]}")
            self._start()
        raise RuntimeError("Prism found no free port in three tries")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def crash(self) -> str:
        """The error Prism died of, from its log (a JavaScript exception)."""
        lines = self.log.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"\s*\w*Error: ", line):
                where = next((x.strip() for x in lines[i + 1 : i + 2]), "")
                return f"{line.strip()} {where}"[:300]
        return f"exit status {self.proc.poll()}"

    def restart(self) -> str:
        self.stop()
        self._start()
        return self.url()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- one document, in a process of its own ------------------------------------


@dataclass(repr=False)
class Report:
    document: str
    operations: int = 0
    generated: bool = False
    errors: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def __repr__(self) -> str:  # pytest prints fixture values: keep it short
        return f"Report({self.document!r}, {len(self.outcomes)} calls)"

    def count(self, verdict: str) -> int:
        return sum(1 for o in self.outcomes if o.verdict == verdict)

    @property
    def failed(self) -> bool:
        """Generation failed, or the client crashed or broke the contract."""
        return not self.generated or any(o.verdict in FAILING for o in self.outcomes)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Report":
        outcomes = [Outcome(**o) for o in data.pop("outcomes")]
        return cls(**data, outcomes=outcomes)


Plan = list[tuple[str, ir.Operation, Call]]


def check_document(spec: Path, workdir: Path) -> Report:
    """Generate, import and call every operation of ``spec`` against Prism."""
    started = time.monotonic()
    report = Report(spec.name)
    server = PrismServer(spec, workdir / "prism.log")  # loads meanwhile
    try:
        result = run(spec)
        if not result.ok or result.api is None:
            report.errors = [
                str(d) for d in result.diagnostics if d.level is Level.ERROR
            ] or ["the generator made no client"]
        elif result.api.operations:  # Prism refuses a document without any
            api = result.api
            report.generated = True
            report.operations = len(api.operations)
            pkg = _import(result.files, api.package, workdir / "pkg")
            types = importlib.import_module(f"{api.package}.types")
            plan, broken = _plan(api, spec, types)
            caller = Caller(pkg, api, server)
            report.outcomes = [
                *broken,
                *caller.sync_pass(plan),
                *asyncio.run(caller.async_pass(plan)),
            ]
        else:
            report.generated = True
    finally:
        server.stop()
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _import(files: dict[str, str], package: str, folder: Path) -> ModuleType:
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module(package)


def _plan(api: ir.Api, spec: Path, types: ModuleType) -> tuple[Plan, list[Outcome]]:
    """Every call to make; an operation whose arguments could not be made
    is a harness fault (a bug here, not in the client)."""
    doc = parse_document(spec, Diagnostics(str(spec)))
    values = Values(doc or {})
    plan: Plan = []
    broken: list[Outcome] = []
    for resource in api.resources:
        for op in resource.operations:
            try:
                plan += [(resource.attr, op, c) for c in calls(values, op, types)]
            except Exception as exc:
                out = judge(op, Call("", [], {}), [], exc)
                out.messages = [f"making arguments: {describe(exc)}"]
                out.method, out.verdict = f"{resource.attr}.{op.method_name}", "harness"
                broken.append(out)
    return plan, broken


def _outcome(
    attr: str,
    op: ir.Operation,
    call: Call,
    mode: str,
    outcome: tuple[list[Seen], BaseException | None],
) -> Outcome:
    seen, error = outcome
    out = judge(op, call, seen, error)
    if call.error:
        out.verdict, out.messages = "crash", [f"argument: {call.error}"]
    out.method, out.mode, out.label = f"{attr}.{op.method_name}", mode, call.label
    return out


def _consume(result: Any) -> None:
    """Read a streamed result to the end, as a caller would (a page is left
    alone: its next link may point at the real API)."""
    kind = type(result).__name__
    if kind == "BinaryResponse":
        result.read()
    elif kind == "EventStream":
        list(result)


async def _aconsume(result: Any) -> None:
    kind = type(result).__name__
    if kind == "AsyncBinaryResponse":
        await result.read()
    elif kind == "AsyncEventStream":
        async for _event in result:
            pass


class Caller:
    """Makes the calls of one document, sync then async, one at a time.

    Prism itself dies on some requests (an absent optional array header:
    ``simple.js`` splits ``undefined``); that call is then a gap, and Prism
    is started again for the rest, up to ``MAX_RESTARTS`` times."""

    def __init__(self, pkg: ModuleType, api: ir.Api, server: PrismServer) -> None:
        self.pkg, self.api, self.server = pkg, api, server
        self.url = server.url()
        self.restarts = 0
        logger = logging.getLogger(api.package)
        logger.addHandler(LenientLog())
        logger.setLevel(logging.DEBUG)
        logger.propagate = False

    def client(self, http: Any, prefix: str) -> Any:
        cls = getattr(self.pkg, prefix + self.api.client_name)
        return cls(api_key="test", base_url=self.url, http_client=http, max_retries=0)

    def judged(
        self,
        item: tuple[str, ir.Operation, Call],
        mode: str,
        seen: list[Seen],
        failed: list[Any],
    ) -> Outcome:
        """The outcome of one call, from what it saw and ``failed``: the
        exception it raised (or None) and its milliseconds."""
        attr, op, call = item
        out = _outcome(attr, op, call, mode, (seen, failed[0]))
        out.ms = failed[-1]
        if not seen and failed[0] is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.proc.wait(timeout=3)  # a dying Prism: let it go
        if not self.server.alive():
            out.verdict = "gap"
            out.messages = [f"Prism crashed: {self.server.crash()}"]
            if self.restarts < MAX_RESTARTS:
                self.restarts += 1
                self.url = self.server.restart()
        return out

    def sync_pass(self, plan: Plan) -> list[Outcome]:
        outcomes = []
        hooks = {"response": [sync_hook]}
        with httpx.Client(
            event_hooks=hooks, timeout=CALL_TIMEOUT, limits=FRESH
        ) as http:
            url, client = "", None
            for attr, op, call in plan:
                if url != self.url:
                    url, client = self.url, self.client(http, "")
                with _calling() as (seen, failed):
                    if not call.error:
                        method = getattr(getattr(client, attr), op.method_name)
                        _consume(method(*call.args, **call.kwargs))
                outcomes.append(self.judged((attr, op, call), "sync", seen, failed))
        return outcomes

    async def async_pass(self, plan: Plan) -> list[Outcome]:
        outcomes = []
        hooks = {"response": [async_hook]}
        async with httpx.AsyncClient(
            event_hooks=hooks, timeout=CALL_TIMEOUT, limits=FRESH
        ) as http:
            url, client = "", None
            for attr, op, call in plan:
                if url != self.url:
                    url, client = self.url, self.client(http, "Async")
                with _calling() as (seen, failed):
                    if not call.error:
                        method = getattr(getattr(client, attr), op.method_name)
                        result = method(*call.args, **call.kwargs)
                        if inspect.isawaitable(result):  # a page is awaitable
                            result = await result
                        await _aconsume(result)
                outcomes.append(self.judged((attr, op, call), "async", seen, failed))
        return outcomes


@contextmanager
def _calling() -> Iterator[tuple[list[Seen], list[Any]]]:
    """Around one call: what the response hook sees, the exception the call
    raises (kept, not raised) and, last in the list, the milliseconds."""
    seen: list[Seen] = []
    failed: list[Any] = [None]
    token = SEEN.set(seen)
    started = time.monotonic()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated operations warn
            yield seen, failed
    except Exception as exc:
        failed[0] = exc
    finally:
        SEEN.reset(token)
        failed.append(int((time.monotonic() - started) * 1000))


# --- many documents, in parallel -----------------------------------------------


def run_documents(specs: list[Path], jobs: int = 2) -> list[Report]:
    """Each document in a worker process (a fresh import of its client and
    its own Prism), ``jobs`` at a time, the largest first; reports in the
    order given."""
    order = sorted(specs, key=lambda p: -_cost(p))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = dict(zip(order, pool.map(_worker, order), strict=True))
    return [done[spec] for spec in specs]


def _cost(spec: Path) -> int:
    """A guess at how long Prism takes over a document, to start the slow
    ones first: its size, plus much more for each recursive schema, which
    Prism dereferences at start and samples anew for each answer (figma's
    node tree: a minute to start, 25 s for one answer)."""
    doc = parse_document(spec, Diagnostics(str(spec))) or {}
    schemas = (doc.get("components") or {}).get("schemas") or {}
    graph = {name: _schema_refs(schema) for name, schema in schemas.items()}
    recursive = 0
    for name, refs in graph.items():
        seen: set[str] = set()
        todo = list(refs)
        while todo and name not in seen:
            ref = todo.pop()
            if ref not in seen:
                seen.add(ref)
                todo.extend(graph.get(ref, ()))
        recursive += name in seen
    return spec.stat().st_size + 150_000 * recursive


def _schema_refs(node: Any) -> set[str]:
    """Names of the component schemas ``node`` refers to."""
    if isinstance(node, list):
        return set().union(*map(_schema_refs, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set().union(*map(_schema_refs, node.values())) if node else set()
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        found.add(ref.rsplit("/", 1)[1])
    return found


def _worker(spec: Path) -> Report:
    # This checkout's generator, ahead of any installed one.
    path = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    with tempfile.TemporaryDirectory(prefix="contract-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, __file__, "--worker", str(spec), "--out", str(out)]
        try:
            proc = subprocess.run(
                cmd,
                env=env,
                capture_output=True,
                text=True,
                timeout=DOCUMENT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Report(spec.name, errors=[f"timed out after {DOCUMENT_TIMEOUT} s"])
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stdout + proc.stderr)[-3000:]
            return Report(spec.name, errors=[f"worker failed:\n{tail}"])
        return Report.from_json(json.loads(out.read_text()))


# --- the report ----------------------------------------------------------------

COLUMNS = (
    "document",
    "operations",
    "calls",
    "ok",
    "client crashes",
    "client-caused violations",
    "lenient parses",
    "prism gaps",
    "spec faults",
    "response issues",
    "seconds",
)


def table(reports: list[Report]) -> str:
    rows = [list(COLUMNS)]
    for r in reports:
        name = r.document if r.generated else f"{r.document} (NOT GENERATED)"
        counts = [r.count(v) for v in VERDICTS[:-1]]
        rows.append([name, str(r.operations), str(len(r.outcomes)), *map(str, counts)])
        rows[-1].append(f"{r.seconds:.1f}")
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        " | ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def details(report: Report, verdicts: tuple[str, ...] = VERDICTS[1:]) -> list[str]:
    """One block per failing call: pointer, method, what went wrong."""
    lines = [f"  generation: {e}" for e in report.errors]
    for o in report.outcomes:
        if o.verdict in verdicts:
            head = f"  [{o.verdict}] {o.pointer} {o.method} ({o.mode}, {o.label})"
            lines.append(f"{head} {o.http} -> {o.status}")
            lines += [f"      {m}" for m in o.messages]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="write every outcome here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        with tempfile.TemporaryDirectory(prefix="contract-doc-") as tmp:
            report = check_document(args.worker.resolve(), Path(tmp))
        args.out.write_text(json.dumps(asdict(report)))
        return 0
    started = time.monotonic()
    reports = run_documents([p.resolve() for p in args.specs or documents()], args.jobs)
    print(table(reports))
    for r in reports:
        lines = details(r)
        if lines:
            print(f"\n{r.document}:")
            print("\n".join(lines))
    print(f"\n{time.monotonic() - started:.1f} s in all")
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in reports], indent=1))
    return 1 if any(r.failed for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Kill test: SIGKILL ``generate`` at random moments over an earlier generation.

    python bench/kill.py [--kills 50] [--aimed 0] [--seed N]

Two inputs whose outputs differ in many files, added and removed ones too
(``spec/mailgun.yaml`` and Mailgun's full spec, ../shared), are generated
once each into empty folders. An output folder starts as one of them; then,
each time, ``generate`` of the other spec is started into it and SIGKILLed
after a random delay: spread over a whole run (0 to 1.25 times its length),
or, for ``--aimed`` kills, into the write itself (counted from the moment
the staging folder appears). The reference for a kill is what the other
spec makes over a copy of the folder as it is: the generator keeps a
history there (the next version and changelog entry follow from it).

What "old or new" means here. The folder is not swapped in one step: right
after a kill that lands while the journal's renames run (a few ms), a
reader sees some files new and some old. So for each kill this reports the
phase it landed in and what the folder held right then, and checks:

* right then: the old generation exactly (plus staging leftovers), or,
  only once the journal is there, a mix or the new one; never a mix
  without a journal;
* ``--check`` (its cache shortcut and its comparison, run in-process on the
  reference files) says "up to date" only for a folder that holds exactly
  that generation and no leftovers, and the CLI's ``--check`` reports an
  interrupted generation whenever leftovers are there;
* recovery, what every writing run does first (on a copy): exactly the old
  generation, or exactly the new one; every file byte-compared, nothing
  else in the folder;
* a run that finished before its kill exited 0 with the new generation.

The folder itself is left as the kill left it: the next kill's run recovers
it, as a user's next run would. At the end one run is not killed, and the
CLI's ``--check`` must pass for its spec and fail for the other. Exit 0 if
every check held.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cache import CACHE_FILE, fingerprint, is_fresh  # noqa: E402
from generator.write import JOURNAL, STAGING, compare, recover  # noqa: E402

OLD_SPEC = ROOT / "spec" / "mailgun.yaml"
NEW_SPEC = ROOT.parent / "shared" / "specs" / "mailgun-openapi.yaml"
_PATH = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(_PATH)}


@dataclass
class Generation:
    """A reference: what ``spec`` generates into an empty folder."""

    name: str
    spec: Path
    files: dict[str, bytes]
    inputs: str | None
    seconds: float  # a whole run
    write_seconds: float  # from the staging folder's appearance to the exit


@dataclass
class Report:
    kills: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # phase, then, after
    failures: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # where time went


class Run:
    """``generate ... --out out`` in a child; its output in a file, so that a
    full pipe never holds it up."""

    def __init__(self, *args: str, out: Path) -> None:
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", *args, "--out", str(out)],
            cwd=ROOT,
            env=ENV,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its children can be ended with it
        )

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        try:  # anything it started goes with it
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def output(self) -> tuple[int, str]:
        code = self.proc.wait()
        self.log.seek(0)
        return code, self.log.read().decode(errors="replace")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` but the cache (a shortcut, checked apart)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != CACHE_FILE
    }


def leftovers(folder: Path) -> bool:
    return (folder / JOURNAL).exists() or (folder / STAGING).exists()


def exactly(folder: Path, gen: Generation) -> bool:
    return snapshot(folder) == gen.files and not leftovers(folder)


def up_to_date(folder: Path, gen: Generation) -> bool:
    """What ``generate --check`` answers, without re-running the pipeline."""
    if is_fresh(folder, gen.inputs) is not None:
        return True
    text = {rel: data.decode() for rel, data in gen.files.items()}
    return not compare(folder, text).any


def reference(
    name: str, spec: Path, work: Path, over: Path | None = None
) -> Generation:
    """What ``spec`` generates into an empty folder, or ``over`` a copy of
    a folder: the generator keeps a history there (the version and the
    changelog follow from the last generation), so what a run writes
    depends on what the folder held."""
    out = work / f"ref-{name}"
    if out.exists():
        shutil.rmtree(out)
    if over is not None:
        shutil.copytree(over, out, symlinks=True)
    start = time.perf_counter()
    run = Run("--spec", str(spec), out=out)
    staged = None
    while run.proc.poll() is None:
        if staged is None and (out / STAGING).exists():
            staged = time.perf_counter()
        time.sleep(0.001)
    end = time.perf_counter()
    code, output = run.output()
    if code != 0:
        sys.exit(f"generating {spec} failed:\n{output}")
    return Generation(
        name,
        spec,
        snapshot(out),
        fingerprint(spec, ()),
        end - start,
        end - (staged or start),
    )


def phase(before: dict[str, bytes], out: Path) -> str:
    """Where in the run the kill landed, as far as the folder shows."""
    if snapshot(out) == before:
        return "before writing (folder untouched)"
    if (out / JOURNAL).exists():
        return "after the commit (journal there)"
    if (out / STAGING).exists():
        return "staging, or clearing staging"
    return "after writing"


def kill_once(
    n: int,
    out: Path,
    current: Generation,
    target: Generation,
    aimed: bool,
    rng: random.Random,
    report: Report,
) -> Generation:
    """One kill; returns what the folder holds once recovered."""
    before = snapshot(out)
    run = Run("--spec", str(target.spec), out=out)
    if aimed:  # from when this run's staging folder appears
        if (out / STAGING).exists():  # an earlier kill's: this run removes it first
            while run.proc.poll() is None and (out / STAGING).exists():
                time.sleep(0.0005)
        while run.proc.poll() is None and not (out / STAGING).exists():
            time.sleep(0.0005)
        delay = rng.uniform(0, target.write_seconds)
    else:
        delay = rng.uniform(0, 1.25 * target.seconds)
    time.sleep(delay)
    finished = run.proc.poll() is not None
    if not finished:
        run.kill()
    code, output = run.output()
    where = f"kill {n} ({target.name} over {current.name}, +{delay:.3f} s)"
    if snapshot(out) == before and leftovers(out):  # as an earlier kill left it
        where += ", the folder as an earlier kill left it"
    then = right_then(where, out, current, target, report)
    if finished and (code != 0 or then != target.name):
        report.failures.append(f"{where}: finished with {code}: {output}")
    if "Traceback" in output:
        report.failures.append(f"{where}: a traceback:\n{output}")
    journal = (out / JOURNAL).read_bytes() if (out / JOURNAL).exists() else None
    committed = journal is not None and journal != before.get(JOURNAL)
    after = recovered(where, out, n, current, target, report)
    if committed and after is not target:
        report.failures.append(f"{where}: a committed run was rolled back")
    landed = "finished before the kill" if finished else phase(before, out)
    report.kills.append((landed, then, after.name if after else "NEITHER"))
    return after or current


def right_then(
    where: str, out: Path, current: Generation, target: Generation, report: Report
) -> str:
    """What the folder holds right after the kill, and what --check says."""
    now = snapshot(out)
    core = {k: v for k, v in now.items() if k != JOURNAL and not k.startswith(STAGING)}
    for gen in (current, target):
        if up_to_date(out, gen) != exactly(out, gen):
            report.failures.append(f"{where}: --check for {gen.name} would lie")
        if core == gen.files:
            return gen.name
    journal = (out / JOURNAL).exists()
    new = sum(core.get(k) == v for k, v in target.files.items())
    gone = len(set(current.files) - set(target.files) - set(core))
    report.mixed.append(
        f"{where}: {new} of {len(target.files)} files already {target.name}, "
        f"{gone} stale file(s) removed, journal {'there' if journal else 'MISSING'}"
    )
    if not journal:
        report.failures.append(f"{where}: a mix of generations and no journal")
    return "mixed"


def recovered(
    where: str,
    out: Path,
    n: int,
    current: Generation,
    target: Generation,
    report: Report,
) -> Generation | None:
    """Recovery alone, on a copy: this folder is left for the next run."""
    probe = out.with_name(f"probe-{n}")
    shutil.copytree(out, probe, symlinks=True)
    try:
        recover(probe)
        after = next((g for g in (current, target) if exactly(probe, g)), None)
        if after is None:
            report.failures.append(f"{where}: after recovery neither old nor new")
            return None
        other = target if after is current else current
        if not up_to_date(probe, after) or up_to_date(probe, other):
            report.failures.append(f"{where}: --check after recovery is wrong")
        return after
    finally:
        shutil.rmtree(probe)


def check_cli(out: Path, gen: Generation, expect: int, report: Report) -> str:
    code, output = Run("--spec", str(gen.spec), "--check", out=out).output()
    if code != expect:
        report.failures.append(
            f"--check {gen.name}: exit {code}, not {expect}:\n{output}"
        )
    return output


def run(kills: int, aimed: int, seed: int, work: Path, thorough: bool = True) -> Report:
    """``thorough``: the CLI's --check on every kill that left leftovers (else
    on the first only) and, at the end, for both specs (else for the last)."""
    rng = random.Random(seed)
    report = Report()
    clock = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal clock
        spent = time.perf_counter() - clock
        report.seconds[what] = report.seconds.get(what, 0.0) + spent
        clock = time.perf_counter()

    old = reference("old", OLD_SPEC, work)
    new = reference("new", NEW_SPEC, work)
    lap("references")
    out = work / "out"
    shutil.copytree(work / "ref-old", out)
    current = old
    plan = [False] * kills + [True] * aimed
    rng.shuffle(plan)
    cli_checks = 0
    for n, is_aimed in enumerate(plan, 1):
        target = reference(
            "new" if current.name == "old" else "old",
            NEW_SPEC if current.name == "old" else OLD_SPEC,
            work,
            over=out,
        )
        lap("references")
        had = leftovers(out)
        current = kill_once(n, out, current, target, is_aimed, rng, report)
        lap("kills and checks in-process")
        if leftovers(out) and not had and (thorough or not cli_checks):
            cli_checks += 1  # the CLI too must not say "up to date"
            if "interrupted" not in check_cli(out, current, 1, report):
                report.failures.append(f"kill {n}: --check is silent on leftovers")
            lap("--check on leftovers")
    target = reference(
        "new" if current.name == "old" else "old",
        new.spec if current.name == "old" else old.spec,
        work,
        over=out,
    )
    code, output = Run("--spec", str(target.spec), out=out).output()
    if code != 0 or not exactly(out, target):
        report.failures.append(f"the last run: exit {code}:\n{output}")
    check_cli(out, target, 0, report)
    if thorough:
        check_cli(out, old if target.name == "new" else new, 1, report)
    lap("the last run and --check")
    return report


def summary(report: Report, kills: int, aimed: int, seed: int) -> str:
    lines = [f"{kills} spread and {aimed} aimed kills, seed {seed}"]
    table = Counter(report.kills)
    width = max((len(p) for p, _, _ in table), default=0)
    for (where, then, after), count in sorted(table.items()):
        lines.append(f"  {count:3}  {where:{width}}  then {then:5}  recovered {after}")
    lines += [f"  mixed right then: {m}" for m in report.mixed]
    lines.append(
        "time: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
    )
    ok = sum(after != "NEITHER" for _, _, after in report.kills)
    lines.append(
        f"{ok} of {len(report.kills)} old-or-new after recovery; "
        f"{len(report.failures)} failure(s)"
    )
    lines += [f"FAIL {f}" for f in report.failures]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50, help="spread over a run")
    parser.add_argument("--aimed", type=int, default=0, help="aimed at the write")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if not NEW_SPEC.exists():
        sys.exit(f"{NEW_SPEC} is absent (it lives in ../shared)")
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    with tempfile.TemporaryDirectory(prefix="kill-") as work:
        report = run(args.kills, args.aimed, seed, Path(work))
    print(summary(report, args.kills, args.aimed, seed))
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()

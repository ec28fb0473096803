"""Benchmark: generating Mailgun's full spec, against openapi-python-client.

Run with ``bash .ci/bench`` (sets everything up). In one run, interleaved so
machine noise hits both tools alike, it measures:

* ours, cold: an empty output folder, no cache;
* ours, again with nothing changed (the fast path);
* ours, cold, with ``OPENAPI_CLIENT_GENERATOR_SERIAL=1``: validation runs
  inline instead of in a forked process (one process, less memory);
* openapi-python-client 0.29.1, cold, with ``literal_enums: true`` (its
  default settings crash on this spec: a duplicate enum member).

Reported as medians and ratios, with peak memory: the largest sum of PSS
over the process tree (sampled every 10 ms; both tools spawn ruff, ours also
forks a validation process; PSS counts shared pages once), and the largest
single process (wait4's ru_maxrss). Not a test: figures vary with the
machine, ratios much less.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "specs" / "mailgun-openapi.yaml"
OPC_VENV = ROOT / "bench" / ".venv-opc"
OPC_VERSION = "0.29.1"


def ensure_opc() -> Path:
    exe = OPC_VENV / "bin" / "openapi-python-client"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
        subprocess.run(
            [
                str(OPC_VENV / "bin" / "pip"),
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"openapi-python-client=={OPC_VERSION}",
            ],
            check=True,
        )
    return exe


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size summed over the process tree: pages shared
    between processes (a forked child, the same ruff binary) count once."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_pss_kb(proc.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {proc.returncode}")
    # ru_maxrss of a waited-for child: its largest process, descendants included.
    return {
        "seconds": seconds,
        "tree_mb": peak / 1024,
        "process_mb": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not SPEC.exists():
        raise SystemExit(
            f"{SPEC} is missing: the benchmark needs ../shared beside the repo"
        )
    opc = ensure_opc()
    env = {**os.environ, "PATH": f"{OPC_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    config = work / "opc.yaml"
    config.write_text("literal_enums: true\n")
    ours = [sys.executable, "-m", "generator", "generate", "--spec", str(SPEC)]
    runs: dict[str, list[dict[str, float]]] = {
        "ours_cold": [],
        "ours_unchanged": [],
        "ours_cold_serial": [],
        "opc_cold": [],
    }
    serial = {**env, "OPENAPI_CLIENT_GENERATOR_SERIAL": "1"}
    try:
        for i in range(args.repeat):
            out = work / f"ours{i}"
            runs["ours_cold"].append(measure([*ours, "--out", str(out)], env))
            runs["ours_unchanged"].append(measure([*ours, "--out", str(out)], env))
            runs["ours_cold_serial"].append(
                measure([*ours, "--out", str(work / f"serial{i}")], serial)
            )
            runs["opc_cold"].append(
                measure(
                    [
                        str(opc),
                        "generate",
                        "--path",
                        str(SPEC),
                        "--config",
                        str(config),
                        "--output-path",
                        str(work / f"opc{i}"),
                        "--meta",
                        "none",
                    ],
                    env,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {
        k: {m: statistics.median(r[m] for r in v) for m in v[0]}
        for k, v in runs.items()
    }
    ratios = {
        "opc_cold / ours_cold (target >= 4)": med["opc_cold"]["seconds"]
        / med["ours_cold"]["seconds"],
        "ours_unchanged / ours_cold (target < 0.25)": med["ours_unchanged"]["seconds"]
        / med["ours_cold"]["seconds"],
        "ours / opc peak tree PSS (target <= 1)": med["ours_cold"]["tree_mb"]
        / med["opc_cold"]["tree_mb"],
        "opc_cold / ours_cold_serial": med["opc_cold"]["seconds"]
        / med["ours_cold_serial"]["seconds"],
        "ours_serial / opc peak tree PSS": med["ours_cold_serial"]["tree_mb"]
        / med["opc_cold"]["tree_mb"],
        "ours / opc peak process memory": med["ours_cold"]["process_mb"]
        / med["opc_cold"]["process_mb"],
    }
    print(f"Mailgun full spec, {args.repeat} interleaved runs each, medians:")
    for name, m in med.items():
        print(
            f"  {name:17} {m['seconds']:6.2f} s   peak tree {m['tree_mb']:6.1f} MB"
            f"   peak process {m['process_mb']:6.1f} MB"
        )
    for name, value in ratios.items():
        print(f"  {name:45} {value:5.2f}")
    if args.json:
        args.json.write_text(
            json.dumps({"medians": med, "ratios": ratios, "runs": runs}, indent=2)
        )


if __name__ == "__main__":
    main()

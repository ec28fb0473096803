"""Benchmark: the generated client's cost at run time.

* Per-request overhead: the same GET, with the body parsed into a model by
  ``Mailgun().bounces.get`` and into a dict by plain httpx, against one local
  keep-alive server, alternating blocks in one run. Target: at most 1.15x.
* Import time: ``import mailgun_client`` against ``import httpx, pydantic``,
  each in fresh interpreters, alternating; the package's own share over its
  dependencies. Target: under 50 % more.

Run with ``bash .ci/bench`` (after the generation benchmark) or directly.
"""

import json
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated"))

from mailgun_client import Mailgun  # noqa: E402

BODY = json.dumps(
    {
        "address": "alice@example.com",
        "code": "550",
        "error": "No such mailbox",
        "created_at": "Tue, 24 Nov 2026 10:30:00 UTC",
    }
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs add 40 ms a request

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: Any) -> None:
        pass


def per_request(requests: int, blocks: int) -> dict[str, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    raw = httpx.Client(auth=("api", "key"))
    client = Mailgun("key", base_url=base, max_retries=0)
    url = f"{base}/v3/d.com/bounces/alice@example.com"

    def run_raw() -> None:
        for _ in range(requests):
            raw.get(url).json()

    def run_ours() -> None:
        for _ in range(requests):
            client.bounces.get("d.com", "alice@example.com")

    run_raw()  # warm both: connections, caches
    run_ours()
    times: dict[str, list[float]] = {"httpx": [], "ours": []}
    ratios = []
    for block in range(blocks):
        # ABBA order, so drift in machine load hits both alike.
        order = [("httpx", run_raw), ("ours", run_ours)]
        pair = {}
        for name, fn in order if block % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            fn()
            pair[name] = (time.perf_counter() - start) / requests
            times[name].append(pair[name])
        ratios.append(pair["ours"] / pair["httpx"])
    server.shutdown()
    raw.close()
    client.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "httpx_ms": med["httpx"] * 1e3,
        "ours_ms": med["ours"] * 1e3,
        "ratio": statistics.median(ratios),
    }


def import_time(repeat: int) -> dict[str, float]:
    env_path = str(ROOT / "generated")
    codes = {
        "python": "pass",
        "deps": "import httpx, pydantic",
        "ours": "import mailgun_client",
    }
    times: dict[str, list[float]] = {k: [] for k in codes}
    for _ in range(repeat):
        for name, code in codes.items():
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code],
                check=True,
                env={"PYTHONPATH": env_path, "PATH": ""},
            )
            times[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    deps = med["deps"] - med["python"]
    own = med["ours"] - med["deps"]
    return {
        "python_s": med["python"],
        "deps_s": med["deps"],
        "ours_s": med["ours"],
        "added_over_deps": own / deps,
    }


def main() -> None:
    req = per_request(requests=200, blocks=20)
    imp = import_time(repeat=11)
    print("Generated client at run time (medians):")
    print(
        f"  GET + parse, per request: httpx {req['httpx_ms']:.3f} ms, "
        f"ours {req['ours_ms']:.3f} ms -> {req['ratio']:.3f}x, median of paired "
        "blocks (target <= 1.15)"
    )
    print(
        f"  import: python {imp['python_s']*1e3:.0f} ms, httpx+pydantic "
        f"{imp['deps_s']*1e3:.0f} ms, mailgun_client {imp['ours_s']*1e3:.0f} ms -> "
        f"+{imp['added_over_deps']*100:.0f} % over the dependencies (target < 50 %)"
    )


if __name__ == "__main__":
    main()

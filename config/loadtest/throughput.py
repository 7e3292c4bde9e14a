"""How many reader pages gunicorn serves against a static file of the same bytes.

    python -m config.loadtest.throughput [--seconds 5] [--connections 8]

Starts what `make loadtest` starts (a throwaway PostgreSQL cluster with the demo, gunicorn -w 3
with production settings, on loopback), writes the anonymous reader page's bytes into the
static files (WhiteNoise serves them from the same server), then drives each URL for a fixed
time with wrk (or, without it, a bounded Python client on keep-alive connections) and prints
requests per second, the gunicorn workers' CPU per request and the ratio to the static file.
`manage.py bench` runs it (annotations.benchmarks.throughput).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import requests

from .plan import sign_in
from .servers import Run, say

HEADERS = {"X-Forwarded-Proto": "https"}  # production settings redirect plain HTTP
READER = "/articles/1/"
STATIC_NAME = "bench-reader-page.html"


def worker_cpu_seconds(master_pid: int) -> float:
    """Return the CPU time (user + system) the gunicorn master's workers have used so far."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wrk(url: str, headers: dict, seconds: int, connections: int) -> tuple[int, float]:
    """Return (requests, seconds) of a wrk run."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not found or "Non-2xx" in out:
        raise RuntimeError(f"wrk failed or got errors:\n{out}")
    took = float(found.group(2)) / (1000 if found.group(3) == "ms" else 1)
    return int(found.group(1)), took


def python_load(url: str, headers: dict, seconds: int, connections: int) -> tuple[int, float]:
    """Return (requests, seconds): keep-alive GETs on `connections` threads for `seconds`."""
    host, _, rest = url.removeprefix("http://").partition("/")
    hostname, port = host.split(":")
    done, failed = [0] * connections, []
    deadline = time.monotonic() + seconds

    def drive(index: int) -> None:
        conn = HTTPConnection(hostname, int(port), timeout=30)
        while time.monotonic() < deadline:
            conn.request("GET", "/" + rest, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failed.append(response.status)
                return
            done[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=drive, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise RuntimeError(f"load got status {failed[0]}")
    return sum(done), time.monotonic() - started


def measure(run: Run, path: str, headers: dict, args) -> dict:
    """Return requests/s and worker CPU ms per request for GETs of path."""
    load = wrk if shutil.which("wrk") else python_load
    url = run.base + path
    # What the load tool gets: wrk asks for no encoding unless told (requests asks for gzip).
    response = requests.get(url, headers={"Accept-Encoding": "identity", **headers}, timeout=30)
    response.raise_for_status()
    cpu = worker_cpu_seconds(run.server.pid)
    count, took = load(url, headers, args.seconds, args.connections)
    cpu = worker_cpu_seconds(run.server.pid) - cpu
    return {
        "rps": count / took,
        "cpu_ms": cpu * 1000 / max(count, 1),
        "bytes": len(response.content),
        "encoding": response.headers.get("Content-Encoding", "none"),
    }


def publish_static_copy(run: Run) -> None:
    """Write the anonymous reader page's bytes (and their gzip) into the static files."""
    page = requests.get(run.base + READER, headers=HEADERS, timeout=30).content
    static = run.root / "static"
    (static / STATIC_NAME).write_bytes(page)
    (static / f"{STATIC_NAME}.gz").write_bytes(gzip.compress(page))


def report(args) -> None:
    """Print the table: each case's requests/s, CPU per request and ratio to static."""
    with tempfile.TemporaryDirectory(prefix="claimlens-throughput-") as folder:
        Path(folder).chmod(
            0o711
        )  # the database server may run as another user: it must get through
        run = Run(Path(folder))
        try:
            run.prepare()
            run.serve()
            publish_static_copy(run)
            # WhiteNoise finds the copy when it starts.
            os.killpg(run.server.pid, signal.SIGTERM)
            run.server.wait(timeout=30)
            run.serve()
            rows = cases(run, args)
        finally:
            run.stop()
    print_rows(rows)


def cases(run: Run, args) -> dict[str, dict]:
    reader = {**HEADERS, "Cookie": sign_in(run, "reader")["cookie"]}
    gz = {"Accept-Encoding": "gzip"}
    plan = {
        "static copy (raw)": (f"/static/{STATIC_NAME}", HEADERS),
        "reader, anonymous (raw)": (READER, HEADERS),
        "reader, signed in (raw)": (READER, reader),
        "static copy (gzip)": (f"/static/{STATIC_NAME}", {**HEADERS, **gz}),
        "reader, anonymous (gzip)": (READER, {**HEADERS, **gz}),
        "reader, signed in (gzip)": (READER, {**reader, **gz}),
    }
    rows = {}
    for name, (path, headers) in plan.items():
        rows[name] = measure(run, path, headers, args)
        say(f"  measured {name}")
    return rows


def print_rows(rows: dict[str, dict]) -> None:
    tool = "wrk" if shutil.which("wrk") else "python keep-alive client"
    print(f"  load: {tool}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, row in rows.items():
        kind = name.rpartition("(")[2].rstrip(")")
        static = rows[f"static copy ({kind})"]["rps"]
        print(
            f"  {name:<26} {row['rps']:8.0f} req/s  {row['cpu_ms']:6.2f} ms CPU/req  "
            f"{row['bytes']:>8} B ({row['encoding']})  {100 * row['rps'] / static:5.1f} % of static"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    report(parser.parse_args())


if __name__ == "__main__":
    main()

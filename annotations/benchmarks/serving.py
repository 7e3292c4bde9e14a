"""The reader page served by gunicorn against a static file of the same bytes (`make bench`).

The measurement itself starts servers (a throwaway PostgreSQL cluster with the demo, gunicorn
with three workers and production settings), so it runs as its own process:
`python -m config.loadtest.throughput`, which the project's wiring owns.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ANONYMOUS_TARGET = 25  # % of the static file's requests per second
SIGNED_IN_TARGET = 10
PROJECT = Path(__file__).resolve().parents[2]


def bench_reader_throughput(ctx) -> None:
    """Print reader pages/s (anonymous, signed in) against the static copy, with CPU/request."""
    if os.environ.get("CLAIMLENS_BENCH_QUICK"):
        ctx.out("skipped (CLAIMLENS_BENCH_QUICK)")
        return
    seconds = os.environ.get("CLAIMLENS_BENCH_LOAD_SECONDS", "5")
    ctx.out(
        f"targets: anonymous >= {ANONYMOUS_TARGET} %, signed in >= {SIGNED_IN_TARGET} % of "
        "the static file's requests/s"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed module)
        [sys.executable, "-m", "config.loadtest.throughput", "--seconds", seconds],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        ctx.out(f"throughput run failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return
    for line in result.stdout.splitlines():
        if not line.strip().startswith("measured"):
            ctx.write(line)

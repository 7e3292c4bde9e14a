"""Run the load and fault test end to end; exit 1 when a target is missed.

    python -m config.loadtest [--users 50] [--seconds 60] [--quick] [--report out.json]

1. a throwaway PostgreSQL cluster on a free loopback port, in a temporary folder;
2. migrate and load the demo into it (development settings, as `make demo` does);
3. gunicorn, 3 workers, production settings, on a free loopback port; the limits on writes
   and sign-ins are raised for the run (every virtual user comes from 127.0.0.1);
4. the demo accounts sign in once each (a few sessions per account, like open tabs);
5. phase 1: locust for the given time; targets: no failed request;
6. phase 2: the same load; halfway, the database stops, stays down 2 s and starts again;
   targets: every failure is a 503 with Retry-After, none after the database has been back
   for 5 s, and nothing failed before the outage;
7. every write acknowledged in either phase (201 for an annotation, 200 with the reply
   shown) is looked up in the database.
Then everything it started is stopped and the folder removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import report
from .plan import missing_writes, write_plan
from .servers import Run, say

OUTAGE_SECONDS = 2.0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m config.loadtest", description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="virtual users (default 50)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 users, 10 s")
    parser.add_argument("--report", type=Path, help="also write the figures here, as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.seconds = 5, 10
    if not 1 <= args.users <= 500:
        parser.error("--users must be from 1 to 500")
    if not 6 <= args.seconds <= 600:
        parser.error("--seconds must be from 6 to 600 (the outage needs a few seconds)")
    return args


def run_phase(run: Run, plan: Path, name: str, *, users: int, seconds: int, outage: bool):
    log = run.root / f"{name}.json"
    say(f"\n== {name}: {users} users for {seconds} s" + (", database restarted halfway" * outage))
    started = time.time()
    locust = run.locust(plan, log, users=users, seconds=seconds)
    times = {}
    try:
        if outage:
            time.sleep(seconds / 2)
            times["down"] = time.time()
            run.cluster.stop()
            say(f"database stopped ({time.time() - times['down']:.1f} s to stop)")
            time.sleep(OUTAGE_SECONDS)
            run.cluster.start()
            times["ready"] = run.cluster.wait_ready()
            say(f"database back after {times['ready'] - times['down']:.1f} s")
        locust.wait(timeout=seconds + 120)
    finally:
        if locust.poll() is None:
            os.killpg(locust.pid, signal.SIGKILL)
            locust.wait()
    if not log.exists():
        output = log.with_suffix(".out").read_text(errors="replace")
        raise RuntimeError(f"locust left no log:\n{output[-3000:]}")
    data = json.loads(log.read_text(encoding="utf-8"))
    figures = report.endpoints(data["requests"])
    say(report.table(figures))
    elapsed = max(1.0, time.time() - started)
    say(f"{len(data['requests'])} requests, {len(data['requests']) / elapsed:.1f}/s")
    result = {"users": users, "seconds": seconds, "endpoints": figures, "writes": data["writes"]}
    if outage:
        result["outage"] = report.outage(data["requests"], down=times["down"], ready=times["ready"])
        result["problems"] = report.problems_with_outage(result["outage"])
        summary = result["outage"]
        say(
            f"outage: {summary['answered_503']} answered 503 (of {summary['failures']} failures: "
            f"{summary['failure_statuses']}); database down {summary['database_down_seconds']} s; "
            f"last failure {summary['recovery_seconds']} s and first success "
            f"{summary['first_success_after_ready_seconds']} s after it was back"
        )
    else:
        result["problems"] = report.problems_with_load(figures)
    return result


def _stop_on_terminate(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` stops the servers it started


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    root = Path(tempfile.mkdtemp(prefix="claimlens-loadtest-"))
    root.chmod(0o711)  # the database server may run as another user: it must get through
    run = Run(root)
    results: dict = {"command": " ".join(["python -m config.loadtest", *(argv or sys.argv[1:])])}
    try:
        run.prepare()
        run.serve()
        plan = write_plan(run, sessions_per_writer=1 if args.quick else 2)
        for name, outage in (("load", False), ("fault", True)):
            results[name] = run_phase(
                run, plan, name, users=args.users, seconds=args.seconds, outage=outage
            )
        writes = results["load"].pop("writes") + results["fault"].pop("writes")
        missing = missing_writes(run, writes)
        results["writes"] = {"acknowledged": len(writes), "missing": len(missing)}
        say(f"\nwrites acknowledged: {len(writes)}, present in the database: "
            f"{len(writes) - len(missing)}, missing: {len(missing)}")  # fmt: skip
        problems = results["load"]["problems"] + results["fault"]["problems"]
        if not writes:
            problems.append("no write was acknowledged")
        if missing:
            problems.append(f"{len(missing)} acknowledged writes are missing: {missing[:5]}")
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        problems = [f"the load test could not run: {exc}"]
        gunicorn = run.gunicorn_log()
        if gunicorn:
            say(f"gunicorn's log ends:\n{gunicorn}")
    finally:
        run.stop()
        shutil.rmtree(root, ignore_errors=True)
    results["problems"] = problems
    if args.report:
        args.report.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if problems:
        say("\nFAILED:\n- " + "\n- ".join(problems))
        return 1
    say("\nAll targets met.")
    return 0

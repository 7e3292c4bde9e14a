"""The load and fault test (`make loadtest`): its judge, and a short run of the whole thing.

The short run starts its own PostgreSQL cluster and gunicorn on loopback, so it needs the
PostgreSQL programs (CI installs them); it takes 40 to 60 seconds.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from config.loadtest import report

PROJECT = Path(__file__).resolve().parents[2]


def request(t, status, *, ms=10.0, retry_after="5", name="poll"):
    ok = status in (200, 201, 204)
    return {
        "t": t,
        "ms": ms,
        "name": name,
        "method": "GET",
        "status": status,
        "ok": ok,
        "retry_after": None if ok else retry_after,
        "error": "",
    }


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert report.percentile(values, 0.50) == 50
    assert report.percentile(values, 0.95) == 95
    assert report.percentile(values, 0.99) == 99
    assert report.percentile([], 0.95) == 0


def test_endpoints_count_errors_and_time_only_successes():
    figures = report.endpoints(
        [request(0, 200, ms=10), request(1, 200, ms=30), request(2, 503, ms=1000)]
    )
    (poll, total) = figures
    assert poll["name"] == "poll" and total["name"] == "all"
    assert poll["requests"] == 3 and poll["errors"] == 1
    assert poll["p99_ms"] == 30
    assert poll["statuses"] == {200: 2, 503: 1}
    assert report.problems_with_load(figures) == ["1 requests failed under plain load"]


def test_an_outage_answered_503_and_recovered_meets_the_targets():
    requests = [
        request(99.0, 200),
        request(100.5, 503),
        request(101.0, 503, ms=500),
        request(103.1, 200),
    ]
    summary = report.outage(requests, down=100.0, ready=103.0)
    assert summary["answered_503"] == 2
    assert summary["recovery_seconds"] == 0.0
    assert summary["first_success_after_ready_seconds"] == pytest.approx(0.1)
    assert report.problems_with_outage(summary) == []


def test_an_outage_answered_otherwise_or_slow_to_recover_misses_them():
    requests = [
        request(98.0, 500),
        request(100.5, 0),
        request(101.0, 503, retry_after=None),
        request(109.0, 503),
    ]
    problems = report.problems_with_outage(report.outage(requests, down=100.0, ready=103.0))
    assert problems == [
        "2 failures were not 503 ({0: 1, 500: 1, 503: 2}; status 0 is a connection error)",
        "1 answers of 503 had no Retry-After",
        "1 requests failed before the outage",
        "recovery took 6.01 s (limit 5 s)",
    ]


def test_an_outage_nobody_met_tested_nothing():
    problems = report.problems_with_outage(
        report.outage([request(101.0, 200)], down=100.0, ready=103.0)
    )
    assert problems == ["no request met the outage: nothing was tested"]


@pytest.mark.loadtest
def test_a_short_load_and_fault_run_meets_its_targets(tmp_path):
    """5 users, 10 s of load, then 10 s with the database stopped and started halfway."""
    out = tmp_path / "report.json"
    run = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "config.loadtest", "--quick", "--report", str(out)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        stdout, _ = run.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        run.terminate()  # the command then stops its database and gunicorn
        stdout, _ = run.communicate(timeout=60)
        pytest.fail(f"the quick load test took over 5 minutes:\n{stdout[-4000:]}")
    assert run.returncode == 0, stdout[-4000:]
    results = json.loads(out.read_text())
    assert results["problems"] == []
    load, fault = results["load"], results["fault"]
    assert load["endpoints"][-1]["errors"] == 0
    names = {row["name"] for row in load["endpoints"]}
    assert {"reader page", "poll", "annotate (API)", "reply", "all"} <= names
    outage = fault["outage"]
    assert outage["answered_503"] > 0
    assert outage["failures"] == outage["answered_503"]
    assert outage["503_without_retry_after"] == 0
    assert outage["recovery_seconds"] <= 5
    assert results["writes"]["acknowledged"] >= 4  # each signed-in user writes twice a phase
    assert results["writes"]["missing"] == 0
    assert "p95 ms" in stdout

"""Judge a load test's requests: latency per endpoint, errors, and how an outage went."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

RECOVERY_LIMIT_SECONDS = 5.0


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1) of values, 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Endpoint:
    name: str
    count: int = 0
    errors: int = 0
    times: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "requests": self.count,
            "errors": self.errors,
            "p50_ms": round(percentile(self.times, 0.50), 1),
            "p95_ms": round(percentile(self.times, 0.95), 1),
            "p99_ms": round(percentile(self.times, 0.99), 1),
            "statuses": dict(sorted(self.statuses.items())),
        }


def endpoints(requests: list[dict]) -> list[dict]:
    """Return per-endpoint figures, the total last; latency counts successful requests only."""
    table: dict[str, Endpoint] = defaultdict(lambda: Endpoint(""))
    for request in requests:
        for key in (request["name"], "all"):
            row = table[key]
            row.name = key
            row.count += 1
            row.statuses[request["status"]] += 1
            if request["ok"]:
                row.times.append(request["ms"])
            else:
                row.errors += 1
    names = sorted(name for name in table if name != "all")
    return [table[name].as_dict() for name in [*names, "all"] if name in table]


def outage(requests: list[dict], *, down: float, ready: float) -> dict:
    """Return how the requests fared around an outage from `down` until the database was
    `ready` again: what the failures were, and how long after `ready` the last one ended."""
    failures = [r for r in requests if not r["ok"]]
    statuses = Counter(r["status"] for r in failures)
    unavailable = [r for r in failures if r["status"] == 503]
    last_failure = max((r["t"] + r["ms"] / 1000 for r in failures), default=None)
    first_ok_after = min((r["t"] for r in requests if r["ok"] and r["t"] >= ready), default=None)
    return {
        "database_down_seconds": round(ready - down, 2),
        "failures": len(failures),
        "failure_statuses": dict(sorted(statuses.items())),
        "answered_503": len(unavailable),
        "503_without_retry_after": sum(1 for r in unavailable if not r["retry_after"]),
        "failures_before_outage": sum(1 for r in failures if r["t"] + r["ms"] / 1000 < down),
        "recovery_seconds": round(max(0.0, last_failure - ready), 2) if last_failure else 0.0,
        "first_success_after_ready_seconds": (
            round(first_ok_after - ready, 2) if first_ok_after is not None else None
        ),
    }


def problems_with_load(figures: list[dict]) -> list[str]:
    total = figures[-1] if figures else {"requests": 0, "errors": 0}
    problems = []
    if total["requests"] == 0:
        problems.append("no request was made")
    if total["errors"]:
        problems.append(f"{total['errors']} requests failed under plain load")
    return problems


def problems_with_outage(summary: dict) -> list[str]:
    problems = []
    if summary["answered_503"] == 0:
        problems.append("no request met the outage: nothing was tested")
    others = summary["failures"] - summary["answered_503"]
    if others:
        problems.append(
            f"{others} failures were not 503 ({summary['failure_statuses']}; status 0 is a "
            "connection error)"
        )
    if summary["503_without_retry_after"]:
        problems.append(f"{summary['503_without_retry_after']} answers of 503 had no Retry-After")
    if summary["failures_before_outage"]:
        problems.append(f"{summary['failures_before_outage']} requests failed before the outage")
    if summary["recovery_seconds"] > RECOVERY_LIMIT_SECONDS:
        problems.append(
            f"recovery took {summary['recovery_seconds']} s (limit {RECOVERY_LIMIT_SECONDS:g} s)"
        )
    return problems


def table(figures: list[dict]) -> str:
    """Return the per-endpoint figures as aligned text."""
    head = (
        f"{'endpoint':<16} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    lines = [head, "-" * len(head)]
    for row in figures:
        lines.append(
            f"{row['name']:<16} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f}"
        )
    return "\n".join(lines)

"""How long a call takes, and the figures the sections report of many."""

from __future__ import annotations

import statistics
import time


def timed(function, *args) -> float:
    """Return how many milliseconds function(*args) took."""
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def median(samples: list[float]) -> float:
    """Return the median of samples."""
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    """Return the 95th percentile of samples."""
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]

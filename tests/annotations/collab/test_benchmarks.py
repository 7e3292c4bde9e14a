"""The live-update benchmarks run, and an idle poll stays at one query.

Run with -s to see the figures:
  .venv/bin/python -m pytest tests/annotations/collab/test_benchmarks.py -s
"""

import sys
from types import SimpleNamespace

import pytest
from django.test import Client

from annotations.benchmarks import collaboration

pytestmark = pytest.mark.django_db(transaction=True)


def test_benchmarks_run_and_idle_poll_is_one_query():
    lines: list[str] = []

    def out(line):
        lines.append(line)
        sys.stdout.write(line + "\n")

    ctx = SimpleNamespace(out=out, client=Client())
    idle = collaboration.bench_idle_poll(ctx)
    propagation = collaboration.bench_change_propagation(ctx)
    assert idle["queries"] == 1
    assert idle["median_ms"] > 0 and propagation["median_ms"] > 0
    assert len(lines) == 2

"""The benchmarks run (so `manage.py bench` keeps working) and report their figures."""

from types import SimpleNamespace

import pytest
from django.test import Client

from annotations.benchmarks import reading as benchmarks
from annotations.models import Annotation, Claim
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bench", "expected"),
    [
        (benchmarks.bench_reader_with_annotations, "reader, 1000 annotations, anonymous, cold"),
        (benchmarks.bench_annotation_create, "create annotation with a new claim"),
    ],
)
def test_benchmark_runs_reports_and_cleans_up(bench, expected, monkeypatch):
    monkeypatch.setenv("CLAIMLENS_BENCH_QUICK", "1")
    lines = []
    ctx = SimpleNamespace(out=lines.append, client=Client(), repeat=2)
    results = bench(ctx)
    figures = [line for line in lines if not line.startswith("targets:")]
    assert figures and all("median" in line and "ms" in line for line in figures)
    assert any(expected in line for line in lines)
    assert all(value > 0 for value in results.values())
    assert not Article.objects.exists() and not Annotation.objects.exists()
    assert not Claim.objects.exists()

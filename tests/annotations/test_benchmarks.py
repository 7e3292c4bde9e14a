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
        (benchmarks.bench_reader_with_annotations, "reader page, 1000 annotations"),
        (benchmarks.bench_annotation_create, "create annotation"),
    ],
)
def test_benchmark_runs_reports_and_cleans_up(bench, expected):
    lines = []
    ctx = SimpleNamespace(out=lines.append, client=Client(), repeat=2)
    results = bench(ctx)
    assert lines and all("median" in line and "ms" in line for line in lines)
    assert any(expected in line for line in lines)
    assert all(value > 0 for value in results.values())
    assert not Article.objects.exists() and not Annotation.objects.exists()
    assert not Claim.objects.exists()

from types import SimpleNamespace

import pytest

from annotations.benchmarks.reanchoring import bench_reanchoring, scenario
from annotations.core.reanchoring import reanchor_annotations
from annotations.models import Annotation
from articles.models import Article


def test_benchmark_scenario_exercises_every_path():
    _, _, old_text, new_text, quotes = scenario(words=3000, count=300)
    results = reanchor_annotations(old_text=old_text, new_text=new_text, annotations=quotes)
    assert {r.anchor for r in results} >= {"moved", "fuzzy", "orphan"}


@pytest.mark.django_db
def test_benchmark_runs_small_and_leaves_nothing_behind():
    lines = []
    figures = bench_reanchoring(SimpleNamespace(out=lines.append), words=800, count=40, repeat=1)
    assert lines[0].startswith("re-anchoring 40 annotations")
    assert any("reanchor_annotations (pure)" in line for line in lines)
    assert any("signal receiver" in line for line in lines)
    assert set(figures) == {"pure", "receiver", "article_store"}
    assert Article.objects.count() == Annotation.objects.count() == 0  # rolled back

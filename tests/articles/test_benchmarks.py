import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.conf import settings

from articles.benchmarks.seeding import TextGenerator, prerendered_body, seed_articles
from articles.management.commands import bench
from articles.models import Article
from articles.rendering import render_markdown_body
from articles.search import search_articles

ROOT = Path(settings.BASE_DIR)


def test_prerendered_body_is_what_rendering_makes():
    generator = TextGenerator(seed=5)
    for _ in range(20):
        paragraphs = generator.paragraphs()
        html, text = prerendered_body(paragraphs)
        rendered = render_markdown_body("\n\n".join(paragraphs))
        assert (html, text) == (rendered.html, rendered.text)


@pytest.mark.django_db
def test_seeded_articles_are_searchable_without_any_hook():
    generator = TextGenerator(seed=9)
    seed_articles(30, generator=generator, batch_size=7)

    assert Article.objects.count() == 30
    word = generator.words[0]
    assert search_articles(word).count() == Article.objects.filter(body_text__contains=word).count()


def test_discovers_bench_functions_in_modules_and_packages(monkeypatch):
    package = types.ModuleType("fakeapp.benchmarks")
    package.__path__ = []
    package.__all__ = ["reading", "bench_listed_function"]
    package.bench_in_package = lambda ctx: None
    reading = types.ModuleType("fakeapp.benchmarks.reading")
    reading.bench_reading = lambda ctx: None
    reading.helper = lambda ctx: None
    modules = {"fakeapp.benchmarks": package, "fakeapp.benchmarks.reading": reading}

    def import_module(name):
        if name in modules:
            return modules[name]
        raise ModuleNotFoundError(name=name)

    app = types.SimpleNamespace(name="fakeapp", path=str(ROOT / "fakeapp"))
    monkeypatch.setattr(bench.apps, "get_app_configs", lambda: [app])
    monkeypatch.setattr(bench.importlib, "import_module", import_module)

    names = [name for name, _ in bench.discover_sections()]

    assert names == [
        "fakeapp.benchmarks.bench_in_package",
        "fakeapp.benchmarks.reading.bench_reading",
    ]


def test_discovers_the_article_sections():
    names = [name for name, _ in bench.discover_sections()]

    assert names[:7] == [
        "articles.benchmarks.importing.bench_import_text",
        "articles.benchmarks.importing.bench_import_html",
        "articles.benchmarks.rendering.bench_hostile_markdown",
        "articles.benchmarks.pages.bench_reader_page",
        "articles.benchmarks.pages.bench_list_page",
        "articles.benchmarks.pages.bench_search",
        "articles.benchmarks.extraction.bench_extraction",
    ]


def test_bench_command_runs_on_a_throwaway_database(tmp_path):
    # In a subprocess, as `make bench` runs it: the bench makes its own test databases, which
    # would otherwise collide with this test run's.
    real_db = tmp_path / "real.sqlite3"
    url = os.environ.get("DATABASE_URL", "")
    env = {
        **os.environ,
        "DATABASE_URL": url if url.startswith("postgres") else f"sqlite:///{real_db}",
        # Leaves out the minutes-long parts: gunicorn under load, the 10,000-annotation page.
        "CLAIMLENS_BENCH_QUICK": "1",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--articles", "30"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # minutes on a loaded 2-core machine; a hang still fails
        check=False,
    )

    assert result.returncode == 0, result.stderr
    for figure in (
        "text import",
        "HTML import / extraction",
        "reader page queries",
        "search p95",
        "job of 20 articles",
        "preview of a 100-item zip",
    ):
        assert figure in result.stdout
    assert "The bench databases have been removed." in result.stdout
    assert not real_db.exists()  # the configured database was never even opened

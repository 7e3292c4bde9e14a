"""Benchmarks of the article pages, importing and search, run by `manage.py bench`.

Articles are generated, never copied: a newsy core vocabulary plus made-up words, drawn with
Zipf's law so that, as in real text, a few words are everywhere and most are rare.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

import trafilatura
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .importers.html_pages import EXTRACTION_OPTIONS
from .imports import ImportSource, import_sources
from .models import Article
from .rendering import WORDS_PER_MINUTE
from .search import search_articles
from .services import CREATED, content_hash

_CORE = """
said government minister police protest council water prices study report people year
city state court election president party law public health school children workers union
strike budget tax energy fuel market bank company data survey research university hospital
doctors patients climate flood drought river housing rent transport railway airport border
army security forces officials spokesman statement interview evidence figures percent
million increase decrease record crisis talks agreement deal vote parliament opposition
campaign leader mayor residents community village region capital coast harbour farmers
prices inflation wages jobs unemployment exports imports trade industry factory mine oil
gas electricity pipeline reservoir leakage investigation inquiry trial judge prosecutor
journalist newspaper broadcaster website social media video footage witness victims injured
killed arrested detained released sentenced accused denied confirmed warned promised
"""
CORE_WORDS = _CORE.split()
SOURCES = ["Valley Herald", "Coast Post", "Northfield Times", "Meridian Wire", "Eastmere Courier"]
SYLLABLES = [c + v for c in "bdklmnrstv" for v in "aeio"]


class TextGenerator:
    """Make article titles and paragraphs, deterministic for a given seed."""

    def __init__(self, seed: int = 2024, made_up_words: int = 6000):
        self.rng = random.Random(seed)
        made_up = {
            "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4)))
            for _ in range(made_up_words * 2)
        }
        # Interleave so that both real and made-up words span common to rare.
        made_up = sorted(made_up)[:made_up_words]
        self.rng.shuffle(made_up)
        self.words = [w for pair in zip(CORE_WORDS, made_up, strict=False) for w in pair]
        self.words += made_up[len(CORE_WORDS) :]
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cum_weights = list(_accumulate(weights))

    def sample(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def sentence(self) -> str:
        words = self.sample(self.rng.randint(8, 22))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def title(self) -> str:
        return " ".join(self.sample(self.rng.randint(5, 10))).capitalize()

    def paragraphs(self) -> list[str]:
        return [self.paragraph() for _ in range(self.rng.randint(4, 9))]


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def prerendered_body(paragraphs: list[str]) -> tuple[str, str]:
    """Return (html, text) exactly as rendering.render_markdown_body gives for plain paragraphs.

    Seeding 100,000 articles through Markdown would take minutes, so the bench builds the same
    output directly (tests/articles/test_benchmarks.py checks they agree).
    """
    html, offset = [], 0
    for number, paragraph in enumerate(paragraphs, 1):
        html.append(f'<p id="b{number}" data-start="{offset}">{paragraph}</p>')
        offset += len(paragraph) + 2
    return "\n".join(html), "\n\n".join(paragraphs)


def seed_articles(count: int, *, generator: TextGenerator, batch_size: int = 1000) -> None:
    """Insert `count` generated articles with bulk_create.

    The search index needs no help: PostgreSQL computes its generated tsvector column and
    SQLite's triggers fill the FTS5 table on every INSERT, bulk or not. (No ArticleRevision rows
    are made; nothing measured here reads them.)
    """
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for first in range(0, count, batch_size):
        batch = []
        for n in range(first, min(first + batch_size, count)):
            paragraphs = generator.paragraphs()
            html, text = prerendered_body(paragraphs)
            title, words = generator.title(), len(text.split())
            batch.append(
                Article(
                    title=title,
                    subtitle=generator.sentence(),
                    source_name=SOURCES[n % len(SOURCES)],
                    source_url=f"https://bench.example/seed/{n}",
                    published_at=start + timedelta(minutes=37 * n),
                    body_markdown=text,
                    body_html=html,
                    body_text=text,
                    word_count=words,
                    reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
                    content_hash=content_hash(title=title, subtitle="", byline="", body_text=text),
                )
            )
        Article.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        # What autovacuum would soon do on a live table: merge the GIN index's pending list
        # and give the planner statistics. (VACUUM cannot run inside a transaction.)
        with connection.cursor() as cursor:
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} articles_article")


# --- Sections -------------------------------------------------------------------------------


def bench_import_text(ctx):
    """Import plain-text files through the importer, as the command and the admin do."""
    documents = [
        ctx.generator.title() + "\n\n" + "\n\n".join(ctx.generator.paragraphs())
        for _ in range(_import_count(ctx))
    ]
    started = time.perf_counter()
    for n, document in enumerate(documents):
        _import(f"bench-{n}.txt", document)
    elapsed = time.perf_counter() - started
    ctx.result("text import", f"{len(documents) / elapsed:,.0f}", "articles/s")


def bench_import_html(ctx):
    """Import HTML pages through the importer; trafilatura alone, same options, for scale."""
    pages = [_html_page(ctx.generator, n) for n in range(_import_count(ctx))]
    _extract(pages[0])  # warm up both
    _import("warm-up.html", _html_page(ctx.generator, len(pages)))

    # Interleaved page by page, so that load from elsewhere on the machine weighs on both alike.
    extraction = full = 0.0
    for n, page in enumerate(pages):
        started = time.perf_counter()
        _extract(page)
        extraction += time.perf_counter() - started
        started = time.perf_counter()
        _import(f"bench-{n}.html", page)
        full += time.perf_counter() - started

    ctx.result("HTML import", f"{len(pages) / full:,.0f}", "articles/s")
    ctx.result("trafilatura extraction alone", f"{len(pages) / extraction:,.0f}", "pages/s")
    ctx.result("HTML import / extraction", f"{full / extraction:.2f}", "x (target <= 1.5)")


def bench_reader_page(ctx):
    """Server time of the reader page for a typical article (Django test client)."""
    article = _typical_article()
    url = article.get_absolute_url()
    ctx.client.get(url)  # warm up templates and connection
    with CaptureQueriesContext(connection) as queries:
        ctx.client.get(url)
    query_count = len(queries)  # now: the log is cleared by the next request
    samples = [_timed(ctx.client.get, url) for _ in range(50)]
    label = f"reader page ({article.word_count:,} words), median"
    ctx.result(label, f"{_median(samples):.1f}", "ms")
    ctx.result("reader page queries", query_count)


def bench_list_page(ctx):
    """Server time of the article list, first page and a deep page."""
    url = reverse("articles:list")
    ctx.client.get(url)
    first = [_timed(ctx.client.get, url) for _ in range(20)]
    last_page = max(1, math.ceil(Article.objects.count() / 25))
    deep = [_timed(ctx.client.get, url, {"page": last_page}) for _ in range(20)]
    ctx.result("article list page 1, median", f"{_median(first):.1f}", "ms")
    ctx.result(f"article list page {last_page:,}, median", f"{_median(deep):.1f}", "ms")


def bench_search(ctx):
    """Search as the list page does it: count, then the first page with snippets (warm)."""
    queries = _search_queries(ctx.generator)
    for query in queries:  # a live site has its working set cached; so does the bench
        _search_page(query)
    samples, hits, slowest = [], {}, {}
    for _ in range(3):
        for query in queries:
            started = time.perf_counter()
            hits[query] = _search_page(query)
            samples.append((time.perf_counter() - started) * 1000)
            slowest[query] = max(slowest.get(query, 0), samples[-1])
    url = reverse("articles:list")
    pages = [_timed(ctx.client.get, url, {"q": query}) for query in queries]
    broadest, worst = max(queries, key=hits.get), max(queries, key=slowest.get)
    count, capped = hits[broadest]
    total = Article.objects.count()
    ctx.result(f"search over {total:,} articles, median", f"{_median(samples):.1f}", "ms")
    ctx.result("search p95", f"{_p95(samples):.1f}", "ms (target <= 50 on PostgreSQL)")
    ctx.result("search queries", f"{len(queries)} x 3 runs")
    ctx.result(f"most matches: {broadest!r}", f"{count:,}{'+' if capped else ''}", "articles")
    ctx.result(f"slowest: {worst!r}", f"{slowest[worst]:.1f}", "ms")
    ctx.result("search through the list page, median", f"{_median(pages):.1f}", "ms")


# --- Helpers --------------------------------------------------------------------------------


def _import_count(ctx) -> int:
    return max(10, min(200, ctx.articles // 5))


def _import(name: str, text: str) -> None:
    """Import one file exactly as an upload or `import_articles` would: read, check, store."""
    report = import_sources(sources=[ImportSource(name, data=text.encode())])
    if report.failed or report.counts[CREATED] != 1:
        raise RuntimeError(f"the bench import of {name} went wrong: {report.results[0].line()}")


def _extract(page: str) -> str:
    """Return what trafilatura alone makes of a page: its article, as Markdown."""
    return trafilatura.extract(page, output_format="markdown", **EXTRACTION_OPTIONS)


def _html_page(generator: TextGenerator, n: int) -> str:
    """Return a news page of typical weight (~25 KB): the article amid menus, teasers, scripts."""
    source = SOURCES[n % len(SOURCES)]
    title = generator.title()
    paragraphs = "\n".join(f"<p>{p}</p>" for p in generator.paragraphs())
    nav = "".join(f'<li><a href="/section/{i}">{generator.title()}</a></li>' for i in range(60))
    teasers = "".join(
        f'<li><a href="/story/{i}"><h3>{generator.title()}</h3></a>{generator.sentence()}</li>'
        for i in range(24)
    )
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>{generator.paragraph()}</p></div>'
        for i in range(8)
    )
    footer = "".join(f'<a href="/page/{i}">{generator.title()}</a>' for i in range(40))
    data = ",".join(f'{{"id":{i},"headline":"{generator.title()}"}}' for i in range(60))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {source}</title>
<meta property="og:title" content="{title}"><meta name="author" content="Reporter {n}">
<meta property="og:site_name" content="{source}">
<meta property="article:published_time" content="2024-05-{1 + n % 28:02d}T08:00:00Z">
<link rel="canonical" href="https://bench.example/html/{n}">
<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js"></script>
<script>window.__STATE__ = {{"stories": [{data}]}};</script></head>
<body><div class="cookie-banner">We use cookies. <button>Accept</button></div>
<header><a href="/">{source}</a><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Reporter {n}</p>
{paragraphs}</article>
<section class="comments"><h2>Comments</h2>{comments}</section>
<aside><h2>Most read</h2><ul>{teasers}</ul></aside></main>
<footer><p>Copyright 2024 {source}</p>{footer}</footer>
</body></html>"""


def _typical_article() -> Article:
    """Return an article of about median length."""
    articles = Article.objects.order_by("word_count")
    return articles[articles.count() // 2]


def _search_queries(generator: TextGenerator) -> list[str]:
    """Return a realistic mix: topical words of varied frequency, pairs, a phrase, a miss."""
    words = generator.words
    rng = random.Random(7)
    singles = [words[rank] for rank in (2, 5, 11, 24, 60, 150, 400, 1200, 3000)]
    pairs = [f"{rng.choice(words[:300])} {rng.choice(words[:300])}" for _ in range(6)]
    sentence = generator.sentence().rstrip(".").split()
    return [
        *singles,
        *pairs,
        "government minister",
        "police protest",
        "water prices",
        "protesting",
        f'"{sentence[0]} {sentence[1]}"',
        "zzyzx",
    ]


def _search_page(query: str) -> tuple[int, bool]:
    """Run a query as the list page does; return how many matched and whether that is capped."""
    results = search_articles(query)
    count = results.count()
    list(results[:25])
    return count, results.capped


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]

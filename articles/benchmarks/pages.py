"""Server time of the article pages (reader, list) and of search, through the test client."""

from __future__ import annotations

import math
import os
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..models import Article
from ..search import search_articles
from .seeding import TextGenerator
from .timing import median, p95, timed


def bench_reader_page(ctx):
    """Server time of the reader page for a typical article (Django test client)."""
    article = _typical_article()
    url = article.get_absolute_url()
    ctx.client.get(url)  # warm up templates and connection
    with CaptureQueriesContext(connection) as queries:
        ctx.client.get(url)
    query_count = len(queries)  # now: the log is cleared by the next request
    samples = [timed(ctx.client.get, url) for _ in range(50)]
    label = f"reader page ({article.word_count:,} words), median"
    ctx.result(label, f"{median(samples):.1f}", "ms")
    ctx.result("reader page queries", query_count)


def bench_list_page(ctx):
    """Server time of the article list, first page and a deep page."""
    url = reverse("articles:list")
    ctx.client.get(url)
    first = [timed(ctx.client.get, url) for _ in range(20)]
    last_page = max(1, math.ceil(Article.objects.count() / 25))
    deep = [timed(ctx.client.get, url, {"page": last_page}) for _ in range(20)]
    ctx.result("article list page 1, median", f"{median(first):.1f}", "ms")
    ctx.result(f"article list page {last_page:,}, median", f"{median(deep):.1f}", "ms")


def bench_search(ctx):
    """Search as the list page does it: count, then the first page with snippets (warm)."""
    kinds = _search_queries(ctx.generator)
    queries = [query for chosen in kinds.values() for query in chosen]
    for query in queries:  # a live site has its working set cached; so does the bench
        _search_page(query)
    load_before = os.getloadavg()
    samples, hits, slowest, by_query = [], {}, {}, {}
    for _ in range(3):
        for query in queries:
            started = time.perf_counter()
            hits[query] = _search_page(query)
            samples.append((time.perf_counter() - started) * 1000)
            slowest[query] = max(slowest.get(query, 0), samples[-1])
            by_query.setdefault(query, []).append(samples[-1])
    url = reverse("articles:list")
    pages = [timed(ctx.client.get, url, {"q": query}) for query in queries]
    broadest, worst = max(queries, key=hits.get), max(queries, key=slowest.get)
    count, capped = hits[broadest]
    total = Article.objects.count()
    load = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in zip(load_before, os.getloadavg(), strict=True))
    ctx.result("load average (1, 5, 15 min) before-after", load, f"on {os.cpu_count()} CPUs")
    ctx.result(f"search over {total:,} articles, median", f"{median(samples):.1f}", "ms")
    ctx.result("search p95", f"{p95(samples):.1f}", "ms (target <= 50 on PostgreSQL)")
    ctx.result("search queries", f"{len(queries)} x 3 runs")
    for kind, chosen in kinds.items():
        times = [ms for query in chosen for ms in by_query[query]]
        ctx.result(f"  p95 of {kind} ({len(chosen)} x 3)", f"{p95(times):.1f}", "ms")
        found = ", ".join(_found(*hits[query]) for query in chosen)
        ctx.out(f"    {', '.join(map(repr, chosen))}: {found} found")
    ctx.result(f"most matches: {broadest!r}", _found(count, capped), "articles")
    ctx.result(f"slowest: {worst!r}", f"{slowest[worst]:.1f}", "ms")
    ctx.result("search through the list page, median", f"{median(pages):.1f}", "ms")
    if ctx.vendor == "postgresql":
        for chosen in kinds.values():  # the slowest query of each kind, as it ran
            _explain(ctx, max(chosen, key=slowest.get))


def _found(count: int, capped: bool) -> str:
    return f"{count:,}{'+' if capped else ''}"


def _explain(ctx, query: str) -> None:
    """Print EXPLAIN ANALYZE of the last candidate query a search ran, as it ran it."""
    results = search_articles(query)
    results.count()
    sql, params = results.last_candidates
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [line for (line,) in cursor.fetchall()]
    ctx.out(f"EXPLAIN ANALYZE, candidates of {query!r}:")
    for line in plan:
        ctx.out(f"  {line}")


def _typical_article() -> Article:
    """Return an article of about median length."""
    articles = Article.objects.order_by("word_count")
    return articles[articles.count() // 2]


def _search_queries(generator: TextGenerator) -> dict[str, list[str]]:
    """Return a realistic mix by kind: the commonest words alone and as phrases of two and of
    three (the seeded text's most frequent words, the hardest phrases for an index), topical
    words of varied frequency and pairs of them, phrases from a sentence, and a miss."""
    words = generator.words
    rng = random.Random(7)
    singles = [words[rank] for rank in (5, 11, 24, 60, 150, 400, 1200, 3000)]
    pairs = [f"{rng.choice(words[:300])} {rng.choice(words[:300])}" for _ in range(6)]
    sentence = generator.sentence().rstrip(".").split()
    first, second, third, fourth = words[:4]
    return {
        "the commonest words": [first, second, third],
        "plain words": [
            *singles,
            *pairs,
            "government minister",
            "police protest",
            "water prices",
            "protesting",
            "zzyzx",
        ],
        "phrases of 2 commonest words": [
            f'"{first} {second}"',
            f'"{second} {first}"',
            f'"{third} {first}"',
        ],
        "phrases of 3 commonest words": [
            f'"{first} {second} {third}"',
            f'"{second} {first} {third}"',
            f'"{third} {first} {fourth}"',
        ],
        "other phrases": [
            f'"{sentence[0]} {sentence[1]}"',
            f'"{" ".join(sentence[2:5])}"',
            f'"{first} {words[40]} {words[7]} {words[120]}"',
            f'"{first} of the {third}"',  # stop words: 'said' <3> 'govern'
        ],
    }


def _search_page(query: str) -> tuple[int, bool]:
    """Run a query as the list page does; return how many matched and whether that is capped."""
    results = search_articles(query)
    count = results.count()
    list(results[:25])
    return count, results.capped

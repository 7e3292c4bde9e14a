"""Benchmarks for `manage.py bench`: every bench_*(ctx) here is discovered and called.

ctx gives at least ctx.out (prints a line), ctx.client (a django.test.Client) and ctx.repeat.
Each benchmark builds its own article, user and annotations, and removes them afterwards.
Run them with `make bench` (throwaway test databases, whichever DATABASE_URL names).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from annotations.benchmarks.page_load import dom_content_loaded, profiled
from annotations.core import painting
from annotations.core.defaults import create_defaults
from annotations.models import Annotation, Claim, Label
from annotations.reader.reading import PANEL_PAGE_SIZE
from articles.models import Article
from articles.services import article_store

READER_TARGET_MS = 50
LOAD_TARGET_MS = 600  # DOMContentLoaded in Chromium, 10,000 annotations
CREATE_TARGET_MS = 20
ANNOTATIONS = 1000

_VOCABULARY = (
    "the minister said protesters were armed and trained criminals while witnesses described "
    "peaceful crowds gathering in the square before security forces arrived with orders to "
    "restore order across several cities after fuel prices rose sharply overnight"
)


def _body(paragraphs: int = 24, words: int = 48) -> str:
    """Return a made-up article body of about 1,100 words (the seed article's size)."""
    vocabulary = _VOCABULARY.split()
    out = []
    for p in range(paragraphs):
        text = " ".join(vocabulary[(p * 7 + i) % len(vocabulary)] for i in range(words))
        out.append(f"{text.capitalize()} “quoted *words* number {p}” and more.")
    return "\n\n".join(out)


@contextmanager
def _scenario(name: str, annotations: int):
    """Yield (article, user) with `annotations` annotations; delete everything afterwards."""
    create_defaults(Label, Group)
    user = get_user_model().objects.create_user(username=f"bench-{name}-{time.time_ns()}")
    user.groups.add(Group.objects.get(name="annotator"))
    article = article_store(title=f"Benchmark {name}", body_markdown=_body()).article
    claims_before = set(Claim.objects.values_list("pk", flat=True))
    try:
        bulk_annotate(article, user, annotations)
        yield article, user
    finally:
        Annotation.objects.filter(article=article).delete()
        Claim.objects.exclude(pk__in=claims_before).filter(appearances__isnull=True).delete()
        Label.objects.filter(slug__startswith="bench-tag-").delete()
        article.delete()
        user.delete()


def bulk_annotate(article: Article, user, n: int) -> None:
    """Bulk-create n overlapping annotations: a third tagged, a fifth on a claim, some private."""
    if not n:
        return
    text = article.body_text
    statuses = list(Label.objects.statuses())
    tags = [
        Label.objects.get_or_create(slug=f"bench-tag-{i}", defaults={"name": f"bench tag {i}"})[0]
        for i in range(4)
    ]
    claims = [
        Claim.objects.get_or_create(
            slug=f"bench-claim-{i}",
            defaults={"title": f"bench claim {i}", "status": statuses[i % len(statuses)]},
        )[0]
        for i in range(10)
    ]
    rows = []
    for i in range(n):
        start = (i * 97) % (len(text) - 120)
        end = start + 15 + (i * 13) % 80
        rows.append(
            Annotation(
                article=article,
                author=user,
                exact=text[start:end],
                prefix=text[max(0, start - 32) : start],
                suffix=text[end : end + 32],
                start=start,
                end=end,
                note=f"Note {i}" if i % 4 == 0 else "",
                note_html=f"<p>Note {i}</p>" if i % 4 == 0 else "",
                claim=claims[i % len(claims)] if i % 5 == 0 else None,
                visibility="private" if i % 11 == 10 else "shared",
            )
        )
    created = Annotation.objects.bulk_create(rows)
    through = Annotation.labels.through
    through.objects.bulk_create(
        through(annotation_id=a.pk, label_id=tags[i % len(tags)].pk)
        for i, a in enumerate(created)
        if i % 3 == 0
    )
    if connection.vendor == "postgresql":
        # What autovacuum soon does after a bulk load: give the planner statistics.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Annotation._meta.db_table}, {through._meta.db_table}")


def _check(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"benchmark request failed: {response.status_code}")


def _median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def _cold() -> None:
    """Forget every painting: the shared cache and this process's painted pieces."""
    cache.clear()
    painting.forget()


@contextmanager
def _counting():
    """Count the statements sent to the database (whatever DEBUG and debug cursors say)."""
    sent: list[str] = []

    def count(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield sent


def _reader():
    """Return a signed-in annotator who has no annotations (a shared page)."""
    user = get_user_model().objects.create_user(username=f"bench-reader-{time.time_ns()}")
    user.groups.add(Group.objects.get(name="annotator"))
    return user


def _timed(client, url: str, *, cold: bool, **headers) -> tuple[float, float, object]:
    """Return (wall seconds, CPU seconds, response) of one GET, after forgetting if cold."""
    if cold:
        _cold()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, **headers)
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    _check(response)
    return elapsed, used, response


def bench_reader_with_annotations(ctx) -> dict:
    """Time the reader page with 1,000 and 10,000 annotations, cold (nothing cached) and warm.

    Targets: warm median <= 50 ms at 1,000; cold <= 100 ms and <= 1 MB of HTML at 10,000.
    Prints server CPU (this process's), queries, and the bytes sent raw and gzip-compressed.
    """
    repeat = max(1, int(getattr(ctx, "repeat", 20)))
    client = ctx.client
    results = {}
    # CLAIMLENS_BENCH_QUICK (the suite's run of the bench): only the smaller page.
    quick = os.environ.get("CLAIMLENS_BENCH_QUICK")
    sizes = (ANNOTATIONS,) if quick else (ANNOTATIONS, 10 * ANNOTATIONS)
    # CLAIMLENS_BENCH_READER_SIZES=10000: only some of the sizes (to measure one again).
    wanted = os.environ.get("CLAIMLENS_BENCH_READER_SIZES")
    if wanted:
        sizes = tuple(int(size) for size in wanted.split(","))
    for count in sizes:
        runs = repeat if count <= ANNOTATIONS else max(3, repeat // 4)
        with _scenario(f"reader-{count}", count) as (article, user):
            url = article.get_absolute_url()
            readers = {
                "anonymous": None,
                "signed in": _reader(),
                "author of private notes": user,  # their page is never cached
            }
            for who, reader in readers.items():
                if reader is not None:
                    client.force_login(reader)
                client.get(url)  # templates, URL resolver, connection
                for state in ("cold", "warm"):
                    cold = state == "cold"
                    timings = [_timed(client, url, cold=cold) for _ in range(runs)]
                    if cold:
                        _cold()
                    with _counting() as queries:
                        raw = client.get(url).content
                    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip").content
                    wall = _median_ms([t for t, _, _ in timings])
                    cpu = _median_ms([c for _, c, _ in timings])
                    results[(count, who, state)] = wall
                    ctx.out(
                        f"reader, {count} annotations, {who}, {state}: median {wall:.1f} ms, "
                        f"CPU {cpu:.1f} ms; {_spread([t for t, _, _ in timings])}; "
                        f"{len(queries)} queries; {len(raw):,} B raw, {len(packed):,} B gzip"
                    )
            client.logout()
            readers["signed in"].delete()
            if count > ANNOTATIONS:
                _big_page(ctx, client, url, runs)
    ctx.out(
        f"targets: warm <= {READER_TARGET_MS} ms at {ANNOTATIONS}; cold <= 100 ms and "
        f"<= 1,000,000 B raw at {10 * ANNOTATIONS}"
    )
    return results


def _big_page(ctx, client, url: str, runs: int) -> None:
    """Print the big page's cold profile and its DOMContentLoaded in Chromium (cold)."""
    client.get(url)
    _cold()
    ctx.out("profile of one cold request, anonymous (top functions by cumulative time):")
    for line in profiled(lambda: client.get(url)).splitlines():
        if line.strip():
            ctx.out(f"  {line}")
    loads = dom_content_loaded(client, url, runs=runs, before=_cold)
    if loads:
        ctx.out(
            f"DOMContentLoaded in Chromium, anonymous, cold: median "
            f"{statistics.median(loads):.0f} ms (target <= {LOAD_TARGET_MS}); min "
            f"{min(loads):.0f}, max {max(loads):.0f} ms over {len(loads)} runs"
        )
    else:
        ctx.out("DOMContentLoaded: not measured (no Playwright or no Chromium)")


def _p90_ms(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000


def _spread(timings: list[float]) -> str:
    """Return "min 1.0, p90 2.0 ms over 30 runs" for timings in seconds."""
    return f"min {min(timings) * 1000:.1f}, p90 {_p90_ms(timings):.1f} ms over {len(timings)} runs"


def bench_annotation_create(ctx) -> dict:
    """Time creating an annotation with a new claim each time, as the reader sends it.

    Target: median <= 20 ms. Each create makes a claim of its own (a reused claim costs less).
    """
    repeat = max(1, int(getattr(ctx, "repeat", 20)))
    client = ctx.client
    results = {}
    for existing in (0, ANNOTATIONS):
        with _scenario(f"create-{existing}", existing) as (article, user):
            client.force_login(user)
            text = article.body_text
            url = f"/articles/{article.pk}/annotations/new/"
            # What the reader page sends along: the cards its panel shows (the first page,
            # then also each card the page added after saving).
            shown = list(
                Annotation.objects.filter(article=article)
                .in_reading_order()
                .values_list("pk", flat=True)[:PANEL_PAGE_SIZE]
            )
            timings, cpus = [], []
            for i in range(repeat + 1):
                start = (i * 211) % (len(text) - 60)
                end = start + 40
                # What reader.js sends: the composer's fields, the revision the selection
                # was made on, the cards shown and the panel's (empty) filters.
                data = {
                    "exact": text[start:end],
                    "prefix": text[max(0, start - 32) : start],
                    "suffix": text[end : end + 32],
                    "start": start,
                    "end": end,
                    "note": "",
                    "tags": f"unverified: bench claim {existing}-{i}-{time.time_ns()}",
                    "visibility": "shared",
                    "revision": article.revision_number,
                    "shown": ",".join(map(str, shown)),
                    "by_label": "",
                    "by_status": "",
                    "by_author": "",
                }
                started, cpu = time.perf_counter(), time.process_time()
                # Form-encoded, as htmx posts the composer (not the test client's multipart).
                response = client.post(
                    url,
                    urlencode(data),
                    content_type="application/x-www-form-urlencoded",
                    HTTP_HX_REQUEST="true",
                    HTTP_HX_CURRENT_URL=f"http://testserver{article.get_absolute_url()}",
                    HTTP_ACCEPT_ENCODING="gzip",
                )
                elapsed, used = time.perf_counter() - started, time.process_time() - cpu
                _check(response)
                shown.append(json.loads(response.headers["HX-Trigger"])["annotation-saved"]["id"])
                if i:  # the first one warms up
                    timings.append(elapsed)
                    cpus.append(used)
            median = _median_ms(timings)
            results[existing] = median
            ctx.out(
                f"create annotation with a new claim (the reader's htmx request), {existing} "
                f"already there: median {median:.1f} ms (target <= {CREATE_TARGET_MS}), CPU "
                f"{_median_ms(cpus):.1f} ms; {_spread(timings)}"
            )
            client.logout()
    return results

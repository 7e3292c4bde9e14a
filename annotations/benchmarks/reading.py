"""Benchmarks for `manage.py bench`: every bench_*(ctx) here is discovered and called.

ctx gives at least ctx.out (prints a line), ctx.client (a django.test.Client) and ctx.repeat.
Each benchmark builds its own article, user and annotations, and removes them afterwards.
Run them with `make bench` (throwaway test databases, whichever DATABASE_URL names).
"""

from __future__ import annotations

import json
import statistics
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.services import article_store

from ..defaults import create_defaults
from ..models import Annotation, Claim, Label
from ..reading import PANEL_PAGE_SIZE

READER_TARGET_MS = 50
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


def bench_reader_with_annotations(ctx) -> dict:
    """Time the reader page of an article with 1,000 annotations (target: median <= 50 ms)."""
    repeat = max(1, int(getattr(ctx, "repeat", 20)))
    client = ctx.client
    with _scenario("reader", ANNOTATIONS) as (article, user):
        url = article.get_absolute_url()
        results = {}
        for who in ("anonymous", "annotator"):
            if who == "annotator":
                client.force_login(user)
            client.get(url)  # warm caches: templates, URL resolver, connection
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                _check(response)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            median = _median_ms(timings)
            results[who] = median
            ctx.out(
                f"reader page, {ANNOTATIONS} annotations, {who}: median {median:.1f} ms "
                f"(target <= {READER_TARGET_MS}); {_spread(timings)}; {len(queries)} queries"
            )
        client.logout()
    return results


def _p90_ms(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000


def _spread(timings: list[float]) -> str:
    """Return "min 1.0, p90 2.0 ms over 30 runs" for timings in seconds."""
    return f"min {min(timings) * 1000:.1f}, p90 {_p90_ms(timings):.1f} ms over {len(timings)} runs"


def bench_annotation_create(ctx) -> dict:
    """Time creating an annotation over htmx, as the reader does (target: median <= 20 ms)."""
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
            timings = []
            for i in range(repeat + 1):
                start = (i * 211) % (len(text) - 60)
                end = start + 40
                data = {
                    "exact": text[start:end],
                    "prefix": text[max(0, start - 32) : start],
                    "suffix": text[end : end + 32],
                    "start": start,
                    "end": end,
                    "tags": f"unverified: bench created claim {i % 3}",
                    "visibility": "shared",
                    "shown": ",".join(map(str, shown)),
                }
                started = time.perf_counter()
                response = client.post(url, data, HTTP_HX_REQUEST="true")
                elapsed = time.perf_counter() - started
                _check(response)
                shown.append(json.loads(response.headers["HX-Trigger"])["annotation-saved"]["id"])
                if i:  # the first one warms up
                    timings.append(elapsed)
            median = _median_ms(timings)
            results[existing] = median
            ctx.out(
                f"create annotation (htmx, claim tag), {existing} already there: "
                f"median {median:.1f} ms (target <= {CREATE_TARGET_MS}); {_spread(timings)}"
            )
            client.logout()
    return results

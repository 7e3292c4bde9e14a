"""Benchmarks of live updates: what an idle poll costs, and how soon a poll sees a change.

Each function takes a context with `out` (prints one line) and `client` (a django.test.Client),
makes its own article and users, and deletes them afterwards.
"""

from __future__ import annotations

import statistics
import time
import uuid
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.core import changefeed
from annotations.core.services import annotation_create, annotation_update
from articles.services import article_store

IDLE_POLLS = 300
CHANGES = 100


@contextmanager
def _scratch():
    """Yield (article, user) made for the benchmark, deleted afterwards."""
    tag = uuid.uuid4().hex[:8]
    user = get_user_model().objects.create_user(f"bench-{tag}", password=None)
    user.groups.add(Group.objects.get_or_create(name="annotator")[0])
    article = article_store(
        title=f"Benchmark {tag}",
        body_markdown="The minister said the marchers were armed.\n\nWitnesses disagreed.",
    ).article
    try:
        yield article, user
    finally:
        article.delete()  # takes its annotations, history and feed with it
        user.delete()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_idle_poll(ctx) -> dict:
    """Median server time and query count of a poll when nothing changed."""
    with _scratch() as (article, user):
        annotation_create(article=article, author=user, exact="armed", note="n")
        cursor = changefeed.cursor_for(article=article)
        url = reverse("collab:article-changes", args=[article.pk])
        times, queries = [], set()
        for _ in range(IDLE_POLLS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = ctx.client.get(url, {"after": cursor}, HTTP_HX_REQUEST="true")
                times.append(time.perf_counter() - started)
            if response.status_code != 204:
                raise RuntimeError(f"an idle poll answered {response.status_code}, not 204")
            queries.add(len(captured))
    result = {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": _percentile(times, 0.95) * 1000,
        "queries": max(queries),
    }
    ctx.out(
        f"idle poll: median {result['median_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms "
        f"over {IDLE_POLLS} polls; {result['queries']} query per poll"
    )
    return result


def bench_change_propagation(ctx) -> dict:
    """Time from a change being committed to a poll reporting it (server side)."""
    with _scratch() as (article, user):
        annotation = annotation_create(article=article, author=user, exact="armed", note="n")
        url = reverse("collab:article-changes", args=[article.pk])
        lags = []
        for n in range(CHANGES):
            cursor = changefeed.cursor_for(article=article)
            annotation = annotation_update(
                annotation=annotation, user=user, version=annotation.version, note=f"edit {n}"
            )  # returns after COMMIT (the service is its own transaction)
            committed = time.perf_counter()
            response = ctx.client.get(url, {"after": cursor}, HTTP_HX_REQUEST="true")
            seen = time.perf_counter()
            if "claimlens:changed" not in response.get("HX-Trigger", ""):
                raise RuntimeError("the poll after a change did not report it")
            lags.append(seen - committed)
    result = {
        "median_ms": statistics.median(lags) * 1000,
        "p95_ms": _percentile(lags, 0.95) * 1000,
    }
    ctx.out(
        f"commit → next poll reports it: median {result['median_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.2f} ms over {CHANGES} changes (server time; a browser "
        "adds up to its 2 s poll interval)"
    )
    return result

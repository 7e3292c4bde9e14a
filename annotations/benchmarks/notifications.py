"""The cost of one claim status change for a user with a long history (issue 12, HIGH 3)."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations.collab.notifications import claim_workers
from annotations.core.services import annotation_create, claim_set_status
from annotations.models import Annotation, Claim, Label, Reply
from articles.services import article_store

# The history the attack used: 200 claims, 1,000 annotations, 500 replies of one user.
CLAIMS, ANNOTATIONS, REPLIES = 200, 1000, 500
TARGET_MS = 100


def bench_status_change_of_a_busy_users_claim(ctx):
    """Change the status of a claim whose author has 200 claims, 1,000 notes, 500 replies."""
    with transaction.atomic():
        busy = ctx.make_user(role="annotator")
        moderator = ctx.make_user(role="moderator")
        body = " ".join(f"Sentence {n} of the busy article." for n in range(CLAIMS))
        article = article_store(title="Busy user's article", body_markdown=body).article
        claims = [
            annotation_create(
                article=article,
                author=busy,
                exact=f"Sentence {n} of the",
                tags=f"unverified: busy claim {n}",
            ).claim
            for n in range(CLAIMS)
        ]
        Annotation.objects.bulk_create(
            Annotation(
                article=article,
                author=busy,
                exact="Sentence 1 of",
                start=body.index("Sentence 1 of"),
                end=body.index("Sentence 1 of") + len("Sentence 1 of"),
                claim=claims[n % CLAIMS],
            )
            for n in range(ANNOTATIONS - CLAIMS)
        )
        notes = list(Annotation.objects.filter(author=busy)[:REPLIES])
        Reply.objects.bulk_create(
            Reply(author=busy, body=f"reply {n}", annotation=notes[n]) for n in range(REPLIES)
        )
        claims = list(Claim.objects.filter(pk__in=[c.pk for c in claims]))

    statuses = [Label.objects.get(slug=slug) for slug in ("false", "misleading")]
    samples = []
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        claim_workers(claims[0])
        workers_ms = (time.perf_counter() - started) * 1000
    workers_queries = len(captured.captured_queries)
    for n, claim in enumerate(claims[:20]):
        started = time.perf_counter()
        claim_set_status(claim=claim, status=statuses[n % 2], user=moderator)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    ctx.result("history of the claim's author", f"{CLAIMS}/{ANNOTATIONS}/{REPLIES}", "")
    ctx.result("who worked on the claim", f"{workers_ms:.1f}", f"ms, {workers_queries} query")
    ctx.result("status change, median", f"{samples[len(samples) // 2]:.1f}", "ms")
    ctx.result("status change, slowest of 20", f"{samples[-1]:.1f}", f"ms (target <= {TARGET_MS})")

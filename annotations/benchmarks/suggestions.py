"""Claim suggestions (issue #16): the extractor's accuracy and speed, and "where else" latency."""

from __future__ import annotations

import statistics
import time

from annotations.suggestions import similarity
from annotations.suggestions.evaluation import CORPUS, HELD_OUT, evaluate, load
from annotations.suggestions.evaluation.demo import demo_golds
from annotations.suggestions.extraction import extract
from articles.models import Article
from articles.services import article_store

PRECISION, RECALL, SPEAKERS, PER_SECOND, WHERE_ELSE_P95_MS = 0.95, 0.90, 0.85, 200, 100
QUERIES = 100
PLANTED = "the reservoir will be empty before the summer unless the leaks are fixed"


def _verdict(value: float, target: float, *, above: bool = True) -> str:
    met = value >= target if above else value <= target
    return f"(target {'≥' if above else '≤'} {target}: {'met' if met else 'MISSED'})"


def bench_claim_suggestions(ctx) -> None:
    """Quote and speaker precision/recall on the evaluation corpus, extraction speed, where else."""
    corpus = [load(path) for path in sorted(CORPUS.glob("*.txt"))] + demo_golds()
    held_out = [load(path) for path in sorted(HELD_OUT.glob("*.txt"))]
    _figures(ctx, "corpus + demo", evaluate(golds=corpus))
    if held_out:  # between blind sets, `heldout/` is empty: nothing to measure
        _figures(ctx, "held out", evaluate(golds=held_out))
    else:
        ctx.out("held out: no blind set at present")
    texts = list(Article.objects.order_by("pk").values_list("body_text", flat=True)[:500])
    started = time.perf_counter()
    for text in texts:
        extract(text)
    rate = len(texts) / (time.perf_counter() - started) if texts else 0.0
    ctx.result(
        "extraction, seeded articles", f"{rate:.0f}", f"articles/s {_verdict(rate, PER_SECOND)}"
    )
    _where_else(ctx)


def _figures(ctx, label: str, figures: dict) -> None:
    ctx.out(
        f"{label}: {figures['articles']} articles, {figures['gold_quotes']} quotes, "
        f"{figures['negatives']} hard negatives"
    )
    precision, recall = figures["precision"], figures["recall"]
    speakers = figures["speaker_accuracy"]
    ctx.result(f"{label}: quote precision", f"{precision:.3f}", _verdict(precision, PRECISION))
    ctx.result(f"{label}: quote recall", f"{recall:.3f}", _verdict(recall, RECALL))
    ctx.result(f"{label}: speaker accuracy", f"{speakers:.3f}", _verdict(speakers, SPEAKERS))
    ctx.result(f"{label}: hard negatives suggested", figures["negatives_suggested"])
    ctx.result(f"{label}: extraction", f"{figures['articles_per_second']:.0f}", "articles/s")


def _where_else(ctx) -> None:
    user = ctx.make_user(role="annotator")
    for n in range(3):
        article_store(
            title=f"Reservoir warning {n}",
            body_markdown=f"Officials met on day {n}.\n\n“{PLANTED.capitalize()},” said Ana Gil.",
        )
    sentences = [
        text.split(". ")[1]
        for text in Article.objects.order_by("?").values_list("body_text", flat=True)[:QUERIES]
        if text.count(". ") > 1
    ]
    queries = ([PLANTED] * 10 + sentences)[:QUERIES]
    samples, found = [], 0
    for query in queries:
        started = time.perf_counter()
        passages = similarity.passages_elsewhere(query)
        similarity.similar_claims(query, user=user)
        samples.append((time.perf_counter() - started) * 1000)
        found += bool(passages)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    ctx.result(
        f"where else, {len(samples)} statements, median", f"{statistics.median(samples):.1f}", "ms"
    )
    ctx.result(
        "where else, p95", f"{p95:.1f}", f"ms {_verdict(p95, WHERE_ELSE_P95_MS, above=False)}"
    )
    ctx.result("statements found elsewhere", f"{found}/{len(samples)}")

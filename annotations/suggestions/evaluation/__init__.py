"""Measure the extractor on a corpus written for it: precision and recall of quote spans and of
speaker attribution, and its speed. Each corpus file is an article (title, blank line, body),
then a `=== gold ===` section: `quote | speaker` lines, and `not: words` for hard negatives
(scare quotes, titles of works, headlines) that must not be suggested. The demo articles are
measured too (demo.py), and a held-out set the rules were never tuned on.
"""

from __future__ import annotations

import time
from pathlib import Path

from annotations.suggestions.evaluation.gold import Gold, load, normal
from annotations.suggestions.extraction import extract

__all__ = ["CORPUS", "HELD_OUT", "Gold", "evaluate", "load"]

CORPUS = Path(__file__).parent / "corpus"
# Written after the rules were tuned on CORPUS and never tuned on since: how they generalise.
HELD_OUT = Path(__file__).parent / "heldout"
OVERLAP = 0.6  # a found span matches a gold one covering this share of both


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= OVERLAP * max(a[1] - a[0], b[1] - b[0])


def _speaker_matches(found: str, gold: str) -> bool:
    found, gold = normal(found), normal(gold)
    return found == gold or (len(gold) > 3 and (gold in found or found in gold))


def evaluate(paths: list[Path] | None = None, *, golds: list[Gold] | None = None) -> dict:
    """Return precision, recall and speaker accuracy over the corpus, and the time per article."""
    if golds is None:
        golds = [load(p) for p in (sorted(CORPUS.glob("*.txt")) if paths is None else paths)]
    found_total = correct = gold_total = recalled = attributed = negatives_hit = 0
    misses: list[str] = []
    for gold in golds:
        found = extract(gold.text)
        found_total += len(found)
        gold_total += len(gold.quotes)
        for s in found:
            if any(_overlaps((s.start, s.end), g[:2]) for g in gold.quotes):
                correct += 1
            if any(_overlaps((s.start, s.end), n) for n in gold.negatives):
                negatives_hit += 1
        for start, end, speaker in gold.quotes:
            match = next((s for s in found if _overlaps((s.start, s.end), (start, end))), None)
            if match is None:
                misses.append(f"missed: {gold.text[start:end][:60]}")
                continue
            recalled += 1
            if _speaker_matches(match.speaker_full, speaker):
                attributed += 1
            else:
                misses.append(f"speaker: {match.speaker_full!r} for {speaker!r}")
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for gold in golds:
            extract(gold.text)
    per_article = (time.perf_counter() - started) / (rounds * len(golds)) if golds else 0.0
    return {
        "articles": len(golds),
        "gold_quotes": gold_total,
        "negatives": sum(len(g.negatives) for g in golds),
        "precision": correct / found_total if found_total else 1.0,
        "recall": recalled / gold_total if gold_total else 1.0,
        "speaker_accuracy": attributed / recalled if recalled else 0.0,
        "negatives_suggested": negatives_hit,
        "ms_per_article": per_article * 1000,
        "articles_per_second": 1 / per_article if per_article else 0.0,
        "misses": misses,
    }

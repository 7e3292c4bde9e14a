"""Re-anchoring 1,000 annotations onto a revised 10,000-word article (target: 0.5 s).

The article is generated (not the seed): sentences of made-up words, some of them misspelt.
The revision corrects the misspellings, inserts and deletes paragraphs and moves one, so every
path runs: annotations kept in place, moved, re-anchored fuzzily, and orphaned.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import Counter
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction

from annotations.core.anchoring import context_of
from annotations.core.reanchoring import reanchor_annotations
from annotations.models import Annotation
from annotations.revisions.services import annotations_reanchor
from articles.rendering import render_markdown_body
from articles.services import article_store

WORDS = 10_000
ANNOTATIONS = 1_000
TARGET_SECONDS = 0.5
_SYLLABLES = ["ka", "lo", "mi", "ta", "ren", "so", "vu", "pe", "dan", "ri", "zo", "bel"]


def _vocabulary(rnd: random.Random, size: int = 3000) -> list[str]:
    return sorted({"".join(rnd.choices(_SYLLABLES, k=rnd.randint(1, 4))) for _ in range(size)})


def _misspell(word: str, rnd: random.Random) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rnd.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generate_article(words: int, rnd: random.Random) -> tuple[list[str], list[str]]:
    """Return the paragraphs of an article with misspellings, and the same corrected."""
    vocabulary = _vocabulary(rnd)
    # Zipf-like: a few words are very common, as in real text.
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    with_typos, corrected = [], []
    written = 0
    while written < words:
        typo_sentences, sentences = [], []
        for _ in range(rnd.randint(2, 5)):
            sentence = rnd.choices(vocabulary, weights, k=rnd.randint(8, 20))
            written += len(sentence)
            misspelt = [_misspell(w, rnd) if rnd.random() < 0.004 else w for w in sentence]
            sentences.append(" ".join(sentence).capitalize() + ".")
            typo_sentences.append(" ".join(misspelt).capitalize() + ".")
        corrected.append(" ".join(sentences))
        with_typos.append(" ".join(typo_sentences))
    return with_typos, corrected


def revise(paragraphs: list[str], rnd: random.Random) -> list[str]:
    """Return a revision: 5 paragraphs inserted, 5 deleted, 1 moved (typos fixed by caller)."""
    revised = list(paragraphs)
    for _ in range(5):
        del revised[rnd.randrange(len(revised))]
    for n in range(5):
        revised.insert(rnd.randrange(len(revised)), f"Update {n}: an editor added this paragraph.")
    moved = revised.pop(rnd.randrange(len(revised)))
    revised.insert(rnd.randrange(len(revised)), moved)
    return revised


def annotations_on(text: str, count: int, rnd: random.Random) -> list[SimpleNamespace]:
    """Return `count` quotes of 1 to 15 words spread over text, with their selectors."""
    word_starts = [
        i
        for i in range(len(text))
        if text[i].isalnum() and (i == 0 or text[i - 1] == " " or text[i - 1] == "\n")
    ]
    quotes = []
    for k in range(count):
        first = (k * len(word_starts)) // count + rnd.randrange(3)
        first = min(first, len(word_starts) - 1)
        start = word_starts[first]
        last = min(first + rnd.randint(0, 14), len(word_starts) - 1)
        end = word_starts[last]
        while end < len(text) and text[end].isalnum():
            end += 1
        prefix, suffix = context_of(text, start, end)
        quotes.append(
            SimpleNamespace(
                exact=text[start:end], prefix=prefix, suffix=suffix, start=start, end=end
            )
        )
    return quotes


def scenario(words: int = WORDS, count: int = ANNOTATIONS, seed: int = 2024):
    """Return (old Markdown, new Markdown, old text, new text, quotes on the old text)."""
    rnd = random.Random(seed)
    with_typos, corrected = generate_article(words, rnd)
    old_markdown = "\n\n".join(with_typos)
    # The revision keeps the paragraphs' order decisions independent of the typo fixes.
    new_markdown = "\n\n".join(revise(corrected, random.Random(seed + 1)))
    old_text = render_markdown_body(old_markdown).text
    new_text = render_markdown_body(new_markdown).text
    return old_markdown, new_markdown, old_text, new_text, annotations_on(old_text, count, rnd)


def _timed(function, repeat: int) -> tuple[list[float], object]:
    timings, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - began)
    return timings, result


def _summary(timings: list[float]) -> str:
    return (
        f"best {min(timings):.3f} s, median {statistics.median(timings):.3f} s over {len(timings)}"
    )


def bench_reanchoring(ctx, *, words: int = WORDS, count: int = ANNOTATIONS, repeat: int = 5):
    """Time re-anchoring, the pure function and the database path behind article_revised."""
    old_markdown, new_markdown, old_text, new_text, quotes = scenario(words, count)
    ctx.out(
        f"re-anchoring {len(quotes)} annotations, {len(old_text.split())} → "
        f"{len(new_text.split())} words (target {TARGET_SECONDS} s)"
    )
    timings, results = _timed(
        lambda: reanchor_annotations(old_text=old_text, new_text=new_text, annotations=quotes),
        repeat,
    )
    methods = Counter(result.anchor for result in results)
    ctx.out(f"  reanchor_annotations (pure): {_summary(timings)}")
    ctx.out(
        "  placed: " + ", ".join(f"{m} {methods[m]}" for m in ("exact", "moved", "fuzzy", "orphan"))
    )

    receiver, stored = [], []
    for _ in range(max(1, repeat // 2)):
        with transaction.atomic():
            article, _ = _article_with_annotations(old_markdown, quotes)
            article.body_text = new_text
            article.revision_number += 1
            began = time.perf_counter()
            annotations_reanchor(article=article, old_text=old_text)
            receiver.append(time.perf_counter() - began)
            transaction.set_rollback(True)
        with transaction.atomic():
            article, title = _article_with_annotations(old_markdown, quotes)
            began = time.perf_counter()
            article_store(title=title, body_markdown=new_markdown, article=article)
            stored.append(time.perf_counter() - began)
            transaction.set_rollback(True)
    ctx.out(
        f"  annotations_reanchor (signal receiver: read, place, bulk update): {_summary(receiver)}"
    )
    ctx.out(
        "  article_store of the revision (render Markdown, save, snapshot, receiver): "
        + _summary(stored)
    )
    return {"pure": min(timings), "receiver": min(receiver), "article_store": min(stored)}


def _article_with_annotations(markdown: str, quotes: list[SimpleNamespace]):
    """Store the article and its annotations in bulk; the caller's transaction rolls back."""
    title = f"Benchmark article {uuid.uuid4().hex[:8]}"
    article = article_store(title=title, body_markdown=markdown).article
    author = get_user_model().objects.create_user(username=f"bench-{uuid.uuid4().hex[:12]}")
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            author=author,
            exact=q.exact,
            prefix=q.prefix,
            suffix=q.suffix,
            start=q.start,
            end=q.end,
            revision_number=article.revision_number,
        )
        for q in quotes
    )
    return article, title

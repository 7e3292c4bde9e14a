"""Find the article an item revises when nothing says so, and the articles it merely resembles."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from rapidfuzz import fuzz

from ..importers import ArticleDraft, ImportFailed
from ..models import Article
from ..search import best_matches_sql
from ..services import clean_title, content_hash
from .checking import rendered_text
from .results import Candidate

# How the revised article was found, when neither its URL nor the person importing said so
# (an item with exactly an article's content goes without saying: it is "unchanged").
BY_CONTENT, BY_TITLE = "", "title and source"
# A possible duplicate: body texts at least this alike (rapidfuzz ratio, in percent), among
# this many candidates found by title and by the search index.
DUPLICATE_RATIO = 90
DUPLICATE_CANDIDATES = 5
# A near copy, not imported unless the person importing says so: at least this alike, in a
# text long enough for a few changed characters to be a copy's edits. In a shorter one they
# are the facts that differ (the day, the figure), so only an identical text is a copy.
NEAR_COPY_RATIO = 95
NEAR_COPY_MIN_CHARS = 280
# Where a copy's candidates are looked for: words of this much of its opening and its end.
SAMPLE_CHARS = 600
_WORD = re.compile(r"[^\W\d_]{4,}")


class Ambiguous(ImportFailed):
    """Several articles could be the one an item revises; the person importing must choose."""

    def __init__(self, message: str, candidates: tuple[Candidate, ...]):
        super().__init__(message)
        self.candidates = candidates


def existing_article(draft: ArticleDraft) -> tuple[Article | None, str]:
    """Return the article a draft without a URL revises, and how it was found; or (None, "").

    First one with exactly this content (the item is then unchanged), else the one with the same
    title and source name. Several of those: the person importing must say which.
    """
    digest = content_hash(
        title=clean_title(draft.title),
        subtitle=clean_title(draft.subtitle),
        byline=clean_title(draft.byline),
        body_text=rendered_text(draft.body_markdown),
    )
    # One query for both: the identical ones first, then (if none) those of this title.
    identical = Q(content_hash=digest)
    found = list(
        Article.objects.filter(identical | Q(title=draft.title, source_name=draft.source_name))
        .annotate(identical=ExpressionWrapper(identical, output_field=BooleanField()))
        .order_by("-identical", "pk")
        .only("pk", "title")[: DUPLICATE_CANDIDATES + 1]
    )
    if found and found[0].identical:
        return found[0], BY_CONTENT
    same = found
    if len(same) > 1:
        ids = ", ".join(str(article.pk) for article in same)
        raise Ambiguous(
            f"articles {ids} all have this title and source: choose the one it revises "
            "(in the preview, or with --article ID), or import it as a new article",
            tuple(Candidate(article.pk, article.title) for article in same),
        )
    if same:
        # Locked and read whole by article_store(); only its id is needed here.
        return same[0], BY_TITLE
    return None, ""


def possible_duplicates(*, body_text: str, exclude: set[int]) -> tuple[Candidate, ...]:
    """Return the articles whose body is at least DUPLICATE_RATIO % like body_text.

    Candidates are found cheaply, by the search index: the best few articles holding all of a
    few distinctive words of the text's opening, or all of its ending (a copy keeps nearly
    every word, under whatever headline); only those are compared, best first. One query.
    """
    queries = [
        " ".join(distinctive_words(part))
        for part in (body_text[:SAMPLE_CHARS], body_text[-SAMPLE_CHARS:])
    ]
    # One round trip: both searches, as a subquery of the fetch of what they found. Written
    # out, not built by the ORM: compiling the queryset cost more CPU than rapidfuzz's work.
    sql, params = best_matches_sql(queries, each=DUPLICATE_CANDIDATES)
    excluded = sorted(exclude)
    not_these = f" AND id NOT IN ({', '.join(['%s'] * len(excluded))})" if excluded else ""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title, body_text FROM {Article._meta.db_table} "  # noqa: S608
            f"WHERE id IN ({sql}){not_these}",
            [*params, *excluded],
        )
        rows = cursor.fetchall()
    for pk, other_title, other_text in rows:
        score = fuzz.ratio(body_text, other_text, score_cutoff=DUPLICATE_RATIO)
        if score:
            found.append(Candidate(pk, other_title, int(score)))
    return tuple(sorted(found, key=lambda c: (-(c.score or 0), c.article_id)))


def distinctive_words(text: str, count: int = 6) -> list[str]:
    """Return the `count` longest different words of a text (long words are the rare ones)."""
    words = dict.fromkeys(word.lower() for word in _WORD.findall(text))
    return sorted(words, key=len, reverse=True)[:count]


def is_near_copy(candidate: Candidate, body_text: str) -> bool:
    """Return whether an article this alike (possible_duplicates) is the same story."""
    score = candidate.score or 0
    if len(body_text) < NEAR_COPY_MIN_CHARS:
        return score >= 100
    return score >= NEAR_COPY_RATIO

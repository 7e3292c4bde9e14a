"""Where else a statement appears: claims that say the same, passages of other articles.

A database prefilter bounds the candidates (PostgreSQL: pg_trgm on claim titles and the
articles' full-text index; SQLite: the FTS5 index and a word filter), then rapidfuzz scores
them: the same quote reported by several outlets, or a close paraphrase, scores high.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from rapidfuzz import fuzz, utils

from annotations.models import Claim
from articles.models import Article

MIN_SCORE = 72.0
CLAIM_CANDIDATES, ARTICLE_CANDIDATES, SHOWN = 200, 25, 8
PHRASE_WORDS = 10  # enough to be nearly unique, short enough for an index lookup
_WORD = re.compile(r"\w{4,}")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "that this with from have will would they their there were been what when which about "
        "into than then them these those also said says told very more most over such only "
        "just dans pour avec sont nicht eine einer sich para como esta este",
    )
)


@dataclass(frozen=True)
class Passage:
    """A passage of another article that says what the statement says."""

    article: Article
    start: int
    end: int
    text: str
    score: float


def key_words(text: str, limit: int = 6) -> list[str]:
    """Return a statement's most telling words: its longest, leaving common ones out."""
    words = {w.lower() for w in _WORD.findall(text)} - _STOP
    return sorted(words, key=lambda w: (-len(w), w))[:limit]


def similar_claims(text: str, *, user, exclude: int | None = None) -> list[tuple[Claim, float]]:
    """Return the claims `user` may see whose title says about what `text` says, best first."""
    words = key_words(text)
    if not words:
        return []
    claims = Claim.objects.visible_to(user).select_related("status")
    if exclude:
        claims = claims.exclude(pk=exclude)
    if connection.vendor == "postgresql":
        claims = claims.extra(  # noqa: S610 - the value is a parameter
            where=["word_similarity(annotations_claim.title, %s) > 0.3"], params=[text[:500]]
        )
    else:
        match = Q()
        for word in words:
            match |= Q(title__icontains=word)
        claims = claims.filter(match)
    scored = [
        (claim, fuzz.token_set_ratio(text, claim.title, processor=utils.default_process))
        for claim in claims[:CLAIM_CANDIDATES]
    ]
    scored = [(c, s) for c, s in scored if s >= MIN_SCORE]
    return sorted(scored, key=lambda pair: -pair[1])[:SHOWN]


def _phrase(text: str) -> str:
    """Return the statement's first words, as a phrase the search index can look up."""
    return " ".join(re.findall(r"\w+", text)[:PHRASE_WORDS])


def _candidate_articles(text: str, words: list[str], exclude: int | None) -> list[int]:
    """Return articles with the statement's words in order (the same quote reported again),
    then those with all its telling words (a paraphrase), newest first, at most a few dozen."""
    longest, fewer = words, words[:3]
    if connection.vendor == "postgresql":
        phrase = "search_vector @@ phraseto_tsquery('english', %s)"
        every = "search_vector @@ to_tsquery('english', %s)"
        sql = "SELECT id FROM articles_article WHERE {} AND id <> %s ORDER BY id DESC LIMIT %s"
        searches = [(phrase, _phrase(text))] + [
            (every, " & ".join(re.sub(r"\W", "", w) for w in group)) for group in (longest, fewer)
        ]
    else:
        sql = (
            "SELECT rowid FROM articles_article_fts WHERE {} AND rowid <> %s "
            "ORDER BY rowid DESC LIMIT %s"
        )
        match = "articles_article_fts MATCH %s"
        searches = [(match, f'"{_phrase(text)}"')] + [
            (match, " AND ".join(f'"{w}"' for w in group)) for group in (longest, fewer)
        ]
    found: list[int] = []
    with connection.cursor() as cursor:
        for n, (where, query) in enumerate(searches):
            if len(found) >= ARTICLE_CANDIDATES or (n == 2 and found):
                break  # three of the words only when nothing closer was found
            if not query.strip('"'):
                continue
            cursor.execute(sql.format(where), [query, exclude or 0, ARTICLE_CANDIDATES])
            found += [row[0] for row in cursor.fetchall() if row[0] not in found]
    return found[:ARTICLE_CANDIDATES]


def passages_elsewhere(text: str, *, exclude_article: int | None = None) -> list[Passage]:
    """Return passages of other articles that say `text`, or nearly, best first.

    The candidates hold its words in order, or share its four longest words; rapidfuzz finds
    where in each the statement is and how close it comes.
    """
    words = key_words(text, 4)
    if len(words) < 2:
        return []
    ids = _candidate_articles(text, words, exclude_article)
    found = []
    for article in Article.objects.filter(pk__in=ids).only("pk", "title", "body_text"):
        aligned = fuzz.partial_ratio_alignment(
            text, article.body_text, processor=None, score_cutoff=MIN_SCORE
        )
        if aligned is None:
            continue
        start, end = _whole_words(article.body_text, aligned.dest_start, aligned.dest_end)
        found.append(
            Passage(article, start, end, article.body_text[start:end], round(aligned.score, 1))
        )
    return sorted(found, key=lambda p: (-p.score, -p.article.pk))[:SHOWN]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words, and trim its spaces."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".!?":
        end -= 1
    return start, end

"""Score a quote's candidates: steps 3 and 4 of the locator (the package's docstring).

Each candidate is weighed on its quote, prefix, suffix and nearness to the expected offset;
an approximate one that falls short of the thresholds below carries why it is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

# Hypothesis's weights (client/src/annotator/anchoring/match-quote.ts).
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2

# An approximate match must differ from the quote by at most this many edits (Levenshtein)
# per character, be this similar to it (normalised Indel similarity, 0..1), and, weighted
# with how well its context matches, score at least this much.
FUZZY_MAX_ERROR_RATE = 0.25
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_MIN_SCORE = 0.75
# Shorter approximate quotes are too common to be placed by resemblance alone: the prefix and
# suffix given must both be there, this alike.
FUZZY_MIN_QUOTE = 8
FUZZY_MIN_CONTEXT = 0.9
# How far the far end of a prefix or suffix may drift (it was cut at 32 characters of a text
# whose white space may differ from ours).
CONTEXT_SLACK = 4


def similarity(a: str, b: str) -> float:
    """Return how alike two strings are, from 0 to 1 (normalised Indel similarity)."""
    return fuzz.ratio(a, b) / 100


def max_errors(quote: str) -> int:
    """Return how many edits an approximate match of quote may differ by."""
    return max(1, math.ceil(len(quote) * FUZZY_MAX_ERROR_RATE))


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    errors: int
    rank: float  # Hypothesis's score, with nearness to the hint
    score: float  # the same without nearness: how sure the placement is
    distance: int
    refusal: str | None


class Context:
    """Score candidates (normalised offsets) on quote, prefix, suffix and nearness."""

    def __init__(self, text: str, prefix: str, suffix: str, hint: int | None):
        self.text, self.prefix, self.suffix, self.hint = text, prefix, suffix, hint

    def score(self, quote: str, start: int, end: int, errors: int) -> Candidate:
        text = self.text
        weights = QUOTE_WEIGHT
        total = QUOTE_WEIGHT * (1 - errors / len(quote))
        sides = []
        if self.prefix:
            before = text[max(0, start - len(self.prefix) - CONTEXT_SLACK) : start].rstrip()
            sides.append(_end_similarity(self.prefix[::-1], before[::-1]))
            total += PREFIX_WEIGHT * sides[-1]
            weights += PREFIX_WEIGHT
        if self.suffix:
            after = text[end : end + len(self.suffix) + CONTEXT_SLACK].lstrip()
            sides.append(_end_similarity(self.suffix, after))
            total += SUFFIX_WEIGHT * sides[-1]
            weights += SUFFIX_WEIGHT
        score = total / weights
        distance = 0
        rank = score
        if self.hint is not None:
            distance = abs(start - self.hint)
            nearness = 1 - distance / max(1, len(text))
            rank = (total + POSITION_WEIGHT * nearness) / (weights + POSITION_WEIGHT)
        refusal = None
        if errors:
            refusal = self._refusal(quote, text[start:end], errors, score, sides)
        return Candidate(start, end, errors, rank, score, distance, refusal)

    def _refusal(
        self, quote: str, found: str, errors: int, score: float, sides: list[float]
    ) -> str | None:
        shown = "“" + (found if len(found) <= 60 else found[:57] + "…") + "”"
        limit = max_errors(quote)
        if errors > limit or similarity(quote, found) < FUZZY_MIN_SIMILARITY:
            return (
                f"the closest passage, {shown}, differs from the quote in {errors} of "
                f"{len(quote)} characters (at most {limit} may differ)"
            )
        if len(quote) < FUZZY_MIN_QUOTE and (len(sides) < 2 or min(sides) < FUZZY_MIN_CONTEXT):
            return (
                f"a quote of {len(quote)} characters that is not in the article is placed only "
                f"where its prefix and suffix confirm it, and they do not confirm {shown}"
            )
        if score < FUZZY_MIN_SCORE:
            return (
                f"the closest passage, {shown}, and its context match too loosely "
                f"(score {score:.2f}, at least {FUZZY_MIN_SCORE} needed)"
            )
        return None


def _end_similarity(pattern: str, window: str) -> float:
    """Return how alike pattern is to the start of window, its far end free to drift."""
    if not window:
        return 0.0
    n = len(pattern)
    best = Levenshtein.distance(pattern, window[:n])
    for size in range(max(1, n - CONTEXT_SLACK), min(len(window), n + CONTEXT_SLACK) + 1):
        if best == 0:
            break
        if size != n:
            best = min(best, Levenshtein.distance(pattern, window[:size], score_cutoff=best))
    return 1 - best / n


def best(candidates: list[Candidate]) -> Candidate:
    """Return the best ranked candidate: nearest the hint, then first in the text, on a tie."""
    return max(candidates, key=lambda c: (c.rank, -c.distance, -c.start))

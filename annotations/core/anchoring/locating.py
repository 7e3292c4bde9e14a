"""Place a quote: at its offsets, else at the best of its candidates, else refuse it.

locate() and anchor_quote() are the locator's way in; the other modules of the package find
the candidates (searching), normalise white space (normalising) and score them (scoring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Required, TypedDict, Unpack

from .normalising import NormalisedText, normalised, spaced
from .scoring import Context, best, max_errors
from .searching import approximate, occurrences

CONTEXT_CHARS = 32
# An approximate match this sure near the expected place ends the search there.
SURE_NEAR_HINT = 0.9


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "exact" | "moved" | "fuzzy"
    score: float = 1.0
    respaced: bool = False  # found only with white space normalised: text[start:end] != quote


@dataclass(frozen=True)
class Anchoring:
    """Where a quote goes, or why it goes nowhere."""

    placement: Placement | None
    reason: str = ""


class QuoteSelector(TypedDict, total=False):
    """What anchor_quote() is told of a passage: its quote, context and expected offsets."""

    exact: Required[str]
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    fuzzy: bool


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the prefix and suffix (up to CONTEXT_CHARS each) around text[start:end]."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def locate(text: str, **selector: Unpack[QuoteSelector]) -> Placement | None:
    """Return where the quote is in text, or None when it cannot be placed (see anchor_quote())."""
    return anchor_quote(text, **selector).placement


def locate_fuzzy(
    text: str, *, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Placement | None:
    """Return locate(..., fuzzy=True) with hint as the expected start."""
    return locate(text, exact=exact, prefix=prefix, suffix=suffix, start=hint, fuzzy=True)


def anchor_quote(
    text: str,
    *,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    fuzzy: bool = False,
) -> Anchoring:
    """Return where the quote goes in text and how it was placed, or why it was refused.

    start/end are the offsets the caller expects (a TextPositionSelector, or where re-anchoring
    mapped the old place); start alone is a hint. Without `fuzzy` only the quote itself (white
    space aside) is placed; with it, a passage within the error threshold may be too.
    """
    # A stored selection may begin or end with a space: it is kept, as one space.
    quote = spaced(exact, strip=False)
    if not quote:
        return Anchoring(None, "there is no quote to place")
    at_offsets = start is not None and end is not None and 0 <= start <= end <= len(text)
    if at_offsets and text[start:end] == exact:
        return Anchoring(Placement(start, end, "exact"))
    norm = normalised(text)
    hint = None
    if start is not None:
        hint = norm.to_normalised(min(max(start, 0), len(text)))
    context = Context(norm.text, spaced(prefix), spaced(suffix), hint)
    candidates = [(s, s + len(quote), 0) for s in occurrences(norm.text, quote)]
    if not candidates:
        if not fuzzy:
            return Anchoring(None, "the quote is not in the article")
        candidates = _approximate_near(norm, quote, context)
        if not candidates:
            return Anchoring(None, "nothing in the article is close enough to the quote")
    scored = [context.score(quote, s, e, errors) for s, e, errors in candidates]
    first = best(scored)
    if first.errors == 0:
        placed_start, placed_end = norm.span_to_original(first.start, first.end)
        respaced = text[placed_start:placed_end] != exact
        method = "exact" if placed_start == start else "moved"
        return Anchoring(Placement(placed_start, placed_end, method, 1.0, respaced))
    accepted = [c for c in scored if c.refusal is None]
    if not accepted:
        return Anchoring(None, first.refusal)
    chosen = best(accepted)
    placed_start, placed_end = norm.span_to_original(chosen.start, chosen.end)
    return Anchoring(Placement(placed_start, placed_end, "fuzzy", round(chosen.score, 3)))


def _approximate_near(
    norm: NormalisedText, quote: str, context: Context
) -> list[tuple[int, int, int]]:
    """Return the approximate candidates: around the hint, if one there is surely it, else all.

    Re-anchoring gives where the diff says the quote went; looking there first spares most
    quotes a search of the whole text.
    """
    limit = max_errors(quote)
    if context.hint is not None:
        reach = max(256, 2 * len(quote))
        near = approximate(norm, quote, limit, context.hint - reach, context.hint + reach)
        for start, end, errors in near:
            candidate = context.score(quote, start, end, errors)
            if candidate.refusal is None and candidate.score >= SURE_NEAR_HINT:
                return near
    return approximate(norm, quote, limit)

"""Place a W3C text-quote/position selector pair onto an article's canonical plain text.

The server decides where an annotation is. In order:
1. the quote at the given offsets ("exact");
2. the quote elsewhere in the text, chosen by how well the prefix and suffix match and by
   nearness to the given offsets ("moved");
3. only when the caller allows it (an article revised, the API, an import): the passage most
   like the quote near the offsets, or anywhere, if it is similar enough ("fuzzy", scored).
A quote that cannot be placed gives None; callers refuse it or keep it as an orphan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

CONTEXT_CHARS = 32

# A fuzzy match must be this similar to the quote (normalised Indel similarity, 0..1) and,
# weighted with how well its context matches, score at least this much.
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_MIN_SCORE = 0.75
FUZZY_CONTEXT_WEIGHT = 0.2
# At most this many edits (Levenshtein) per character of the quote.
FUZZY_MAX_ERROR_RATE = 0.25
# Shorter quotes are too common to be placed by resemblance alone.
FUZZY_MIN_QUOTE = 8
# A quote shorter than this is not searched for in the whole text, only near its offsets.
FUZZY_MIN_QUOTE_ANYWHERE = 16


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "exact" | "moved" | "fuzzy"
    score: float = 1.0


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the prefix and suffix (up to CONTEXT_CHARS each) around text[start:end]."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _common_suffix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def occurrences(text: str, quote: str) -> list[int]:
    """Return every start offset of quote in text (overlapping ones included)."""
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def locate(
    text: str,
    *,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    fuzzy: bool = False,
) -> Placement | None:
    """Return where the quote is in text, or None when it cannot be placed.

    Without `fuzzy` only the exact quote is placed; with it, a passage similar enough is too.
    """
    if not exact:
        return None
    placement = _locate_exact(text, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
    if placement is None and fuzzy:
        placement = locate_fuzzy(text, exact=exact, prefix=prefix, suffix=suffix, hint=start)
    return placement


def _locate_exact(
    text: str, *, exact: str, prefix: str, suffix: str, start: int | None, end: int | None
) -> Placement | None:
    at_offsets = start is not None and end is not None and 0 <= start <= end <= len(text)
    if at_offsets and text[start:end] == exact:
        return Placement(start, end, "exact")
    candidates = occurrences(text, exact)
    if not candidates:
        return None
    hint = start if start is not None else None

    def score(position: int) -> tuple[float, float]:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(exact) : position + len(exact) + len(suffix)]
        context = _common_suffix_len(before, prefix) + _common_prefix_len(after, suffix)
        distance = abs(position - hint) if hint is not None else 0
        return (-context, distance)

    best = min(candidates, key=score)
    method = "exact" if best == start else "moved"
    return Placement(best, best + len(exact), method)


def similarity(a: str, b: str) -> float:
    """Return how alike two strings are, from 0 to 1 (normalised Indel similarity)."""
    return fuzz.ratio(a, b) / 100


def max_errors(quote: str) -> int:
    """Return how many edits a fuzzy match of quote may differ by."""
    return max(1, math.ceil(len(quote) * FUZZY_MAX_ERROR_RATE))


def _context_similarity(text: str, start: int, end: int, prefix: str, suffix: str) -> float | None:
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    weight = len(prefix) + len(suffix)
    if not weight:
        return None
    return (
        similarity(prefix, before) * len(prefix) + similarity(suffix, after) * len(suffix)
    ) / weight


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of a rough match to where it is most like the quote."""
    reach = min(max_errors(quote), 48)
    ends = range(max(start + 1, end - reach), min(len(text), end + reach) + 1)
    end = max(ends, key=lambda e: (fuzz.ratio(quote, text[start:e]), -abs(e - end)), default=end)
    starts = range(max(0, start - reach), min(end - 1, start + reach) + 1)
    start = max(
        starts, key=lambda s: (fuzz.ratio(quote, text[s:end]), -abs(s - start)), default=start
    )
    return start, end


def _snap_to_words(
    text: str, quote: str, start: int, end: int, prefix: str, suffix: str
) -> tuple[int, int]:
    """Widen a match to whole words where the quote itself began and ended on word edges.

    A match that cuts a word ("were pee" for "were peaceful") is then judged on the whole
    word, so it stays unlike the quote instead of looking like a close prefix of it.
    """
    reach = max_errors(quote)
    starts_a_word = quote[:1].isalnum() and not prefix[-1:].isalnum()
    ends_a_word = quote[-1:].isalnum() and not suffix[:1].isalnum()
    if starts_a_word:
        floor = max(0, start - reach)
        while start > floor and text[start - 1].isalnum():
            start -= 1
    if ends_a_word:
        ceiling = min(len(text), end + reach)
        while end < ceiling and text[end].isalnum():
            end += 1
    return start, end


def _aligned(text: str, quote: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Return the span of text[lo:hi] most like quote, roughly."""
    hi = min(hi, len(text))
    if hi - lo <= len(quote):
        return (lo, hi) if hi > lo else None
    alignment = fuzz.partial_ratio_alignment(quote, text[lo:hi])
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    start = lo + alignment.dest_start
    # At the edge of the window the alignment can be shorter than the quote: widen it first.
    end = max(lo + alignment.dest_end, min(len(text), start + len(quote)))
    return _refine(text, quote, start, end)


def score_span(
    text: str, start: int, end: int, *, exact: str, prefix: str = "", suffix: str = ""
) -> float | None:
    """Return the score of text[start:end] as a fuzzy match of the quote, or None if too unlike.

    The score is the quote's similarity weighted with the context's; a span differing from the
    quote by more than max_errors(quote) edits, or below the minimums, is refused.
    """
    candidate = text[start:end]
    if not candidate.strip():
        return None
    quote_similarity = similarity(exact, candidate)
    if quote_similarity < FUZZY_MIN_SIMILARITY:
        return None
    limit = max_errors(exact)
    if Levenshtein.distance(exact, candidate, score_cutoff=limit) > limit:
        return None
    context = _context_similarity(text, start, end, prefix, suffix)
    if context is None:  # no context known: the quote alone decides, with no bonus
        context = quote_similarity
    score = (1 - FUZZY_CONTEXT_WEIGHT) * quote_similarity + FUZZY_CONTEXT_WEIGHT * context
    return score if score >= FUZZY_MIN_SCORE else None


def locate_fuzzy(
    text: str,
    *,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    candidates: Iterable[tuple[int, int]] = (),
) -> Placement | None:
    """Return the passage of text most like the quote, if it is like enough.

    Looked for among `candidates` (spans a caller already suspects, e.g. the quote's old
    place mapped through a diff), then around `hint`, then, for longer quotes, anywhere.
    """
    if len(exact.strip()) < FUZZY_MIN_QUOTE or not text:
        return None
    spans = [(s, e) for s, e in candidates if 0 <= s < e <= len(text)]
    if hint is not None:
        hint = min(max(hint, 0), len(text))
        radius = max(64, len(exact))
        near = _aligned(text, exact, max(0, hint - radius), hint + len(exact) + radius)
        if near is not None:
            spans.append(near)
    best = _best(text, spans, exact=exact, prefix=prefix, suffix=suffix)
    if best is None and len(exact) >= FUZZY_MIN_QUOTE_ANYWHERE:
        anywhere = _aligned(text, exact, 0, len(text))
        best = _best(
            text, [anywhere] if anywhere else [], exact=exact, prefix=prefix, suffix=suffix
        )
    return best


def _best(
    text: str, spans: list[tuple[int, int]], *, exact: str, prefix: str, suffix: str
) -> Placement | None:
    best = None
    for start, end in spans:
        start, end = _snap_to_words(text, exact, start, end, prefix, suffix)
        score = score_span(text, start, end, exact=exact, prefix=prefix, suffix=suffix)
        if score is not None and (best is None or score > best.score):
            best = Placement(start, end, "fuzzy", round(score, 3))
    return best

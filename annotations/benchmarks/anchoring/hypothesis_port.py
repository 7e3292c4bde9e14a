"""A port of the Hypothesis client's matchQuote, to place the corpus as Hypothesis would.

It follows client/src/annotator/anchoring/match-quote.ts and the approx-string-match package
it uses, with html.ts's first step (a TextPositionSelector whose text is the quote is used as
it is). It counts Python characters where JavaScript counts UTF-16 code units, which changes
nothing here but the length of an emoji.
"""

from __future__ import annotations

from annotations.core.anchoring import searching

from .corpus import Case


def _approx_search(text: str, pattern: str, max_errors: float) -> list[tuple[int, int, int]]:
    """Return approx-string-match's search(): the (start, end, errors) with fewest errors."""
    if not pattern:
        return []
    limit = min(max_errors, len(pattern))
    ends = list(searching.ends(text, searching.peq(pattern), len(pattern), 0, len(text), limit))
    if not ends:
        return []
    fewest = min(errors for _, errors in ends)
    reversed_peq = searching.peq(pattern[::-1])
    matches = []
    for end, errors in ends:
        if errors != fewest:
            continue
        # As findMatchStarts: the reversed pattern in the reversed text before the end, with
        # the same errors, the match that makes the passage longest.
        window = text[max(0, end - len(pattern) - errors) : end][::-1]
        back = list(searching.ends(window, reversed_peq, len(pattern), 0, len(window), errors))
        start = end
        if back:
            least = min(e for _, e in back)
            start = min(end - size for size, e in back if e == least)
        matches.append((start, end, errors))
    return matches


def _search(text: str, pattern: str, max_errors: float) -> list[tuple[int, int, int]]:
    exact = [(i, i + len(pattern), 0) for i in searching.occurrences(text, pattern)]
    return exact or _approx_search(text, pattern, max_errors)


def _text_match_score(text: str, pattern: str) -> float:
    if not pattern or not text:
        return 0.0
    matches = _search(text, pattern, len(pattern))
    return 1 - matches[0][2] / len(pattern)


def hypothesis_match_quote(
    text: str, quote: str, *, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int, float] | None:
    """Return matchQuote(text, quote, {prefix, suffix, hint}) as (start, end, score)."""
    if not quote:
        return None
    matches = _search(text, quote, min(256, len(quote) / 2))
    if not matches:
        return None

    def score(match: tuple[int, int, int]) -> float:
        start, end, errors = match
        quote_score = 1 - errors / len(quote)
        prefix_score = (
            _text_match_score(text[max(0, start - len(prefix)) : start], prefix) if prefix else 1
        )
        suffix_score = _text_match_score(text[end : end + len(suffix)], suffix) if suffix else 1
        position_score = 1.0
        if hint is not None:
            position_score = 1 - abs(start - hint) / len(text)
        raw = 50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * position_score
        return raw / 92

    # JavaScript's sort is stable: the first of equal scores wins.
    best = max(matches, key=lambda m: (score(m), -matches.index(m)))
    return best[0], best[1], score(best)


def hypothesis_anchor(text: str, case: Case) -> tuple[int, int] | None:
    """Place a case as the Hypothesis client does (html.ts, then matchQuote with a hint)."""
    at_position = case.start is not None and case.end is not None
    if at_position and text[case.start : case.end] == case.exact:
        return case.start, case.end
    found = hypothesis_match_quote(
        text, case.exact, prefix=case.prefix, suffix=case.suffix, hint=case.start
    )
    return None if found is None else (found[0], found[1])

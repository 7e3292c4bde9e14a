"""Place a W3C text-quote/position selector pair onto an article's canonical plain text.

The server decides where an annotation is. In order:
1. the quote at the given offsets ("exact");
2. the quote elsewhere in the text, chosen by how well the prefix and suffix match and by
   nearness to the given offsets ("moved").
A quote that is not in the text cannot be placed (None); callers refuse it or, when an
article is revised, fall back to fuzzy matching (annotations.reanchoring).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


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
) -> Placement | None:
    """Return where the quote is in text, or None when it is not there exactly."""
    if not exact:
        return None
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

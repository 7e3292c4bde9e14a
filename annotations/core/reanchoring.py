"""Carry annotations from one text of an article to the next.

For each annotation, in order:
(a) its old place mapped through the word diff of old → new: kept when the text there is still
    the quote with its whole context ("exact" if the offsets are unchanged, else "moved");
(b) the quote elsewhere (white space aside), chosen by its prefix and suffix, then by nearness
    to the mapped place → "exact"/"moved";
(c) else the passage most like the quote, scored on quote and context, if it passes the
    threshold → "fuzzy" ((b) and (c) are annotations.core.anchoring.locate, with fuzzy=True);
else it is an orphan: kept with its old quote, no offsets.

Everything here is pure and takes no database queries: the diff is computed once per revision
and each annotation costs a few string comparisons unless it needs a fuzzy search.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from annotations.core.anchoring import Placement, context_of, locate
from articles.diffing import DELETE, EQUAL, INSERT, diff_words

EXACT, MOVED, FUZZY, ORPHAN = "exact", "moved", "fuzzy", "orphan"


class Anchored(Protocol):
    """Anything with W3C selectors: an Annotation, or a plain object in tests and benchmarks."""

    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Reanchored:
    """Where an annotation goes on the new text, and how it was placed."""

    annotation: Any
    anchor: str  # exact | moved | fuzzy | orphan
    score: float
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None

    @property
    def placed(self) -> bool:
        return self.start is not None


class OffsetMap:
    """Map offsets in an old text to the new text through a diff of the two."""

    def __init__(self, diffs: list[tuple[int, str]]):
        # One segment per unchanged or deleted run of the old text: (old start, old length,
        # new start, length of the new text that replaced it, unchanged?).
        self._segments: list[tuple[int, int, int, int, bool]] = []
        old = new = 0
        for op, text in diffs:
            size = len(text)
            if op == EQUAL:
                self._segments.append((old, size, new, size, True))
                old, new = old + size, new + size
            elif op == DELETE:
                self._segments.append((old, size, new, 0, False))
                old += size
            elif op == INSERT:
                if self._segments and not self._segments[-1][4] and self._segments[-1][2] == new:
                    o, s, n, _, _ = self._segments[-1]
                    self._segments[-1] = (o, s, n, size, False)
                new += size
        self._starts = [segment[0] for segment in self._segments]
        self.old_length, self.new_length = old, new

    @classmethod
    def from_texts(cls, old_text: str, new_text: str) -> OffsetMap:
        return cls(diff_words(old_text, new_text))

    def start(self, offset: int) -> int:
        """Return where a passage starting at old `offset` starts in the new text."""
        if offset >= self.old_length:
            return self.new_length
        old, size, new, replaced, unchanged = self._segments[
            bisect_right(self._starts, max(offset, 0)) - 1
        ]
        if unchanged:
            return new + offset - old
        # Inside changed text: the same proportion of the way into what replaced it.
        return new + (offset - old) * replaced // size

    def end(self, offset: int) -> int:
        """Return where a passage ending at old `offset` ends in the new text."""
        offset = min(offset, self.old_length)
        if offset <= 0:
            return self.start(0)
        old, size, new, replaced, unchanged = self._segments[bisect_left(self._starts, offset) - 1]
        if unchanged:
            return new + offset - old
        return new + -(-(offset - old) * replaced // size)  # rounded up


def _has_context(text: str, start: int, end: int, exact: str, prefix: str, suffix: str) -> bool:
    return (
        text[start:end] == exact
        and text[max(0, start - len(prefix)) : start] == prefix
        and text[end : end + len(suffix)] == suffix
    )


def reanchor_one(item: Anchored, new_text: str, offsets: OffsetMap | None) -> Reanchored:
    """Place one annotation on the new text (see the module docstring for the order)."""
    exact, prefix, suffix = item.exact, item.prefix, item.suffix
    if not exact:  # a page note has no passage to carry
        return Reanchored(item, EXACT, 1.0, "", "", "", None, None)
    old_start = item.start
    if old_start is None:
        hint = mapped_end = None
    elif offsets is None:  # no old text to diff against: trust the stored offsets as hints
        hint, mapped_end = old_start, item.end
    else:
        hint, mapped_end = offsets.start(old_start), offsets.end(item.end)

    # (a) the mapped place still holds the quote in its context.
    if hint is not None and _has_context(new_text, hint, mapped_end, exact, prefix, suffix):
        found = Placement(hint, mapped_end, EXACT)
    else:
        # (b), (c): the one locator, by context then nearness; no `end` so that a bare match at
        # the mapped place does not win over the quote in its own context elsewhere.
        found = locate(new_text, exact=exact, prefix=prefix, suffix=suffix, start=hint, fuzzy=True)
    if found is not None:
        new_prefix, new_suffix = context_of(new_text, found.start, found.end)
        if found.method == FUZZY:
            anchor, score = FUZZY, found.score
        else:
            anchor, score = (EXACT if found.start == old_start else MOVED), 1.0
        return Reanchored(
            item,
            anchor,
            score,
            new_text[found.start : found.end],
            new_prefix,
            new_suffix,
            found.start,
            found.end,
        )
    return Reanchored(item, ORPHAN, 0.0, exact, prefix, suffix, None, None)


def reanchor_annotations(
    *, old_text: str | None, new_text: str, annotations: Iterable[Anchored]
) -> list[Reanchored]:
    """Return where each annotation goes on new_text (old_text None: offsets are hints only)."""
    offsets = OffsetMap.from_texts(old_text, new_text) if old_text is not None else None
    return [reanchor_one(item, new_text, offsets) for item in annotations]

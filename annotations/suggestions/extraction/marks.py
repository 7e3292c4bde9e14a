"""Find the quoted spans of a paragraph, whatever marks the page used and however it broke them.

Real pages mix straight, curly and low marks, turn them the wrong way round ("… Rights “, said")
and leave spaces inside them, so double marks are paired in order of appearance, whatever
their direction: the first opens, the next closes. Guillemets pair by direction when a
paragraph has both kinds (« … » in French, Spanish; » … « in German), with any curly marks
inside them left as inner quotes. Single marks are read only in a paragraph without double
marks (British style), and only where they cannot be an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE = '"“”„‟″〝〞'
_DOUBLE_MARK = re.compile(f"[{DOUBLE}]")
_GUILLEMET = re.compile("[«»]")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'‚‹](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?…])[’'›](?=[\s.,;:!?)\]—–-]|$)")
_SPACE = " \t\u00a0\u202f\u2009"


@dataclass(frozen=True)
class Quoted:
    """A quoted span: where its marks are and where the words inside them are."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark (one past the text; the paragraph's end if none)
    start: int  # first character of the words inside
    end: int  # one past their last character

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def _inner(text: str, open_at: int, close_at: int) -> Quoted | None:
    """Return the span between two marks without its spaces and a trailing comma."""
    start, end = open_at + 1, close_at
    while start < end and (text[start] in _SPACE or text[start] in "…" and start == open_at):
        start += 1
    while end > start and text[end - 1] in _SPACE + ",":
        end -= 1
    if end - start < 2:
        return None
    return Quoted(open_at, close_at, start, end)


def _pair_in_order(text: str, marks: list[int], *, paragraph_end: int) -> list[Quoted]:
    spans = []
    for n in range(0, len(marks) - 1, 2):
        if span := _inner(text, marks[n], marks[n + 1]):
            spans.append(span)
    if len(marks) % 2:
        # An odd mark out: a quote that runs on into the next paragraph (its closing mark
        # comes there), when it opens the paragraph's last words.
        last = marks[-1]
        if span := _inner(text, last, paragraph_end):
            spans.append(span)
    return spans


def _guillemets(text: str, start: int, end: int) -> list[Quoted]:
    marks = [m.start() for m in _GUILLEMET.finditer(text, start, end)]
    opener = text[marks[0]]
    spans, depth, opened = [], 0, 0
    for at in marks:
        if text[at] == opener:
            if depth == 0:
                opened = at
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and (span := _inner(text, opened, at)):
                spans.append(span)
    if depth and (span := _inner(text, opened, end)):
        spans.append(span)
    return spans


def _singles(text: str, start: int, end: int) -> list[Quoted]:
    opens = [m.start() for m in _SINGLE_OPEN.finditer(text, start, end)]
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text, start, end)]
    spans, at = [], start
    for open_at in opens:
        if open_at < at:
            continue
        close_at = next((c for c in closes if c > open_at + 1), None)
        if close_at is None:
            # A quote that runs on into the next paragraph, its closing mark left out there
            # as British style does: "‘Then it was a year. Now nobody will give me a date."
            if span := _inner(text, open_at, end):
                spans.append(span)
            break
        if span := _inner(text, open_at, close_at):
            spans.append(span)
        at = close_at + 1
    return spans


def quoted_spans(text: str, start: int, end: int) -> list[Quoted]:
    """Return the outermost quoted spans in text[start:end] (one paragraph), in order."""
    guillemets = [m.start() for m in _GUILLEMET.finditer(text, start, end)]
    marks = [m.start() for m in _DOUBLE_MARK.finditer(text, start, end)]
    # Both kinds, or guillemets alone (one left open at the paragraph's end: «Llevamos …).
    if guillemets and ({text[g] for g in guillemets} == {"«", "»"} or not marks):
        spans = _guillemets(text, start, end)
        # Both styles side by side, not nested: 'ha replicato: “…” «…», ha aggiunto'.
        outside = [m for m in marks if not any(s.open <= m <= s.close for s in spans)]
        if len(outside) >= 2 and len(outside) % 2 == 0:
            spans += _pair_in_order(text, outside, paragraph_end=end)
            spans.sort(key=lambda s: s.open)
        return spans
    if marks:
        # British nesting: ‘… the “digital hub” …?’ has its doubles inside the singles.
        opens = [m.start() for m in _SINGLE_OPEN.finditer(text, start, marks[0])]
        if opens and any(c.start() > marks[-1] for c in _SINGLE_CLOSE.finditer(text, start, end)):
            return _singles(text, start, end)
        return _pair_in_order(text, marks, paragraph_end=end)
    return _singles(text, start, end)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each non-blank line of a plain text (a paragraph each)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]

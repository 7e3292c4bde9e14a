"""Paint annotation highlights into an article's stored HTML.

The stored ``body_html`` gives every text block a ``data-start``: where the block's text begins
in the article's canonical plain text. Annotations point into that text with [start, end).
Painting cuts the annotated stretches into segments where the set of covering annotations is
constant, then walks each block's text nodes (core.cutting) with their offsets and splits
them at the segment boundaries, wrapping every covered run in its own ``<mark>``:

- a mark never spans a block boundary or an inline element's edge, so the HTML stays valid;
- a mark names only its innermost annotation (``data-annotation-id=7``), and overlapping
  ones give it the class ``hl-overlap``; the colour is that of the innermost annotation;
- offsets count characters of text, so entities in the source (``&amp;``) count as one.

The markup around the text is lxml's serialisation; the text is escaped as lxml escapes it,
and what painting adds is ids and checked class names, so everything is escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from heapq import heappop, heappush
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from lxml import html as lxml_html

from annotations.core.cutting import skeleton as _skeleton
from annotations.core.cutting import text_slots as _text_slots

MARK_CLASS = "hl"
OVERLAP_CLASS = "hl-overlap"
ANCHOR_CLASS = "hl-anchor"
# Colours and class names come from validated labels; checked again because they go into
# attributes that CSS reads, where a stray ";" could smuggle in another declaration.
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CSS_CLASS = re.compile(r"^[A-Za-z0-9_-]+$")


def checked_colour(colour: str) -> str:
    """Return colour if it is a "#rrggbb", else "" (for whatever puts it into CSS)."""
    return colour if _COLOUR.match(colour or "") else ""


def checked_class(name: str) -> str:
    """Return name if it is a safe CSS class name, else ""."""
    return name if _CSS_CLASS.match(name or "") else ""


class Span(NamedTuple):
    """One annotation's passage and how to show it (a tuple: pages make thousands at once)."""

    id: int
    start: int
    end: int
    css_class: str = ""  # e.g. "hl-status-unverified"
    colour: str = ""  # "#rrggbb", validated by Label


_ID, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)


class Segment(NamedTuple):
    """A stretch of text [start, end) covered by the same spans all along.

    It keeps what its mark shows, not the spans covering it: with thousands of overlapping
    annotations a stretch is covered by dozens, and listing them on every mark made pages of
    megabytes. Which marks belong to an annotation is found from where it starts and ends.
    """

    start: int
    end: int
    top: Span  # the innermost span (shortest, then newest): its colour shows, a click opens it
    overlap: bool  # covered by more than one span
    starting: tuple[int, ...] = ()  # ids of the spans that begin here


@dataclass
class Painted:
    html: str
    painted_ids: set[int] = field(default_factory=set)


def segments(spans: Iterable[Span]) -> list[Segment]:
    """Return the covered stretches of text in order, each with its innermost span."""
    found = _sweep(sorted(span for span in spans if span.end > span.start))
    return [
        Segment(start, end, top, overlap, tuple(span.id for span in starting))
        for start, end, top, overlap, starting in zip(*found, strict=True)
    ]


def _sweep(spans: list[Span]) -> tuple[list[int], list[int], list[Span], list[bool], list]:
    """Return the covered stretches of spans (non-empty) as parallel lists, in text order.

    (starts, ends, innermost span, covered by more than one, the spans beginning there: a
    list, or () for none). The innermost span is kept in a heap whose tops are dropped once
    they have ended, so each stretch costs a few heap operations however many spans cover it.
    """
    by_start = sorted(spans, key=_START)  # stable: by id where they start together
    start_points = list(map(_START, by_start))
    ending = Counter(map(_END, spans))
    points = sorted(ending.keys() | set(start_points))
    heap: list[tuple[int, int, Span]] = []  # (length, -id, span): the innermost on top
    push, pop, ended, after = heappush, heappop, ending.get, bisect_right
    active = j = 0
    count = len(by_start)
    next_start = start_points[0] if count else None
    starts, ends, tops, overlaps, starting = [], [], [], [], []
    # (Bound once: this loop runs for every stretch of a page of thousands of annotations.)
    add_start, add_end, add_top = starts.append, ends.append, tops.append
    add_overlap, add_starting = overlaps.append, starting.append
    for point, following in zip(points, islice(points, 1, None), strict=False):
        active -= ended(point, 0)
        if point == next_start:
            k = after(start_points, point, j)
            group = by_start[j:k]
            for span in group:
                push(heap, (span[2] - point, -span[0], span))
            active += k - j
            j = k
            next_start = start_points[j] if j < count else None
        else:
            group = ()
        if active:
            top = heap[0][2]
            while top[2] <= point:
                pop(heap)
                top = heap[0][2]
            add_start(point)
            add_end(following)
            add_top(top)
            add_overlap(active > 1)
            add_starting(group)
    return starts, ends, tops, overlaps, starting


def _look(span: Span) -> tuple[str, str]:
    """Return (class attribute, style attribute) for a span's marks, keeping only safe values."""
    return _look_of(span.css_class, span.colour)


@lru_cache(maxsize=256)  # a few looks (one per label and status) serve every span
def _look_of(css_class: str, colour: str) -> tuple[str, str]:
    classes = [MARK_CLASS, *(name for name in css_class.split() if _CSS_CLASS.match(name))]
    style = f"--hl: {colour}" if _COLOUR.match(colour) else ""
    return " ".join(classes), style


def paint(body_html: str, spans: Iterable[Span]) -> Painted:
    """Return body_html with every span's text wrapped in marks, and the ids actually painted.

    The body is painted one top-level element (a paragraph, a list, a quotation) at a time,
    and each element's painting is kept for as long as its HTML and the spans on it stay the
    same: adding an annotation to an article with a thousand repaints one paragraph, not the
    article. Marks never cross a block, so the pieces painted apart join into what painting
    the whole at once gives.
    """
    spans = [span for span in spans if span.end > span.start]
    if not spans or not body_html:
        return Painted(body_html)
    lead, pieces = _pieces(body_html)
    out, painted_ids = [lead], set()
    for html, anchored in _paint_each(pieces, spans, range(len(pieces))):
        out.append(html)
        painted_ids |= anchored
    return Painted("".join(out), painted_ids)


def forget() -> None:
    """Forget every body and piece parsed or painted in this process (a cold start)."""
    for kept in (_pieces, _skeleton, _paint_piece):
        kept.cache_clear()


def touched_pieces(body_html: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Return (index, text start, text end) of each top-level element [start, end) is on."""
    if not body_html or end <= start:
        return []
    _, pieces = _pieces(body_html)
    ends = [piece.end for piece in pieces]
    found = []
    for index in range(bisect_right(ends, start), len(pieces)):
        if pieces[index].start >= end:
            break
        found.append((index, pieces[index].start, pieces[index].end))
    return found


def paint_pieces(body_html: str, spans: Iterable[Span], indices: Iterable[int]) -> list[str]:
    """Return the top-level elements at `indices` painted as paint() paints them in the body.

    `spans` must hold every span on those elements (spans elsewhere may be left out): what an
    element shows depends only on the spans on it and on which of them began before it.
    """
    spans = [span for span in spans if span.end > span.start]
    _, pieces = _pieces(body_html)
    return [html for html, _ in _paint_each(pieces, spans, indices)]


def _paint_each(
    pieces: tuple[_Piece, ...], spans: list[Span], indices: Iterable[int]
) -> Iterator[tuple[str, frozenset[int]]]:
    """Yield (painted html, ids anchored in it) for the pieces at `indices`, in their order."""
    ends = [piece.end for piece in pieces]
    starts = [piece.start for piece in pieces]
    count = len(pieces)
    on_piece: list[list[Span]] = [[] for _ in pieces]
    first_piece: dict[int, int] = {}
    # By id, so that a piece's spans make the same cache key whatever order they come in.
    for span in sorted(spans, key=_ID):  # (by an int: comparing the tuples cost 4 times more)
        end = span[2]
        index = bisect_right(ends, span[1])
        if index < count and starts[index] < end:
            first_piece[span[0]] = index
            # (A span only on the gap between two list items is handed to the list, which
            # finds no text of it to paint: a piece reports only the ids it painted.)
            while True:
                on_piece[index].append(span)
                index += 1
                if index == count or starts[index] >= end:
                    break
    for index in indices:
        piece = pieces[index]
        here = on_piece[index]
        if not here:
            yield piece.html, frozenset()
            continue
        # Its first run carries an annotation's id: on a later piece, it is anchored already.
        anchored_before = frozenset(span[0] for span in here if first_piece[span[0]] < index)
        yield _paint_piece(piece.html, tuple(here), anchored_before)


@dataclass(frozen=True)
class _Piece:
    """A top-level element of a body, with the white space after it, and where its text is."""

    html: str
    start: int  # where its first block's text starts, in the body's text
    end: int  # where its last block's text ends (both where the previous piece ended if it
    # has no block: nothing is painted in it)


@lru_cache(maxsize=32)
def _pieces(body_html: str) -> tuple[str, tuple[_Piece, ...]]:
    """Return what comes before the body's first element, and its elements as pieces."""
    fragment = lxml_html.fragment_fromstring(body_html, create_parent="div")
    pieces: list[_Piece] = []
    for child in fragment:
        html = lxml_html.tostring(child, encoding="unicode", method="html", with_tail=True)
        blocks = [block for block in child.iter() if block.get("data-start") is not None]
        if blocks:
            last = blocks[-1]
            end = int(last.get("data-start")) + sum(len(value) for value in _text_values(last))
            pieces.append(_Piece(html, int(blocks[0].get("data-start")), end))
        else:
            after = pieces[-1].end if pieces else 0
            pieces.append(_Piece(html, after, after))
    # The elements serialised one by one make the whole; before them, only white space.
    whole = lxml_html.tostring(fragment, encoding="unicode", method="html")
    inner = whole[len("<div>") : -len("</div>")]
    lead = inner[: len(inner) - sum(len(piece.html) for piece in pieces)]
    return lead, tuple(pieces)


def _text_values(block) -> Iterator[str]:
    for element, slot in _text_slots(block):
        value = getattr(element, slot)
        if value:
            yield value


# Pieces of recently painted articles, a few MB at most: an edit repaints only its piece.
@lru_cache(maxsize=1024)
def _paint_piece(
    html: str, spans: tuple[Span, ...], anchored_before: frozenset[int]
) -> tuple[str, frozenset[int]]:
    """Return one piece painted, and the ids whose first run it holds.

    Every covered run of a text node gets its own mark; the first run painted after a span
    starts carries its id (a span may start where there is no text to paint, such as between
    two blocks); spans that end before any run are never anchored, and so not reported.
    """
    skeleton = _skeleton(html)
    seg_starts, seg_ends, tops, overlaps, starting = _sweep(list(spans))
    anchored = set(anchored_before)
    pending: list[Span] = []  # started, not yet anchored
    seen = 0  # the segments whose starting spans are in pending
    tags: tuple[dict[int, str], dict[int, str]] = ({}, {})  # by overlap, then top id: "<mark ..."
    escape, markup, texts = skeleton.escape, skeleton.markup, skeleton.texts
    count = len(seg_starts)
    out = [markup[0]]
    add = out.append
    for k, node_start in enumerate(skeleton.starts):
        value = texts[k]
        node_end = node_start + len(value)
        i = bisect_right(seg_ends, node_start)
        cursor = node_start
        while i < count:
            lo = seg_starts[i]
            if lo >= node_end:
                break
            if lo > cursor:
                before = value[cursor - node_start : lo - node_start]
                add(escape(before) if escape else before)
            elif lo < node_start:
                lo = node_start
            hi = seg_ends[i]
            if hi > node_end:
                hi = node_end
            top, overlap = tops[i], overlaps[i]
            tag = tags[overlap].get(top[0])
            if tag is None:
                tag = tags[overlap][top[0]] = _mark_tag(top, overlap)
            if seen <= i:
                while seen <= i:
                    if starting[seen]:
                        pending += starting[seen]
                    seen += 1
                if pending:
                    # Those still going cover this run (every end is a segment boundary).
                    start = seg_starts[i]
                    if len(pending) == 1:  # (mostly)
                        x = pending[0]
                        first = [x[0]] if x[2] > start and x[0] not in anchored else []
                    else:
                        first = sorted(
                            x[0] for x in pending if x[2] > start and x[0] not in anchored
                        )
                    pending = []
                    if first:
                        anchored.update(first)
                        if len(first) > 1:
                            out.extend(
                                f"<span class={ANCHOR_CLASS} id=annotation-{x}></span>"
                                for x in first[1:]
                            )
                        tag = f"{tag} id=annotation-{first[0]}"
            run = value[lo - node_start : hi - node_start]
            add(f"{tag}>{escape(run) if escape else run}</mark>")
            cursor = hi
            i += 1
        if cursor < node_end:
            rest = value[cursor - node_start :]
            add(escape(rest) if escape else rest)
        add(markup[k + 1])
    return "".join(out), frozenset(anchored - anchored_before)


def _mark_tag(top: Span, overlap: bool) -> str:
    """Return the opening <mark tag of a run (without its ">"): its classes and innermost id."""
    classes, style = _look(top)
    if overlap:
        classes = f"{classes} {OVERLAP_CLASS}"
    style = f' style="{style}"' if style else ""
    # Ids, and classes and colours that _look_of checked: nothing needs escaping. An id needs
    # no quotes either (HTML5's unquoted values): on 10,000 marks, that is 40 kB.
    return f'<mark class="{classes}"{style} data-annotation-id={int(top.id)}'


def unpaint(painted_html: str) -> str:
    """Return painted HTML with our marks and anchors removed (for tests and exports)."""
    if not painted_html:
        return painted_html
    fragment = lxml_html.fragment_fromstring(painted_html, create_parent="div")
    for element in list(fragment.iter("mark", "span")):
        if element.tag == "mark" and element.get("data-annotation-id") is not None:
            element.drop_tag()
        elif element.tag == "span" and ANCHOR_CLASS in (element.get("class") or "").split():
            element.drop_tree()
    html = lxml_html.tostring(fragment, encoding="unicode", method="html")
    return html[len("<div>") : -len("</div>")]

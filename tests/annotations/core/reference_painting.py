"""The painter as it was before painting joined precomputed strings (commit 2a6313f).

Kept for the tests only: the painter of annotations.core.painting must give exactly what this
one gives (lxml's tree, split at sentinels, serialised for every piece).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from heapq import heappop, heappush
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html

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


def _innermost(span: Span) -> tuple[int, int]:
    return (span.end - span.start, -span.id)


class Segment:
    """A stretch of text [start, end) covered by the same spans all along.

    It keeps what its mark shows, not the spans covering it: with thousands of overlapping
    annotations a stretch is covered by dozens, and listing them on every mark made pages of
    megabytes. Which marks belong to an annotation is found from where it starts and ends.
    """

    __slots__ = ("start", "end", "top", "overlap", "starting")

    def __init__(
        self, start: int, end: int, top: Span, overlap: bool, starting: tuple[int, ...] = ()
    ):
        self.start, self.end = start, end
        # The innermost span (shortest, then newest): its colour shows, a click opens its card.
        self.top = top
        self.overlap = overlap  # covered by more than one span
        self.starting = starting  # ids of the spans that begin here

    def __repr__(self):
        return f"Segment({self.start}, {self.end}, top={self.top.id}, overlap={self.overlap})"


@dataclass
class Painted:
    html: str
    painted_ids: set[int] = field(default_factory=set)


def segments(spans: Iterable[Span]) -> list[Segment]:
    """Return the covered stretches of text in order, each with its innermost span.

    The innermost span is kept in a heap whose stale tops are dropped as they are met, so
    each stretch costs a few heap operations however many spans cover it.
    """
    starts: dict[int, list[Span]] = defaultdict(list)
    ends: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        if span.end > span.start:
            starts[span.start].append(span)
            ends[span.end].append(span)
    points = sorted(starts.keys() | ends.keys())
    active: dict[int, Span] = {}
    innermost: list[tuple[int, int, int]] = []  # (length, -id, id): a heap
    result = []
    for point, following in zip(points, points[1:], strict=False):
        for span in ends.get(point, ()):
            active.pop(span.id, None)
        starting = starts.get(point, ())
        for span in starting:
            active[span.id] = span
            heappush(innermost, (span.end - span.start, -span.id, span.id))
        if active:
            while innermost[0][2] not in active:
                heappop(innermost)
            top = active[innermost[0][2]]
            ids = tuple(span.id for span in starting)
            result.append(Segment(point, following, top, len(active) > 1, ids))
    return result


def _text_slots(block) -> Iterator[tuple[etree._Element, str]]:
    """Yield (element, "text" | "tail") for each text node of block, in document order."""
    for event, element in etree.iterwalk(block, events=("start", "end")):
        if event == "start":
            if isinstance(element.tag, str):
                yield element, "text"
        elif element is not block:
            yield element, "tail"


def _look(span: Span) -> tuple[str, str]:
    """Return (class attribute, style attribute) for a span's marks, keeping only safe values."""
    return _look_of(span.css_class, span.colour)


@lru_cache(maxsize=256)  # a few looks (one per label and status) serve every span
def _look_of(css_class: str, colour: str) -> tuple[str, str]:
    classes = [MARK_CLASS, *(name for name in css_class.split() if _CSS_CLASS.match(name))]
    style = f"--hl: {colour}" if _COLOUR.match(colour) else ""
    return " ".join(classes), style


def _sentinels(html: str) -> tuple[str, str, str]:
    """Return three private-use characters that do not occur in html."""
    present = set(html)
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in present)
    return next(free), next(free), next(free)


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


def paint_pieces(body_html: str, spans: Iterable[Span], indices: Iterable[int]) -> list[str]:
    spans = [span for span in spans if span.end > span.start]
    _, pieces = _pieces(body_html)
    return [html for html, _ in _paint_each(pieces, spans, indices)]


def _paint_each(
    pieces: tuple[_Piece, ...], spans: list[Span], indices: Iterable[int]
) -> Iterator[tuple[str, frozenset[int]]]:
    """Yield (painted html, ids anchored in it) for the pieces at `indices`, in their order."""
    ends = [piece.end for piece in pieces]
    on_piece: dict[int, list[Span]] = defaultdict(list)
    first_piece: dict[int, int] = {}
    # By id, so that a piece's spans make the same cache key whatever order they come in.
    for span in sorted(spans):  # ids are unique: by id
        for index in range(bisect_right(ends, span.start), len(pieces)):
            if pieces[index].start >= span.end:
                break
            # (A span only on the gap between two list items is handed to the list, which
            # finds no text of it to paint: a piece reports only the ids it painted.)
            on_piece[index].append(span)
            first_piece.setdefault(span.id, index)
    for index in indices:
        piece = pieces[index]
        if not on_piece.get(index):
            yield piece.html, frozenset()
            continue
        # Its first run carries an annotation's id: on a later piece, it is anchored already.
        anchored_before = frozenset(
            span.id for span in on_piece[index] if first_piece[span.id] < index
        )
        yield _paint_piece(piece.html, tuple(on_piece[index]), anchored_before)


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
    """Return one piece painted, and the ids whose first run it holds."""
    segs = segments(spans)
    tagger = _Tagger(segs, spans, anchored_before)
    seg_ends = [s.end for s in segs]
    open_, between, close = _sentinels(html)
    tags: list[str] = []  # opening tags, referred to from the text by their index
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    blocks = [el for el in fragment.iter() if el.get("data-start") is not None]
    for block in blocks:
        offset = int(block.get("data-start"))
        for element, slot in list(_text_slots(block)):
            value = getattr(element, slot)
            if not value:
                continue
            node_start, node_end = offset, offset + len(value)
            offset = node_end
            i = bisect_right(seg_ends, node_start)
            if i == len(segs) or segs[i].start >= node_end:
                continue
            out = []
            cursor = node_start
            while i < len(segs) and segs[i].start < node_end:
                seg = segs[i]
                lo, hi = max(seg.start, node_start), min(seg.end, node_end)
                if lo > cursor:
                    out.append(value[cursor - node_start : lo - node_start])
                out += (
                    open_,
                    str(len(tags)),
                    between,
                    value[lo - node_start : hi - node_start],
                    close,
                )
                tags.append(tagger.open_tag(i))
                cursor = hi
                i += 1
            if cursor < node_end:
                out.append(value[cursor - node_start :])
            setattr(element, slot, "".join(out))
    painted = lxml_html.tostring(fragment, encoding="unicode", method="html")
    marker = re.compile(f"{open_}(\\d+){between}|{close}")
    painted = marker.sub(lambda m: tags[int(m.group(1))] if m.group(1) else "</mark>", painted)
    # Strip the wrapper <div> added for parsing.
    return painted[len("<div>") : -len("</div>")], frozenset(tagger.anchored - anchored_before)


class _Tagger:
    """Make the opening tags of a piece's runs, in text order, anchoring each span's first run.

    A span's first run is the first run painted after it starts (a span may start where
    there is no text to paint, such as between two blocks); spans that end before any run
    are never anchored, and so not reported as painted.
    """

    def __init__(self, segs: list[Segment], spans, anchored_before: frozenset[int]):
        self.segs = segs
        self.looks = {span.id: _look(span) for span in spans}
        self.ends = {span.id: span.end for span in spans}
        self.anchored: set[int] = set(anchored_before)
        self.pending: list[int] = []  # started, not yet anchored
        self.seen = 0  # the segments whose starting spans are in pending
        self.starts: dict[tuple[int, bool], str] = {}

    def open_tag(self, index: int) -> str:
        """Return the opening <mark> tag of a run of segment `index` (after any anchors)."""
        seg = self.segs[index]
        key = (seg.top.id, seg.overlap)
        tag = self.starts.get(key)
        if tag is None:
            classes, style = self.looks[seg.top.id]
            if seg.overlap:
                classes = f"{classes} {OVERLAP_CLASS}"
            style = f' style="{style}"' if style else ""
            # Ids, and classes and colours that _look_of checked: nothing needs escaping.
            tag = self.starts[key] = f'<mark class="{classes}"{style} data-annotation-id="{key[0]}"'
        pending = self.pending
        while self.seen <= index:
            pending += self.segs[self.seen].starting
            self.seen += 1
        if not pending:
            return f"{tag}>"
        # Those still going cover this run (every end is a segment boundary).
        ends, anchored, start = self.ends, self.anchored, seg.start
        first_ids = sorted(i for i in pending if ends[i] > start and i not in anchored)
        self.pending = []
        if not first_ids:
            return f"{tag}>"
        # The first run of an annotation carries its id so #annotation-<pk> scrolls to it;
        # when several begin in the same run, the others get an empty anchor just before.
        self.anchored.update(first_ids)
        anchors = "".join(
            f'<span class="{ANCHOR_CLASS}" id="annotation-{extra}"></span>'
            for extra in first_ids[1:]
        )
        return f'{anchors}{tag} id="annotation-{first_ids[0]}">'

"""Paint annotation highlights into an article's stored HTML, in one pass.

The stored ``body_html`` gives every text block a ``data-start``: where the block's text begins
in the article's canonical plain text. Annotations point into that text with [start, end).
Painting parses the HTML once, cuts the annotated stretches into segments where the set of
covering annotations is constant, then walks each block's text nodes with a running offset and
splits them at the segment boundaries, wrapping every covered run in its own ``<mark>``:

- a mark never spans a block boundary or an inline element's edge, so the HTML stays valid;
- overlapping annotations give segments listing every id (``data-annotations="3 7"``) and the
  class ``hl-overlap``; the colour is that of the innermost annotation;
- offsets count characters of text, so entities in the source (``&amp;``) count as one.

Everything emitted is built as lxml elements and serialised by lxml, so it is escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

MARK_CLASS = "hl"
OVERLAP_CLASS = "hl-overlap"
ANCHOR_CLASS = "hl-anchor"
# Colours and class names come from validated labels; checked again because they go into
# attributes that CSS reads, where a stray ";" could smuggle in another declaration.
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CSS_CLASS = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Span:
    """One annotation's passage and how to show it."""

    id: int
    start: int
    end: int
    css_class: str = ""  # e.g. "hl-status-unverified"
    colour: str = ""  # "#rrggbb", validated by Label


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[Span, ...]

    @property
    def top(self) -> Span:
        """Return the innermost span (shortest, then newest): its colour shows."""
        return min(self.spans, key=lambda s: (s.end - s.start, -s.id))


@dataclass
class Painted:
    html: str
    painted_ids: set[int] = field(default_factory=set)


def segments(spans: Iterable[Span]) -> list[Segment]:
    """Return the covered stretches of text in order, each with the spans covering all of it."""
    starts: dict[int, list[Span]] = defaultdict(list)
    ends: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        if span.end > span.start:
            starts[span.start].append(span)
            ends[span.end].append(span)
    points = sorted(starts.keys() | ends.keys())
    active: dict[int, Span] = {}
    result = []
    for point, following in zip(points, points[1:], strict=False):
        for span in ends.get(point, ()):
            active.pop(span.id, None)
        for span in starts.get(point, ()):
            active[span.id] = span
        if active:
            result.append(Segment(point, following, tuple(active.values())))
    return result


def _text_slots(block) -> Iterator[tuple[etree._Element, str]]:
    """Yield (element, "text" | "tail") for each text node of block, in document order."""
    for event, element in etree.iterwalk(block, events=("start", "end")):
        if event == "start":
            if isinstance(element.tag, str):
                yield element, "text"
        elif element is not block:
            yield element, "tail"


def _mark(segment: Segment, text: str, anchored: set[int]) -> tuple[etree._Element, list[int]]:
    """Return a <mark> for one run of text, and the ids whose first run this is."""
    top = segment.top
    ids = sorted(span.id for span in segment.spans)
    classes = [MARK_CLASS]
    classes += [name for name in top.css_class.split() if _CSS_CLASS.match(name)]
    if len(ids) > 1:
        classes.append(OVERLAP_CLASS)
    mark = etree.Element("mark")
    mark.set("class", " ".join(classes))
    if _COLOUR.match(top.colour):
        mark.set("style", f"--hl: {top.colour}")
    mark.set("data-annotation-id", str(top.id))
    mark.set("data-annotations", " ".join(map(str, ids)))
    mark.text = text
    first = [i for i in ids if i not in anchored]
    anchored.update(first)
    return mark, first


def paint(body_html: str, spans: Iterable[Span]) -> Painted:
    """Return body_html with every span's text wrapped in marks, and the ids actually painted."""
    segs = segments(spans)
    if not segs or not body_html:
        return Painted(body_html)
    seg_ends = [s.end for s in segs]
    fragment = lxml_html.fragment_fromstring(body_html, create_parent="div")
    anchored: set[int] = set()
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
            pieces: list[tuple[str, Segment | None]] = []
            cursor = node_start
            while i < len(segs) and segs[i].start < node_end:
                seg = segs[i]
                lo, hi = max(seg.start, node_start), min(seg.end, node_end)
                if lo > cursor:
                    pieces.append((value[cursor - node_start : lo - node_start], None))
                pieces.append((value[lo - node_start : hi - node_start], seg))
                cursor = hi
                i += 1
            if cursor < node_end:
                pieces.append((value[cursor - node_start :], None))
            _replace_text(element, slot, pieces, anchored)
    html = lxml_html.tostring(fragment, encoding="unicode", method="html")
    # Strip the wrapper <div> added for parsing.
    return Painted(html[len("<div>") : -len("</div>")], anchored)


def _replace_text(element, slot: str, pieces, anchored: set[int]) -> None:
    """Put pieces where one text node was: plain text stays text, covered runs become marks."""
    if slot == "text":
        parent, index = element, 0
    else:
        parent = element.getparent()
        index = parent.index(element) + 1
    head = pieces[0][0] if pieces[0][1] is None else None
    setattr(element, slot, head)
    last = None
    for text, segment in pieces[1:] if head is not None else pieces:
        if segment is None:
            last.tail = text
            continue
        mark, first_ids = _mark(segment, text, anchored)
        # The first run of an annotation carries its id so #annotation-<pk> scrolls to it;
        # when several begin in the same run, the others get an empty anchor just before.
        if first_ids:
            mark.set("id", f"annotation-{first_ids[0]}")
            for extra in first_ids[1:]:
                anchor = etree.Element("span")
                anchor.set("class", ANCHOR_CLASS)
                anchor.set("id", f"annotation-{extra}")
                parent.insert(index, anchor)
                index += 1
        parent.insert(index, mark)
        index += 1
        last = mark


def unpaint(painted_html: str) -> str:
    """Return painted HTML with our marks and anchors removed (for tests and exports)."""
    if not painted_html:
        return painted_html
    fragment = lxml_html.fragment_fromstring(painted_html, create_parent="div")
    for element in list(fragment.iter("mark", "span")):
        if element.tag == "mark" and element.get("data-annotations") is not None:
            element.drop_tag()
        elif element.tag == "span" and ANCHOR_CLASS in (element.get("class") or "").split():
            element.drop_tree()
    html = lxml_html.tostring(fragment, encoding="unicode", method="html")
    return html[len("<div>") : -len("</div>")]

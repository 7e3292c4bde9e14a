"""A piece of a body cut at its blocks' text nodes, so that painting it is joining strings.

Painting (core.painting) wraps stretches of text nodes in marks. Parsing and serialising each
piece with lxml for every painting cost most of it; a piece is cut here once instead: lxml
writes the markup between its text nodes, and painting writes the text, escaped exactly as lxml
escapes it (checked once per piece), with its marks in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html


def text_slots(block) -> Iterator[tuple[etree._Element, str]]:
    """Yield (element, "text" | "tail") for each text node of block, in document order."""
    for event, element in etree.iterwalk(block, events=("start", "end")):
        if event == "start":
            if isinstance(element.tag, str):
                yield element, "text"
        elif element is not block:
            yield element, "tail"


def _sentinel(html: str) -> str:
    """Return a private-use character that does not occur in html."""
    present = set(html)
    return next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in present)


class Skeleton(NamedTuple):
    """A piece's HTML cut at its blocks' text nodes: markup[0] text[0] markup[1] ... markup[n]."""

    markup: tuple[str, ...]
    starts: tuple[int, ...]  # where each text node starts in the body's text
    texts: tuple[str, ...]  # its characters (entities decoded)
    # How the serialiser writes a stretch of a text node; None: as it is (no &, < or >).
    escape: Callable[[str], str] | None


def _escape(text: str) -> str:
    """Escape text as lxml serialises a text node (only &, < and > are written otherwise)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _lxml_escape(text: str) -> str:
    element = etree.Element("b")
    element.text = text
    return lxml_html.tostring(element, encoding="unicode", method="html")[3:-4]


@lru_cache(maxsize=1024)
def skeleton(html: str) -> Skeleton:
    """Return a piece cut at its text nodes, so that painting it is joining strings.

    Parsed and serialised by lxml once: each text node is swapped for a sentinel and the
    serialisation split there. What painting then writes is checked once to be exactly what
    lxml writes (else each stretch is escaped by lxml itself).
    """
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    whole = lxml_html.tostring(fragment, encoding="unicode", method="html")[5:-6]
    sentinel = _sentinel(html)
    starts, texts = [], []
    for block in [el for el in fragment.iter() if el.get("data-start") is not None]:
        offset = int(block.get("data-start"))
        for element, slot in list(text_slots(block)):
            value = getattr(element, slot)
            if value and value != sentinel:  # (blocks are never nested: read each node once)
                starts.append(offset)
                texts.append(value)
                offset += len(value)
                setattr(element, slot, sentinel)
    cut = lxml_html.tostring(fragment, encoding="unicode", method="html")[5:-6]
    markup = tuple(cut.split(sentinel))
    escape = _escape
    written = (_escape(text) + after for text, after in zip(texts, markup[1:], strict=True))
    if markup[0] + "".join(written) != whole:
        escape = _lxml_escape  # not met with a sanitised body; kept exact all the same
    elif not any(char in text for text in texts for char in "&<>"):
        escape = None
    return Skeleton(markup, tuple(starts), tuple(texts), escape)

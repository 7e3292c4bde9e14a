"""Give each block of a body an id and its offset in the canonical plain text.

The canonical plain text is the text of the body's blocks joined by a blank line; each
block's white space is collapsed as a browser shows it, and text lying loose beside blocks
is put in a paragraph of its own, so that every word of a body can be annotated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from .markdown import markdown_to_html
from .sanitising import BLOCK_TAGS, sanitize_stored_body

CONTAINER_TAGS = {"blockquote", "ul", "ol", "figure", "dl", "div", "section"}
# Elements that are never part of a line of text: text beside them in a container is put in a
# paragraph of its own, so that every word of a body is in a block (and can be annotated).
_STRUCTURE_TAGS = BLOCK_TAGS | CONTAINER_TAGS | {"hr", "table", "thead", "tbody", "tfoot", "tr"}
# Text never lies loose in these: an HTML parser (the sanitiser's too) moves it out of a table.
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr"}
BLOCK_SEPARATOR = "\n\n"
WORDS_PER_MINUTE = 230

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    id: str
    tag: str
    start: int
    end: int
    css_class: str = ""


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str
    blocks: tuple[Block, ...]
    word_count: int
    reading_minutes: int


def _normalise_whitespace(block) -> None:
    """Collapse runs of white space in a block's text nodes, trimming its ends."""
    if not len(block):  # text only, as most table cells and list items are
        value = block.text
        if (value and block.tag != "pre") and (
            not value.isprintable() or "  " in value or value[0] == " " or value[-1] == " "
        ):
            block.text = " ".join(value.split())
        return
    ordered = []

    def walk(element):
        ordered.append((element, "text"))
        for child in element:
            walk(child)
            ordered.append((child, "tail"))

    walk(block)
    ordered = [(el, attr) for el, attr in ordered if not (el is block and attr == "tail")]
    pre = block.tag == "pre"
    previous_space = True  # trims leading white space of the block
    for element, attr in ordered:
        value = getattr(element, attr)
        if not value:
            continue
        if element.tag == "br" and attr == "text":
            continue
        if not pre:
            # \s is what str.isspace() accepts, and of that only " " is printable: a printable
            # text without a double space has no run to collapse. That is nearly every text,
            # and the regex cost as much as the rest of annotating.
            if not value.isprintable() or "  " in value:
                value = _WHITESPACE.sub(" ", value)
            if previous_space and value.startswith(" "):
                value = value[1:]
            if value:
                previous_space = value.endswith(" ")
        setattr(element, attr, value)
    if not pre:
        # Trim trailing white space: find the last non-empty text holder.
        for element, attr in reversed(ordered):
            value = getattr(element, attr)
            if value:
                stripped = value.rstrip()
                setattr(element, attr, stripped)
                if stripped:
                    break


def _normalised_text(block, *, leaf: bool) -> str:
    """Collapse the block's white space where it has any to collapse; return its text."""
    if leaf:
        _normalise_whitespace(block)
        return block.text or ""
    text = "".join(block.itertext())
    # Nearly every block's text is already clean: printable, single spaces, trimmed. Then no
    # text node of it can change, and walking them all cost as much as the rest of a block.
    if block.tag == "pre" or (
        text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
    ):
        return text
    _normalise_whitespace(block)
    return _text_of(block)


def _text_of(element) -> str:
    # <br> contributes nothing to textContent; keep its tail. The browser agrees.
    return "".join(element.itertext())


def _parse_fragment(clean_html: str):
    """Return sanitised HTML parsed into a <div>, as plain lxml elements.

    Not lxml.html's elements: their class lookup is a Python call each time an element is
    touched, a third of the time of annotating a long table. A parser per call: lxml's
    parsers are not to be shared between threads.
    """
    document = etree.fromstring(f"<html><body>{clean_html}</body></html>", etree.HTMLParser())
    body = document.find("body")
    fragment = etree.Element("div")
    if body is not None:
        fragment.text = body.text
        fragment.extend(body)
    return fragment


def _drop_tree(element) -> None:
    """Remove an element and what it holds, keeping the text that follows it."""
    parent, tail = element.getparent(), element.tail
    if tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    parent.remove(element)


# Bodies up to this many characters (a long feature is 60,000) have their rendering kept.
_RENDER_CACHE_CHARS = 200_000


def render_markdown_body(source: str, *, slug_prefix: str = "b") -> RenderedBody:
    """Render a Markdown body to HTML with block ids and offsets, and its plain text.

    An import checks a body, may look for an article with identical text, then stores it:
    up to three renderings of one text, which the (immutable) result of the first serves.
    """
    if len(source) > _RENDER_CACHE_CHARS:
        return render_markdown_body_uncached(source, slug_prefix)
    return _cached_render_markdown_body(source, slug_prefix)


def render_markdown_body_uncached(source: str, slug_prefix: str) -> RenderedBody:
    """Return render_markdown_body(source) computed afresh (for measuring what it costs)."""
    return annotate_blocks(markdown_to_html(source), slug_prefix=slug_prefix)


_cached_render_markdown_body = lru_cache(maxsize=4)(render_markdown_body_uncached)


def _is_structure(node) -> bool:
    """Return whether a node stands apart from lines of text: a block, or holds one."""
    if not isinstance(node.tag, str):
        return False
    if node.tag in _STRUCTURE_TAGS:
        return True
    # A parser may leave a block inside an inline element ("<b><li>"): the inline element is
    # then a container, or wrapping it in a paragraph would make a paragraph holding a block.
    return _holds_block(node)


_BLOCK_TAG_LIST = tuple(sorted(BLOCK_TAGS))


def _holds_block(node) -> bool:
    # lxml filters the tags itself: no Python object for the descendants that are not blocks.
    return len(node) > 0 and next(node.iterdescendants(*_BLOCK_TAG_LIST), None) is not None


def _wrap_loose_text(container) -> None:
    """Put text and inline elements lying beside blocks in a container into paragraphs.

    `<div>Lede <b>words</b><p>Body</p></div>` or a list item with a nested list would
    otherwise show words that belong to no block: unannotatable, and missing from the text.
    """
    children = list(container)
    loose = bool(container.text and container.text.strip()) or any(
        (child.tail and child.tail.strip())
        or (not _is_structure(child) and isinstance(child.tag, str) and _text_of(child).strip())
        for child in children
    )
    if not loose:
        return
    leading, container.text = container.text, None
    for child in children:
        container.remove(child)  # its tail goes with it
    run = None

    def new_run(text: str | None):
        paragraph = etree.SubElement(container, "p")
        paragraph.text = text
        return paragraph

    if leading and leading.strip():
        run = new_run(leading)
    for child in children:
        if _is_structure(child):
            tail, child.tail = child.tail, None
            container.append(child)
            run = new_run(tail) if tail and tail.strip() else None
        elif run is None:
            if isinstance(child.tag, str):
                run = new_run(None)
                run.append(child)
            elif child.tail and child.tail.strip():  # a comment: keep only the text after it
                run = new_run(child.tail)
        else:
            run.append(child)


def annotate_blocks(clean_html: str, *, slug_prefix: str = "b") -> RenderedBody:
    """Give each block of sanitised HTML an id and data-start; derive the plain text."""
    if not clean_html.strip():
        return RenderedBody("", "", (), 0, 0)
    fragment = _parse_fragment(clean_html.strip())
    blocks: list[Block] = []
    texts: list[str] = []
    offset = 0

    def visit(element):
        nonlocal offset
        tag = element.tag
        if not isinstance(tag, str):
            return
        leaf = not len(element)
        if tag in BLOCK_TAGS and not _holds_block(element):
            text = _normalised_text(element, leaf=leaf)
            if not text:
                _drop_tree(element)
                return
            if texts:
                offset += len(BLOCK_SEPARATOR)
            block_id = f"{slug_prefix}{len(blocks) + 1}"
            element.set("id", block_id)
            element.set("data-start", str(offset))
            css_class = element.get("class", "")
            blocks.append(Block(block_id, tag, offset, offset + len(text), css_class))
            texts.append(text)
            offset += len(text)
            return
        if tag not in _TABLE_PARTS:
            _wrap_loose_text(element)
        for child in list(element):
            visit(child)

    visit(fragment)
    html = etree.tostring(fragment, encoding="unicode", method="html")
    html = html[len("<div>") : -len("</div>")]  # the fragment's own <div>, added by the parse
    # Sanitised last, whatever the steps above did: the stored body is its own sanitisation.
    html = sanitize_stored_body(html)
    text = BLOCK_SEPARATOR.join(texts)
    words = len(text.split())
    return RenderedBody(
        html=html,
        text=text,
        blocks=tuple(blocks),
        word_count=words,
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0,
    )

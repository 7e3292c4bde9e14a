"""Turn an article's Markdown source into sanitised HTML and the canonical plain text.

The canonical plain text is what annotations point into. It is the text of the body's blocks
(paragraphs, headings, list items, captions, preformatted text) joined by a blank line. Every
block in the HTML carries a stable ``id`` and ``data-start``, the offset where its text begins
in the plain text, so that a browser can turn a selection into offsets the server agrees with:
``data-start`` of the block plus the length of the block's ``textContent`` before the selection.
"""

from __future__ import annotations

import html
import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from lxml import html as lxml_html

# Blocks whose text is part of the canonical plain text. A block never contains another block
# (blockquote, list and figure are containers whose block children carry the text).
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "pre", "dt", "dd"}
CONTAINER_TAGS = {"blockquote", "ul", "ol", "figure", "dl", "div", "section"}
BLOCK_SEPARATOR = "\n\n"
WORDS_PER_MINUTE = 230

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "pre", "code", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub",
    "sup", "small", "mark", "q", "cite", "abbr", "a", "figure", "figcaption", "span", "div",
    "section", "table", "thead", "tbody", "tr", "th", "td", "caption", "time",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "time": {"datetime"},
    "p": {"class"},
    "figure": {"class"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_CLASSES = {"caption", "credit", "lede", "pullquote"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_WHITESPACE = re.compile(r"\s+")


def _keep_known_classes(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name in ALLOWED_CLASSES]
        return " ".join(kept) or None
    return value


# Built once: handing nh3.clean() its options builds a new sanitizer on every call, which cost
# more than cleaning a title. A Cleaner is immutable, so threads can share one.
_SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_known_classes,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_TAG_STRIPPER = nh3.Cleaner(tags=set())


def sanitize_html(raw: str) -> str:
    """Return raw HTML with everything but an allow-list of tags and attributes removed."""
    return _SANITIZER.clean(raw)


def strip_tags(raw: str) -> str:
    """Return the plain text of an HTML string: tags (and script/style content) removed."""
    return html.unescape(_TAG_STRIPPER.clean(raw))


# Building a Markdown converter (its extensions, parsers and patterns) costs as much as
# converting a short article, so each thread keeps its own: an instance is not thread-safe.
_converters = threading.local()
# With quotes left alone, SmartyPants only turns "--", "---" and "..." into dashes and an
# ellipsis, in a pass of its own over the whole tree (a sixth of a conversion). Where the text
# has neither, no node can (escaped characters are placeholders until after that pass), so a
# second converter without the pass renders it the same.
_SMARTY_TRIGGERS = ("--", "...")


def _new_converter(*, smarty: bool = True) -> markdown.Markdown:
    converter = markdown.Markdown(
        extensions=["extra", "sane_lists", "smarty"],
        extension_configs={"smarty": {"smart_quotes": False}},
        output_format="html",
    )
    if not smarty:  # its other change, escapable quotes, stays
        converter.treeprocessors.deregister("smarty")
    return converter


def markdown_to_html(source: str) -> str:
    """Render Markdown (with `{: .caption }` attribute lists) to sanitised HTML."""
    smarty = any(trigger in source for trigger in _SMARTY_TRIGGERS)
    name = "markdown" if smarty else "markdown_without_smarty"
    converter = getattr(_converters, name, None) or _new_converter(smarty=smarty)
    # Taken while in use, so a conversion that fails halfway (a RecursionError on absurd
    # nesting) leaves no half-reset state behind for the next one: a new converter is made.
    setattr(_converters, name, None)
    rendered = converter.reset().convert(source)
    setattr(_converters, name, converter)
    return sanitize_html(rendered)


def render_note(source: str) -> str:
    """Render a user's Markdown note to sanitised HTML (no headings or tables needed)."""
    return markdown_to_html(source)


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


def _text_of(element) -> str:
    # <br> contributes nothing to textContent; keep its tail. The browser agrees.
    return element.text_content()


# Bodies up to this many characters (a long feature is 60,000) have their rendering kept.
_RENDER_CACHE_CHARS = 200_000


def render_markdown_body(source: str, *, slug_prefix: str = "b") -> RenderedBody:
    """Render a Markdown body to HTML with block ids and offsets, and its plain text.

    An import checks a body, may look for an article with identical text, then stores it:
    up to three renderings of one text, which the (immutable) result of the first serves.
    """
    if len(source) > _RENDER_CACHE_CHARS:
        return _render_markdown_body(source, slug_prefix)
    return _cached_render_markdown_body(source, slug_prefix)


def _render_markdown_body(source: str, slug_prefix: str) -> RenderedBody:
    return annotate_blocks(markdown_to_html(source), slug_prefix=slug_prefix)


_cached_render_markdown_body = lru_cache(maxsize=4)(_render_markdown_body)


def annotate_blocks(clean_html: str, *, slug_prefix: str = "b") -> RenderedBody:
    """Give each block of sanitised HTML an id and data-start; derive the plain text."""
    if not clean_html.strip():
        return RenderedBody("", "", (), 0, 0)
    fragment = lxml_html.fragment_fromstring(clean_html, create_parent="div")
    blocks: list[Block] = []
    texts: list[str] = []
    offset = 0

    def visit(element):
        nonlocal offset
        if not isinstance(element.tag, str):
            return
        if element.tag in BLOCK_TAGS and not any(
            isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in element.iterdescendants()
        ):
            _normalise_whitespace(element)
            text = _text_of(element)
            if not text:
                element.drop_tree()
                return
            if texts:
                offset += len(BLOCK_SEPARATOR)
            block_id = f"{slug_prefix}{len(blocks) + 1}"
            element.set("id", block_id)
            element.set("data-start", str(offset))
            blocks.append(
                Block(block_id, element.tag, offset, offset + len(text), element.get("class", ""))
            )
            texts.append(text)
            offset += len(text)
            return
        for child in list(element):
            visit(child)

    for child in list(fragment):
        visit(child)
    # Text directly inside the wrapper (no block) would be invisible to offsets: wrap it.
    html = "".join(
        lxml_html.tostring(child, encoding="unicode", method="html") for child in fragment
    )
    if fragment.text and fragment.text.strip():
        return annotate_blocks(f"<p>{fragment.text}</p>{html}", slug_prefix=slug_prefix)
    text = BLOCK_SEPARATOR.join(texts)
    words = len(text.split())
    return RenderedBody(
        html=html,
        text=text,
        blocks=tuple(blocks),
        word_count=words,
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0,
    )

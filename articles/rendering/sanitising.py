"""Sanitise HTML: an allow-list of tags, attributes, classes and URL schemes, and nothing else.

Whatever a parser or an importer made, what is stored and shown is what these cleaners let
through. sanitize_stored_body() is the last step of rendering a body.
"""

from __future__ import annotations

import html

import nh3

# Blocks whose text is part of the canonical plain text. A block never contains another block
# (blockquote, list and figure are containers whose block children carry the text).
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "pre", "dt", "dd", "td", "th",
    "caption",
}  # fmt: skip

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
# The last pass over a stored body: the same allow-list, plus the block ids and offsets that
# annotate_blocks adds to sanitised HTML. Whatever happened in between, what is stored is
# what this cleaner lets through.
# Classes by nh3's own allow-list, not the callback: a call into Python for every attribute
# (two on every block) was a third of the time of annotating a long table. The first pass has
# already taken out unknown classes, so both cleaners keep the same ones.
_STORED_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    **{tag: ALLOWED_ATTRIBUTES.get(tag, set()) | {"id", "data-start"} for tag in BLOCK_TAGS},
}
_STORED_SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={tag: names - {"class"} for tag, names in _STORED_ATTRIBUTES.items()},
    allowed_classes={
        tag: ALLOWED_CLASSES for tag, names in _STORED_ATTRIBUTES.items() if "class" in names
    },
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitize_html(raw: str) -> str:
    """Return raw HTML with everything but an allow-list of tags and attributes removed."""
    return _SANITIZER.clean(raw)


def sanitize_stored_body(raw: str) -> str:
    """Return a body's HTML with everything but the allow-list and block offsets removed."""
    return _STORED_SANITIZER.clean(raw)


def strip_tags(raw: str) -> str:
    """Return the plain text of an HTML string: tags (and script/style content) removed."""
    return html.unescape(_TAG_STRIPPER.clean(raw))

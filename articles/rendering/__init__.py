"""Turn an article's Markdown source into sanitised HTML and the canonical plain text.

The canonical plain text is what annotations point into. It is the text of the body's blocks
(paragraphs, headings, list items, captions, preformatted text) joined by a blank line. Every
block in the HTML carries a stable ``id`` and ``data-start``, the offset where its text begins
in the plain text, so that a browser can turn a selection into offsets the server agrees with:
``data-start`` of the block plus the length of the block's ``textContent`` before the selection.

One module a step: markdown (Markdown to sanitised HTML, hostile input tamed), blocks (block
ids, offsets and the plain text) and sanitising (the allow-list, applied last). Import the
names from here.
"""

from .blocks import (
    BLOCK_SEPARATOR,
    CONTAINER_TAGS,
    WORDS_PER_MINUTE,
    Block,
    RenderedBody,
    annotate_blocks,
    render_markdown_body,
    render_markdown_body_uncached,
)
from .markdown import MAX_NESTING, limit_nesting, markdown_to_html, render_note
from .sanitising import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    BLOCK_TAGS,
    sanitize_html,
    sanitize_stored_body,
    strip_tags,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "BLOCK_SEPARATOR",
    "BLOCK_TAGS",
    "CONTAINER_TAGS",
    "MAX_NESTING",
    "WORDS_PER_MINUTE",
    "Block",
    "RenderedBody",
    "annotate_blocks",
    "limit_nesting",
    "markdown_to_html",
    "render_markdown_body",
    "render_markdown_body_uncached",
    "render_note",
    "sanitize_html",
    "sanitize_stored_body",
    "strip_tags",
]

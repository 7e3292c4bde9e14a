"""Read article files into drafts: plain text, Markdown, HTML pages, JSON batches and zips.

Each parser takes text (or bytes, for zips) and returns plain data, an ArticleDraft whose body
is Markdown, so that every format ends in the same rendering path. Nothing here touches the
database: articles.imports validates the drafts and stores them through article_store(). A
parser that cannot make an article raises ImportFailed with a reason meant for the person
importing, never a traceback; parse_file() turns those into ParsedItems, one per article.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .batches import parse_json, read_zip, read_zip_member, zip_member_names
from .drafts import (
    EXTENSIONS,
    FORMAT_LABELS,
    FORMATS,
    HTML,
    JSON,
    MD,
    TXT,
    ZIP,
    ArticleDraft,
    ImportFailed,
    ParsedItem,
    declared_charset,
    decode_text,
    detect_format,
    format_from_name,
    format_size,
    parse_published,
    sniff_format,
)
from .html_pages import parse_html
from .markdown_files import parse_markdown, split_front_matter
from .plain_text import escape_markdown, is_caption, parse_text, text_to_markdown

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "FORMAT_LABELS",
    "HTML",
    "JSON",
    "MD",
    "TXT",
    "ZIP",
    "ArticleDraft",
    "ImportFailed",
    "ParsedItem",
    "decode_text",
    "detect_format",
    "escape_markdown",
    "format_from_name",
    "format_size",
    "is_caption",
    "parse_file",
    "parse_html",
    "parse_json",
    "parse_markdown",
    "parse_published",
    "parse_text",
    "read_zip",
    "read_zip_member",
    "sniff_format",
    "split_front_matter",
    "text_to_markdown",
    "zip_member_names",
]

_TEXT_PARSERS: dict[str, Callable[[str], ArticleDraft]] = {TXT: parse_text, MD: parse_markdown}


def parse_file(
    name: str,
    data: bytes,
    *,
    format: str | None = None,
    url: str = "",
    encoding: str | None = None,
) -> list[ParsedItem]:
    """Read one file (or fetched page) into the items it holds, each named for the person.

    A zip member is named "archive.zip/member.txt", a JSON entry "batch.json item 3".
    """
    try:
        chosen = format or detect_format(name, data)
        if chosen == ZIP:
            items = []
            for member, content in read_zip(data):
                label = f"{name}/{member}"
                if isinstance(content, ImportFailed):
                    items.append(ParsedItem(label, error=str(content)))
                else:
                    items.extend(parse_file(label, content))
            return items
        text = _decoded(data, encoding=encoding, html=chosen == HTML)
        if chosen == JSON:
            return [
                ParsedItem(f"{name} item {number}", error=str(entry))
                if isinstance(entry, ImportFailed)
                else ParsedItem(f"{name} item {number}", draft=entry)
                for number, entry in enumerate(parse_json(text), start=1)
            ]
        if chosen == HTML:
            return [ParsedItem(name, draft=parse_html(text, url=url))]
        draft = _TEXT_PARSERS[chosen](text)
        if url and not draft.source_url:
            draft = replace(draft, source_url=url)
        return [ParsedItem(name, draft=draft)]
    except ImportFailed as error:
        return [ParsedItem(name, error=str(error))]


def _decoded(data: bytes, *, encoding: str | None, html: bool) -> str:
    """Decode as told (an HTTP charset), else as UTF-8, else as an HTML page says it is."""
    try:
        return decode_text(data, encoding=encoding)
    except ImportFailed:
        declared = declared_charset(data) if html and not encoding else None
        if not declared or declared.lower().replace("_", "-") in ("utf-8", "utf8"):
            raise
        return decode_text(data, encoding=declared)

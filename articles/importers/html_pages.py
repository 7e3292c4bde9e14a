"""Web pages: the article's text and metadata, found by trafilatura, as Markdown."""

from __future__ import annotations

import html
import re
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .drafts import ArticleDraft, ImportFailed, comparable, parse_published
from .plain_text import caption_markdown, escape_markdown

# Below this many words in sentence-sized lines, what trafilatura found is menus and forms.
MIN_ARTICLE_WORDS = 20
_SENTENCE_LINE_WORDS = 6
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# What trafilatura is asked for (the bench times trafilatura alone with the same options).
EXTRACTION_OPTIONS = {
    "with_metadata": True,
    "include_comments": False,
    "include_formatting": True,
    "include_links": True,
    "include_tables": True,
    # Keeps the blocks around images, where captions outside <figure> live; the images
    # themselves are skipped when converting.
    "include_images": True,
}


def parse_html(text: str, *, url: str = "") -> ArticleDraft:
    """Read a web page's article text and metadata (title, author, date, site, URL)."""
    # lxml refuses a str that declares its encoding: the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        tree = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise ImportFailed("this is not an HTML page that can be read") from None
    page_language = (tree.get("lang") or "").strip()
    captions = _promote_captions(tree)
    # Run as extract() runs it for Markdown: the default, "python", also turns the whole body
    # into plain text for document.text, which nothing here reads (the XML body is converted).
    document = trafilatura.bare_extraction(
        tree, url=url or None, output_format="markdown", **EXTRACTION_OPTIONS
    )
    body = document.body if document is not None else None
    if body is None or _article_words(body) < MIN_ARTICLE_WORDS:
        raise ImportFailed("no article text was found in this page")
    blocks = _xml_blocks(body, captions=captions, base_url=document.url or url)
    title = document.title or next((b.text for b in blocks if b.kind == "h1"), "")
    if not title:
        raise ImportFailed("the page has no title")
    blocks, subtitle = _without_page_header(
        blocks, title=title, description=document.description or ""
    )
    published_at = None
    with suppress(ImportFailed):  # a page's odd date is no reason to refuse its article
        published_at = parse_published(document.date) if document.date else None
    page_url = document.url or url
    return ArticleDraft(
        title=title,
        subtitle=subtitle,
        byline=document.author or "",
        source_name=document.sitename or "",
        source_url=page_url if re.match(r"https?://", page_url or "") else "",
        published_at=published_at,
        language=document.language or page_language,
        body_markdown="\n\n".join(block.markdown for block in blocks),
    )


# Elements with a class "caption", "...-caption" or "caption-...". Found through their class
# attributes, the cheap test first: testing every element of the page cost as much as parsing
# it, and even the cheap test on every element was ~0.4 us each, 9x what this costs.
_CAPTIONED = etree.XPath(
    "//@class[contains(., 'caption')]"
    "[contains(concat(' ', normalize-space(.), ' '), ' caption ')"
    " or contains(., '-caption') or contains(., 'caption-')]/.."
)


def _promote_captions(tree) -> set[str]:
    """Turn figure captions into paragraphs trafilatura keeps; return their texts.

    trafilatura drops <figcaption>, yet a photo's caption is part of what a reader reads.
    """
    captions = set()
    for element in tree.iter("figcaption"):
        element.tag = "p"
        captions.add(comparable(element.text_content()))
    for element in tree.iter("figure"):
        element.tag = "div"
    for element in _CAPTIONED(tree):
        captions.add(comparable(element.text_content()))
    captions.discard("")
    return captions


def _article_words(body) -> int:
    text = "".join(body.itertext())
    return sum(
        len(words)
        for words in (line.split() for line in text.split("\n"))
        if len(words) >= _SENTENCE_LINE_WORDS
    )


@dataclass(frozen=True)
class _XmlBlock:
    kind: str  # p, h1..h6, quote, list, table, code, caption
    text: str
    markdown: str


def _xml_blocks(body, *, captions: set[str], base_url: str) -> list[_XmlBlock]:
    blocks: list[_XmlBlock] = []
    for element in body:
        if not isinstance(element.tag, str) or element.tag == "graphic":
            continue
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        if element.tag == "head":
            level = (element.get("rend") or "h2").lstrip("h")
            level = int(level) if level.isdigit() and 1 <= int(level) <= 6 else 2
            markdown = "#" * level + " " + _inline(element, base_url, line_start=False)
            blocks.append(_XmlBlock(f"h{level}", text, markdown))
        elif element.tag == "quote":
            paragraphs = [_inline(p, base_url) for p in element if p.tag == "p"] or [
                _inline(element, base_url)
            ]
            markdown = "\n>\n".join("> " + p for p in paragraphs if p)
            blocks.append(_XmlBlock("quote", text, markdown))
        elif element.tag == "list":
            blocks.append(_XmlBlock("list", text, _list_markdown(element, base_url)))
        elif element.tag == "table":
            blocks.append(_XmlBlock("table", text, _table_markdown(element, base_url)))
        elif element.tag == "code":
            code = "".join(element.itertext()).strip("\n")
            fence = "~" * max(3, max((len(m) for m in re.findall(r"~+", code)), default=0) + 1)
            blocks.append(_XmlBlock("code", text, f"{fence}\n{code}\n{fence}"))
        elif captions and comparable(text) in captions:
            blocks.append(_XmlBlock("caption", text, caption_markdown(text)))
        else:
            blocks.append(_XmlBlock("p", text, _inline(element, base_url)))
    return blocks


def _without_page_header(
    blocks: list[_XmlBlock], *, title: str, description: str
) -> tuple[list[_XmlBlock], str]:
    """Drop the page's own headline from the body, and return the dek that repeats its summary.

    Only the first few blocks are looked at: further down, a repeat is the author's.
    """
    kept, dek = [], ""
    for index, block in enumerate(blocks):
        if index < 3 and block.kind in ("h1", "h2") and comparable(block.text) == comparable(title):
            continue
        if (
            index < 4
            and not dek
            and description
            and comparable(block.text) == comparable(description)
        ):
            dek = block.text
            continue
        kept.append(block)
    return kept, dek


def _inline(element, base_url: str, *, line_start: bool = True) -> str:
    """Return an element's mixed content as one line of Markdown with inline HTML."""
    parts: list[str] = []

    def text(value: str | None) -> None:
        if value:
            parts.append(" ".join(value.replace("\n", " ").split(" ")))

    def walk(node) -> None:
        text(node.text)
        for child in node:
            if not isinstance(child.tag, str) or child.tag == "graphic":
                text(child.tail)
                continue
            if child.tag == "lb":
                parts.append(" ")
            elif child.tag == "hi":
                tag = _HI_TAGS.get(child.get("rend", ""), "")
                parts.append(f"\x01{tag}" if tag else "")
                walk(child)
                parts.append(f"\x02{tag}" if tag else "")
            elif child.tag == "ref" and _absolute(child.get("target", ""), base_url):
                parts.append(f"\x01a\x03{_absolute(child.get('target', ''), base_url)}\x03")
                walk(child)
                parts.append("\x02a")
            else:
                walk(child)
            text(child.tail)

    walk(element)
    raw = " ".join("".join(parts).split())
    escaped = escape_markdown(raw, line_start=line_start)
    if "\x01" not in escaped and "\x02" not in escaped:  # no markup: most paragraphs
        return escaped
    # Markers survive escaping untouched; only now become tags, so their markup is not escaped.
    escaped = _LINK_MARKER.sub(
        lambda m: f'<a href="{html.escape(html.unescape(m.group(1)), quote=True)}">', escaped
    )
    escaped = _OPEN_MARKER.sub(r"<\1>", escaped)
    return _CLOSE_MARKER.sub(r"</\1>", escaped)


_LINK_MARKER = re.compile(r"\x01a\x03(.*?)\x03")
_OPEN_MARKER = re.compile(r"\x01(\w+)")
_CLOSE_MARKER = re.compile(r"\x02(\w+)")


_HI_TAGS = {"#b": "strong", "#i": "em", "#t": "code", "#sub": "sub", "#sup": "sup", "#u": "u"}


def _absolute(target: str, base_url: str) -> str:
    target = target.strip()
    if not target:
        return ""
    absolute = urljoin(base_url, target) if base_url else target
    return absolute if re.match(r"(?i)https?://", absolute) else ""


def _list_markdown(element, base_url: str, depth: int = 0) -> str:
    ordered = element.get("rend") == "ol"
    lines = []
    for number, item in enumerate((i for i in element if i.tag == "item"), start=1):
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)
        marker = f"{number}." if ordered else "-"
        lines.append("    " * depth + f"{marker} " + _inline(item, base_url))
        lines.extend(_list_markdown(child, base_url, depth + 1) for child in nested)
    return "\n".join(lines)


def _table_markdown(element, base_url: str) -> str:
    rows = [
        [_inline(cell, base_url, line_start=False).replace("|", "\\|") for cell in row]
        for row in element
        if row.tag == "row"
    ]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
    return "\n".join(lines)

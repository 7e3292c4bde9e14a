"""Web pages: the article's text and metadata, found by trafilatura, as Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .drafts import ArticleDraft, ImportFailed, comparable, parse_published
from .plain_text import caption_markdown, escape_markdown, is_boilerplate, is_caption

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
    credits = {comparable(element.text_content()) for element in _CREDITED(tree)} - {""}
    # Run as extract() runs it for Markdown: the default, "python", also turns the whole body
    # into plain text for document.text, which nothing here reads (the XML body is converted).
    document = trafilatura.bare_extraction(
        tree, url=url or None, output_format="markdown", **EXTRACTION_OPTIONS
    )
    body = document.body if document is not None else None
    if body is None or _article_words(body) < MIN_ARTICLE_WORDS:
        raise ImportFailed("no article text was found in this page")
    blocks = _xml_blocks(body, captions=captions, credits=credits, base_url=document.url or url)
    title = document.title or next((b.text for b in blocks if b.kind == "h1"), "")
    if not title:
        raise ImportFailed("the page has no title")
    blocks = _without_page_header(blocks, title=title, description=document.description or "")
    published_at = None
    with suppress(ImportFailed):  # a page's odd date is no reason to refuse its article
        published_at = parse_published(document.date) if document.date else None
    page_url = document.url or url
    return ArticleDraft(
        title=title,
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


# A photo credit marked up on its own ("image-credit") belongs to its caption, not the story.

_CREDITED = etree.XPath(
    "//@class[contains(., 'credit')]"
    "[contains(concat(' ', normalize-space(.), ' '), ' credit ')"
    " or contains(., '-credit') or contains(., 'credit-')]/.."
)
# A lone credit is short: "Photo: Jane Doe/Reuters", "Getty Images", "Foto: dpa".
_CREDIT_MAX_WORDS = 12


def _article_words(body) -> int:
    text = "".join(body.itertext())
    return sum(
        len(words)
        for words in (line.split() for line in text.split("\n"))
        if len(words) >= _SENTENCE_LINE_WORDS
    )


@dataclass(frozen=True)
class _XmlBlock:
    kind: str  # p, h1..h6, quote, list, table, code, caption, lede
    text: str
    markdown: str
    element: etree._Element | None = field(default=None, compare=False)


def _xml_blocks(body, *, captions: set[str], credits: set[str], base_url: str) -> list[_XmlBlock]:
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
            blocks.append(_XmlBlock(f"h{level}", text, markdown, element))
        elif element.tag == "quote":
            blocks.append(_XmlBlock("quote", text, _quote_markdown(element, base_url)))
        elif element.tag == "list":
            blocks.append(_XmlBlock("list", text, _list_markdown(element, base_url)))
        elif element.tag == "table":
            blocks.append(_XmlBlock("table", text, _table_markdown(element, base_url)))
        elif element.tag == "code":
            code = "".join(element.itertext()).strip("\n")
            fence = "~" * max(3, max((len(m) for m in re.findall(r"~+", code)), default=0) + 1)
            blocks.append(_XmlBlock("code", text, f"{fence}\n{code}\n{fence}"))
        elif _is_credit(text, credits) and blocks and blocks[-1].kind == "caption":
            caption = f"{blocks[-1].text} {text}"
            blocks[-1] = _XmlBlock("caption", caption, caption_markdown(caption))
        elif comparable(text) in captions or _is_credit(text, credits) or is_caption(text):
            blocks.append(_XmlBlock("caption", text, caption_markdown(text)))
        else:
            blocks.append(_XmlBlock("p", text, _inline(element, base_url), element))
    return _without_boilerplate(blocks)


def _is_credit(text: str, credits: set[str]) -> bool:
    """Return whether a block is a photo credit standing alone."""
    return len(text.split()) <= _CREDIT_MAX_WORDS and (
        comparable(text) in credits or (is_caption(text) and not _ENDS_SENTENCE.search(text))
    )


_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _without_boilerplate(blocks: list[_XmlBlock]) -> list[_XmlBlock]:
    """Drop related-story links and newsletter pitches, and a heading left with nothing else."""
    dropped = [
        block.kind in ("p", "h2", "h3", "h4", "h5", "h6") and is_boilerplate(block.text)
        for block in blocks
    ]
    for index, block in enumerate(blocks):
        if dropped[index] or block.kind not in ("h2", "h3", "h4", "h5", "h6"):
            continue
        section = []
        for following in range(index + 1, len(blocks)):
            if blocks[following].kind.startswith("h") and blocks[following].kind <= block.kind:
                break
            section.append(following)
        if section and all(dropped[n] for n in section):
            dropped[index] = True
    return [block for block, drop in zip(blocks, dropped, strict=True) if not drop]


def _without_page_header(
    blocks: list[_XmlBlock], *, title: str, description: str
) -> list[_XmlBlock]:
    """Drop the page's own headline from the body, and mark the dek that repeats its summary.

    Only the first few blocks are looked at: further down, a repeat is the author's. The dek
    stays in the body, where it is read, searched and annotated, as a paragraph of class lede.
    """
    kept, dek = [], False
    for index, block in enumerate(blocks):
        if index < 3 and block.kind in ("h1", "h2") and comparable(block.text) == comparable(title):
            continue
        if (
            index < 4
            and not dek
            and description
            and block.element is not None
            and comparable(block.text) == comparable(description)
        ):
            dek = True
            block = _XmlBlock("lede", block.text, _lede_html(block.element), block.element)
        kept.append(block)
    return kept


def _lede_html(element) -> str:
    """Return a paragraph of class lede, as a raw HTML block that every Markdown renderer keeps."""
    inner = _inline(element, "", escape=lambda text, line_start: html.escape(text, quote=False))
    return f'<p class="lede">{inner}</p>'


def _quote_markdown(element, base_url: str) -> str:
    """Return a block quote, a paragraph of it for each of its paragraphs, nothing left out."""
    only_paragraphs = not (element.text or "").strip() and all(
        child.tag == "p" and not (child.tail or "").strip() for child in element
    )
    paragraphs = (
        [_inline(p, base_url) for p in element]
        if only_paragraphs and len(element)
        else [_inline(element, base_url)]
    )
    return "\n>\n".join("> " + p for p in paragraphs if p)


def _inline(
    element, base_url: str, *, line_start: bool = True, escape: Callable[..., str] | None = None
) -> str:
    """Return an element's mixed content as one line of Markdown with inline HTML.

    Every word of the element is kept, in order, and each inline run (strong, em, code, sub,
    sup, links) wraps exactly the words it covered: the text is gathered whole, the tags are
    kept as positions in it, and only the text between tags is escaped. `escape` (Markdown by
    default) is html.escape for a raw HTML block.
    """
    texts: list[str] = []
    length = 0
    runs: list[list] = []  # [start, end, open tag, close tag], in document order

    def add(value: str | None) -> None:
        nonlocal length
        if value:
            texts.append(value)
            length += len(value)

    def walk(node) -> None:
        add(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SPACED:  # a line break or a block inside: its words stay apart
                add(" ")
            if tag and tag != "graphic":
                markup = _inline_markup(child, base_url)
                run = [length, None, *markup] if markup else None
                if run:
                    runs.append(run)
                walk(child)
                if run:
                    run[1] = length
            if tag in _SPACED:
                add(" ")
            add(child.tail)

    walk(element)
    text, runs = _collapsed("".join(texts), runs)
    escape = escape or escape_markdown
    if not runs:  # no markup: most paragraphs
        return escape(text, line_start=line_start)
    # Opening tags in document order, closing tags innermost first, closes before opens.
    events = sorted(
        [(start, 1, n, markup) for n, (start, _end, markup, _close) in enumerate(runs)]
        + [(end, 0, -n, close) for n, (_start, end, _markup, close) in enumerate(runs)]
    )
    parts, position = [], 0
    for offset, _kind, _n, markup in events:
        if offset > position:
            parts.append(escape(text[position:offset], line_start=line_start and not parts))
            position = offset
        parts.append(markup)
    if position < len(text):
        parts.append(escape(text[position:], line_start=line_start and not parts))
    return "".join(parts)


# Children whose words must not run into their neighbours' (trafilatura's "lb" is a <br>).
_SPACED = {"lb", "p", "head", "quote", "list", "item", "row", "cell", "table"}
_HI_TAGS = {"#b": "strong", "#i": "em", "#t": "code", "#sub": "sub", "#sup": "sup", "#u": "u"}
_INLINE_TAGS = {"code": "code", "del": "del"}


def _inline_markup(child, base_url: str) -> tuple[str, str] | None:
    """Return the opening and closing tag an inline child of trafilatura's XML stands for."""
    if child.tag == "hi":
        tag = _HI_TAGS.get(child.get("rend", ""))
    elif child.tag == "ref":
        target = _absolute(child.get("target", ""), base_url)
        if target:
            return f'<a href="{html.escape(target, quote=True)}">', "</a>"
        tag = None
    else:
        tag = _INLINE_TAGS.get(child.tag)
    return (f"<{tag}>", f"</{tag}>") if tag else None


def _collapsed(text: str, runs: list[list]) -> tuple[str, list[list]]:
    """Collapse white space to single spaces and trim it, moving it out of the inline runs.

    An opening tag before a space moves after it and a closing tag after a space before it,
    so "<b> word </b>" becomes " <b>word</b> "; a run left holding no text is dropped.
    """
    if not runs:  # most paragraphs: the same collapse, without the offsets to move
        return " ".join(text.split()), []
    out: list[str] = []
    new_at = [0] * (len(text) + 1)  # where each old offset lands in the collapsed text
    space: dict[int, int] = {}  # old offset at or inside a space run -> new offset of the space
    i = 0
    while i < len(text):
        if text[i].isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            for k in range(i, j + 1):
                space[k] = len(out)
            out.append(" ")
            i = j
            continue
        new_at[i] = len(out)
        out.append(text[i])
        i += 1
    collapsed = "".join(out)
    new_at[len(text)] = len(collapsed)
    lead = 1 if collapsed.startswith(" ") else 0
    stripped = collapsed.strip(" ")
    kept = []
    for start, end, markup, close in runs:
        start = (space[start] + 1 if start in space else new_at[start]) - lead
        end = space.get(end, new_at[end]) - lead
        start, end = max(0, min(start, len(stripped))), max(0, min(end, len(stripped)))
        if end > start:
            kept.append([start, end, markup, close])
    return stripped, kept


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

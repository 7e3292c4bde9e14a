"""Annotations as Markdown, each note written back to Markdown from its sanitised HTML."""

from __future__ import annotations

import re
from itertools import groupby

from django.utils import timezone
from lxml import html as lxml_html

from annotations.core.notes import note_html
from annotations.interop.webannotation import Urls
from articles.models import Article
from articles.rendering import ALLOWED_URL_SCHEMES

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def md_escape(text: str) -> str:
    """Return text with the Markdown characters that would change its look escaped."""
    return (text or "").translate(_MD_SPECIAL)


#
# The note's own Markdown could carry raw HTML and links to javascript: or data: addresses
# into whatever renders the export. Instead the note is rendered with its raw HTML shown as
# text, sanitised (so only the allowed tags and link schemes remain), and written back as
# Markdown: every character of text escaped, every link one the sanitiser let through.

# Stands for "<" while the note is rendered, so raw HTML comes out as text, in code as well.
_LT = "\ue000"
_INLINE_SPECIAL = str.maketrans(
    {**{c: "\\" + c for c in "\\`*_[]#|~"}, "<": "&lt;", ">": "&gt;", "&": "&amp;", _LT: "&lt;"}
)
# Text that would start a list item, a numbered item or a heading underline at a line's start.
_LIST_MARKER = re.compile(r"^([-+])(?=\s|$)", re.MULTILINE)
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)", re.MULTILINE)
_UNDERLINE = re.compile(r"^(?==+\s*$)", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
_WHITESPACE = re.compile(r"\s+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT_BLOCKS = {"p", "dt", "dd", "figcaption", "caption", *_HEADINGS}


def _md_text(text: str | None) -> str:
    # HTML shows any run of white space as one space; a newline would end a Markdown line.
    return _WHITESPACE.sub(" ", text or "").translate(_INLINE_SPECIAL)


def _md_href(href: str) -> str | None:
    """Return a link target safe to write in <...>, or None for one not to link at all."""
    href = href.strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme and scheme not in ALLOWED_URL_SCHEMES:
        return None
    return re.sub(r"[<>\s\\]", lambda m: f"%{ord(m.group()):02X}", href.replace(_LT, "<"))


def _code_span(text: str) -> str:
    text = " ".join(text.replace(_LT, "<").split("\n"))
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_inline(element) -> str:
    parts = [_md_text(element.text)]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_md_inline_element(child))
        parts.append(_md_text(child.tail))
    return "".join(parts)


def _md_inline_element(element) -> str:
    tag = element.tag
    if tag == "br":
        return "  \n"
    if tag == "code":
        return _code_span(element.text_content())
    inner = _md_inline(element)
    if not inner.strip():
        return inner
    if tag in ("strong", "b"):
        return f"**{inner}**"
    if tag in ("em", "i", "cite"):
        return f"*{inner}*"
    if tag in ("del", "s"):
        return f"~~{inner}~~"
    if tag == "q":
        return f"“{inner}”"
    if tag == "a" and element.get("href"):
        href = _md_href(element.get("href"))
        return f"[{inner}](<{href}>)" if href else inner
    return inner


def _md_paragraph(element) -> str:
    lines = _md_inline(element).strip().split("\n")
    # A line after a <br> starts with the space its newline became; its end keeps the break.
    text = "\n".join([lines[0], *(line.lstrip() for line in lines[1:])])
    text = _LIST_MARKER.sub(r"\\\1", text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    return _UNDERLINE.sub("\\\\", text)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0], *[(rest + line) if line else "" for line in lines[1:]]])


def _md_blocks(container) -> list[str]:
    """Return the Markdown blocks of a sanitised element's children."""
    blocks: list[str] = []
    loose = _md_text(container.text).strip()
    if loose:
        blocks.append(loose)
    for child in container:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag
        if tag in _HEADINGS:
            text = _md_paragraph(child)
            blocks.append(f"**{text}**" if text else "")
        elif tag in _TEXT_BLOCKS:
            blocks.append(_md_paragraph(child))
        elif tag in ("ul", "ol"):
            items = [li for li in child if isinstance(li.tag, str)]
            lines = []
            for number, item in enumerate(items, start=1):
                marker = f"{number}. " if tag == "ol" else "- "
                has_blocks = any(isinstance(c.tag, str) and c.tag in _BLOCK_LIKE for c in item)
                body = "\n\n".join(_md_blocks(item)) if has_blocks else _md_paragraph(item)
                lines.append(_indent(body, marker, " " * len(marker)))
            blocks.append("\n".join(lines))
        elif tag == "blockquote":
            inner = "\n\n".join(_md_blocks(child))
            blocks.append("\n".join(f"> {line}" if line else ">" for line in inner.split("\n")))
        elif tag == "pre":
            code = child.text_content().replace(_LT, "<").rstrip("\n")
            longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
            fence = "`" * max(3, longest + 1)
            blocks.append(f"{fence}\n{code}\n{fence}")
        elif tag == "hr":
            blocks.append("* * *")
        elif tag == "tr":
            cells = [_md_paragraph(cell) for cell in child if isinstance(cell.tag, str)]
            blocks.append(" · ".join(cell for cell in cells if cell))
        elif tag in _BLOCK_LIKE:
            blocks.extend(_md_blocks(child))
        else:
            blocks.append(_md_inline_element(child).strip())
        tail = _md_text(child.tail).strip()
        if tail:
            blocks.append(tail)
    return [block for block in blocks if block.strip()]


_BLOCK_LIKE = {
    *_TEXT_BLOCKS,
    "ul", "ol", "li", "blockquote", "pre", "hr", "div", "section", "figure", "dl",
    "table", "thead", "tbody", "tr",
}  # fmt: skip


def note_markdown(note: str) -> str:
    """Return a note as Markdown that can only show text and the links Claimlens allows."""
    # Raw HTML in a note is shown as text in exports, never run.
    clean = note_html(note.replace("<", _LT))
    if not clean.strip():
        return ""
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    return "\n\n".join(_md_blocks(root))


def _md_meta(a) -> str:
    parts = []
    tags = [label.name for label in a.labels.all()]
    if tags:
        parts.append("Tags: " + ", ".join(f"`{t.replace('`', '')}`" for t in tags))
    if a.claim:
        parts.append(f"Claim: **{md_escape(a.claim.title)}** ({md_escape(a.claim.status.name)})")
    parts.append(f"{md_escape(a.author.get_username())}, {a.created_at:%Y-%m-%d}")
    return " · ".join(parts)


def by_article(annotations, article: Article | None) -> list[tuple[Article, list]]:
    groups = [(k, list(g)) for k, g in groupby(annotations, key=lambda a: a.article_id)]
    if article is not None:
        return [(article, groups[0][1] if groups else [])]
    return [(group[0].article, group) for _k, group in groups]


def markdown_text(annotations, *, urls: Urls, article: Article | None = None) -> str:
    """Return a Markdown document: per article its title, then each passage as a quote."""
    lines: list[str] = []
    heading = "#"
    if article is None:
        lines += ["# Annotations in Claimlens", "", f"Exported {timezone.now():%Y-%m-%d}.", ""]
        heading = "##"
    for current, group in by_article(annotations, article):
        lines += [f"{heading} {md_escape(current.title)}", ""]
        address = _md_href(current.source_url or "") or urls.article(current)
        lines += [f"<{address}>", ""]
        if not group:
            lines += ["No annotations.", ""]
        for a in group:
            if a.exact:
                lines += [f"> {md_escape(line)}" if line else ">" for line in a.exact.split("\n")]
                lines.append("")
            else:
                lines += ["*Note on the whole article*", ""]
            note = note_markdown(a.note) if a.note.strip() else ""
            if note:
                lines += [note, ""]
            lines += [_md_meta(a), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"

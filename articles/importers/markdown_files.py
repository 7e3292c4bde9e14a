"""Markdown articles with optional front matter."""

from __future__ import annotations

import re

from .drafts import ArticleDraft, ImportFailed, comparable, parse_published
from .plain_text import is_boilerplate, is_caption

_FRONT_MATTER_KEYS = {
    "title": "title",
    "headline": "title",
    "subtitle": "subtitle",
    "dek": "subtitle",
    "standfirst": "subtitle",
    "description": "subtitle",
    "byline": "byline",
    "author": "byline",
    "authors": "byline",
    "source": "source_name",
    "publisher": "source_name",
    "source_name": "source_name",
    "site": "source_name",
    "url": "source_url",
    "source_url": "source_url",
    "canonical": "source_url",
    "link": "source_url",
    "date": "published_at",
    "published": "published_at",
    "published_at": "published_at",
    "language": "language",
    "lang": "language",
}
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_ATX_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^(```|~~~)")


def parse_markdown(text: str) -> ArticleDraft:
    """Read a Markdown article with optional front matter; the title may be its first # heading."""
    meta, body = split_front_matter(text)
    title = meta.pop("title", "")
    heading, body = _take_first_heading(body, title=title)
    title = title or heading
    if not title:
        raise ImportFailed("no title: add a 'title:' line in front matter or a '# ' heading")
    published = meta.pop("published_at", "")
    return ArticleDraft(
        title=title,
        body_markdown=clean_markdown_body(body).strip("\n"),
        published_at=parse_published(published) if published else None,
        **meta,
    )


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return the known keys of a `---` delimited front matter block, and the rest of the text."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None or not any(_KEY_VALUE.match(line) for line in lines[1:end]):
        return {}, text  # a thematic break, not front matter
    meta: dict[str, str] = {}
    key = None
    for number, line in enumerate(lines[1:end], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") and key:  # a YAML list item under the previous key
            meta[key] = ", ".join(filter(None, [meta.get(key, ""), _unquote(stripped[2:])]))
            continue
        match = _KEY_VALUE.match(stripped)
        if not match:
            raise ImportFailed(f"front matter line {number} is not 'key: value': {stripped[:60]!r}")
        key = _FRONT_MATTER_KEYS.get(match.group(1).lower())
        if key:
            value = match.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                value = ", ".join(_unquote(part) for part in value[1:-1].split(",") if part.strip())
            meta[key] = _unquote(value)
    return meta, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _take_first_heading(body: str, *, title: str) -> tuple[str, str]:
    """Return the first `# ` heading and the body without it (only if it is, or is, the title)."""
    lines = body.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        match = None if fenced else _ATX_H1.match(line)
        if match:
            heading = match.group(1).strip()
            if title and comparable(heading) != comparable(title):
                return "", body
            return heading, "\n".join(lines[:i] + lines[i + 1 :])
    return "", body


# --- Captions, credits and a page's furniture ----------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NOT_PARAGRAPH = re.compile(r"^(?:#|>|[-+*] |\d+[.)] |\||<|    |\t|```|~~~|\{:)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_LINK_ITEM = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+(?:\*\*|__|\*|_)?\[[^\]]*\]\([^)]*\)\W*$")
_ATTRIBUTES = re.compile(r"\n\{:[^}]*\}\s*$")
# A lone credit is short: "Photo: Jane Doe/Reuters", "Getty Images", "Foto: dpa".
_CREDIT_MAX_WORDS = 12


def clean_markdown_body(body: str) -> str:
    """Mark photo captions (with their credits) and drop related links and newsletter pitches.

    Only paragraphs are looked at, and a heading whose section holds nothing else, or only a
    list of links: code, lists, quotes and HTML stay as written.
    """
    blocks = _markdown_blocks(body)
    kept: list[str] = []
    kinds: list[str] = []
    skip_links = False
    for block in blocks:
        first = block.lstrip("\n").split("\n", 1)[0]
        heading = _HEADING.match(first)
        if skip_links and all(_LINK_ITEM.match(line) for line in block.strip().split("\n")):
            continue
        skip_links = False
        if heading:
            if is_boilerplate(_plain(first[heading.end() :])):
                skip_links = True
                continue
            kept.append(block)
            kinds.append("heading")
            continue
        if _NOT_PARAGRAPH.match(first) or _ATTRIBUTES.search(block):
            kept.append(block)
            kinds.append("other")
            continue
        text = _plain(block)
        if not text:
            kept.append(block)
            kinds.append("image" if _IMAGE.search(block) else "other")
            continue
        if is_boilerplate(text):
            continue
        credit = len(text.split()) <= _CREDIT_MAX_WORDS and is_caption(text)
        if credit and kinds and kinds[-1] == "caption":
            kept[-1] = _ATTRIBUTES.sub("", kept[-1]) + " " + block.strip() + "\n{: .caption }"
            continue
        after_image = kinds and kinds[-1] == "image" and _emphasised(block)
        if is_caption(text) or after_image or (_IMAGE.search(block) and _emphasised(block)):
            kept.append(block.rstrip() + "\n{: .caption }")
            kinds.append("caption")
            continue
        kept.append(block)
        kinds.append("paragraph")
    return "\n\n".join(kept)


def _markdown_blocks(body: str) -> list[str]:
    """Split Markdown at blank lines, keeping a fenced code block whole."""
    blocks, current, fenced = [], [], False
    for line in body.split("\n"):
        if _FENCE.match(line.strip()):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _plain(markdown: str) -> str:
    """Return roughly the text a Markdown paragraph shows, enough to tell what it is."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*_`]", "", text))
    return " ".join(text.split())


def _emphasised(block: str) -> bool:
    """Return whether a block's text (images aside) is all in italics, as captions are written."""
    text = _IMAGE.sub("", block).strip()
    return bool(re.fullmatch(r"(\*|_)(?!\1)\S(?:.*\S)?\1", text, re.S))

"""Markdown articles with optional front matter."""

from __future__ import annotations

import re

from .drafts import ArticleDraft, ImportFailed, comparable, parse_published

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
        body_markdown=body.strip("\n"),
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

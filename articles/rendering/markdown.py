"""Render Markdown to sanitised HTML with cmark-gfm, whatever the input, in linear time.

Hostile input is tamed before and after the C renderer: control characters and quote markers
past a depth are dropped before it, tags nested too deep after it, then the sanitiser judges.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

from cmarkgfm import cmark

from . import cmark as cmark_gfm
from .sanitising import sanitize_html

# CommonMark with GitHub's tables, strikethrough and autolinks, rendered by cmark-gfm (C): its
# cost is linear in the input whatever the input, which Python-Markdown's inline patterns are
# not (a run of "[" took 2.9 s at 2,500 characters and 47 s at 10,000). PyPI renders untrusted
# READMEs with the same library. Raw HTML is kept for the sanitiser to judge, as before.
# Strikethrough takes two tildes, so that "~" in running text stays a tilde. GitHub's tag
# filter is left out: it would show a raw <script> as text, where the sanitiser removes it.
_CMARK_OPTIONS = (
    cmark.Options.CMARK_OPT_UNSAFE
    | cmark.Options.CMARK_OPT_VALIDATE_UTF8
    | cmark.Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
)
_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]
# A trailing `{: .caption }` line gives its paragraph classes (the syntax of Python-Markdown's
# attribute lists, which the importers write and editors already use). cmark leaves the line
# as the paragraph's last line; each match looks back only to the paragraph's own start.
_ATTRIBUTE_LIST = re.compile(r"\n\{:[ \t]*((?:\.[\w-]+[ \t]*)+)\}</p>")


def _apply_attribute_lists(rendered: str) -> str:
    if "{:" not in rendered:
        return rendered
    parts: list[str] = []
    done = 0
    for match in _ATTRIBUTE_LIST.finditer(rendered):
        opening = rendered.rfind("<p>", done, match.start())
        if opening < 0:
            continue
        classes = " ".join(name.lstrip(".") for name in match.group(1).split())
        parts.append(rendered[done:opening])
        parts.append(f'<p class="{html.escape(classes)}">')
        parts.append(rendered[opening + 3 : match.start()])
        parts.append("</p>")
        done = match.end()
    parts.append(rendered[done:])
    return "".join(parts)


# Deeper than this, elements are dropped (their text is kept). Parsers pay for depth: the
# sanitiser's HTML parser checks the stack of open elements at each tag (20,000 nested quotes
# took 0.9 s), and libxml2 silently drops everything after an element 255 deep.
MAX_NESTING = 48
# A tag up to its ">", or up to the next "<" (where a parser may see another tag begin).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>?")
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _deeper_than(markup: str, max_depth: int) -> bool:
    """Return whether limit_nesting would drop a tag: the same count, without rewriting.

    Nearly every text is shallow; this answers for it in half the time of the full pass.
    """
    stack: list[str] = []
    for closing, name in _TAG_START.findall(markup):
        name = name.lower()
        if closing:
            if name in stack:  # at most max_depth names to look through
                while stack.pop() != name:
                    pass
        elif name not in _VOID_TAGS:
            stack.append(name)
            if len(stack) > max_depth:
                return True
    return False


def limit_nesting(markup: str, *, max_depth: int = MAX_NESTING) -> str:
    """Return markup without the tags nested deeper than max_depth, in one pass.

    Open elements are tracked as a parser would at worst: an end tag closes the innermost open
    element of its name and everything opened inside it; an end tag with nothing to close is
    left for the sanitiser. Counting an implicitly closed element as still open can only
    overestimate the depth, so the result is never deeper than max_depth.
    """
    if markup.count("<") <= max_depth or not _deeper_than(markup, max_depth):
        return markup
    stack: list[str] = []
    open_counts: defaultdict[str, int] = defaultdict(int)
    dropped: defaultdict[str, int] = defaultdict(int)
    parts: list[str] = []
    done = 0
    for match in _TAG.finditer(markup):
        closing, name = match.groups()
        if not name.islower():
            name = name.lower()
        if closing:
            if dropped[name]:
                dropped[name] -= 1
            else:
                if open_counts[name]:
                    while stack:
                        popped = stack.pop()
                        open_counts[popped] -= 1
                        if popped == name:
                            break
                continue
        elif name in _VOID_TAGS:  # "<div/>" opens a div: HTML ignores the slash
            continue
        elif len(stack) < max_depth:
            stack.append(name)
            open_counts[name] += 1
            continue
        else:
            dropped[name] += 1
        parts.append(markup[done : match.start()])
        done = match.end()
    if not parts:
        return markup
    parts.append(markup[done:])
    return "".join(parts)


# C0 controls but tab and line ends, and DEL: no text shows them, and XML (lxml) refuses them.
# Those that are white space (vertical tab, form feed, separators) become a space, so the words
# they separated stay apart.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Quote markers past this depth on a line are dropped before rendering: each one is two tags
# for every later step to walk, and no real text quotes a quote sixteen times over.
_MAX_QUOTE_MARKERS = 16
_DEEP_QUOTE = re.compile(rf"^((?:[ \t]*>){{{_MAX_QUOTE_MARKERS}}})(?:[ \t]*>)+", re.MULTILINE)


def _without_control_characters(text: str) -> str:
    if text.isprintable() or not _CONTROL_CHARACTERS.search(text):
        return text
    return _CONTROL_CHARACTERS.sub(lambda m: " " if m.group().isspace() else "", text)


def markdown_to_html(source: str) -> str:
    """Render Markdown (with `{: .caption }` attribute lists) to sanitised HTML.

    The author's characters are kept as written: no "smart" dashes, ellipses or quotes, so
    a quote reads exactly as it was imported.
    """
    source = _without_control_characters(source)
    if ">" * _MAX_QUOTE_MARKERS in source.replace(" ", ""):
        source = _DEEP_QUOTE.sub(r"\1", source)
    rendered = cmark_gfm.markdown_to_html(
        source, options=_CMARK_OPTIONS, extensions=_CMARK_EXTENSIONS
    )
    return sanitize_html(limit_nesting(_apply_attribute_lists(rendered)))


def render_note(source: str) -> str:
    """Render a user's Markdown note to sanitised HTML (no headings or tables needed)."""
    return markdown_to_html(source)

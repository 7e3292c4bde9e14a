"""Read painted HTML back (its marks, their ids, the text each covers), and make bodies to paint."""

from __future__ import annotations

from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from annotations.core.painting import Span
from articles.rendering import render_markdown_body


def parse(html):
    """Return painted HTML parsed (a tree already parsed is returned as it is)."""
    if not isinstance(html, str):
        return html
    return lxml_html.fragment_fromstring(html, create_parent="div")


def marks(html: str):
    return [m for m in parse(html).iter("mark") if m.get("data-annotation-id") is not None]


def mark_offsets(html: str) -> list[tuple[object, int, int]]:
    """Return (mark, start, end) for every text node inside a mark, offsets walking data-start.

    A mark holds no ids but its innermost one: which annotations a run belongs to is told by
    where their passages are, as reader.js tells it.
    """
    found = []
    for block in parse(html).iter():
        if block.get("data-start") is None:
            continue
        offset = int(block.get("data-start"))
        for event, element in etree.iterwalk(block, events=("start", "end")):
            if event == "start":
                value, owner = element.text, element
            elif element is not block:
                value, owner = element.tail, element.getparent()
            else:
                continue
            if not value:
                continue
            node = owner
            while node is not None and node is not block:
                if node.tag == "mark" and node.get("data-annotation-id") is not None:
                    found.append((node, offset, offset + len(value)))
                    break
                node = node.getparent()
            offset += len(value)
    return found


def text_under(html: str, span: Span) -> str:
    """Return the text of the marks on span's passage, in order."""
    return "".join(mark.text_content() for mark in runs_of(html, span))


def runs_of(html: str, span: Span) -> list:
    """Return the marks on span's passage, each once, in order."""
    runs = []
    for mark, start, end in mark_offsets(html):
        if start >= span.start and end <= span.end and (not runs or runs[-1] is not mark):
            runs.append(mark)
    return runs


def coverage(html: str) -> dict[int, tuple[int, bool]]:
    """Return, per text offset inside a mark, (the mark's innermost id, whether it overlaps)."""
    covered = {}
    for mark, start, end in mark_offsets(html):
        look = (int(mark.get("data-annotation-id")), "hl-overlap" in mark.get("class").split())
        covered.update(dict.fromkeys(range(start, end), look))
    return covered


def expected_coverage(rendered, spans) -> dict[int, tuple[int, bool]]:
    """Return what coverage() must give for spans: the innermost span, and any overlap."""
    in_blocks = block_positions(rendered)
    expected = {}
    for position in in_blocks:
        over = [s for s in spans if s.start <= position < s.end]
        if over:
            top = min(over, key=lambda s: (s.end - s.start, -s.id))
            expected[position] = (top.id, len(over) > 1)
    return expected


def block_positions(rendered) -> set[int]:
    return {p for b in rendered.blocks for p in range(b.start, b.end)}


def span_for(rendered, quote: str, pk: int, occurrence: int = 0, **kw) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = rendered.text.index(quote, start + 1)
    return Span(pk, start, start + len(quote), **kw)


# Private-use characters too: painting uses some as sentinels and must pick others.
WORDS = ["alpha", "beta", "gamma", "&amp;", "“quote”", "café", "x<y", "naïve", "🙂", "end.",
         "\ue000\ue001\ue002"]  # fmt: skip


@st.composite
def inline_run(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    text = " ".join(w.replace("<", "&lt;") for w in words)
    wrap = draw(st.sampled_from(["", "*", "**", "`", "link"]))
    if wrap == "link":
        return f"[{text}](https://example.org/a?b=1&c=2)"
    if wrap == "`":
        return f"`{' '.join(words)}`"
    return f"{wrap}{text}{wrap}"


@st.composite
def article_body(draw):
    paragraphs = draw(
        st.lists(st.lists(inline_run(), min_size=1, max_size=5), min_size=1, max_size=5)
    )
    blocks = []
    for i, runs in enumerate(paragraphs):
        line = " ".join(runs)
        blocks.append(f"> {line}" if i % 3 == 2 else line)
    return "\n\n".join(blocks)


@st.composite
def body_and_spans(draw):
    """A rendered body and up to eight spans anywhere in its text (empty ones too)."""
    rendered = render_markdown_body(draw(article_body()))
    bounds = st.integers(min_value=0, max_value=len(rendered.text))
    raw = draw(st.lists(st.tuples(bounds, bounds), min_size=1, max_size=8))
    return rendered, [Span(i + 1, min(a, b), max(a, b)) for i, (a, b) in enumerate(raw)]

"""Painting highlights into stored article HTML: structure, offsets and round trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from annotations import painting
from annotations.painting import Span, paint, segments, unpaint
from articles.rendering import BLOCK_TAGS, render_markdown_body


def parse(html: str):
    return lxml_html.fragment_fromstring(html, create_parent="div")


def marks(html: str):
    return [m for m in parse(html).iter("mark") if m.get("data-annotations") is not None]


def mark_ids(mark) -> set[int]:
    return {int(i) for i in mark.get("data-annotations").split()}


def text_under(html: str, annotation_id: int) -> str:
    return "".join(m.text_content() for m in marks(html) if annotation_id in mark_ids(m))


def coverage(html: str) -> dict[int, set[int]]:
    """Return, per annotation id, the plain-text offsets its marks cover (walking data-start)."""
    covered: dict[int, set[int]] = {}
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
            ids: set[int] = set()
            node = owner
            while node is not None and node is not block:
                if node.tag == "mark" and node.get("data-annotations") is not None:
                    ids |= mark_ids(node)
                node = node.getparent()
            for i in ids:
                covered.setdefault(i, set()).update(range(offset, offset + len(value)))
            offset += len(value)
    return covered


def block_positions(rendered) -> set[int]:
    return {p for b in rendered.blocks for p in range(b.start, b.end)}


def span_for(rendered, quote: str, pk: int, occurrence: int = 0, **kw) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = rendered.text.index(quote, start + 1)
    return Span(pk, start, start + len(quote), **kw)


def test_single_highlight_wraps_exactly_the_quote_with_colour_and_ids():
    rendered = render_markdown_body("The minister spoke on Friday.\n\nWitnesses disagreed.")
    span = span_for(
        rendered, "minister spoke", 7, css_class="hl-status-unverified", colour="#f2c94c"
    )
    painted = paint(rendered.html, [span])
    (mark,) = marks(painted.html)
    assert mark.text == "minister spoke"
    assert mark.get("class") == "hl hl-status-unverified"
    assert mark.get("style") == "--hl: #f2c94c"
    assert mark.get("id") == "annotation-7"
    assert mark.get("data-annotation-id") == "7"
    assert painted.painted_ids == {7}
    assert unpaint(painted.html) == rendered.html


def test_overlapping_highlights_are_segmented_and_each_segment_lists_all_ids():
    rendered = render_markdown_body("alpha beta gamma delta")
    outer = span_for(rendered, "alpha beta gamma", 3, colour="#111111")
    inner = span_for(rendered, "beta gamma delta", 7, colour="#222222")
    painted = paint(rendered.html, [outer, inner])
    runs = [(m.text, m.get("data-annotations"), m.get("class")) for m in marks(painted.html)]
    assert runs == [
        ("alpha ", "3", "hl"),
        ("beta gamma", "3 7", "hl hl-overlap"),
        (" delta", "7", "hl"),
    ]
    assert text_under(painted.html, 3) == "alpha beta gamma"
    assert text_under(painted.html, 7) == "beta gamma delta"
    # Marks are segments side by side, never nested in one another.
    assert all(m.find(".//mark") is None for m in marks(painted.html))


def test_innermost_highlight_gives_the_colour_of_an_overlap():
    rendered = render_markdown_body("one two three four five")
    wide = span_for(rendered, "one two three four five", 1, colour="#aaaaaa")
    narrow = span_for(rendered, "three", 2, colour="#bbbbbb")
    painted = paint(rendered.html, [wide, narrow])
    (middle,) = [m for m in marks(painted.html) if m.text == "three"]
    assert middle.get("style") == "--hl: #bbbbbb"
    assert middle.get("data-annotation-id") == "2"


def test_selection_across_paragraphs_gets_a_mark_per_block_and_never_wraps_blocks():
    rendered = render_markdown_body("First paragraph ends here.\n\nSecond one starts there.")
    start = rendered.text.index("ends here.")
    end = rendered.text.index("Second one") + len("Second one")
    painted = paint(rendered.html, [Span(5, start, end)])
    found = marks(painted.html)
    assert [m.text for m in found] == ["ends here.", "Second one"]
    assert [m.getparent().tag for m in found] == ["p", "p"]
    assert all(not any(d.tag in BLOCK_TAGS for d in m.iter()) for m in found)
    # Only the first run carries the id, so the fragment link scrolls to the start.
    assert [m.get("id") for m in found] == ["annotation-5", None]
    assert text_under(painted.html, 5) == rendered.text[start:end].replace("\n\n", "")


def test_selection_across_inline_elements_and_nested_tags():
    rendered = render_markdown_body(
        "Plain *emphasis with **strong inside** it* and a [link text](https://example.org) end."
    )
    quote = "with strong inside it and a link"
    span = span_for(rendered, quote, 9)
    painted = paint(rendered.html, [span])
    found = marks(painted.html)
    assert [(m.getparent().tag, m.text) for m in found] == [
        ("em", "with "),
        ("strong", "strong inside"),
        ("em", " it"),
        ("p", " and a "),
        ("a", "link"),
    ]
    assert text_under(painted.html, 9) == quote
    # The link keeps its attributes and its own remaining text outside the mark.
    link = parse(painted.html).find(".//a")
    assert link.get("href") == "https://example.org"
    assert link.text_content() == "link text"
    assert unpaint(painted.html) == rendered.html


def test_entities_count_as_one_character():
    rendered = render_markdown_body("Salt &amp; pepper &lt;b&gt; “quoted” text.")
    assert "&amp;" in rendered.html and "Salt & pepper <b>" in rendered.text
    span = span_for(rendered, "& pepper <b>", 4)
    painted = paint(rendered.html, [span])
    assert text_under(painted.html, 4) == "& pepper <b>"
    assert "&lt;b&gt;</mark>" in painted.html  # still escaped: no tag was created
    quoted = span_for(rendered, "“quoted”", 6)
    assert text_under(paint(rendered.html, [quoted]).html, 6) == "“quoted”"


def test_caption_and_list_blocks_and_line_breaks():
    source = "Photo of a checkpoint. REUTERS\n{: .caption }\n\n- item one\n- item two  \nwrapped"
    rendered = render_markdown_body(source)
    span = span_for(rendered, "REUTERS\n\nitem one\n\nitem two", 1)
    painted = paint(rendered.html, [span])
    assert [m.text for m in marks(painted.html)] == ["REUTERS", "item one", "item two"]
    assert 'class="caption"' in painted.html
    # <br> adds no character (as in the browser's textContent); the mark runs either side of it.
    across_break = span_for(rendered, "two wrapped", 2)
    painted = paint(rendered.html, [across_break])
    assert [m.text for m in marks(painted.html)] == ["two", " wrapped"]
    assert "two</mark><br>" in painted.html
    assert unpaint(painted.html) == rendered.html


def test_several_annotations_starting_together_all_get_an_anchor():
    rendered = render_markdown_body("Shared start of two passages.")
    a = span_for(rendered, "Shared start", 1)
    b = span_for(rendered, "Shared start of two", 2)
    painted = paint(rendered.html, [a, b])
    tree = parse(painted.html)
    assert tree.get_element_by_id("annotation-1").tag == "mark"
    assert tree.get_element_by_id("annotation-2").tag == "span"
    assert unpaint(painted.html) == rendered.html


def test_spans_outside_the_text_or_empty_are_not_painted():
    rendered = render_markdown_body("Short text.")
    painted = paint(rendered.html, [Span(1, 500, 510), Span(2, 3, 3)])
    assert painted.painted_ids == set()
    assert marks(painted.html) == []


def test_no_spans_returns_the_stored_html_untouched():
    rendered = render_markdown_body("Nothing to paint.")
    assert paint(rendered.html, []).html is rendered.html


def test_text_holding_private_use_characters_is_painted_intact():
    rendered = render_markdown_body("Odd \ue000 chars \ue001\ue002 here.")
    span = span_for(rendered, "\ue000 chars \ue001", 3)
    painted = paint(rendered.html, [span])
    assert text_under(painted.html, 3) == "\ue000 chars \ue001"
    assert unpaint(painted.html) == rendered.html


def test_untrusted_colour_and_class_are_not_emitted():
    rendered = render_markdown_body("Some text here.")
    span = Span(1, 0, 4, css_class='x" onclick="y', colour="red; background: url(x)")
    painted = paint(rendered.html, [span])
    (mark,) = marks(painted.html)
    assert mark.get("style") is None
    assert mark.get("class") == "hl"
    assert "onclick" not in painted.html


def test_segments_cover_each_stretch_once():
    spans = [Span(1, 0, 10), Span(2, 5, 15), Span(3, 20, 25)]
    result = [(s.start, s.end, sorted(x.id for x in s.spans)) for s in segments(spans)]
    assert result == [(0, 5, [1]), (5, 10, [1, 2]), (10, 15, [2]), (20, 25, [3])]


def test_seed_article_paints_a_thousand_highlights(seed_path):
    title, _, rest = seed_path.read_text(encoding="utf-8").partition("\n")
    rendered = render_markdown_body(rest)
    length = len(rendered.text)
    spans = [
        Span(i, (i * 37) % (length - 60), (i * 37) % (length - 60) + 20 + i % 40)
        for i in range(1000)
    ]
    painted = paint(rendered.html, spans)
    assert painted.painted_ids == {s.id for s in spans}
    assert unpaint(painted.html) == rendered.html
    # (How fast: `make bench`, never a timed assertion here.)


# --- property-style checks -------------------------------------------------------------------

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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=body_and_spans())
def test_property_marks_strip_back_to_the_original_and_cover_each_quote(case):
    rendered, spans = case
    painted = paint(rendered.html, spans)

    assert unpaint(painted.html) == rendered.html
    covered = coverage(painted.html)
    in_blocks = block_positions(rendered)
    for span in spans:
        expected = {p for p in range(span.start, span.end) if p in in_blocks}
        assert covered.get(span.id, set()) == expected
        quote_without_gaps = "".join(rendered.text[p] for p in sorted(expected))
        assert text_under(painted.html, span.id) == quote_without_gaps
        assert (span.id in painted.painted_ids) == bool(expected)
    for mark in marks(painted.html):
        assert mark.find(".//mark") is None
        assert not any(d.tag in BLOCK_TAGS for d in mark.iter())


# --- painting piece by piece -----------------------------------------------------------------


def forget_paintings():
    painting._pieces.cache_clear()
    painting._paint_piece.cache_clear()


PARAGRAPHS = "\n\n".join(
    f"Paragraph {n} says the minister spoke and witnesses disagreed." for n in range(12)
)


def test_adding_an_annotation_repaints_only_the_paragraph_it_is_on():
    rendered = render_markdown_body(PARAGRAPHS)
    spans = [span_for(rendered, "minister", pk, occurrence=pk - 1) for pk in range(1, 13)]
    paint(rendered.html, spans)
    before = painting._paint_piece.cache_info().misses

    added = span_for(rendered, "witnesses", 99, occurrence=4)
    painted = paint(rendered.html, [*spans, added])

    assert painting._paint_piece.cache_info().misses == before + 1
    forget_paintings()
    assert paint(rendered.html, [*spans, added]) == painted  # as if painted at once
    assert painted.painted_ids == {*range(1, 13), 99}


def test_the_order_spans_come_in_changes_nothing():
    rendered = render_markdown_body(PARAGRAPHS)
    spans = [span_for(rendered, "spoke and", pk, occurrence=pk % 12) for pk in range(1, 25)]

    forward = paint(rendered.html, spans)
    misses = painting._paint_piece.cache_info().misses
    backward = paint(rendered.html, list(reversed(spans)))

    assert backward == forward
    assert painting._paint_piece.cache_info().misses == misses


def test_a_passage_over_several_paragraphs_is_anchored_once_in_the_first():
    rendered = render_markdown_body("First one.\n\n- item a\n- item b\n\nLast one.")
    start = rendered.text.index("one.")
    span = Span(5, start, rendered.text.index("Last") + 4)
    short = span_for(rendered, "item b", 6)

    painted = paint(rendered.html, [span, short])

    assert painted.html.count('id="annotation-5"') == 1
    assert painted.html.index('id="annotation-5"') < painted.html.index("item a")
    assert painted.painted_ids == {5, 6}
    assert coverage(painted.html)[5] == block_positions(rendered) & set(range(span.start, span.end))


def test_a_passage_only_between_two_list_items_is_not_painted():
    rendered = render_markdown_body("- item a\n- item b")
    gap = rendered.text.index("\n\n")

    painted = paint(rendered.html, [Span(1, gap, gap + 2)])

    assert painted.html == rendered.html
    assert painted.painted_ids == set()


def top_level(html: str) -> list[str]:
    """Return the top-level elements of a body, each serialised with the space after it."""
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    return [lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in fragment]


MIXED = (
    "Opening words here.\n\n- item a\n- item b\n\n> quoted *words* here\n\n"
    "## A heading\n\nClosing words here."
)


def test_touched_pieces_are_the_top_level_elements_a_passage_is_on():
    rendered = render_markdown_body(MIXED)
    text = rendered.text
    start, end = text.index("item b"), text.index("quoted") + 6

    touched = painting.touched_pieces(rendered.html, start, end)

    assert [index for index, *_ in touched] == [1, 2]  # the list, the quotation
    assert touched[0][1] <= start and end <= touched[-1][2]
    assert painting.touched_pieces(rendered.html, 0, 7) == [(0, 0, len("Opening words here."))]
    assert painting.touched_pieces(rendered.html, 5, 5) == []


def test_painting_some_pieces_gives_exactly_those_pieces_of_the_whole():
    rendered = render_markdown_body(MIXED)
    text = rendered.text
    across = Span(1, text.index("words here"), text.index("heading"))  # anchored in piece 0
    inside = span_for(rendered, "item a", 2)
    overlap = Span(3, text.index("item"), text.index("quoted") + 3)
    whole = top_level(paint(rendered.html, [across, inside, overlap]).html)

    forget_paintings()  # painted afresh, not found in the cache
    pieces = painting.paint_pieces(rendered.html, [overlap, across, inside], [1, 2])

    assert pieces == whole[1:3]
    assert 'id="annotation-1"' not in "".join(pieces)  # its first run is in piece 0
    assert 'id="annotation-2"' in pieces[0] and 'id="annotation-3"' in pieces[0]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=body_and_spans(), data=st.data())
def test_property_any_pieces_painted_apart_match_the_whole(case, data):
    rendered, spans = case
    whole = top_level(paint(rendered.html, spans).html)
    indices = data.draw(st.lists(st.integers(0, len(whole) - 1), unique=True).map(sorted))

    pieces = painting.paint_pieces(rendered.html, spans, indices)

    assert pieces == [whole[i] for i in indices]

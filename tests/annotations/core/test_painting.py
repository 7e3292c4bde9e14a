"""Painting highlights into stored article HTML: structure, offsets and round trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from annotations.core.painting import Span, paint, segments, unpaint
from articles.rendering import BLOCK_TAGS, render_markdown_body
from tests.annotations.core.painted_html import (
    block_positions,
    body_and_spans,
    coverage,
    expected_coverage,
    marks,
    parse,
    runs_of,
    span_for,
    text_under,
)


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


def test_overlapping_highlights_are_segmented_and_each_mark_names_only_its_innermost():
    rendered = render_markdown_body("alpha beta gamma delta")
    outer = span_for(rendered, "alpha beta gamma", 3, colour="#111111")
    inner = span_for(rendered, "beta gamma delta", 7, colour="#222222")
    painted = paint(rendered.html, [outer, inner])
    runs = [
        (m.text, m.get("data-annotation-id"), m.get("class"), m.get("id"))
        for m in marks(painted.html)
    ]
    # Equal lengths: the newer (higher id) is innermost. No mark lists every id it is under:
    # with thousands of overlapping annotations that made pages of megabytes.
    assert runs == [
        ("alpha ", "3", "hl", "annotation-3"),
        ("beta gamma", "7", "hl hl-overlap", "annotation-7"),
        (" delta", "7", "hl", None),
    ]
    assert all(m.get("data-annotations") is None for m in marks(painted.html))
    assert text_under(painted.html, outer) == "alpha beta gamma"
    assert text_under(painted.html, inner) == "beta gamma delta"
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
    span = Span(5, start, end)
    painted = paint(rendered.html, [span])
    found = marks(painted.html)
    assert [m.text for m in found] == ["ends here.", "Second one"]
    assert [m.getparent().tag for m in found] == ["p", "p"]
    assert all(not any(d.tag in BLOCK_TAGS for d in m.iter()) for m in found)
    # Only the first run carries the id, so the fragment link scrolls to the start.
    assert [m.get("id") for m in found] == ["annotation-5", None]
    assert text_under(painted.html, span) == rendered.text[start:end].replace("\n\n", "")


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
    assert text_under(painted.html, span) == quote
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
    assert text_under(painted.html, span) == "& pepper <b>"
    assert "&lt;b&gt;</mark>" in painted.html  # still escaped: no tag was created
    quoted = span_for(rendered, "“quoted”", 6)
    assert text_under(paint(rendered.html, [quoted]).html, quoted) == "“quoted”"


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
    assert text_under(painted.html, span) == "\ue000 chars \ue001"
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
    result = [(s.start, s.end, s.top.id, s.overlap, s.starting) for s in segments(spans)]
    assert result == [
        (0, 5, 1, False, (1,)),
        (5, 10, 2, True, (2,)),  # equal lengths: the newer, 2, is innermost where both are
        (10, 15, 2, False, ()),
        (20, 25, 3, False, (3,)),
    ]


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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=body_and_spans())
def test_property_marks_strip_back_to_the_original_and_cover_each_quote(case):
    rendered, spans = case
    painted = paint(rendered.html, spans)

    assert unpaint(painted.html) == rendered.html
    # Every character under a passage is marked, in the innermost one's look; no other is.
    assert coverage(painted.html) == expected_coverage(rendered, spans)
    in_blocks = block_positions(rendered)
    tree = parse(painted.html)
    for span in spans:
        expected = {p for p in range(span.start, span.end) if p in in_blocks}
        quote_without_gaps = "".join(rendered.text[p] for p in sorted(expected))
        assert text_under(painted.html, span) == quote_without_gaps
        assert (span.id in painted.painted_ids) == bool(expected)
        # Its anchor is on its first run (or just before it, when others start there too).
        anchor = tree.get_element_by_id(f"annotation-{span.id}", None)
        assert (anchor is not None) == bool(expected)
        if expected:
            first, node = runs_of(tree, span)[0], anchor
            while node is not first:
                assert node.tag == "span" and node.get("class") == "hl-anchor"
                node = node.getnext()
    for mark in marks(painted.html):
        assert mark.find(".//mark") is None
        assert not any(d.tag in BLOCK_TAGS for d in mark.iter())

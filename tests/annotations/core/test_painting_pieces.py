"""Painting piece by piece: a change repaints only the top-level elements a passage is on."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from annotations.core import painting
from annotations.core.painting import Span, paint
from articles.rendering import render_markdown_body
from tests.annotations.core.painted_html import block_positions, body_and_spans, coverage, span_for

# --- painting piece by piece -----------------------------------------------------------------


def forget_paintings():
    painting.forget()


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

    assert painted.html.count("id=annotation-5>") == 1
    assert painted.html.index("id=annotation-5>") < painted.html.index("item a")
    assert painted.painted_ids == {5, 6}
    marked = {p for p in coverage(painted.html) if span.start <= p < span.end}
    assert marked == block_positions(rendered) & set(range(span.start, span.end))


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

    assert [top_level(piece)[0] for piece in pieces] == whole[1:3]  # (lxml quotes ids)
    assert "id=annotation-1>" not in "".join(pieces)  # its first run is in piece 0
    assert "id=annotation-2>" in pieces[0] and "id=annotation-3>" in pieces[0]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=body_and_spans(), data=st.data())
def test_property_any_pieces_painted_apart_match_the_whole(case, data):
    rendered, spans = case
    whole = top_level(paint(rendered.html, spans).html)
    indices = data.draw(st.lists(st.integers(0, len(whole) - 1), unique=True).map(sorted))

    pieces = painting.paint_pieces(rendered.html, spans, indices)

    assert [top_level(piece)[0] for piece in pieces] == [whole[i] for i in indices]

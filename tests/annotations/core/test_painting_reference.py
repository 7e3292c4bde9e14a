"""The painter joins precomputed strings: it must paint exactly what lxml's painter painted.

tests/annotations/core/reference_painting.py is the painter before (commit 2a6313f): every
piece parsed, split at sentinels and serialised by lxml. Whatever the body and the spans, the
marks, their classes, ids and anchors must sit on the same characters.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from annotations.benchmarks.reading import _body
from annotations.core import cutting, painting
from annotations.core.painting import Span, paint, paint_pieces
from articles.rendering import render_markdown_body
from tests.annotations.core import reference_painting
from tests.annotations.core.painted_html import body_and_spans

LOOKS = ["", "hl-plain", "hl-tag-a hl-private", "hl-status-unverified hl-hidden", "bad;class"]


def same_dom(painted: str, reference: str) -> bool:
    """Whether two painted bodies are the same tree (lxml writes it back the same way)."""

    def written(html: str) -> str:
        tree = lxml_html.fragment_fromstring(html, create_parent="div")
        return lxml_html.tostring(tree, encoding="unicode", method="html")

    return written(painted) == written(reference)


def assert_paints_as_reference(html: str, spans: list[Span]) -> None:
    painting.forget()
    reference_painting._pieces.cache_clear()
    reference_painting._paint_piece.cache_clear()
    painted = paint(html, spans)
    expected = reference_painting.paint(html, spans)
    assert painted.painted_ids == expected.painted_ids
    assert same_dom(painted.html, expected.html)


@st.composite
def looked_spans(draw):
    rendered, spans = draw(body_and_spans())
    looks = draw(st.lists(st.sampled_from(LOOKS), min_size=len(spans), max_size=len(spans)))
    colours = draw(st.lists(st.sampled_from(["", "#aabbcc", "red;x"]), min_size=len(spans)))
    return rendered, [
        span._replace(css_class=look, colour=colour)
        for span, look, colour in zip(spans, looks, colours, strict=False)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=looked_spans())
def test_property_paints_what_the_reference_painter_paints(case):
    rendered, spans = case
    assert_paints_as_reference(rendered.html, spans)


def test_the_bench_page_of_ten_thousand_overlapping_passages_paints_as_before():
    rendered = render_markdown_body(_body())
    text = rendered.text
    spans = []
    for i in range(10_000):  # as annotations.benchmarks.reading.bulk_annotate makes them
        start = (i * 97) % (len(text) - 120)
        look = ("hl-plain", "hl-tag-bench-tag-0", "hl-status-unverified hl-private")[i % 3]
        spans.append(Span(i + 1, start, start + 15 + (i * 13) % 80, look))
    assert_paints_as_reference(rendered.html, spans)


def test_pieces_painted_again_are_the_reference_pieces():
    rendered = render_markdown_body("First one.\n\n- item a\n- item *b*\n\n> Last & one.")
    text = rendered.text
    spans = [
        Span(1, text.index("one."), text.index("item b") + 4),
        Span(2, text.index("item a"), text.index("Last") + 4),
        Span(3, text.index("b"), text.index("&") + 1),
    ]
    for indices in ([0], [1], [2], [1, 2]):
        painting.forget()
        painted = paint_pieces(rendered.html, spans, indices)
        expected = reference_painting.paint_pieces(rendered.html, spans, indices)
        assert len(painted) == len(expected)
        assert all(same_dom(a, b) for a, b in zip(painted, expected, strict=True))


def test_text_is_escaped_as_lxml_escapes_it():
    text = "a & b < c > d \" ' \xa0 café 🙂 &amp; \ue000"
    assert cutting._escape(text) == cutting._lxml_escape(text)
    skeleton = cutting.skeleton('<p data-start="0">x &amp; &lt;y&gt;<em>z</em> w</p>\n')
    assert skeleton.escape is cutting._escape
    assert skeleton.texts == ("x & <y>", "z", " w")
    assert skeleton.starts == (0, 7, 8)
    assert cutting.skeleton('<p data-start="0">x <em>z</em> w</p>').escape is None

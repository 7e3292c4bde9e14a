import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from articles.hostile_inputs import hostile_markdown
from articles.rendering import (
    MAX_NESTING,
    markdown_to_html,
    render_markdown_body,
    render_markdown_body_uncached,
    render_note,
)
from articles.rendering.blocks import _RENDER_CACHE_CHARS, _WHITESPACE
from articles.rendering.markdown import _deeper_than, limit_nesting


def block_texts(rendered):
    tree = lxml_html.fragment_fromstring(rendered.html, create_parent="div")
    return {
        el.get("id"): (int(el.get("data-start")), el.text_content())
        for el in tree.iter()
        if el.get("data-start") is not None
    }


def test_block_offsets_agree_with_plain_text():
    source = (
        "# Heading *one*\n\nA paragraph with **bold** and a [link](https://example.org)\n"
        "that wraps.\n\n> A quotation\n> over two lines.\n\n- item one\n- item two\n\n"
        "Photo caption. REUTERS\n{: .caption }\n\nCurly “quotes” &amp; entities."
    )
    rendered = render_markdown_body(source)
    blocks = block_texts(rendered)
    assert len(blocks) == 7
    for _block_id, (start, text) in blocks.items():
        assert rendered.text[start : start + len(text)] == text
    assert "A paragraph with bold and a link that wraps." in rendered.text
    assert "Curly “quotes” & entities." in rendered.text
    assert 'class="caption"' in rendered.html


def test_sanitising_removes_script_handlers_and_javascript_urls():
    html = markdown_to_html(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
        '[click](javascript:alert(3))\n\n<iframe src="https://evil.example"></iframe>\n\n'
        '<form action="/x"><input name="a"></form>\n\n<p style="color:red" onclick="x()">ok</p>'
    )
    lowered = html.lower()
    for forbidden in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "<form",
        "<input",
        "onclick",
        "style=",
    ):
        assert forbidden not in lowered
    assert "ok" in html


# --- Bounded cost and depth ----------------------------------------------------------------------


def _depth(html: str) -> int:
    tree = lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div")
    return max(len(list(element.iterancestors())) for element in tree.iter())


@pytest.mark.parametrize(
    "source",
    [
        ">" * 300 + " deep words\n\nafter",
        "<div>" * 300 + "deep words" + "</div>" * 300 + "<p>after</p>",
        "<blockquote>" * 300 + "deep words\n\nafter",
        "".join("  " * level + "- deep words\n" for level in range(300)) + "\nafter",
    ],
    ids=["markdown quotes", "html divs", "unclosed html quotes", "indented lists"],
)
def test_deep_nesting_keeps_every_word_and_is_flattened(source):
    """libxml2 silently drops everything after an element 255 deep; the sanitiser slows down."""
    rendered = render_markdown_body(source)

    assert "deep words" in rendered.text and rendered.text.endswith("after")
    assert _depth(rendered.html) <= MAX_NESTING + 2


def _python_calls(function, *args) -> int:
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("case", sorted(hostile_markdown(100)))
def test_rendering_hostile_markdown_does_work_linear_in_its_length(case):
    """A run of "[" made Python-Markdown scan the rest of the text at each one (quadratic).

    Counted, not timed: twice the text may cost at most a little over twice the calls.
    (The C renderer and the sanitiser are linear by design; `make bench` times all of it.)
    """
    small, large = hostile_markdown(2_000)[case], hostile_markdown(4_000)[case]
    render_note(small)  # warm: first-use imports and caches are not the text's cost

    small_calls = _python_calls(render_note, small)
    large_calls = _python_calls(render_note, large)
    assert large_calls <= 2.5 * small_calls + 50, (case, small_calls, large_calls)
    small_calls = _python_calls(render_markdown_body_uncached, small, "b")
    large_calls = _python_calls(render_markdown_body_uncached, large, "b")
    assert large_calls <= 2.5 * small_calls + 50, (case, small_calls, large_calls)


def test_threads_rendering_at_once_get_what_one_thread_gets():
    sources = [
        f"Paragraph *{n}*.\n\n- item {n}\n- [link](https://example.org/{n})" for n in range(40)
    ]
    expected = [markdown_to_html(source) for source in sources]

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(5):
            assert list(pool.map(markdown_to_html, sources)) == expected


# --- The author's characters, as written ---------------------------------------------------------


def test_dashes_ellipses_and_quotes_are_kept_as_written():
    """A quote must read as the outlet wrote it: no typographic rewriting of the text."""
    assert markdown_to_html("Wait -- no --- yes...") == "<p>Wait -- no --- yes...</p>\n"
    assert markdown_to_html("Escaped \\-\\- and \\.\\.\\.") == "<p>Escaped -- and ...</p>\n"
    assert markdown_to_html("\"Straight\" and 'single'") == "<p>\"Straight\" and 'single'</p>\n"


def test_attribute_list_classes_a_paragraph_and_only_known_classes_survive():
    html = markdown_to_html("A caption.\n{: .caption .credit .evil }\n\nBody.")
    assert html == '<p class="caption credit">A caption.</p>\n<p>Body.</p>\n'
    # Not at a paragraph's end: plain text.
    assert "{: .caption }" in markdown_to_html("{: .caption } at the start")


def test_a_long_body_is_rendered_without_the_cache_and_renders_the_same():
    paragraph = "A sentence of the long article. " * 40
    long_source = "\n\n".join([paragraph] * (_RENDER_CACHE_CHARS // len(paragraph) + 2))

    assert len(long_source) > _RENDER_CACHE_CHARS
    assert render_markdown_body(long_source) == render_markdown_body(long_source)
    assert render_markdown_body("Short *body*.") is render_markdown_body("Short *body*.")


def test_the_only_printable_white_space_is_the_space():
    """Whitespace collapsing skips printable text without "  " on this; check it per character."""
    printable_spaces = [
        chr(c) for c in range(0x110000) if _WHITESPACE.fullmatch(chr(c)) and chr(c).isprintable()
    ]
    assert printable_spaces == [" "]


@pytest.mark.parametrize(
    "source",
    [
        "Two  spaces\tand a tab.",
        "No\u00a0break and\u2003em space.",
        "Line\u2028separator.",
        "Plain.",
    ],
)
def test_runs_of_any_white_space_collapse_to_one_space(source):
    assert render_markdown_body(source).text == " ".join(source.split())


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f"])
def test_control_characters_never_break_rendering(control):
    """Loose text holding a control character made lxml refuse it: a 500 in the admin."""
    rendered = render_markdown_body(f"<div>loose{control}text<p>block</p>tail{control}</div>")

    assert rendered.text.split() in (
        ["loose", "text", "block", "tail"],
        ["loosetext", "block", "tail"],
    )
    assert control not in rendered.html


def test_a_block_inside_an_inline_element_is_a_block_of_its_own():
    """ "<b><li>" wrapped in a paragraph made a paragraph holding a block: endless wrapping."""
    rendered = render_markdown_body("<div>loose <b>bold <li>item</li> more</b> tail</div>")

    assert rendered.text.split("\n\n") == ["loose", "bold", "item", "more", "tail"]


PIECES = ["<b>", "</b>", "<I>", "</i>", "<div class=x>", "</div>", "<br>", "<p/>", "x", "</p>"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<b>", "</b>", "<i>", "</i>", "<div>", "</div>", "<br>", "<p/>", "x", "</p>"]
        ),
        max_size=120,
    ),
    st.integers(min_value=1, max_value=8),
)
def test_the_shallow_check_agrees_with_limit_nesting(pieces, depth):
    markup = "".join(pieces)
    assert _deeper_than(markup, depth) == (limit_nesting(markup, max_depth=depth) != markup)

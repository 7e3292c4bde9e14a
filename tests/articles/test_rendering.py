from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from articles.rendering import (
    _RENDER_CACHE_CHARS,
    _WHITESPACE,
    _new_converter,
    markdown_to_html,
    render_markdown_body,
)


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


# --- One converter per thread, reused ------------------------------------------------------------


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    with_notes = "Claim[^1] about HTML.\n\n[^1]: A footnote.\n\n*[HTML]: Hyper Text Markup Language"
    first = markdown_to_html(with_notes)
    second = markdown_to_html("Plain words about HTML[^1].")

    assert 'href="#fn:1"' in first and "<abbr" in first
    assert "#fn:1" not in second and "<abbr" not in second
    assert markdown_to_html(with_notes) == first


def test_a_conversion_that_fails_halfway_leaves_the_next_one_right():
    expected = markdown_to_html("After *the* failure.")
    with pytest.raises(RecursionError):
        markdown_to_html("- " * 3000 + "x")

    assert (
        markdown_to_html("After *the* failure.") == expected == "<p>After <em>the</em> failure.</p>"
    )


def test_threads_rendering_at_once_get_what_one_thread_gets():
    sources = [
        f"Paragraph *{n}*.\n\n- item {n}\n- [link](https://example.org/{n})" for n in range(40)
    ]
    expected = [markdown_to_html(source) for source in sources]

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(5):
            assert list(pool.map(markdown_to_html, sources)) == expected


# --- SmartyPants only where it can change something ---------------------------------------------

MARKDOWN_PIECES = [
    "-", ".", "\\", "`", "*", "_", "[", "]", "(", ")", "<", ">", "&", "#", "\n", "\n\n", " ",
    "  ", '"', "'", "1.", "word", "|", ":", "~~~", "{: .caption }", "*[HTML]: x", "HTML", "[^1]",
    "[^1]: n", "&#45;", "<b>", "</b>", "<div>", "</div>", "    ", "> ", "- ", "* ", "***", "!",
    "<http://a.example>", "=", "\t", "<<", ">>", "\\-", "\\.", "&amp;", "<!-- c -->",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join))
def test_without_dashes_or_ellipses_smartypants_changes_nothing(source):
    """markdown_to_html() skips SmartyPants' pass for such text; it must render the same."""
    assume("--" not in source and "..." not in source)
    assert _new_converter(smarty=False).convert(source) == _new_converter().convert(source)


def test_dashes_and_ellipses_are_still_typeset():
    assert markdown_to_html("Wait -- no --- yes...") == "<p>Wait – no — yes…</p>"
    assert markdown_to_html("Escaped \\-\\- and \\.\\.\\.") == "<p>Escaped -- and ...</p>"


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

from lxml import html as lxml_html

from articles.rendering import markdown_to_html, render_markdown_body


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

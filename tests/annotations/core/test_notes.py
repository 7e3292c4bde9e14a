"""Notes, replies and rationales get their HTML from one helper."""

import pytest

from annotations.core.notes import note_html


@pytest.mark.parametrize("blank", ["", "   ", "\n\t\n"])
def test_blank_text_has_no_html(blank):
    assert note_html(blank) == ""


def test_markdown_is_rendered_and_sanitised():
    html = note_html("**armed** <img src=x onerror=alert(1)>")
    assert "<strong>armed</strong>" in html
    assert "onerror" not in html

"""HTML pages become drafts: metadata, the article's text without boilerplate, captions, links."""

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from articles.importers import ImportFailed, parse_html
from articles.importers.html_pages import _collapsed, _promote_captions

from .conftest import captions, fixture_bytes, rendered, words

# --- HTML pages ---------------------------------------------------------------------------------

HTML_PAGES = {
    "tidewater-ferry.html": {
        "title": "Tidewater ferry fares to double next spring, council papers show",
        # The dek that repeats the page's summary stays in the body, as its lede paragraph.
        "subtitle": "",
        "byline": "Miriam Okonjo",
        "source_name": "The Harbour Ledger",
        "source_url": "https://harbourledger.example/news/2024/03/tidewater-ferry-fares",
        "date": "2024-03-14",
        "boilerplate": [
            "cookies",
            "Accept all",
            "Subscribe today",
            "Weather",
            "Morning Tide newsletter",
            "Sign me up",
            "More from the Ledger",
            "Swing bridge closure",
            "All rights reserved",
            "Privacy policy",
        ],
    },
    "orchard-drought.html": {
        "title": "Valley orchards ration water as reservoir falls to record low",
        "subtitle": "",
        "byline": "Tomás Aldana",
        "source_name": "Upland Courier",
        "source_url": "",
        "date": "2023-08-02",
        "boilerplate": [
            "cookies",
            "Log in",
            "Obituaries",
            "Share this article",
            "Courier Daily",
            "unsubscribe",
            "Most read",
            "tractor stolen",
            "Advertisement",
            "Fellside Newspapers",
        ],
    },
    "lighthouse-museum.html": {
        "title": "Keepers’ logbooks go on show as lighthouse museum reopens",
        "subtitle": "",
        "byline": "Ruth Halloran",
        "source_name": "Coastline Weekly",
        "source_url": "https://coastlineweekly.example/culture/lighthouse-museum-reopens",
        "date": "2022-05-21",
        "boilerplate": [
            "142 partners",
            "More options",
            "Food and drink",
            "Search Coastline",
            "Weekend Coastline newsletter",
            "Read next",
            "Pier theatre",
            "Work for us",
            "maritime history",
        ],
    },
}


def page_captions(name):
    """Return the caption texts a fixture page marks up (figcaption or a caption class)."""
    tree = lxml_html.document_fromstring(fixture_bytes(name).decode())
    found = tree.xpath("//figcaption | //*[contains(@class, 'caption')]")
    return [" ".join(el.text_content().split()) for el in found]


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_metadata(name):
    expected = HTML_PAGES[name]
    draft = parse_html(fixture_bytes(name).decode())
    assert draft.title == expected["title"]
    assert draft.subtitle == expected["subtitle"]
    assert draft.byline == expected["byline"]
    assert draft.source_name == expected["source_name"]
    assert draft.source_url == expected["source_url"]
    assert draft.published_at.date().isoformat() == expected["date"]
    assert draft.language.startswith("en")


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_keeps_at_least_trafilatura_default_text_and_no_more_boilerplate(name):
    html = fixture_bytes(name).decode()
    draft = parse_html(html)
    body = rendered(draft)
    ours = words(" ".join([draft.title, draft.subtitle, body.text]))
    default = words(trafilatura.extract(html))
    assert default <= ours, default - ours
    # Whatever we keep beyond trafilatura's default is the photo captions (and the title, which
    # the default leaves out when the headline sits outside the article's container).
    assert ours - default <= words(" ".join([draft.title, *page_captions(name)]))
    for phrase in HTML_PAGES[name]["boilerplate"]:
        assert phrase.casefold() not in body.text.casefold(), phrase


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_structure_survives(name):
    body = rendered(parse_html(fixture_bytes(name).decode()))
    assert "<h2" in body.html
    assert "<blockquote>" in body.html
    assert captions(body.html), "figure captions render as captions"
    assert all(
        any(" ".join(c.split()) in f for f in page_captions(name)) for c in captions(body.html)
    )
    assert "<h1" not in body.html  # the headline is the title, not body text


@pytest.mark.parametrize(
    ("css_class", "is_caption"),
    [
        ("caption", True),
        ("photo caption credit", True),
        ("wp-caption", True),
        ("caption-text", True),
        ("\tcaption\n", True),
        ("captions", False),
        ("subcaption", False),
        ("Caption", False),
        ("lede", False),
    ],
)
def test_a_caption_class_marks_a_caption(css_class, is_caption):
    tree = lxml_html.document_fromstring(
        f'<html><body><div><span class="{css_class}">Boats at dawn</span></div></body></html>'
    )
    assert _promote_captions(tree) == ({"boats at dawn"} if is_caption else set())


def test_html_page_without_an_article_is_refused():
    with pytest.raises(ImportFailed, match="no article text was found"):
        parse_html(fixture_bytes("no-article.html").decode())


def test_html_that_is_not_a_page_is_refused():
    with pytest.raises(ImportFailed):
        parse_html("<html></html>")


def test_html_links_are_made_absolute_and_scripts_dropped():
    draft = parse_html(fixture_bytes("hostile-page.html").decode(), url="https://pier.example/a")
    assert 'href="https://pier.example/map"' in draft.body_markdown
    assert "javascript" not in draft.body_markdown
    assert "alert" not in draft.body_markdown
    assert draft.source_url == "https://pier.example/a"


# --- White space --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\x0b\x0c\xa0\u2003\u2028\u3000\x1c·"))))
def test_a_paragraph_without_markup_is_collapsed_as_one_with_markup_would_be(text):
    """The fast path (no inline runs) gives what the general one gives for the same text."""
    general = _collapsed(text, [[0, 0, "<b>", "</b>"]])  # an empty run: dropped, general path
    assert _collapsed(text, []) == general
    assert general[1] == []

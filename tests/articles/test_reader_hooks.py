"""The reader page's extension points: the articles app shows the text, plug-ins the rest."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from lxml import html as lxml_html

from articles import reader_hooks
from articles.reader_hooks import ReaderExtension, register_reader_extension
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_extensions(monkeypatch):
    """Run the reader as if no app extended it (the annotations app not installed)."""
    monkeypatch.setattr(reader_hooks, "_extensions", {})


def test_the_reader_page_stands_alone_without_extensions(
    client, no_extensions, django_assert_max_num_queries
):
    article = make_article(body="A *plain* reading.\n\nSecond paragraph.")

    # Guards the bare page: what decides the stored page, the article, nothing fetched for
    # extensions; then the stored page, for one query.
    with django_assert_max_num_queries(2):
        response = client.get(article.get_absolute_url())
    with django_assert_max_num_queries(1):
        assert client.get(article.get_absolute_url()).content == response.content

    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content)
    body = tree.get_element_by_id("article-body")
    assert (
        body.text_content()
        == lxml_html.fragment_fromstring(article.body_html, create_parent="div").text_content()
    )
    assert body.xpath(".//em")[0].text == "plain"
    assert not tree.xpath("//aside"), "no side panel when nothing fills it"
    assert not tree.xpath("//script[contains(@src, 'reader.js')]")
    assert not tree.xpath("//link[contains(@href, 'reader.css')]"), "its sheet is annotations'"


def test_the_annotations_app_fills_the_slots(client):
    article = make_article()

    tree = lxml_html.fromstring(client.get(article.get_absolute_url()).content)

    assert tree.xpath("//aside[@id='annotation-panel']//div[@id='annotations']")
    assert tree.xpath("//article//span[@id='article-revision']")
    assert tree.xpath("//script[contains(@src, 'reader.js')]")
    assert tree.xpath("/html/head/link[@rel='stylesheet'][contains(@href, 'reader.css')]")


def test_an_extension_body_is_escaped_unless_marked_safe(client, no_extensions):
    article = make_article()
    register_reader_extension(
        ReaderExtension(name="probe", context=lambda request, article: {"reader_body": "<b>x</b>"})
    )

    response = client.get(article.get_absolute_url())

    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()
    assert response.context["reader_slots"] == {
        "styles": [],
        "links": [],
        "header": [],
        "aside": [],
        "scripts": [],
    }


def test_registering_a_name_again_replaces_it(no_extensions):
    first = ReaderExtension(name="probe", context=dict, aside="one.html")
    second = ReaderExtension(name="probe", context=dict, aside="two.html")

    register_reader_extension(first)
    register_reader_extension(second)

    assert reader_hooks.reader_extensions() == [second]


def test_article_templates_reach_no_annotations_template_or_tag_library():
    libraries = [p.stem for p in (settings.BASE_DIR / "annotations" / "templatetags").glob("*.py")]
    libraries.remove("__init__")
    reaching = re.compile(
        r"{%\s*(?:include|extends)\s+[\"']annotations/"
        rf"|{{%\s*load\b[^%]*\b(?:{'|'.join(libraries)})\b"
    )
    templates = Path(settings.BASE_DIR / "templates")
    found = [
        str(path.relative_to(templates))
        for folder in ("articles", "admin/articles")
        for path in (templates / folder).rglob("*.html")
        if reaching.search(path.read_text(encoding="utf-8"))
    ]

    assert reaching.search('{% include "annotations/reader/includes/_reader_panel.html" %}')
    assert reaching.search("{% load partials collab %}")
    assert found == []

"""The article list's extension point: other apps add to each row, the list stands alone."""

import pytest
from django.urls import reverse

from articles import list_hooks
from articles.list_hooks import ListExtension, register_list_extension
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_extensions(monkeypatch):
    monkeypatch.setattr(list_hooks, "_extensions", {})


def test_the_list_stands_alone_without_extensions(client, no_extensions):
    article = make_article(title="Plain list row")

    response = client.get(reverse("articles:list"))

    assert response.status_code == 200
    assert b"Plain list row" in response.content
    assert response.context["row_templates"] == []
    assert article.pk


def test_an_extension_sees_the_page_once_and_adds_to_each_row(
    client, no_extensions, tmp_path, settings
):
    make_article(title="First row"), make_article(title="Second row")
    calls = []

    def annotate(request, articles):
        calls.append(len(articles))
        for article in articles:
            article.extra = f"extra-{article.pk}"

    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    (tmp_path / "row.html").write_text("<span class='x'>{{ article.extra }}</span>")
    register_list_extension(ListExtension(name="test", annotate=annotate, row="row.html"))

    for params in ({}, {"q": "row"}):  # the list and its search results alike
        response = client.get(reverse("articles:list"), params)
        for article in response.context["page"]:
            assert f"<span class='x'>extra-{article.pk}</span>".encode() in response.content
    assert calls == [2, 2]

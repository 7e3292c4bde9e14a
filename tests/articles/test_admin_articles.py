"""The article admin: revisions read-only, edits that make revisions, bodies it refuses."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article

from .conftest import counts

pytestmark = pytest.mark.django_db


def test_the_change_page_shows_revisions_read_only(admin_client):
    article = make_article(title="First")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "revisions-group" in html or "Article revisions" in html
    assert 'name="revisions-0-title"' not in html  # shown, not editable
    assert 'name="word_count"' not in html


def test_editing_the_body_in_the_admin_makes_a_revision(admin_client):
    article = make_article(title="Before", body="Old body.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(
        url,
        {
            "title": "After",
            "body_markdown": "New body with *emphasis*.",
            "subtitle": "",
            "byline": "",
            "source_name": "Paper",
            "source_url": "",
            "published_at_0": "2024-02-03",
            "published_at_1": "10:00:00",
            "language": "en",
            "revisions-TOTAL_FORMS": "1",
            "revisions-INITIAL_FORMS": "1",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
            "revisions-0-id": str(article.revisions.get().pk),
            "revisions-0-article": str(article.pk),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.title, article.revision_number) == ("After", 2)
    assert "<em>emphasis</em>" in article.body_html
    assert article.source_name == "Paper"
    assert article.published_at.isoformat() == "2024-02-03T10:00:00+00:00"


def test_adding_in_the_admin_derives_the_text(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Added by hand",
            "body_markdown": "One.\n\nTwo.",
            "language": "en",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.body_text, article.word_count, article.revisions.count()) == (
        "One.\n\nTwo.",
        2,
        1,
    )


def test_an_empty_body_is_refused_by_the_admin_form(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {"title": "No body", "body_markdown": "<img src=x><!-- a comment -->", "language": "en"},
    )
    assert response.status_code == 200
    assert "The body has no text." in response.content.decode()
    assert counts() == (0, 0)


def test_a_deeply_nested_body_is_flattened_and_keeps_every_word(admin_client):
    """Nesting past what parsers handle is flattened, not refused, and no word is lost."""
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Deep",
            "body_markdown": "- " * 3000 + "x",
            "language": "en",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body_text.endswith("- - x") and article.body_text.count("-") > 2900

"""The bookmarklet's endpoint: a page sent with a valid token is imported and opened."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.sending import send_token, token_user
from tests.factories import make_user

from .conftest import story_html

pytestmark = pytest.mark.django_db

PAYWALLED = (
    "<html><head><title>Members only</title></head><body><article><h1>Ferry fares rise again"
    "</h1><p>Subscribers read that the ferry company raised fares for the third time this year, "
    "citing fuel costs and a new timetable for the winter months.</p><p>Islanders plan a "
    "meeting on Friday to ask the council to step in.</p></article></body></html>"
)


def send(client, **data):
    return client.post(reverse("articles:send"), data)


def test_a_page_sent_with_its_html_is_imported_and_opened_in_the_reader(client, editor):
    response = send(
        client, token=send_token(editor), url="https://paper.example/ferry", html=PAYWALLED
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.title == "Ferry fares rise again" and "Subscribers read" in article.body_text
    assert article.source_url == "https://paper.example/ferry"
    assert article.imported_by == editor


def test_a_url_alone_is_fetched(client, editor, news_site):
    response = send(client, token=send_token(editor), url=f"{news_site.url}/story/3")
    assert response.status_code == 302
    assert Article.objects.get().title == "Harbour story number 3"
    assert story_html(3)  # the page the server fetched


def test_without_a_valid_token_nothing_is_read(client, editor):
    for token in ("", "forged", send_token(editor)[:-2] + "xx"):
        response = send(client, token=token, url="https://paper.example/ferry", html=PAYWALLED)
        assert response.status_code == 403
    assert not Article.objects.exists()


def test_a_session_alone_is_not_enough(client, editor):
    client.force_login(editor)
    assert send(client, url="https://paper.example/ferry", html=PAYWALLED).status_code == 403


@pytest.mark.parametrize("role", ["reader", "annotator", "moderator"])
def test_users_who_may_not_import_are_refused_even_with_a_token(client, role):
    user = make_user(role=role)
    response = send(client, token=send_token(user), url="https://p.example/a", html=PAYWALLED)
    assert response.status_code == 403 and not Article.objects.exists()


def test_a_page_too_large_is_refused(client, editor, settings):
    settings.CLAIMLENS_SEND_MAX_BYTES = 1000
    response = send(client, token=send_token(editor), url="https://p.example/a", html=PAYWALLED * 5)
    assert response.status_code == 413 and not Article.objects.exists()


def test_the_import_page_shows_the_bookmarklet_with_the_editors_token(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_import")).content.decode()
    assert "Send to Claimlens" in page
    # The token carries the second it was signed, so compare what it says, not its text.
    token = re.search(r"token&#x27;,&#x27;([\w:-]+)&#x27;", page).group(1)
    assert token_user(token) == editor

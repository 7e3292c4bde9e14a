"""The reader's "Suggested claims", accepting and dismissing, where else, the claimant page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim, HistoryEntry, Suggestion
from annotations.suggestions import services
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

QUOTE = "The bus lanes will cut journeys by a third"
BODY = (
    f"The council met.\n\n“{QUOTE},” said Mayor Ruth Okafor.\n\n"
    "“Nobody asked us,” said Dean Whitby."
)


def signed_in(role="annotator") -> tuple[Client, object]:
    user = make_user(role=role)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_reader_lists_the_suggestions_and_offers_the_speakers_to_the_composer():
    client, _ = signed_in()
    client.get(reverse("articles:detail", args=[make_article(body=BODY).pk]))  # warm caches
    few, many = (
        make_article(body=BODY),
        make_article(
            body=BODY
            + "\n\n"
            + "\n\n".join(f"“Quote number {n} was said,” said Person{n} Smith." for n in range(20))
        ),
    )
    counts = []
    for article in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("articles:detail", args=[article.pk]))
        counts.append(len(queries))
    # Twenty more suggestions cost no more queries: the panel reads them in one.
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert html.count('class="suggestion"') == 22
    assert 'id="suggestions"' in html and "Suggested claims" in html
    assert QUOTE in html and "Ruth Okafor" in html
    assert 'list="article-speakers"' in html
    assert '<option value="Ruth Okafor">' in html


def test_accepting_opens_the_new_claims_form_with_the_claimant_filled_in():
    article = make_article(body=BODY)
    client, user = signed_in()
    suggestion = Suggestion.objects.get(article=article, speaker_full="Ruth Okafor")
    response = client.post(reverse("suggestions:accept", args=[suggestion.pk]))
    claim = Claim.objects.get(claimant="Ruth Okafor")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("annotations:claim-edit", args=[claim.slug]))
    form = client.get(response["Location"]).content.decode()
    assert 'value="Ruth Okafor"' in form
    # Accepting again is refused with a problem message, and nothing more is made.
    again = client.post(reverse("suggestions:accept", args=[suggestion.pk]))
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert "already accepted" in again.json()["detail"]
    assert Claim.objects.count() == 1


def test_dismissing_with_htmx_removes_the_item_in_place_for_everyone():
    article = make_article(body=BODY)
    client, _ = signed_in()
    suggestion = Suggestion.objects.get(article=article, speaker_full="Dean Whitby")
    response = client.post(
        reverse("suggestions:dismiss", args=[suggestion.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""
    other, _ = signed_in()
    page = other.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "Nobody asked us" not in page.split('id="suggestions"')[1]
    assert HistoryEntry.objects.filter(target_type="suggestion", action="dismissed").exists()


def test_a_reader_is_refused_on_the_server():
    article = make_article(body=BODY)
    client, _ = signed_in(role="reader")
    suggestion = Suggestion.objects.filter(article=article).first()
    assert client.post(reverse("suggestions:accept", args=[suggestion.pk])).status_code == 403
    assert client.post(reverse("suggestions:dismiss", args=[suggestion.pk])).status_code == 403


def test_where_else_offers_the_same_quote_in_another_article_and_the_claim_to_link(
    django_assert_max_num_queries,
):
    article = make_article(body=BODY)
    other = make_article(
        title="Second outlet", body=f"Okafor spoke on Tuesday.\n\n“{QUOTE},” Ruth Okafor told us."
    )
    make_article(title="Unrelated", body="“Rain is expected on Sunday,” said the forecaster.")
    client, user = signed_in()
    mine = Suggestion.objects.get(article=article, speaker_full="Ruth Okafor")
    claim = services.suggestion_accept(suggestion=mine, user=user).claim
    theirs = Suggestion.objects.get(article=other)
    # A bounded number of queries, whatever the number of articles (guards the prefilter).
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("suggestions:where-else", args=[theirs.pk]), HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert "Second outlet" not in html  # its own article is not "elsewhere"
    assert claim.title in html and 'name="claim"' in html
    page = client.get(reverse("suggestions:claim-where-else", args=[claim.slug])).content.decode()
    assert "Second outlet" in page and "Unrelated" not in page
    # One click: the passage of the other article becomes another appearance of the claim.
    start = other.body_text.index(QUOTE)
    response = client.post(
        reverse("suggestions:appearance-add", args=[claim.slug, other.pk]),
        {"exact": QUOTE, "start": start},
    )
    assert response.status_code == 302
    assert claim.appearances.filter(article=other).count() == 1


def test_the_claimant_page_lists_their_claims_across_articles_with_statuses(
    django_assert_max_num_queries,
):
    client, user = signed_in()
    for n in range(3):
        article = make_article(body=f"“Claim number {n} is true,” said Mayor Ruth Okafor.")
        services.suggestion_accept(suggestion=Suggestion.objects.get(article=article), user=user)
    url = reverse("suggestions:claimant") + "?name=Ruth+Okafor"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Claim number") == 3 and html.count("status-unverified") == 3
    index = client.get(reverse("suggestions:claimant")).content.decode()
    assert "Ruth Okafor" in index and "(3)" in index


def test_a_claims_page_links_its_claimant_record_and_where_else_it_is_said():
    article = make_article(body=BODY)
    client, user = signed_in()
    suggestion = Suggestion.objects.get(article=article, speaker_full="Ruth Okafor")
    claim = services.suggestion_accept(suggestion=suggestion, user=user).claim
    page = client.get(reverse("annotations:claim-detail", args=[claim.slug])).content.decode()
    assert f'href="{reverse("suggestions:claimant")}?name=Ruth%20Okafor"' in page
    assert reverse("suggestions:claim-where-else", args=[claim.slug]) in page


def test_the_list_is_drawn_again_for_others_with_what_they_dismissed_gone(
    django_assert_max_num_queries,
):
    article = make_article(body=BODY)
    client, _ = signed_in()
    url = reverse("suggestions:list", args=[article.pk])
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert f'hx-get="{url}"' in page and "claimlens:changed from:body" in page
    whitby = Suggestion.objects.get(article=article, speaker_full="Dean Whitby")
    services.suggestion_dismiss(suggestion=whitby, user=make_user(role="annotator"))
    # The fragment alone, in a fixed number of queries (session, user, article, suggestions).
    with django_assert_max_num_queries(5):
        response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="suggestions"') and "<html" not in html
    assert QUOTE in html and "Nobody asked us" not in html

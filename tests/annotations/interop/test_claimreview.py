"""ClaimReview JSON-LD for claims with a final verdict."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from annotations.core.services import annotation_create
from annotations.interop.claimreview import claimreview_json
from annotations.models import Claim
from articles.models import Article
from tests.annotations.interop.conftest import at, finalise, passage
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(annotated):
    return Claim.objects.select_related("status").get(pk=annotated["claim"].claim_id)


def include(claim):
    request = RequestFactory().get(f"/claims/{claim.slug}/")
    return render_to_string(
        "annotations/reader/includes/_claimreview_script.html", {"claim": claim}, request=request
    )


def test_no_claimreview_before_a_final_verdict(client, claim):
    assert claim.status_final_at is None
    assert claimreview_json(claim) is None
    assert client.get(f"/claims/{claim.slug}/claimreview.json").status_code == 404
    assert include(claim).strip() == ""
    assert client.get("/claims/no-such-claim/claimreview.json").status_code == 404


def test_claimreview_of_a_final_verdict(
    client, claim, seed_article, annotator, moderator, settings
):
    settings.CLAIMLENS_ORGANISATION = "Example Fact Desk"
    settings.CLAIMLENS_ORGANISATION_URL = "https://factdesk.example/"
    second = make_article(title="A second report", source_url="https://other.example/report")
    annotation_create(
        article=second, author=annotator, exact="First paragraph", tags=f"false: {claim.title}"
    )
    hidden_away = make_article(title="Only in a private note")
    annotation_create(
        article=hidden_away,
        author=annotator,
        exact="First paragraph",
        tags=f"false: {claim.title}",
        visibility="private",
    )
    finalise(claim, "false", moderator)

    response = client.get(f"/claims/{claim.slug}/claimreview.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    review = response.json()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver/claims/{claim.slug}/"
    # The claim's statement is what is reviewed, not the quote that marked it.
    assert review["claimReviewed"] == claim.title == "shoot without warning order"
    assert review["datePublished"] == claim.status_final_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://factdesk.example/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "name": "false",
        "alternateName": "false",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["name"] == claim.title
    assert item["author"] == {"@type": "Person", "name": "President of Kazakhstan"}
    # Every shared article it appears in, the private note's left out; neither has a date,
    # so the one that came into Claimlens first is the first appearance.
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": seed_article.source_url,
            "headline": seed_article.title,
            "publisher": {"@type": "Organization", "name": "Example News"},
        },
        {
            "@type": "CreativeWork",
            "url": "https://other.example/report",
            "headline": "A second report",
        },
    ]
    assert item["firstAppearance"] == item["appearance"][0]
    assert review == claimreview_json(claim, RequestFactory().get("/"))


def test_the_first_appearance_is_the_earliest_article_not_the_first_annotated(
    claim, annotator, seed_article
):
    older = make_article(
        title="The first to say it",
        source_url="https://older.example/",
        published_at=datetime(2021, 12, 30, tzinfo=UTC),
    )
    newer = make_article(title="Said again", published_at=datetime(2022, 2, 1, tzinfo=UTC))
    for article in (newer, older):
        annotation_create(
            article=article, author=annotator, exact="First paragraph", tags=f"false: {claim.title}"
        )
    Article.objects.filter(pk=seed_article.pk).update(
        published_at=datetime(2022, 1, 10, tzinfo=UTC)
    )

    item = claimreview_json(finalise(claim, "false"))["itemReviewed"]

    assert [w["headline"] for w in item["appearance"]] == [
        "The first to say it",
        seed_article.title,
        "Said again",
    ]
    assert item["firstAppearance"]["url"] == "https://older.example/"
    assert (
        item["datePublished"]
        == item["firstAppearance"]["datePublished"]
        == ("2021-12-30T00:00:00Z")
    )


def test_an_article_without_a_date_counts_from_when_it_came_in(claim, annotator, seed_article):
    """Undated articles sit where they are known to have existed, alike on both databases."""
    Article.objects.filter(pk=seed_article.pk).update(published_at=None)
    tomorrow = timezone.now() + timedelta(days=1)
    for title, published in (
        ("Later", tomorrow),
        ("Long before", datetime(2020, 5, 1, tzinfo=UTC)),
    ):
        annotation_create(
            article=make_article(title=title, published_at=published),
            author=annotator,
            exact="First paragraph",
            tags=f"false: {claim.title}",
        )

    item = claimreview_json(finalise(claim, "false"))["itemReviewed"]

    assert [w["headline"] for w in item["appearance"]] == [
        "Long before",
        seed_article.title,
        "Later",
    ]
    assert item["firstAppearance"]["headline"] == "Long before"


@pytest.mark.parametrize(
    ("status", "value"),
    [("false", 1), ("misleading", 2), ("disputed", 3), ("needs context", 4), ("verified", 5)],
)
def test_verdicts_on_truth_sit_on_a_five_point_scale(claim, status, value):
    rating = claimreview_json(finalise(claim, status))["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (value, 5, 1)
    assert rating["alternateName"] == rating["name"] == status


@pytest.mark.parametrize("status", ["opinion", "unverified"])
def test_other_statuses_are_given_by_name_alone(claim, status):
    rating = claimreview_json(finalise(claim, status))["reviewRating"]
    assert rating == {"@type": "Rating", "name": status, "alternateName": status}


def test_organisation_claimant_and_rationale(claim):
    Claim.objects.filter(pk=claim.pk).update(
        claimant="Ministry of Internal Affairs",
        claimant_type=Claim.ClaimantType.ORGANIZATION,
        rationale="Contradicted by *video* evidence.",
    )
    claim.refresh_from_db()
    review = claimreview_json(finalise(claim, "false"))
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Ministry of Internal Affairs",
    }
    assert review["reviewBody"] == "Contradicted by *video* evidence."


def test_short_and_long_quotes_alike_are_reviewed_by_the_claim_title(seed_article, annotator):
    start = seed_article.body_text.index(passage(seed_article, 2, 0, 3))
    annotation = annotation_create(
        article=seed_article,
        author=annotator,
        tags="false: long one",
        exact=seed_article.body_text[start : start + 400],
        start=start,
        end=start + 400,
    )
    assert claimreview_json(finalise(annotation.claim, "false"))["claimReviewed"] == "long one"
    short = annotation_create(
        article=seed_article,
        author=annotator,
        tags="false: short one",
        **at(seed_article, passage(seed_article, 1, 0, 4)),
    )
    assert claimreview_json(finalise(short.claim, "false"))["claimReviewed"] == "short one"


def test_the_reviewer_always_has_an_address(claim, settings):
    settings.CLAIMLENS_ORGANISATION_URL = ""
    author = claimreview_json(finalise(claim, "false"), RequestFactory().get("/"))["author"]
    assert author["url"] == "http://testserver/"
    settings.CLAIMLENS_ORGANISATION_URL = "https://desk.example/about"
    assert claimreview_json(claim)["author"]["url"] == "https://desk.example/about"


def test_script_include_is_escaped_json(seed_article, annotator):
    title = "</script><script>alert(1)</script> & more"
    annotation = annotation_create(
        article=seed_article,
        author=annotator,
        tags=f"false: {title}",
        **at(seed_article, passage(seed_article, 1, 0, 4)),
    )
    claim = finalise(annotation.claim, "false")
    Claim.objects.filter(pk=claim.pk).update(claimant="Tom <tom@example.org> & Co\u2028")
    claim.refresh_from_db()
    html = include(claim).strip()
    assert html.startswith('<script type="application/ld+json">') and html.endswith("</script>")
    inner = html[len('<script type="application/ld+json">') : -len("</script>")]
    assert "<" not in inner and ">" not in inner and "&" not in inner and "\u2028" not in inner
    assert json.loads(inner) == claimreview_json(claim, RequestFactory().get("/"))
    assert json.loads(inner)["itemReviewed"]["name"] == title

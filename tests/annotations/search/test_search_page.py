"""The search page: kinds, filters, sort, privacy, bad input and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Label
from tests.factories import make_annotation, make_annotations, make_article, make_claim, make_user

pytestmark = pytest.mark.django_db
URL = reverse("annotations:search")


@pytest.fixture
def article():
    return make_article(title="Harbour dredging plan", body="The council approved the dredging.")


def hits(response, kind):
    """Return the ids of the hits of one kind on a search page, in order."""
    section = next((s for s in response.context["sections"] if s.kind == kind), None)
    return [row.pk for row in section.page] if section else None


def test_finds_articles_annotations_and_claims_together(client, article):
    note = make_annotation(article=article, exact="", note="Dredging costs were understated.")
    claim = make_claim(title="Dredging is free", claimant="Harbour board")

    response = client.get(URL, {"q": "dredging"})

    assert response.status_code == 200
    assert hits(response, "articles") == [article.pk]
    assert hits(response, "annotations") == [note.pk]
    assert hits(response, "claims") == [claim.pk]
    assert b"<mark>" in response.content


def test_a_claim_is_found_by_its_claimant_and_an_annotation_by_its_note(client, article):
    note = make_annotation(article=article, exact="", note="Ask the ferrymen about this.")
    claim = make_claim(title="Tolls will fall", claimant="Ingrid Ferrywoman")

    assert hits(client.get(URL, {"q": "ferrymen", "kind": "annotations"}), "annotations") == [
        note.pk
    ]
    response = client.get(URL, {"q": "ingrid", "kind": "claims"})
    assert hits(response, "claims") == [claim.pk]
    assert hits(response, "articles") is None


def test_shows_only_what_the_user_may_see(client, article):
    author, other = make_user(), make_user()
    private = make_annotation(
        article=article, author=author, exact="", note="secret walrus", visibility="private"
    )
    hidden = make_annotation(
        article=article, exact="", note="hidden walrus", hidden_at=article.created_at
    )
    deleted = make_annotation(
        article=article, exact="", note="deleted walrus", deleted_at=article.created_at
    )
    private_claim = make_claim(title="walrus census", private_to=author)
    query = {"q": "walrus"}

    assert hits(client.get(URL, query), "annotations") == []
    assert hits(client.get(URL, query), "claims") == []
    client.force_login(other)
    assert hits(client.get(URL, query), "annotations") == []
    assert hits(client.get(URL, query), "claims") == []
    client.force_login(author)
    assert hits(client.get(URL, query), "annotations") == [private.pk]
    assert hits(client.get(URL, query), "claims") == [private_claim.pk]
    client.force_login(make_user(role="moderator"))
    assert hits(client.get(URL, query), "annotations") == [hidden.pk]
    assert deleted.pk  # deleted annotations are found by nobody


def test_filters_by_status_author_article_and_date(client, article):
    alice, bob = make_user(username="alice-s"), make_user(username="bob-s")
    elsewhere = make_article(title="Elsewhere")
    false = make_claim(
        title="ferry false claim",
        status=Label.objects.get(slug="false"),
    )
    by_alice = make_annotation(article=article, author=alice, exact="", note="ferry one")
    by_bob = make_annotation(article=elsewhere, author=bob, exact="", note="ferry two", claim=false)
    Annotation.objects.filter(pk=by_bob.pk).update(created_at="2020-05-01T12:00:00Z")
    kind = {"q": "ferry", "kind": "annotations"}

    assert hits(client.get(URL, {**kind, "author": "alice-s"}), "annotations") == [by_alice.pk]
    assert hits(client.get(URL, {**kind, "article": elsewhere.pk}), "annotations") == [by_bob.pk]
    assert hits(client.get(URL, {**kind, "status": "false"}), "annotations") == [by_bob.pk]
    assert hits(client.get(URL, {**kind, "until": "2020-12-31"}), "annotations") == [by_bob.pk]
    assert hits(client.get(URL, {**kind, "since": "2021-01-01"}), "annotations") == [by_alice.pk]
    assert hits(
        client.get(URL, {"q": "ferry", "kind": "claims", "article": elsewhere.pk}), "claims"
    ) == [false.pk]
    assert (
        hits(client.get(URL, {"q": "ferry", "kind": "claims", "article": article.pk}), "claims")
        == []
    )
    # Articles know nothing of authors or statuses: a filter for those leaves them out.
    assert hits(client.get(URL, {"q": "ferry", "author": "alice-s"}), "articles") is None


def test_sorts_by_best_match_or_by_date(client, article):
    weak = make_annotation(
        article=article, exact="otter", note="A long note that mentions one thing."
    )
    strong = make_annotation(article=article, exact="", note="otter otter otter")
    Annotation.objects.filter(pk=strong.pk).update(created_at="2020-01-01T00:00:00Z")
    kind = {"q": "otter", "kind": "annotations"}

    assert hits(client.get(URL, kind), "annotations") == [strong.pk, weak.pk]
    assert hits(client.get(URL, {**kind, "sort": "newest"}), "annotations") == [weak.pk, strong.pk]
    assert hits(client.get(URL, {**kind, "sort": "oldest"}), "annotations") == [strong.pk, weak.pk]


def test_phrases_and_excluded_words(client, article):
    both = make_annotation(article=article, exact="", note="the water prices rose")
    apart = make_annotation(article=article, exact="", note="prices of clean water")

    assert hits(client.get(URL, {"q": '"water prices"', "kind": "annotations"}), "annotations") == [
        both.pk
    ]
    assert hits(client.get(URL, {"q": "water -clean", "kind": "annotations"}), "annotations") == [
        both.pk
    ]
    assert apart.pk


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "poems"},
        {"sort": "random"},
        {"article": "x"},
        {"since": "yesterday"},
        {"since": "2024-02-01", "until": "2024-01-01"},
        {"q": "x" * 201},
    ],
)
def test_bad_filters_are_named_on_a_400(client, params):
    response = client.get(URL, {"q": "water", **params})

    assert response.status_code == 400
    assert b"could not be read" in response.content


def test_htmx_gets_the_results_fragment(client, article):
    response = client.get(URL, {"q": "dredging"}, headers={"HX-Request": "true"})

    assert b'id="search-results"' in response.content
    assert b"<html" not in response.content


def test_a_query_with_nothing_but_operators_finds_nothing(client):
    response = client.get(URL, {"q": '" - ( )'})

    assert response.status_code == 200
    assert all(section.count == 0 for section in response.context["sections"])


@pytest.mark.parametrize("kind", ["", "annotations", "claims", "articles"])
def test_the_page_costs_the_same_queries_for_3_or_60_hits(
    client, django_assert_max_num_queries, article, kind
):
    # Guards the page's queries: a count and a page per kind (and the labels' prefetch),
    # never one per hit, whatever the number of articles, annotations or claims found.
    user = make_user()
    client.force_login(user)
    params = {"q": "kelp", "kind": kind}

    def grow(first, n):
        for i in range(first, first + n):
            make_article(title=f"Kelp {i}", body="Kelp forests.")
            make_claim(title=f"kelp claim {i}", claimant="Kelp Institute")
        make_annotations(count=n, article=article, author=user, exact="", note="kelp note")

    grow(0, 3)
    client.get(URL, params)

    with CaptureQueriesContext(connection) as few:
        client.get(URL, params)
    grow(3, 57)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL, params)
    assert sum(section.count for section in response.context["sections"]) >= 60

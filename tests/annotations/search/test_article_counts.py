"""The article list shows each article's annotation and claim counts, as the reader sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from tests.factories import make_annotation, make_annotations, make_article, make_claim, make_user

pytestmark = pytest.mark.django_db
LIST = reverse("articles:list")


def row_of(response, article):
    return next(a for a in response.context["page"] if a.pk == article.pk)


def test_counts_annotations_and_distinct_claims_the_reader_may_see(client):
    article, bare = make_article(title="Counted"), make_article(title="Bare")
    claim = make_claim(title="counted claim")
    author = make_user()
    make_annotations(count=3, article=article, author=author)
    make_annotations(count=2, article=article, author=author, claim=claim)
    make_annotation(article=article, author=author, visibility="private")
    make_annotation(article=article, hidden_at=article.created_at)

    response = client.get(LIST)

    assert (row_of(response, article).annotation_count, row_of(response, article).claim_count) == (
        5,
        1,
    )
    assert row_of(response, bare).annotation_count == 0
    row = lxml_html.fromstring(response.content).get_element_by_id(f"article-row-{article.pk}")
    assert "5 annotations, 1 claim" in row.text_content()
    client.force_login(author)
    assert row_of(client.get(LIST), article).annotation_count == 6  # and their private note


def test_the_counts_cost_one_query_per_page(client, django_assert_max_num_queries):
    # Guards the list page: one query counts for the whole page, whatever it holds.
    articles = [make_article() for _ in range(3)]
    client.get(LIST, {"q": "paragraph"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"q": "paragraph"})
    for article in articles + [make_article() for _ in range(20)]:
        make_annotations(count=4, article=article)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST, {"q": "paragraph"})
    assert all(a.annotation_count == 4 for a in response.context["page"])

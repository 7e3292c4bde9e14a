"""The reader panel sorts its cards by position or by time, and filters them by text."""

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations.core.services import annotation_create
from annotations.reader.reading.rows import _rows
from tests.annotations.reader.test_reader import BODY, card_ids
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def annotate(article, author, quote, **fields):
    start = article.body_text.index(quote)
    return annotation_create(
        article=article, author=author, exact=quote, start=start, end=start + len(quote), **fields
    )


@pytest.fixture
def annotated():
    article = make_article(body=BODY)
    author = make_user()
    # Made in this order: the last one made comes first in the text.
    middle = annotate(article, author, "peaceful", note="Witness statements agree.")
    last = annotate(article, author, "unarmed", note="Footage shows nothing.", tags="video")
    first = annotate(article, author, "armed and trained criminals", note="Says the minister.")
    return article, first, middle, last


def test_cards_come_by_position_or_newest_first(client, annotated):
    article, first, middle, last = annotated
    url = article.get_absolute_url()

    by_position = card_ids(client.get(url))
    assert by_position == sorted(
        by_position, key=lambda pk: [first.pk, middle.pk, last.pk].index(pk)
    )
    assert card_ids(client.get(url, {"order": "time"})) == [first.pk, last.pk, middle.pk]
    assert card_ids(client.get(url, {"order": "nonsense"})) == by_position


def test_text_filters_cards_and_highlights_by_quote_note_or_tag(client, annotated):
    article, first, middle, last = annotated
    url = article.get_absolute_url()

    assert card_ids(client.get(url, {"by_text": "minister"})) == [first.pk]  # its note
    assert card_ids(client.get(url, {"by_text": "PEACEFUL"})) == [middle.pk]  # its quote
    assert card_ids(client.get(url, {"by_text": "video"})) == [last.pk]  # its tag
    response = client.get(url, {"by_text": "witness agree"})
    assert card_ids(response) == [middle.pk]
    painted = str(response.context["painted_html"])
    assert f"annotation-{middle.pk}" in painted and f"annotation-{first.pk}" not in painted
    assert "1 of 3 shown" in response.content.decode()
    assert card_ids(client.get(url, {"by_text": "nowhere"})) == []


def test_the_panel_keeps_order_and_text_in_its_form_and_pager(client, annotated):
    article = annotated[0]
    response = client.get(
        f"/articles/{article.pk}/annotations/",
        {"by_text": "footage", "order": "time"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'name="by_text" value="footage"' in html
    assert '<option value="time" selected>' in html


def test_the_text_filter_costs_one_query_more(client, annotated, django_assert_max_num_queries):
    article = annotated[0]
    # Guards the panel endpoint under a text filter: one query finds the matching ids.
    with django_assert_max_num_queries(9):
        client.get(
            f"/articles/{article.pk}/annotations/", {"by_text": "minister"}, HTTP_HX_REQUEST="true"
        )


def test_an_annotation_with_several_tags_is_one_row_and_one_card_under_each(client, annotated):
    """The rows come one per label from the database and are put together again."""
    article, first, middle, last = annotated
    many = annotate(article, make_user(), "Witnesses said", tags="video, drone, witness")
    url = article.get_absolute_url()

    rows = _rows(article, AnonymousUser())
    assert [row.pk for row in rows].count(many.pk) == 1
    (row,) = [row for row in rows if row.pk == many.pk]
    assert set(row.label_ids) == set(many.labels.values_list("pk", flat=True))
    assert len(row.label_ids) == 3
    assert card_ids(client.get(url)).count(many.pk) == 1
    assert card_ids(client.get(url, {"by_label": "drone"})) == [many.pk]
    assert card_ids(client.get(url, {"by_label": "video"})) == sorted(
        [last.pk, many.pk], key=[r.pk for r in rows].index
    )

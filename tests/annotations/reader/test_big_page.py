"""A reader page with 10,000 annotations: under a megabyte of HTML, in a fixed number of queries.

The bench's data (annotations.benchmarks.reading.bulk_annotate): passages overlapping dozens
deep, a third tagged, a fifth on claims, some private. (How fast: `make bench`.)
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from annotations.benchmarks.reading import _body, bulk_annotate
from annotations.core.defaults import create_defaults
from annotations.core.painting import Span
from annotations.models import Annotation, Label
from annotations.reader.reading import PANEL_PAGE_SIZE
from tests.annotations.core.painted_html import coverage, runs_of
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

MEGABYTE = 1_000_000


@pytest.fixture
def big_and_small():
    create_defaults(Label, Group)
    author = make_user()
    big = make_article(title="Ten thousand", body=_body())
    small = make_article(title="Ten", body=_body())
    bulk_annotate(big, author, 10_000)
    bulk_annotate(small, author, 10)
    return big, small, author


def _get(client, article, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_ten_thousand_annotations_make_under_a_megabyte_in_the_queries_of_ten(
    client, big_and_small, signed_in
):
    big, small, author = big_and_small
    if signed_in:
        client.force_login(make_user(username="reader"))
    response, queries = _get(client, big)
    _, queries_of_ten = _get(client, small)

    assert len(response.content) <= MEGABYTE
    assert queries == queries_of_ten
    html = response.content.decode()
    # Every shared annotation is painted (each has its anchor), and only one panel page of
    # cards is drawn, with a link to the next.
    body = lxml_html.fromstring(html).get_element_by_id("article-body")
    anchors = {int(el.get("id")[11:]) for el in body.xpath('.//*[starts-with(@id, "annotation-")]')}
    shared = Annotation.objects.filter(article=big, visibility="shared")
    assert anchors == set(shared.values_list("pk", flat=True))
    cards = re.findall(r'<li class="card[^"]*" id="card-(\d+)"', html)
    assert len(cards) == PANEL_PAGE_SIZE
    assert 'href="?page=2"' in html
    # A mark carries its classes and its innermost annotation: no lists of ids, no styles.
    marks = body.findall(".//mark")
    assert marks and all(set(m.attrib) <= {"class", "data-annotation-id", "id"} for m in marks)


def test_the_marks_of_the_big_page_show_each_passage_and_its_innermost(client, big_and_small):
    big, _, _ = big_and_small
    response, _ = _get(client, big)
    body = lxml_html.fromstring(response.content.decode()).get_element_by_id("article-body")
    rows = Annotation.objects.filter(article=big, visibility="shared")
    spans = [Span(a.pk, a.start, a.end) for a in rows.only("pk", "start", "end")]
    covered = coverage(body)
    text = big.body_text
    for span in spans[:: len(spans) // 10]:  # a sample: the whole check takes minutes
        marked = "".join(m.text_content() for m in runs_of(body, span))
        assert marked == text[span.start : span.end].replace("\n\n", "")
        for position in range(span.start, span.end):
            if text[position] == "\n":
                continue
            over = [s for s in spans if s.start <= position < s.end]
            top = min(over, key=lambda s: (s.end - s.start, -s.id))
            assert covered[position] == (top.id, len(over) > 1)


def test_the_big_pages_cards_page_with_and_without_javascript(client, big_and_small):
    big, _, _ = big_and_small
    order = list(
        Annotation.objects.filter(article=big, visibility="shared")
        .in_reading_order()
        .values_list("pk", flat=True)
    )
    second, _ = _get(client, big, page=2)
    ids = [int(pk) for pk in re.findall(r'<li class="card[^"]*" id="card-(\d+)"', second.text)]
    assert ids == order[PANEL_PAGE_SIZE : 2 * PANEL_PAGE_SIZE]
    panel = client.get(f"/articles/{big.pk}/annotations/", {"page": 3}, HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    ids = [int(pk) for pk in re.findall(r'<li class="card[^"]*" id="card-(\d+)"', html)]
    assert ids == order[2 * PANEL_PAGE_SIZE : 3 * PANEL_PAGE_SIZE]
    assert 'href="?page=4"' in html and 'href="?page=2"' in html

"""Creating through the views: the new card among those shown, errors in place, page fallbacks."""

import pytest
from django.contrib.messages import get_messages
from lxml import html as lxml_html

from annotations.core.services import annotation_create
from annotations.models import Annotation, Claim, Label
from tests.annotations.reader.conftest import HTMX, selection
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_create_claim_over_htmx_returns_cards_and_repainted_body(
    client, article, annotator, django_assert_max_num_queries
):
    data = selection(article, "armed and trained criminals") | {
        "tags": "unverified: terrorists claim"
    }
    # Guards the create endpoint: the write plus a re-rendered panel, independent of the count.
    # 27, not 26: the panel reads the feed's cursor and the cards' reply counts, and on
    # PostgreSQL the feed takes an advisory lock; the new event's own write was always counted.
    with django_assert_max_num_queries(27):
        response = client.post(f"/articles/{article.pk}/annotations/new/", data, **HTMX)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="reader-cards"')
    assert f'id="card-{annotation.pk}"' in html
    assert '<div id="article-body" hx-swap-oob="innerHTML">' in html
    assert "hl-status-unverified" in html and ">armed and trained criminals</mark>" in html
    assert f'"annotation-saved": {{"id": {annotation.pk}}}' in response.headers["HX-Trigger"]
    assert annotation.claim.title == "terrorists claim"


@pytest.fixture
def two_claims(article, annotator):
    """The annotator's claims on each paragraph, as the reader's panel shows them."""
    first = annotation_create(
        article=article,
        author=annotator,
        exact="armed and trained criminals",
        tags="unverified: terrorists claim",
    )
    last = annotation_create(
        article=article, author=annotator, exact="peaceful", tags="unverified: calm claim"
    )
    return first, last


def create_shown(client, article, quote, shown, **extra):
    data = selection(article, quote) | {"shown": ",".join(str(a.pk) for a in shown)} | extra
    return client.post(f"/articles/{article.pk}/annotations/new/", data, **HTMX)


def top_level(html: str) -> list[str]:
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    return [lxml_html.tostring(child, encoding="unicode") for child in fragment]


def test_create_answers_with_the_new_card_among_those_shown_and_its_paragraph(
    client, article, annotator, two_claims
):
    first, last = two_claims
    response = create_shown(
        client, article, "Witnesses said", [first, last], tags="unverified: terrorists claim"
    )

    new = Annotation.objects.latest("pk")
    assert response.status_code == 200
    # The card goes after the one before it in reading order; nothing else of the panel.
    assert response.headers["HX-Retarget"] == f"#card-{first.pk}"
    assert response.headers["HX-Reswap"] == "afterend"
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="card" id="card-{new.pk}"')
    assert 'id="reader-cards"' not in html and 'id="article-body"' not in html
    assert "terrorists claim" in html and 'href="/annotations/' in html  # a whole card
    count = lxml_html.fragment_fromstring(html, create_parent="div").get_element_by_id(
        "annotations-count"
    )
    assert count.get("hx-swap-oob") == "true" and count.text_content().strip() == "3 annotations"
    # Only the second paragraph comes back, painted exactly as the whole body paints it.
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    swapped = fragment.xpath("//*[starts-with(@hx-swap-oob, 'outerHTML:#article-body')]")
    assert [el.get("hx-swap-oob") for el in swapped] == ["outerHTML:#article-body > :nth-child(2)"]
    for element in swapped:
        del element.attrib["hx-swap-oob"]
    page = client.get(article.get_absolute_url()).content.decode()
    body = lxml_html.fromstring(page).get_element_by_id("article-body")
    assert lxml_html.tostring(swapped[0], encoding="unicode") == lxml_html.tostring(
        body[1], encoding="unicode", with_tail=False
    )
    assert f"data-annotation-id={new.pk} id=annotation-{new.pk}>" in html
    assert "hl-status-unverified" in html
    assert f'"annotation-saved": {{"id": {new.pk}}}' in response.headers["HX-Trigger"]


def test_a_card_ahead_of_all_those_shown_goes_first(client, article, annotator, two_claims):
    first, last = two_claims
    response = create_shown(client, article, "The minister", [first, last])
    assert response.headers["HX-Retarget"] == "#annotation-list"
    assert response.headers["HX-Reswap"] == "afterbegin"


def test_a_card_beyond_the_panel_page_joins_it_at_its_end(client, article, annotator, two_claims):
    first, last = two_claims
    response = create_shown(client, article, "unarmed", [first])  # `last` is on another page
    assert response.headers["HX-Retarget"] == f"#card-{first.pk}"
    assert Annotation.objects.latest("pk").start > last.start


@pytest.mark.parametrize(
    "case",
    ["filters", "new status", "new tag", "nothing shown yet"],
)
def test_create_answers_with_the_whole_panel_when_the_page_needs_it(
    client, article, annotator, two_claims, case
):
    """Filters are cleared, and the filter menus must learn a new status or tag."""
    first, last = two_claims
    annotation_create(article=article, author=annotator, exact="minister", tags="witness")
    extra = {
        "filters": {"by_status": "unverified", "tags": "witness"},
        "new status": {"tags": "false: new claim"},
        "new tag": {"tags": "brand new tag"},
        "nothing shown yet": {"tags": "witness"},
    }[case]
    shown = [] if case == "nothing shown yet" else [first, last]
    response = create_shown(client, article, "Witnesses said", shown, **extra)
    assert response.status_code == 200
    assert "HX-Retarget" not in response.headers
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="reader-cards"')
    assert '<div id="article-body" hx-swap-oob="innerHTML">' in html


def test_a_first_annotation_by_someone_new_brings_the_whole_panel(client, article, two_claims):
    first, last = two_claims
    client.force_login(make_user())
    response = create_shown(client, article, "Witnesses said", [first, last])
    assert response.content.decode().lstrip().startswith('<div id="reader-cards"')


def test_creating_among_shown_cards_takes_the_same_queries_however_many_there_are(
    client, article, annotator, two_claims
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, last = two_claims
    counts = []
    for extra in (0, 40):
        for _ in range(extra):
            annotation_create(
                article=article, author=annotator, exact="marchers", tags="unverified: calm claim"
            )
        with CaptureQueriesContext(connection) as queries:
            response = create_shown(
                client, article, "Witnesses said", [first, last], tags="unverified: calm claim"
            )
        assert response.headers["HX-Retarget"] == f"#card-{first.pk}"
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Sign-in (the session, the user with their role), the article; the create in a savepoint
    # (its status and claim, insert, history, feed, and on PostgreSQL the feed's lock); the
    # answer: the rows near it, one count, the label colours and the claim's desk counts.
    assert counts[0] <= (15 if connection.vendor == "postgresql" else 14), counts


def test_create_refuses_a_quote_not_in_the_article_in_place(client, article, annotator):
    data = selection(article, "peaceful") | {"exact": "not in the text", "start": 3, "end": 18}
    response = client.post(f"/articles/{article.pk}/annotations/new/", data, **HTMX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#composer"
    assert response.headers["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="composer"')
    assert "That passage is not in the article" in html
    assert not Annotation.objects.exists()


def test_unknown_status_is_shown_in_place_and_creates_nothing(client, article, annotator):
    before = Label.objects.count()
    data = selection(article, "peaceful") | {"tags": "bogus: a claim", "note": "kept"}
    response = client.post(f"/articles/{article.pk}/annotations/new/", data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert "“bogus” is not a claim status" in html
    assert 'value="bogus: a claim"' in html and ">kept</textarea>" in html  # nothing typed is lost
    assert Label.objects.count() == before
    assert not Claim.objects.exists() and not Annotation.objects.exists()


def test_create_without_javascript_redirects_back_with_a_message(client, article, annotator):
    data = {"exact": "peaceful", "note": "Typed by hand", "visibility": "private"}
    response = client.post(f"/articles/{article.pk}/annotations/new/", data)
    annotation = Annotation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/articles/{article.pk}/#annotation-{annotation.pk}"
    assert annotation.visibility == "private"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Annotation saved."]


def test_create_without_javascript_shows_errors_on_a_full_page(client, article, annotator):
    response = client.post(f"/articles/{article.pk}/annotations/new/", {"exact": "nope"})
    assert response.status_code == 422
    assert (
        b"<html" in response.content and b"That passage is not in the article" in response.content
    )


def test_a_claim_made_by_the_create_costs_no_desk_count_and_no_article_look_up(
    client, article, annotator, two_claims
):
    """A new claim each time is what the reader sends most: nothing hangs on it yet."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.models import ChangeEvent, Verdict

    first, last = two_claims
    Verdict.objects.create(claim=first.claim, user=annotator, status=first.claim.status)
    with CaptureQueriesContext(connection) as reused:
        again = create_shown(
            client, article, "Witnesses said", [first, last], tags="unverified: terrorists claim"
        )
    with CaptureQueriesContext(connection) as made:
        response = create_shown(
            client, article, "marchers were", [first, last], tags="unverified: a fresh claim"
        )

    def flat(answer):
        return " ".join(answer.content.decode().split())

    # An existing claim's desk is counted (its verdict shows); a new one's is empty as it is.
    assert "1 verdict · 0 evidence" in flat(again)
    assert "0 verdicts · 0 evidence · 0 replies" in flat(response)
    assert any("n_verdicts" in q["sql"] for q in reused.captured_queries)
    assert not any("n_verdicts" in q["sql"] for q in made.captured_queries)
    assert not any("DISTINCT" in q["sql"] for q in made.captured_queries)  # its articles
    # As many as a reused claim's: one to make it (its insert; its history entry and feed
    # event go in the same statements as the annotation's), less the desk count it does not
    # need.
    assert len(made) == len(reused), [q["sql"][:60] for q in made.captured_queries]
    # Its creation is published on the claim's feed, and on no article's.
    claim = Claim.objects.get(title="a fresh claim")
    event = ChangeEvent.objects.get(kind="claim.created", object_id=claim.pk)
    assert event.claim_id == claim.pk and event.article_id is None

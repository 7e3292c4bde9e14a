"""Annotating through the views: htmx fragments, full-page fallbacks, errors and permissions."""

import pytest
from django.contrib.messages import get_messages
from lxml import html as lxml_html

from annotations.models import Annotation, Claim, Evidence, Label
from annotations.services import annotation_create, annotation_delete, evidence_add
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were *peaceful* and unarmed."
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def selection(article, quote):
    start = article.body_text.index(quote)
    return {
        "exact": quote,
        "prefix": article.body_text[max(0, start - 32) : start],
        "suffix": article.body_text[start + len(quote) : start + len(quote) + 32],
        "start": start,
        "end": start + len(quote),
        "visibility": "shared",
    }


@pytest.fixture
def article():
    return make_article(body=BODY)


@pytest.fixture
def annotator(client):
    user = make_user()
    client.force_login(user)
    return user


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
    assert f'data-annotations="{new.pk}"' in html and "hl-status-unverified" in html
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
    # answer: the rows near it, one count and the label colours.
    assert counts[0] <= (14 if connection.vendor == "postgresql" else 13), counts


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


def test_click_to_edit_a_note(client, article, annotator, django_assert_max_num_queries):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful", note="v1")
    url = f"/annotations/{annotation.pk}/edit/"
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<li class="card card-editing" id="card-{annotation.pk}"')
    assert ">v1</textarea>" in form and "<html" not in form
    data = {"note": "**v2**", "tags": "witness", "visibility": "shared", "version": 1}
    # Guards saving an edit: the update, its history entry and change event, one card and
    # a repainted body; constant whatever else the article holds. 28, not 26, since the card
    # shows how many replies it has and, on PostgreSQL, the feed takes an advisory lock.
    with django_assert_max_num_queries(28):
        response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="card" id="card-{annotation.pk}"')
    assert "<strong>v2</strong>" in html and ">witness</li>" in html
    assert 'hx-swap-oob="innerHTML"' in html


def test_edit_without_javascript_is_a_full_page_that_redirects_back(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful", note="v1")
    url = f"/annotations/{annotation.pk}/edit/"
    page = client.get(url)
    assert (
        page.status_code == 200 and b"<html" in page.content and b">v1</textarea>" in page.content
    )
    response = client.post(url, {"note": "v2", "visibility": "private", "version": 1})
    assert response.status_code == 302 and response.url == annotation.get_absolute_url()
    annotation.refresh_from_db()
    assert (annotation.note, annotation.visibility) == ("v2", "private")
    invalid = client.post(url, {"note": "v3", "visibility": "shared"})  # no version
    assert invalid.status_code == 422 and b"<html" in invalid.content


def test_edit_from_an_old_version_shows_the_conflict_view_in_the_card(
    client, article, annotator, django_assert_max_num_queries
):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful", note="v1")
    url = f"/annotations/{annotation.pk}/edit/"
    client.post(url, {"note": "first", "visibility": "shared", "version": 1}, **HTMX)
    mine = {"note": "second", "tags": "witness", "visibility": "private", "version": 1}
    # Guards the conflict answer: the refused write, the saved version with its tags, the
    # base text and who saved it from the history; fixed, however long the history.
    with django_assert_max_num_queries(20):
        response = client.post(url, mine, **HTMX)
    html = response.content.decode()
    assert response.status_code == 409  # base.html's htmx-config swaps it in
    assert html.lstrip().startswith(
        f'<li class="card card-editing card-conflict" id="card-{annotation.pk}"'
    )
    assert '<pre class="conflict-text" data-side="theirs">first</pre>' in html
    assert '<pre class="conflict-text" data-side="mine">second</pre>' in html
    assert "Overwrite with mine" in html and "Save the merge" in html and "Keep theirs" in html
    assert f'hx-get="/annotations/{annotation.pk}/"' in html  # keep theirs: the card again
    # Both ways out send the editor's tags and visibility again, at the saved version.
    assert html.count('name="tags" value="witness"') == 2
    assert html.count('name="visibility" value="private"') == 2
    assert html.count('name="version" value="2"') == 2
    assert "Tags: none · shared" in html and "Tags: witness · only you" in html
    annotation.refresh_from_db()
    assert annotation.note == "first"  # nothing was overwritten

    overwrite = client.post(url, mine | {"version": 2, "resolution": "mine"}, **HTMX)
    assert overwrite.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.note, annotation.visibility, annotation.version) == ("second", "private", 3)
    assert [label.name for label in annotation.labels.all()] == ["witness"]


def test_a_conflict_without_javascript_is_a_whole_page(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful", note="v1")
    url = f"/annotations/{annotation.pk}/edit/"
    client.post(url, {"note": "first", "visibility": "shared", "version": 1})
    response = client.post(url, {"note": "second", "visibility": "shared", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html and "Someone else saved this" in html and "second" in html


def test_edit_tags_to_a_claim_and_back(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful")
    url = f"/annotations/{annotation.pk}/edit/"
    data = {"tags": "disputed: peaceful march", "visibility": "shared", "version": 1}
    html = client.post(url, data, **HTMX).content.decode()
    assert "hl-status-disputed" in html and "peaceful march" in html
    form = client.get(url, **HTMX).content.decode()
    assert 'value="disputed: peaceful march"' in form
    client.post(url, {"tags": "", "visibility": "shared", "version": 2}, **HTMX)
    annotation.refresh_from_db()
    assert annotation.claim is None


def test_delete_then_undo(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful")
    deleted = client.post(f"/annotations/{annotation.pk}/delete/", **HTMX).content.decode()
    assert deleted.lstrip().startswith(f'<li class="card card-deleted" id="card-{annotation.pk}"')
    assert "Deleted." in deleted and f"/annotations/{annotation.pk}/restore/" in deleted
    assert "<mark" not in deleted  # the body comes back without the highlight
    restored = client.post(f"/annotations/{annotation.pk}/restore/", **HTMX).content.decode()
    assert restored.lstrip().startswith(f'<li class="card" id="card-{annotation.pk}"')
    assert f'id="annotation-{annotation.pk}"' in restored


def test_delete_without_javascript_redirects_to_the_article(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful")
    response = client.post(f"/annotations/{annotation.pk}/delete/")
    assert response.status_code == 302 and response.url == article.get_absolute_url()


def test_edit_claim_inside_a_card_repaints_its_status(client, article, annotator):
    annotation = annotation_create(
        article=article, author=annotator, exact="peaceful", tags="unverified: peaceful march"
    )
    claim = annotation.claim
    url = f"/claims/{claim.slug}/edit/?card={annotation.pk}"
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<li class="card card-editing" id="card-{annotation.pk}"')
    assert f'id="evidence-{claim.pk}"' in form
    verified = Label.objects.get(slug="verified")
    data = {"title": "peaceful march", "status": verified.pk, "version": 1, "card": annotation.pk}
    html = client.post(f"/claims/{claim.slug}/edit/", data, **HTMX).content.decode()
    assert html.lstrip().startswith(f'<li class="card" id="card-{annotation.pk}"')
    assert "hl-status-verified" in html


def test_edit_forms_are_refused_to_others(client, article):
    annotation = annotation_create(article=article, author=make_user(), exact="peaceful")
    client.force_login(make_user())
    assert client.get(f"/annotations/{annotation.pk}/edit/", **HTMX).status_code == 403
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/annotations/{annotation.pk}/edit/" not in page  # no edit controls shown


def test_labels_page_for_moderators(client, django_assert_max_num_queries):
    client.force_login(make_user(role="moderator"))
    # Guards the labels page: one query for every label with its counts.
    with django_assert_max_num_queries(5):
        response = client.get("/labels/")
    assert response.status_code == 200 and b"needs context" in response.content
    created = client.post(
        "/labels/new/", {"name": "loaded", "colour": "#aa0000", "kind": "tag"}, **HTMX
    )
    assert created.content.decode().lstrip().startswith('<div id="label-manager">')
    label = Label.objects.get(name="loaded")
    edited = client.post(
        f"/labels/{label.pk}/edit/", {"name": "loaded words", "colour": "#aa0000"}, **HTMX
    )
    assert (
        edited.content.decode().lstrip().startswith(f'<li class="label-row" id="label-{label.pk}"')
    )
    bad = client.post(
        f"/labels/{label.pk}/edit/", {"name": "verified", "colour": "#aa0000"}, **HTMX
    )
    assert bad.status_code == 422 and "merge into it" in bad.content.decode()


# --- every write view x every role -----------------------------------------------------------

ROLES = ["anonymous", "reader", "owner", "other", "moderator", "editor"]


@pytest.fixture
def world(article):
    """An annotator's annotation with a claim and evidence, plus one of each role."""
    owner = make_user(username="owner")
    annotation = annotation_create(
        article=article, author=owner, exact="peaceful", tags="witness, unverified: march"
    )
    deleted = annotation_create(article=article, author=owner, exact="unarmed")
    annotation_delete(annotation=deleted, user=owner)
    evidence = evidence_add(claim=annotation.claim, user=owner, url="https://example.org/e")
    users = {
        "anonymous": None,
        "reader": make_user(role="reader"),
        "owner": owner,
        "other": make_user(),
        "moderator": make_user(role="moderator"),
        "editor": make_user(role="editor"),
    }
    return {
        "article": article,
        "annotation": annotation,
        "deleted": deleted,
        "claim": annotation.claim,
        "evidence": evidence,
        "label": Label.objects.get(name="witness"),
        "users": users,
    }


def _writes(w):
    a, claim, label = w["annotation"], w["claim"], w["label"]
    other_tag = Label.objects.create(name="other tag", slug="other-tag")
    return {
        "annotation-create": (
            "post",
            f"/articles/{w['article'].pk}/annotations/new/",
            {"exact": "marchers", "visibility": "shared"},
        ),
        "annotation-edit-form": ("get", f"/annotations/{a.pk}/edit/", {}),
        "annotation-edit": (
            "post",
            f"/annotations/{a.pk}/edit/",
            {"note": "x", "visibility": "shared", "version": a.version},
        ),
        "annotation-delete": ("post", f"/annotations/{a.pk}/delete/", {}),
        "annotation-restore": ("post", f"/annotations/{w['deleted'].pk}/restore/", {}),
        "annotation-hide": ("post", f"/annotations/{a.pk}/hide/", {"hidden": "1"}),
        "claim-edit-form": ("get", f"/claims/{claim.slug}/edit/", {}),
        "claim-edit": (
            "post",
            f"/claims/{claim.slug}/edit/",
            {"title": "march", "status": claim.status_id, "version": claim.version},
        ),
        "evidence-add": (
            "post",
            f"/claims/{claim.slug}/evidence/",
            {"url": "https://example.org/new"},
        ),
        "evidence-remove": (
            "post",
            f"/claims/{claim.slug}/evidence/{w['evidence'].pk}/remove/",
            {},
        ),
        "labels-page": ("get", "/labels/", {}),
        "label-create": ("post", "/labels/new/", {"name": "n", "colour": "#123456", "kind": "tag"}),
        "label-edit-form": ("get", f"/labels/{label.pk}/edit/", {}),
        "label-edit": ("post", f"/labels/{label.pk}/edit/", {"name": "w2", "colour": "#123456"}),
        "label-merge": ("post", f"/labels/{other_tag.pk}/merge/", {"target": label.pk}),
    }


OK, NO = "ok", 403
# Who may: owner = the annotator who made the annotation, claim and evidence.
EXPECTED = {
    #                     anonymous reader owner other moderator editor
    "annotation-create":    (NO, NO, OK, OK, OK, OK),
    "annotation-edit-form": (NO, NO, OK, NO, OK, OK),
    "annotation-edit":      (NO, NO, OK, NO, OK, OK),
    "annotation-delete":    (NO, NO, OK, NO, OK, OK),
    "annotation-restore":   (NO, NO, OK, NO, OK, OK),
    "annotation-hide":      (NO, NO, NO, NO, OK, OK),
    "claim-edit-form":      (NO, NO, OK, NO, OK, OK),
    "claim-edit":           (NO, NO, OK, NO, OK, OK),
    "evidence-add":         (NO, NO, OK, OK, OK, OK),
    "evidence-remove":      (NO, NO, OK, NO, OK, OK),
    "labels-page":          (NO, NO, NO, NO, OK, OK),
    "label-create":         (NO, NO, NO, NO, OK, OK),
    "label-edit-form":      (NO, NO, NO, NO, OK, OK),
    "label-edit":           (NO, NO, NO, NO, OK, OK),
    "label-merge":          (NO, NO, NO, NO, OK, OK),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_write_view_checks_permission_on_the_server(client, world, view, role, htmx):
    method, url, data = _writes(world)[view]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data, **(HTMX if htmx else {}))
    expected = EXPECTED[view][ROLES.index(role)]
    if expected == NO:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.content[:500]


def test_forged_writes_change_nothing(client, world):
    client.force_login(world["users"]["other"])
    annotation, claim = world["annotation"], world["claim"]
    client.post(f"/annotations/{annotation.pk}/edit/", {"note": "forged", "version": 1})
    client.post(f"/annotations/{annotation.pk}/delete/")
    client.post(f"/claims/{claim.slug}/edit/", {"title": "forged", "status": claim.status_id})
    client.post(f"/claims/{claim.slug}/evidence/{world['evidence'].pk}/remove/")
    annotation.refresh_from_db()
    claim.refresh_from_db()
    assert (annotation.note, annotation.deleted_at, claim.title) == ("", None, "march")
    assert Evidence.objects.count() == 1

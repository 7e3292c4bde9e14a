"""Editing through the views: click to edit, conflicts, delete and undo, claims in cards, labels."""

import pytest
from lxml import html as lxml_html

from annotations.core.services import annotation_create
from annotations.models import Label
from tests.annotations.reader.conftest import HTMX
from tests.factories import make_user

pytestmark = pytest.mark.django_db


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
    invalid = client.post(url, {"note": "v3", "visibility": "everyone", "version": 2})
    assert invalid.status_code == 422 and b"<html" in invalid.content
    lost = client.post(url, {"note": "v3", "visibility": "shared"})  # no version
    assert lost.status_code == 400 and b"lost its version" in lost.content


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
    assert f"id=annotation-{annotation.pk}>" in restored  # its mark, painted again


def test_delete_without_javascript_redirects_to_the_article(client, article, annotator):
    annotation = annotation_create(article=article, author=annotator, exact="peaceful")
    response = client.post(f"/annotations/{annotation.pk}/delete/")
    assert response.status_code == 302 and response.url == article.get_absolute_url()


def test_edit_claim_inside_a_card_repaints_its_status(
    client, article, annotator, django_assert_max_num_queries
):
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
    # The panel's filters come along (hx-include); the reader draws the card and repaints
    # the body under them: htmx follows the redirect and swaps the answer for the card.
    response = client.post(f"/claims/{claim.slug}/edit/", data | {"by_status": "verified"}, **HTMX)
    assert response.status_code == 302
    assert response.url == f"/annotations/{annotation.pk}/?by_status=verified&paint=1"
    # Guards the card drawn again (10): session, user and roles, the annotation, the painting's
    # labels and rows, the card's labels, reply count and claim's desk counts; not one query
    # per annotation.
    with django_assert_max_num_queries(10):
        html = client.get(response.url, **HTMX).content.decode()
    assert html.lstrip().startswith(f'<li class="card" id="card-{annotation.pk}"')
    assert "hl-status-verified" in html
    body = lxml_html.fragment_fromstring(html, create_parent="div").get_element_by_id(
        "article-body"
    )
    assert body.get("hx-swap-oob") == "innerHTML" and body.xpath(".//mark")
    filtered_out = client.get(f"/annotations/{annotation.pk}/?by_status=false&paint=1", **HTMX)
    assert "<mark" not in filtered_out.content.decode()


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

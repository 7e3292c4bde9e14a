"""The one note editor losing a race: both texts side by side, a merge, and the ways out."""

import pytest
from django.urls import reverse

from annotations.core.services import annotation_create, annotation_update
from annotations.models import Annotation
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BODY = "Witnesses said the marchers were peaceful and carried flowers."
HTMX = {"HTTP_HX_REQUEST": "true"}


def editor_url(annotation):
    return reverse("annotations:edit", args=[annotation.pk])


def edit(note, version, **fields):
    return {"note": note, "tags": "", "visibility": "shared", "version": version, **fields}


def test_a_moderators_stale_edit_shows_whose_text_was_saved_and_a_clean_merge(client):
    alice = make_user(username="alice")
    annotation = annotation_create(
        article=make_article(body=BODY), author=alice, exact="peaceful", note="first note"
    )
    annotation_update(annotation=annotation, user=alice, version=1, note="The march was peaceful.")
    client.force_login(make_user(role="moderator", username="bob"))
    loaded = client.get(editor_url(annotation), **HTMX).content.decode()
    assert 'name="version" value="2"' in loaded
    # Alice saves first ...
    annotation_update(
        annotation=annotation, user=alice, version=2, note="Several said the march was peaceful."
    )
    # ... then Bob's save from version 2 loses the race.
    response = client.post(
        editor_url(annotation), edit("The march was peaceful and orderly.", 2), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 409 and "<html" not in html  # htmx-config swaps 409s in
    assert f'id="card-{annotation.pk}"' in html
    assert '<pre class="conflict-text" data-side="theirs">Several said' in html
    assert '<pre class="conflict-text" data-side="mine">The march was peaceful and orderly.' in html
    assert '<strong class="saved-by">alice</strong>' in html
    # The history knows the base (version 2), so the merge is clean and prefilled.
    assert ">Several said the march was peaceful and orderly.</textarea>" in html
    assert "both edits combined automatically" in html
    assert Annotation.objects.get(pk=annotation.pk).note == "Several said the march was peaceful."


def test_without_javascript_the_conflict_is_a_page_and_mine_overwrites_at_the_saved_version(
    client,
):
    author = make_user()
    annotation = annotation_create(article=make_article(body=BODY), author=author, exact="peaceful")
    annotation_update(annotation=annotation, user=author, version=1, note="theirs")
    client.force_login(author)
    conflict = client.post(editor_url(annotation), edit("mine", 1))
    html = conflict.content.decode()
    assert conflict.status_code == 409
    assert "<html" in html and "Overwrite with mine" in html and 'name="version" value="2"' in html
    response = client.post(editor_url(annotation), edit("mine", 2, resolution="mine"))
    assert response.status_code == 302 and response.url == annotation.get_absolute_url()
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("mine", 3)

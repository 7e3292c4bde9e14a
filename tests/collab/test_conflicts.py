"""Conflict-safe note edits: the conflict view, its three ways out, and the merge."""

import pytest
from django.urls import reverse

from annotations.conflicts import MARK_MINE, MARK_THEIRS, merge_texts
from annotations.models import Annotation
from annotations.services import annotation_update

from .conftest import htmx, make_user, tag_claim

pytestmark = pytest.mark.django_db


def test_merge_of_edits_to_different_places_is_clean():
    merged = merge_texts(
        base="Witnesses said the march was peaceful.",
        mine="Witnesses said the march was peaceful and orderly.",
        theirs="Several witnesses said the march was peaceful.",
    )
    assert merged.clean
    assert merged.text == "Several witnesses said the march was peaceful and orderly."


def test_merge_of_edits_to_the_same_words_keeps_both_with_markers():
    merged = merge_texts(base="one two three", mine="one 2 three", theirs="one deux three")
    assert not merged.clean
    assert merged.text.startswith(MARK_THEIRS) and MARK_MINE in merged.text
    assert "one deux three" in merged.text and "one 2 three" in merged.text


def test_merge_without_a_base_offers_both():
    merged = merge_texts(base=None, mine="a", theirs="b")
    assert not merged.clean and "a" in merged.text and "b" in merged.text


def editor_url(annotation):
    return reverse("collab:annotation-note", args=[annotation.pk])


def test_stale_note_edit_shows_both_versions_side_by_side(client):
    alice = make_user(username="alice")
    annotation = tag_claim(author=alice)
    annotation.note = "The march was peaceful."
    annotation_update(annotation=annotation, user=alice, version=1, note="The march was peaceful.")
    moderator = make_user(role="moderator", username="bob")
    client.force_login(moderator)
    loaded = client.get(editor_url(annotation)).content.decode()
    assert 'name="version" value="2"' in loaded
    # Alice saves first ...
    annotation_update(
        annotation=annotation, user=alice, version=2, note="Several said the march was peaceful."
    )
    # ... then Bob's save from version 2 loses the race.
    response = htmx(
        client,
        "post",
        editor_url(annotation),
        {"note": "The march was peaceful and orderly.", "version": 2},
    )
    html = response.content.decode()
    assert response.status_code == 409 and "<html" not in html  # htmx-config swaps 409s in
    assert f'id="note-editor-{annotation.pk}"' in html
    assert "Several said the march was peaceful." in html  # theirs
    assert "The march was peaceful and orderly." in html  # mine
    assert '<strong class="saved-by">alice</strong>' in html
    assert "Keep theirs" in html and "Overwrite with mine" in html
    # The history knows the base (version 2), so the merge is clean and prefilled.
    assert "Several said the march was peaceful and orderly." in html
    assert 'name="version" value="3"' in html
    assert Annotation.objects.get(pk=annotation.pk).note == "Several said the march was peaceful."


def test_overwrite_with_mine_resubmits_at_the_current_version(client):
    author = make_user()
    annotation = tag_claim(author=author)
    annotation_update(annotation=annotation, user=author, version=1, note="theirs")
    client.force_login(author)
    conflict = client.post(editor_url(annotation), {"note": "mine", "version": 1})
    assert conflict.status_code == 409  # without htmx: the whole page, with a 409
    assert (
        "<html" in conflict.content.decode() and "Overwrite with mine" in conflict.content.decode()
    )
    response = client.post(editor_url(annotation), {"note": "mine", "version": 2})
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("mine", 3)


def test_note_editor_is_for_author_and_moderators(client):
    annotation = tag_claim()
    client.force_login(make_user())
    assert client.get(editor_url(annotation)).status_code == 403
    assert client.post(editor_url(annotation), {"note": "x", "version": 1}).status_code == 403
    client.force_login(make_user(role="reader"))
    assert client.post(editor_url(annotation), {"note": "x", "version": 1}).status_code == 403


def test_successful_htmx_save_returns_the_display(client, django_assert_max_num_queries):
    author = make_user()
    annotation = tag_claim(author=author)
    client.force_login(author)
    # Guards a note save: permission, compare-and-set, history and feed, fixed in number.
    with django_assert_max_num_queries(17):
        response = htmx(client, "post", editor_url(annotation), {"note": "**saved**", "version": 1})
    html = response.content.decode()
    assert "<strong>saved</strong>" in html and 'data-version="2"' in html

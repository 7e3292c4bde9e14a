"""A private note's history is its author's alone, and no moderator acts on it or its replies."""

import pytest
from django.core.exceptions import PermissionDenied

from annotations.collab import discussion, moderation, revert
from annotations.core import permissions, services
from annotations.core.services import annotation_create, annotation_update
from annotations.models import Flag, HistoryEntry
from tests.factories import make_user
from tests.security.private_content.conftest import (
    SECRET_NOTE,
    SECRET_REPLY,
    assert_secret_absent,
    login,
    private_note,
)

pytestmark = pytest.mark.django_db


# --- history ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_annotation_history_of_a_private_note_is_only_its_authors(client, article, alice, role):
    note = private_note(article, alice)
    discussion.reply_create(author=alice, body=SECRET_REPLY, annotation=note)
    url = f"/annotations/{note.pk}/history/"

    response = login(client, make_user(role=role)).get(url)
    assert response.status_code == 404
    assert_secret_absent(response)

    mine = login(client, alice).get(url)
    assert mine.status_code == 200 and SECRET_NOTE in mine.content.decode()


@pytest.mark.parametrize("role", ["reader", "moderator", "editor"])
def test_claim_history_leaks_no_private_note_nor_its_replies(client, article, alice, role):
    shared = annotation_create(
        article=article, author=make_user(), exact="armed", tags="false: armed marchers"
    )
    note = private_note(article, alice, tags="false: armed marchers")
    discussion.reply_create(author=alice, body=SECRET_REPLY, annotation=note)
    url = f"/claims/{shared.claim.slug}/history/"

    response = login(client, make_user(role=role)).get(url)
    assert response.status_code == 200
    assert_secret_absent(response)

    mine = login(client, alice).get(url).content.decode()
    assert SECRET_NOTE in mine and SECRET_REPLY in mine


def test_a_moderator_cannot_revert_a_private_note_back_to_shared(client, article, alice, moderator):
    note = annotation_create(article=article, author=alice, exact="peaceful", note="public text")
    note = annotation_update(
        annotation=note, user=alice, version=note.version, note=SECRET_NOTE, visibility="private"
    )
    entry = HistoryEntry.objects.for_object(note).get(action="updated")

    response = login(client, moderator).post(f"/history/{entry.pk}/revert/")
    assert response.status_code == 404
    note.refresh_from_db()
    assert (note.visibility, note.note) == ("private", SECRET_NOTE)
    # The service refuses too, whichever way it is called.

    with pytest.raises(PermissionDenied):
        revert.revert(entry=entry, user=moderator)


# --- moderator actions on someone else's private content --------------------------------------


def test_a_moderator_cannot_hide_a_private_note_or_a_reply_under_it(
    client, article, alice, moderator
):
    note = private_note(article, alice)
    reply = discussion.reply_create(author=alice, body=SECRET_REPLY, annotation=note)
    login(client, moderator)
    assert client.post(f"/moderation/replies/{reply.pk}/hide/").status_code == 404
    assert client.post(f"/annotations/{note.pk}/hide/").status_code == 404
    note.refresh_from_db()
    reply.refresh_from_db()
    assert note.hidden_at is None and reply.hidden_at is None
    with pytest.raises(PermissionDenied):
        services.content_set_hidden(obj=note, user=moderator, hidden=True)


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_a_moderator_cannot_edit_delete_or_reattach_a_private_note(client, article, alice, role):
    note = private_note(article, alice)
    staff = make_user(role=role)
    login(client, staff)
    edits = {
        f"/annotations/{note.pk}/edit/": {"note": "x", "visibility": "shared", "version": 1},
        f"/annotations/{note.pk}/delete/": {},
        f"/annotations/{note.pk}/reattach/": {"exact": "armed", "start": 35, "end": 40},
    }
    for url, data in edits.items():
        response = client.post(url, data)
        assert response.status_code in (403, 404), url
        assert_secret_absent(response)
    note.refresh_from_db()
    assert (note.note, note.visibility, note.deleted_at, note.version) == (
        SECRET_NOTE,
        "private",
        None,
        1,
    )
    assert not permissions.can_change(staff, note)
    with pytest.raises(PermissionDenied):
        annotation_update(annotation=note, user=staff, version=1, visibility="shared")


def test_a_moderator_cannot_edit_a_reply_in_a_private_thread(client, article, alice, moderator):
    note = annotation_create(article=article, author=alice, exact="peaceful", note="shared")
    bob_reply = discussion.reply_create(author=make_user(), body="first look", annotation=note)
    annotation_update(annotation=note, user=alice, version=note.version, visibility="private")
    mine = discussion.reply_create(author=alice, body=SECRET_REPLY, annotation=note)
    login(client, moderator)
    for reply in (bob_reply, mine):
        response = client.post(f"/replies/{reply.pk}/edit/", {"body": "edited", "version": 1})
        assert response.status_code == 404
        assert client.post(f"/replies/{reply.pk}/delete/").status_code == 404
    mine.refresh_from_db()
    assert (mine.body, mine.deleted_at) == (SECRET_REPLY, None)


def test_the_moderation_queue_leaves_out_flags_on_notes_made_private(
    client, article, alice, moderator
):
    note = annotation_create(article=article, author=alice, exact="peaceful", note="shared")
    moderation.flag_create(reporter=make_user(), reason="rude", annotation=note)
    annotation_update(
        annotation=note, user=alice, version=note.version, note=SECRET_NOTE, visibility="private"
    )
    response = login(client, moderator).get("/moderation/")
    assert response.status_code == 200
    assert_secret_absent(response)
    assert not Flag.objects.for_queue().exists()

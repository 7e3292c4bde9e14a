"""Replies in a private thread tell nobody, and suspension wins over every role."""

import pytest
from django.core.exceptions import PermissionDenied

from annotations.collab import discussion
from annotations.core import permissions
from annotations.core.services import annotation_create, annotation_update
from annotations.interop.tokens import token_create
from annotations.models import Annotation, Notification
from tests.factories import make_group, make_user
from tests.security.private_content.conftest import SECRET_REPLY, login, private_note

pytestmark = pytest.mark.django_db


# --- mentions and replies -------------------------------------------------------------------


def test_a_mention_in_a_private_thread_tells_nobody(article, alice):
    bob = make_user(username="bob")
    note = private_note(article, alice)
    reply = discussion.reply_create(author=alice, body=f"@bob {SECRET_REPLY}", annotation=note)
    discussion.reply_update(reply=reply, user=alice, version=reply.version, body="@bob again")
    assert not Notification.objects.filter(recipient=bob).exists()
    assert not reply.mentions.exists()


def test_answering_an_old_reply_in_a_thread_made_private_tells_nobody(article, alice):
    bob = make_user(username="bob")
    note = annotation_create(article=article, author=alice, exact="peaceful", note="shared")
    bobs = discussion.reply_create(author=bob, body="what source?", annotation=note)
    Notification.objects.all().delete()
    annotation_update(annotation=note, user=alice, version=note.version, visibility="private")
    discussion.reply_create(author=alice, body=SECRET_REPLY, annotation=note, parent=bobs)
    assert not Notification.objects.filter(recipient=bob).exists()


def test_only_the_author_replies_to_a_private_note(client, article, alice, moderator):
    note = private_note(article, alice)
    with pytest.raises(PermissionDenied):
        discussion.reply_create(author=moderator, body="hello", annotation=note)
    response = login(client, moderator).post(
        f"/annotations/{note.pk}/discussion/", {"body": "hello"}
    )
    assert response.status_code == 404
    assert not note.replies.exists()


# --- suspension wins --------------------------------------------------------------------------


def suspend(user):
    user.groups.add(make_group(name=permissions.SUSPENDED))
    permissions.forget_role(user)
    return user


def test_a_suspended_staff_editor_cannot_import():
    editor = make_user(role="editor", is_staff=True)
    assert permissions.can_import(editor)
    assert not permissions.can_import(suspend(editor))


def test_a_suspended_editor_reads_the_admin_but_cannot_add_change_or_import(client, article):
    editor = make_user(role="editor", is_staff=True)
    login(client, editor)
    assert client.get("/admin/articles/article/add/").status_code == 200  # before: open
    suspend(editor)
    assert client.get("/admin/articles/article/").status_code == 200  # still reads
    for url in (
        "/admin/articles/article/add/",
        "/admin/articles/article/import/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {"title": "Vandalised", "body_markdown": "Gone.", "language": "en"},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Vandalised"


def test_a_suspended_staff_member_with_annotation_permissions_changes_nothing(client, article):
    note = annotation_create(article=article, author=make_user(), exact="peaceful", note="kept")
    staff = make_user(role="moderator", is_staff=True)
    for codename in ("add_annotation", "change_annotation", "view_annotation"):
        staff.user_permissions.add(*staff.user_permissions.model.objects.filter(codename=codename))
    suspend(staff)
    login(client, staff)
    assert client.get(f"/admin/annotations/annotation/{note.pk}/change/").status_code == 200
    assert client.get("/admin/annotations/annotation/add/").status_code == 403
    response = client.post(f"/admin/annotations/annotation/{note.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.note == "kept"


def test_a_suspended_users_api_token_reads_but_does_not_write(client, article):
    annotator = make_user()
    note = annotation_create(article=article, author=annotator, exact="peaceful", note="kept")
    _token, secret = token_create(user=annotator, name="script")
    suspend(annotator)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/annotations/{note.pk}", **auth).status_code == 200
    response = client.delete(f"/api/annotations/{note.pk}", **auth)
    assert response.status_code == 403
    assert Annotation.objects.alive().filter(pk=note.pk).exists()

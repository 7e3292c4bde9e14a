"""Flags, the moderation queue, hiding, and suspending a user's writing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotations.collab import discussion, moderation, verdicts
from annotations.core import permissions, services
from annotations.core.services import annotation_create, annotation_update
from annotations.models import Annotation, Flag, HistoryEntry, Reply, Verdict

from .conftest import BODY, make_article, make_user, status, tag_claim

pytestmark = pytest.mark.django_db


def test_anyone_signed_in_can_flag_and_flagging_twice_updates(client):
    annotation = tag_claim()
    reader = make_user(role="reader")
    client.force_login(reader)
    url = reverse("collab:annotation-flag", args=[annotation.pk])
    assert client.post(url, {"reason": "abusive"}).status_code == 302
    client.post(url, {"reason": "abusive and wrong"})
    flag = Flag.objects.get()
    assert (flag.reporter, flag.reason) == (reader, "abusive and wrong")
    reply = discussion.reply_create(author=make_user(), body="x", annotation=annotation)
    response = client.post(
        reverse("collab:reply-flag", args=[reply.pk]), {"reason": "spam"}, HTTP_HX_REQUEST="true"
    )
    assert "a moderator will look at it" in response.content.decode()
    assert Flag.objects.filter(reply=reply).exists()


def test_anonymous_cannot_flag(client):
    url = reverse("collab:annotation-flag", args=[tag_claim().pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_queue_is_for_moderators_and_query_guarded(client, django_assert_max_num_queries):
    for n in range(5):
        annotation = tag_claim(title=f"claim {n}")
        moderation.flag_create(reporter=make_user(), reason=f"reason {n}", annotation=annotation)
        reply = discussion.reply_create(author=make_user(), body=f"r{n}", annotation=annotation)
        moderation.flag_create(reporter=make_user(), reason=f"reply {n}", reply=reply)
    client.force_login(make_user())
    assert client.get(reverse("collab:moderation")).status_code == 403
    client.force_login(make_user(role="moderator"))
    # Guards the moderation queue: flags with their subjects in one query, not one per flag.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("collab:moderation"))
    assert response.content.decode().count('id="flag-') == 10


def test_hide_blanks_content_for_everyone_but_author_and_moderators():
    author, other, moderator = make_user(), make_user(), make_user(role="moderator")
    annotation = tag_claim(author=author)
    moderation.flag_create(reporter=other, reason="x", annotation=annotation)
    services.content_set_hidden(obj=annotation, user=moderator, hidden=True)
    annotation.refresh_from_db()
    assert not moderation.visible_content(other, annotation)
    assert moderation.visible_content(author, annotation)
    assert moderation.visible_content(moderator, annotation)
    assert Flag.objects.get().resolution == "hidden"
    services.content_set_hidden(obj=annotation, user=moderator, hidden=False)
    annotation.refresh_from_db()
    assert moderation.visible_content(other, annotation)
    with pytest.raises(PermissionDenied):
        services.content_set_hidden(obj=annotation, user=author, hidden=True)


def test_hide_and_dismiss_views(client):
    annotation = tag_claim()
    flag = moderation.flag_create(reporter=make_user(), reason="x", annotation=annotation)
    # The queue hides an annotation through the one hide (the reader's), and comes back.
    url = reverse("annotations:hide", args=[annotation.pk])
    queue = reverse("collab:moderation")
    client.force_login(make_user())
    assert client.post(url, {"hidden": "1"}).status_code == 403
    client.force_login(make_user(role="moderator"))
    assert f'action="{url}"' in client.get(queue).content.decode()
    response = client.post(url, {"hidden": "1", "next": queue})
    assert response.status_code == 302 and response.url == queue
    assert Annotation.objects.get(pk=annotation.pk).hidden_at is not None
    assert Flag.objects.get(pk=flag.pk).resolution == "hidden"
    client.post(url, {"hidden": "0"})
    assert Annotation.objects.get(pk=annotation.pk).hidden_at is None
    other = moderation.flag_create(reporter=make_user(), reason="y", annotation=annotation)
    client.post(reverse("collab:flag-dismiss", args=[other.pk]))
    assert Flag.objects.get(pk=other.pk).resolution == "dismissed"
    assert flag.pk != other.pk


def test_a_moderator_hides_a_reply_and_shows_it_again(client):
    reply = discussion.reply_create(author=make_user(), body="rude", claim=tag_claim().claim)
    url = reverse("collab:reply-hide", args=[reply.pk])
    client.force_login(make_user(role="moderator"))
    response = client.post(url, {"hidden": "1", "next": reply.get_absolute_url()})
    assert response.status_code == 302 and response.url == reply.get_absolute_url()
    assert Reply.objects.get(pk=reply.pk).hidden_at is not None
    client.post(url, {"hidden": "0"})
    assert Reply.objects.get(pk=reply.pk).hidden_at is None


def test_visible_content_filter_for_the_reader_ui():
    from django.template import engines

    annotation = tag_claim()
    services.content_set_hidden(obj=annotation, user=make_user(role="moderator"), hidden=True)
    annotation.refresh_from_db()
    template = engines["django"].from_string(
        "{% load collab %}{% if a|content_visible_to:user %}{{ a.note }}{% else %}hidden{% endif %}"
    )
    assert template.render({"a": annotation, "user": make_user()}) == "hidden"
    assert template.render({"a": annotation, "user": annotation.author}) == "first note"


def test_suspended_user_gets_403_on_every_write(client):
    suspect, moderator = make_user(), make_user(role="moderator")
    annotation = tag_claim(author=suspect)
    claim = annotation.claim
    reply = discussion.reply_create(author=suspect, body="before", claim=claim)
    client.force_login(moderator)
    response = client.post(
        reverse("collab:user-suspend", args=[suspect.username]),
        {"suspended": "1", "reason": "abuse"},
    )
    assert response.status_code == 302
    entry = HistoryEntry.objects.get(target_type="user", action="suspended")
    assert entry.after["reason"] == "abuse" and entry.actor == moderator
    suspect = type(suspect).objects.get(pk=suspect.pk)
    assert permissions.is_suspended(suspect) and not permissions.can_annotate(suspect)
    # Every existing service honours it through permissions.can_annotate ...
    with pytest.raises(PermissionDenied):
        annotation_create(article=make_article(body=BODY), author=suspect, exact="peaceful")
    with pytest.raises(PermissionDenied):
        annotation_update(annotation=annotation, user=suspect, version=1, note="x")
    # ... and every write view answers 403.
    client.force_login(suspect)
    writes = [
        (reverse("collab:claim-discussion", args=[claim.slug]), {"body": "x"}),
        (reverse("collab:annotation-discussion", args=[annotation.pk]), {"body": "x"}),
        (reverse("collab:reply-edit", args=[reply.pk]), {"body": "x", "version": 1}),
        (reverse("collab:reply-delete", args=[reply.pk]), {}),
        (reverse("collab:claim-verdicts", args=[claim.slug]), {"status": status("false").pk}),
        (
            reverse("annotations:edit", args=[annotation.pk]),
            {"note": "x", "visibility": "shared", "version": 1},
        ),
        (reverse("collab:annotation-flag", args=[annotation.pk]), {"reason": "x"}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert not Verdict.objects.exists() and Reply.objects.count() == 1
    # Reading still works.
    assert client.get(reverse("collab:claim-discussion", args=[claim.slug])).status_code == 200
    moderation.user_set_suspended(target=suspect, user=moderator, suspended=False)
    suspect = type(suspect).objects.get(pk=suspect.pk)
    assert permissions.can_annotate(suspect)
    verdicts.verdict_record(claim=claim, user=suspect, status=status("false"))


def test_only_moderators_suspend_and_never_a_superuser(client):
    target = make_user()
    with pytest.raises(PermissionDenied):
        moderation.user_set_suspended(target=target, user=make_user(), suspended=True)
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    with pytest.raises(PermissionDenied):
        moderation.user_set_suspended(target=boss, user=make_user(role="moderator"), suspended=True)

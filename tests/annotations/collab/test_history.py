"""Every change is recorded with before and after; moderators revert through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations.collab import discussion, revert, verdicts
from annotations.core import history, services
from annotations.core.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    claim_set_status,
)
from annotations.models import Annotation, HistoryEntry
from tests.factories import make_label

from .conftest import BODY, make_article, make_user, status, tag_claim

pytestmark = pytest.mark.django_db


def entries_of(obj):
    return list(HistoryEntry.objects.for_object(obj).order_by("id"))


def test_annotation_changes_are_recorded_with_who_and_before_after():
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotation_create(
        article=article, author=author, exact="peaceful", note="one", tags="march"
    )
    annotation_update(annotation=annotation, user=author, version=1, note="two", tags="march, calm")
    annotation_delete(annotation=annotation, user=author)
    created, updated, deleted = entries_of(annotation)
    assert (created.action, created.actor, created.before) == ("created", author, None)
    assert created.after["note"] == "one" and created.after["labels"] == ["march"]
    assert updated.before["note"] == "one" and updated.after["note"] == "two"
    assert updated.after["labels"] == ["calm", "march"]
    assert {f: (b, a) for f, b, a in updated.changes}["note"] == ("one", "two")
    assert deleted.before["deleted_at"] is None and deleted.after["deleted_at"] is not None
    assert created.article_id == article.pk


def test_claim_creation_status_and_verdicts_are_recorded():
    annotation = tag_claim()
    claim = annotation.claim
    moderator = make_user(role="moderator")
    claim_set_status(claim=claim, status=status("false"), user=moderator)
    verdicts.verdict_record(claim=claim, user=moderator, status=status("false"), reason="x")
    actions = [
        (e.target_type, e.action) for e in HistoryEntry.objects.for_claim(claim).order_by("id")
    ]
    assert actions == [
        ("claim", "created"),
        ("annotation", "created"),
        ("claim", "status"),
        ("verdict", "created"),
    ]
    entry = HistoryEntry.objects.get(target_type="claim", action="status")
    assert (entry.before["status"], entry.after["status"]) == ("unverified", "false")


def test_generic_record_for_other_helpers_label_rename():
    label = make_label(name="protest")
    editor = make_user(role="moderator")
    before = history.snapshot(label)
    label.name = "protests"
    label.save()
    entry = history.record(
        actor=editor, obj=label, action="renamed", before=before, after=history.snapshot(label)
    )
    assert entry.target_type == "label" and entry.changes == [("name", "protest", "protests")]


def test_moderator_reverts_a_note_edit_through_the_service():
    author = make_user()
    annotation = tag_claim(author=author)
    annotation_update(annotation=annotation, user=author, version=1, note="vandalised")
    edit = entries_of(annotation)[-1]
    moderator = make_user(role="moderator")
    with pytest.raises(PermissionDenied):
        revert.revert(entry=edit, user=author)
    made = revert.revert(entry=edit, user=moderator)
    annotation.refresh_from_db()
    assert annotation.note == "first note" and annotation.version == 3
    assert annotation.claim.title == "terrorists claim"  # labels and claim kept
    assert [e.reverts for e in made] == [edit]
    assert made[0].actor == moderator and made[0].after["note"] == "first note"


def test_revert_a_delete_and_a_hide():
    author = make_user()
    annotation = tag_claim(author=author)
    annotation_delete(annotation=annotation, user=author)
    moderator = make_user(role="moderator")
    revert.revert(entry=entries_of(annotation)[-1], user=moderator)
    assert Annotation.objects.alive().filter(pk=annotation.pk).exists()
    services.content_set_hidden(obj=annotation, user=moderator, hidden=True)
    revert.revert(entry=entries_of(annotation)[-1], user=moderator)
    annotation.refresh_from_db()
    assert annotation.hidden_at is None


def test_revert_claim_status_and_final_status():
    claim = tag_claim().claim
    moderator = make_user(role="moderator")
    claim_set_status(claim=claim, status=status("false"), user=moderator)
    verdicts.claim_finalise(claim=claim, user=moderator, status=status("verified"))
    finalised = HistoryEntry.objects.get(target_type="claim", action="finalised")
    revert.revert(entry=finalised, user=moderator)
    claim.refresh_from_db()
    assert claim.status_final_at is None and claim.status.slug == "false"
    status_change = HistoryEntry.objects.get(target_type="claim", action="status", reverts=None)
    revert.revert(entry=status_change, user=moderator)
    claim.refresh_from_db()
    assert claim.status.slug == "unverified"


def test_revert_verdict_and_reply_edits():
    claim = tag_claim().claim
    user, moderator = make_user(), make_user(role="moderator")
    verdicts.verdict_record(claim=claim, user=user, status=status("false"), reason="a")
    verdict, _ = verdicts.verdict_record(claim=claim, user=user, status=status("opinion"))
    revert.revert(entry=entries_of(verdict)[-1], user=moderator)
    verdict.refresh_from_db()
    assert (verdict.status.slug, verdict.reason) == ("false", "a")
    reply = discussion.reply_create(author=user, body="fine", claim=claim)
    discussion.reply_update(reply=reply, user=user, version=1, body="spam spam")
    revert.revert(entry=entries_of(reply)[-1], user=moderator)
    reply.refresh_from_db()
    assert reply.body == "fine"


def test_reverting_what_is_already_so_is_refused():
    author = make_user()
    annotation = tag_claim(author=author)
    annotation_update(annotation=annotation, user=author, version=1, note="x")
    edit = entries_of(annotation)[-1]
    moderator = make_user(role="moderator")
    revert.revert(entry=edit, user=moderator)
    with pytest.raises(ValidationError):
        revert.revert(entry=edit, user=moderator)


def test_history_pages_and_revert_view(client, django_assert_max_num_queries):
    author = make_user()
    annotation = tag_claim(author=author)
    for n in range(5):
        annotation = annotation_update(
            annotation=annotation, user=author, version=annotation.version, note=f"edit {n}"
        )
    moderator = make_user(role="moderator")
    client.force_login(moderator)
    url = reverse("collab:annotation-history", args=[annotation.pk])
    # Guards the annotation history page: a fixed number of queries however many entries.
    with django_assert_max_num_queries(6):
        page = client.get(url)
    assert page.content.decode().count('class="history-entry"') == 6
    assert "Revert this change" in page.content.decode()
    claim_url = reverse("collab:claim-history", args=[annotation.claim.slug])
    # Guards the claim history page likewise.
    with django_assert_max_num_queries(6):
        assert client.get(claim_url).status_code == 200
    last = entries_of(annotation)[-1]
    response = client.post(reverse("collab:history-revert", args=[last.pk]), {"next": url})
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.note == "edit 3"
    client.force_login(author)
    assert client.post(reverse("collab:history-revert", args=[last.pk])).status_code == 403
    assert "Revert this change" not in client.get(url).content.decode()


def test_history_include_renders_entries():
    from django.template import engines

    annotation = tag_claim()
    html = (
        engines["django"]
        .from_string(
            "{% load collab %}{% history_entries annotation as entries %}"
            '{% include "annotations/collab/includes/_history.html" with entries=entries %}'
        )
        .render({"annotation": annotation})
    )
    assert "created annotation" in html


def test_deleted_annotation_history_is_open_to_moderators_to_undo_the_delete(client):
    author = make_user()
    annotation = tag_claim(author=author)
    annotation_delete(annotation=annotation, user=author)
    url = reverse("collab:annotation-history", args=[annotation.pk])
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(make_user(role="moderator"))
    page = client.get(url).content.decode()
    assert "deleted annotation" in page
    delete = entries_of(annotation)[-1]
    client.post(reverse("collab:history-revert", args=[delete.pk]), {"next": url})
    assert Annotation.objects.alive().filter(pk=annotation.pk).exists()


def test_history_reads_as_words_and_offers_revert_only_where_it_works(client):
    from annotations.core.services import evidence_add

    author, moderator = make_user(), make_user(role="moderator")
    claim = tag_claim(author=author).claim
    evidence_add(claim=claim, user=author, url="https://example.org/a")
    evidence_add(claim=claim, user=author, url="https://example.org/b")
    claim_set_status(claim=claim, status=status("false"), user=moderator)
    client.force_login(moderator)
    html = client.get(reverse("collab:claim-history", args=[claim.slug])).content.decode()
    assert "added evidence to claim" in html and "changed the status of claim" in html
    assert (
        "<td>https://example.org/a</td><td>https://example.org/a, https://example.org/b</td>"
        in (html)
    )
    assert "evidence_added" not in html and "[]" not in html and "claim_id" not in html
    # The status change and the creations can be reverted; evidence changes cannot.
    entries = HistoryEntry.objects.for_claim(claim)
    revertable = entries.exclude(action__startswith="evidence").count()
    assert html.count("Revert this change") == revertable

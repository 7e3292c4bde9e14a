"""The annotations admin writes through the services: recorded, published, refused alike."""

from __future__ import annotations

import pytest

from annotations.core.services import annotation_create, annotation_update
from annotations.models import Annotation, ChangeEvent, Claim, HistoryEntry, Label
from tests.annotations.core.one_write_path.conftest import (
    ANNOTATION_PERMS,
    QUOTE,
    at,
    events,
    history_of,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


# --- the admin -------------------------------------------------------------------------------


def test_adding_an_annotation_in_the_admin_is_recorded_and_published(client, article, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/annotations/annotation/add/",
        {
            "article": article.pk,
            **at(article, QUOTE),
            "prefix": "",
            "suffix": "",
            "note": "Added in the admin.",
            "tags": "admin tag, false: The marchers were armed",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    annotation = Annotation.objects.get(article=article)
    assert annotation.author == staff  # who added it answers for it
    assert annotation.note == "Added in the admin."
    assert "<p>Added in the admin.</p>" in annotation.note_html  # derived by the service
    assert [label.name for label in annotation.labels.all()] == ["admin tag"]
    assert annotation.claim.title == "The marchers were armed"
    entry = history_of(annotation, "created")
    assert (entry.actor, entry.article_id) == (staff, article.pk)
    assert events(article, "annotation.created", annotation.pk)


def test_the_admin_refuses_what_the_service_refuses_and_writes_nothing(client, article, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/annotations/annotation/add/",
        {"article": article.pk, "exact": "not in the article", "note": "", "visibility": "shared"},
    )
    assert response.status_code == 200  # the form again, with the service's reason
    assert "That passage is not in the article" in response.content.decode()
    assert not Annotation.objects.exists()
    assert not HistoryEntry.objects.exists() and not ChangeEvent.objects.exists()


def test_the_admin_checks_the_roles_the_services_check(client, article):
    # Django lets this staff member add annotations; Claimlens does not: they are no annotator.
    clerk = make_staff(permissions=ANNOTATION_PERMS)
    client.force_login(clerk)
    response = client.post(
        "/admin/annotations/annotation/add/",
        {"article": article.pk, **at(article, QUOTE), "note": "x", "visibility": "shared"},
    )
    assert response.status_code == 200
    assert "ask a moderator for the annotator role" in response.content.decode()
    assert not Annotation.objects.exists() and not HistoryEntry.objects.exists()


def change_url(annotation) -> str:
    return f"/admin/annotations/annotation/{annotation.pk}/change/"


def test_changing_an_annotation_in_the_admin_is_recorded_and_published(
    client, article, note, staff
):
    client.force_login(staff)
    form = client.get(change_url(note)).context["adminform"].form
    assert form.initial["edited_version"] == 1
    response = client.post(
        change_url(note),
        {"note": "Edited by a moderator.", "tags": "checked", "visibility": "shared"}
        | {"edited_version": form.initial["edited_version"]},
    )
    assert response.status_code == 302, response.context["errors"]
    note.refresh_from_db()
    assert (note.note, note.version) == ("Edited by a moderator.", 2)
    assert [label.name for label in note.labels.all()] == ["checked"]
    entry = history_of(note, "updated")
    assert entry.actor == staff
    assert (entry.before["note"], entry.after["note"]) == ("First.", "Edited by a moderator.")
    assert events(article, "annotation.updated", note.pk)


def test_an_admin_edit_over_someone_elses_is_refused(client, article, note, staff, author):
    client.force_login(staff)
    opened = client.get(change_url(note)).context["adminform"].form.initial["edited_version"]
    annotation_update(annotation=note, user=author, version=1, note="Saved meanwhile.")
    response = client.post(
        change_url(note),
        {"note": "Overwrites?", "tags": "", "visibility": "shared", "edited_version": opened},
    )
    assert response.status_code == 200
    assert "Someone changed this since you opened it" in response.content.decode()
    note.refresh_from_db()
    assert note.note == "Saved meanwhile."
    assert not HistoryEntry.objects.filter(actor=staff).exists()


def test_deleting_an_annotation_in_the_admin_is_a_recorded_soft_delete(
    client, article, note, staff
):
    client.force_login(staff)
    response = client.post(f"/admin/annotations/annotation/{note.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    note.refresh_from_db()  # still there: its author can restore it
    assert note.deleted_at is not None
    entry = history_of(note, "deleted")
    assert entry.actor == staff
    assert events(article, "annotation.deleted", note.pk)


def test_deleting_selected_annotations_in_the_admin_goes_through_the_service(
    client, article, note, staff, author
):
    other = annotation_create(article=article, author=author, note="A page note.")
    client.force_login(staff)
    response = client.post(
        "/admin/annotations/annotation/",
        {"action": "delete_selected", "_selected_action": [note.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Annotation.objects.filter(deleted_at__isnull=False).count() == 2
    for annotation in (note, other):
        assert history_of(annotation, "deleted").actor == staff
        assert events(article, "annotation.deleted", annotation.pk)


def test_hiding_and_restoring_from_the_admin_are_recorded(client, article, note, staff):
    client.force_login(staff)
    for action in ("hide_selected", "delete_selected", "restore_selected"):
        data = {"action": action, "_selected_action": [note.pk], "post": "yes"}
        assert client.post("/admin/annotations/annotation/", data).status_code == 302
    note.refresh_from_db()
    assert note.hidden_at is not None and note.deleted_at is None
    assert [e.action for e in HistoryEntry.objects.for_object(note).order_by("id")] == [
        "created",
        "hidden",
        "deleted",
        "restored",
    ]
    assert events(article, "annotation.restored", note.pk)


def test_labels_and_claims_changed_in_the_admin_are_recorded(client, article, note, author):
    staff = make_staff(superuser=True)
    client.force_login(staff)
    response = client.post(
        "/admin/annotations/label/add/",
        {
            "name": "sourced",
            "kind": "tag",
            "colour": "#aabbcc",
            "description": "",
            "shortcut": "",
            "position": 5,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    label = Label.objects.get(name="sourced")
    assert history_of(label, "created").actor == staff

    claimed = annotation_create(
        article=article, author=author, **at(article, "armed"), tags="false: Armed marchers"
    )
    claim = Claim.objects.get(pk=claimed.claim_id)
    response = client.post(
        f"/admin/annotations/claim/{claim.pk}/change/",
        {
            "title": "Armed marchers",
            "status": claim.status_id,
            "claimant": "The minister",
            "claimant_type": "person",
            "rationale": "Witnesses say otherwise.",
            "edited_version": claim.version,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert claim.claimant == "The minister" and "<p>" in claim.rationale_html
    assert history_of(claim, "updated").actor == staff
    assert events(article, "claim.updated", claim.pk)

"""A private claim stays private in ClaimReview, imports, agreement, user deletion and lists."""

import importlib
import json

import pytest
from django.core.exceptions import ValidationError

from annotations.collab import discussion
from annotations.core.services import annotation_create, annotation_update
from annotations.models import Annotation, Claim, HistoryEntry, Label
from tests.factories import make_user
from tests.security.private_content.conftest import (
    RATIONALE,
    SECRET_CLAIM,
    SECRET_REPLY,
    SECRET_TAG,
    assert_alices_claim_untouched,
    assert_secret_absent,
    login,
    private_note,
)

pytestmark = pytest.mark.django_db


# --- ClaimReview of a private claim (point 2) ------------------------------------------------


def test_a_private_claim_finalised_by_its_moderator_owner_is_never_published(client, article):
    from annotations.collab import verdicts
    from annotations.interop import claimreview

    owner = make_user(role="moderator")
    note = private_note(article, owner, tags=f"false: {SECRET_CLAIM}")
    claim = verdicts.claim_finalise(claim=note.claim, user=owner, status=note.claim.status)
    assert claim.status_final_at is not None
    assert claimreview.claimreview_json(claim) is None
    for visitor in (owner, make_user(), None):
        client.logout()
        if visitor is not None:
            login(client, visitor)
        assert client.get(f"/claims/{claim.slug}/claimreview.json").status_code == 404
    page = login(client, owner).get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in page and "claimreview.json" not in page
    # Once a shared note carries it, it is everyone's and its review is published.
    annotation_update(annotation=note, user=owner, version=note.version, visibility="shared")
    claim.refresh_from_db()
    assert claimreview.claimreview_json(claim)["itemReviewed"]["name"] == SECRET_CLAIM
    assert client.get(f"/claims/{claim.slug}/claimreview.json").status_code == 200


# --- importing a link to a private claim (point 3) -------------------------------------------


def test_an_imported_link_to_someones_private_claim_reveals_nothing(article, alice, alices_claim):
    from annotations.interop.imports import import_annotations
    from annotations.interop.webannotation import Urls

    bob = make_user(username="bob")
    link = {"id": f"http://testserver/claims/{alices_claim.slug}/", "type": "schema:Claim"}
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "commenting", "value": "imported"},
            {"type": "SpecificResource", "purpose": "identifying", "source": link},
        ],
        "target": {
            "source": f"http://testserver/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": "armed"},
        },
    }
    report = import_annotations(
        json.dumps(doc), user=bob, urls=Urls("http://testserver"), article=article
    )
    (result,) = report.results
    assert result.annotation is not None, result.reason
    assert result.annotation.claim is None
    assert SECRET_CLAIM.lower() not in " ".join(result.warnings).lower()
    assert not Claim.objects.filter(title__iexact=SECRET_CLAIM).exclude(pk=alices_claim.pk)
    assert_alices_claim_untouched(alices_claim, alice)
    # The owner's own link still finds her claim.
    mine = import_annotations(
        json.dumps(doc), user=alice, urls=Urls("http://testserver"), article=article
    ).results[0]
    assert mine.annotation.claim_id == alices_claim.pk


# --- agreement (point 4) ---------------------------------------------------------------------


def join_the_old_way(claim, user, article):
    """Put user's private note on claim as the code before per-owner names let them."""
    note = private_note(article, user, note="joined")
    Annotation.objects.filter(pk=note.pk).update(claim=claim)
    return note


def test_the_agreement_page_leaves_out_claims_private_to_someone_else(client, article, alice):
    from annotations.collab import verdicts
    from annotations.core.services import status_by_name

    note = private_note(article, alice, tags=f"false: {SECRET_CLAIM}")
    bob = make_user(username="bob")
    join_the_old_way(note.claim, bob, article)
    verdicts.verdict_record(claim=note.claim, user=alice, status=status_by_name("false"))
    verdicts.verdict_record(claim=note.claim, user=bob, status=status_by_name("verified"))
    for visitor in (make_user(role="moderator"), bob, None):
        client.logout()
        if visitor is not None:
            login(client, visitor)
        response = client.get("/agreement/")
        assert response.status_code == 200
        assert_secret_absent(response)
        assert verdicts.agreement_overview(visitor).claims_with_verdicts == 0
    assert SECRET_CLAIM in login(client, alice).get("/agreement/").content.decode()


def test_users_who_joined_a_private_name_the_old_way_get_their_own(article, alice):
    from django.apps import apps

    from annotations.collab import verdicts
    from annotations.core.services import status_by_name

    migration = importlib.import_module("annotations.migrations.0006_private_names_per_owner")
    note = private_note(article, alice, tags=f"false: {SECRET_CLAIM}, {SECRET_TAG}")
    bob = make_user(username="bob")
    bobs = join_the_old_way(note.claim, bob, article)
    bobs.labels.add(*note.labels.all())
    verdicts.verdict_record(claim=note.claim, user=bob, status=status_by_name("verified"))

    migration.give_each_user_their_own_private_names(apps, None)

    bobs.refresh_from_db()
    assert bobs.claim_id != note.claim_id
    assert (bobs.claim.title, bobs.claim.private_to) == (SECRET_CLAIM, bob)
    assert list(bobs.claim.verdicts.values_list("user", flat=True)) == [bob.pk]
    assert not note.claim.verdicts.exists()
    assert [label.private_to for label in bobs.labels.all()] == [bob]
    assert [label.private_to for label in note.labels.all()] == [alice]


# --- deleting a user (point 5) ---------------------------------------------------------------


def test_deleting_a_user_deletes_their_private_names_and_makes_nothing_public(
    client, article, alice, alices_claim
):
    from annotations.collab import verdicts
    from annotations.core.services import status_by_name

    bob = make_user(username="bob")
    bobs = annotation_create(
        article=article, author=bob, exact="armed", tags=f"verified: {SECRET_CLAIM}"
    )
    joined = join_the_old_way(alices_claim, make_user(username="carol"), article)
    verdicts.verdict_record(claim=alices_claim, user=alice, status=status_by_name("false"))
    discussion.reply_create(author=alice, body=SECRET_REPLY, claim=alices_claim)
    public_before = set(Claim.objects.filter(private_to__isnull=True).values_list("pk", flat=True))
    tags_before = set(Label.objects.filter(private_to__isnull=True).values_list("pk", flat=True))

    alice.delete()

    assert not Claim.objects.filter(pk=alices_claim.pk).exists()
    assert not Label.objects.filter(name=SECRET_TAG).exists()
    assert set(Claim.objects.filter(private_to__isnull=True).values_list("pk", flat=True)) == (
        public_before
    )
    assert set(Label.objects.filter(private_to__isnull=True).values_list("pk", flat=True)) == (
        tags_before
    )
    joined.refresh_from_db()
    assert joined.claim_id is None  # carol's note stays, without the claim that was alice's
    bobs.claim.refresh_from_db()
    assert bobs.claim.private_to is None
    for visitor in (bob, make_user(role="moderator")):
        login(client, visitor)
        for url in ("/claims/", "/agreement/", "/annotations/suggest/?tags=merger"):
            response = client.get(url)
            assert response.status_code == 200
            assert RATIONALE not in response.content.decode()
            assert SECRET_REPLY not in response.content.decode()


# --- other places that list claims and tags ---------------------------------------------------


def test_the_history_of_a_moderators_private_tag_is_theirs_alone(client, article):
    from annotations.core.services import label_rename

    owner = make_user(role="moderator")
    note = private_note(article, owner, tags="draft tag")
    (label,) = note.labels.all()
    label_rename(label=label, user=owner, name=SECRET_TAG)
    entry = HistoryEntry.objects.for_object(label).get(action="renamed")
    other = make_user(role="moderator")
    assert not HistoryEntry.objects.visible_to(other).filter(pk=entry.pk).exists()
    response = login(client, other).post(f"/history/{entry.pk}/revert/")
    assert response.status_code == 404
    assert_secret_absent(response)
    label.refresh_from_db()
    assert label.name == SECRET_TAG
    assert HistoryEntry.objects.visible_to(owner).filter(pk=entry.pk).exists()


def test_the_admin_lists_no_one_elses_private_note_tag_or_claim(client, article, alice):
    note = private_note(article, alice, tags=f"{SECRET_TAG}, false: {SECRET_CLAIM}")
    staff = make_user(role="editor", is_staff=True, is_superuser=True)
    login(client, staff)
    for url in (
        "/admin/annotations/annotation/",
        "/admin/annotations/claim/",
        "/admin/annotations/label/",
        "/admin/annotations/claim/?q=merger",
        "/admin/annotations/label/?q=zebra",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_absent(response)
    for url in (
        f"/admin/annotations/annotation/{note.pk}/change/",
        f"/admin/annotations/claim/{note.claim.pk}/change/",
        f"/admin/annotations/label/{note.labels.get().pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url  # the admin sends unknown ids away
        assert_secret_absent(client.get(url, follow=True))
    login(client, alice)
    alice.is_superuser = alice.is_staff = True
    alice.save()
    assert SECRET_CLAIM in client.get("/admin/annotations/claim/").content.decode()


def test_a_shared_tag_cannot_be_merged_into_a_private_one(article):
    from annotations.core.services import label_merge

    owner = make_user(role="moderator")
    mine = private_note(article, owner, tags=SECRET_TAG).labels.get()
    shared_note = annotation_create(article=article, author=make_user(), exact="armed", tags="x1")
    with pytest.raises(ValidationError, match="only in your private notes"):
        label_merge(source=shared_note.labels.get(), target=mine, user=owner)
    assert [label.name for label in shared_note.labels.all()] == ["x1"]

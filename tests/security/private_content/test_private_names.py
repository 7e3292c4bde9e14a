"""A name typed into a private note is its author's; someone else typing it gets their own."""

import json

import pytest
from django.core.exceptions import ValidationError

from annotations.core.services import annotation_create, annotation_update
from annotations.interop.tokens import token_create
from annotations.models import Annotation, Claim, Label
from tests.factories import make_user
from tests.security.private_content.conftest import (
    EVIDENCE_URL,
    RATIONALE,
    SECRET_CLAIM,
    SECRET_NOTE,
    SECRET_TAG,
    assert_alices_claim_untouched,
    assert_secret_absent,
    login,
    private_note,
)

pytestmark = pytest.mark.django_db


# --- names typed into a private note --------------------------------------------------------


def suggestions(client, raw):
    return client.get("/annotations/suggest/", {"tags": raw}).content.decode()


def test_names_typed_into_a_private_note_are_not_suggested_to_anyone_else(client, article, alice):
    private_note(article, alice, tags=f"{SECRET_TAG}, false: {SECRET_CLAIM}")
    for visitor in (None, make_user(), make_user(role="moderator")):
        client.logout()
        if visitor is not None:
            login(client, visitor)
        assert SECRET_TAG not in suggestions(client, "zebra")
        assert SECRET_CLAIM not in suggestions(client, "false: the merger")
        assert SECRET_CLAIM not in suggestions(client, "merger")

    login(client, alice)
    assert SECRET_TAG in suggestions(client, "zebra")
    assert SECRET_CLAIM in suggestions(client, "false: the merger")


def test_a_name_becomes_everyones_once_it_is_used_on_something_shared(client, article, alice):
    note = private_note(article, alice, tags=f"{SECRET_TAG}, false: {SECRET_CLAIM}")
    assert Label.objects.get(name=SECRET_TAG).private_to == alice
    annotation_update(annotation=note, user=alice, version=note.version, visibility="shared")
    assert SECRET_TAG in suggestions(client, "zebra")
    assert SECRET_CLAIM in suggestions(client, "merger")
    assert client.get(f"/claims/{Claim.objects.get().slug}/").status_code == 200


def test_a_claim_only_private_notes_name_is_its_authors_alone(client, article, alice):
    note = private_note(article, alice, tags=f"false: {SECRET_CLAIM}")
    slug = note.claim.slug
    pages = [
        f"/claims/{slug}/",
        f"/claims/{slug}/discussion/",
        f"/claims/{slug}/verdicts/",
        f"/claims/{slug}/history/",
    ]
    for visitor in (None, make_user(role="reader"), make_user(role="moderator")):
        client.logout()
        if visitor is not None:
            login(client, visitor)
        listing = client.get("/claims/")
        assert listing.status_code == 200
        assert_secret_absent(listing)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 404, url
            assert_secret_absent(response)

    login(client, alice)
    assert SECRET_CLAIM in client.get("/claims/").content.decode()
    assert all(client.get(url).status_code == 200 for url in pages)


def test_a_private_tag_does_not_show_on_the_moderators_label_page(client, article, alice):
    private_note(article, alice, tags=SECRET_TAG)
    response = login(client, make_user(role="moderator")).get("/labels/")
    assert response.status_code == 200
    assert_secret_absent(response)


# --- someone else typing a private name (hardening issue 12, point 4, follow-up) -------------
#
# The behaviour chosen: a private tag or claim name is scoped to its owner. Someone else who
# types the same name (quick syntax, the composer, the API, an import) gets a tag or claim of
# their own: the same visible name, another slug, their own rationale, evidence and verdicts.
# Uniqueness checks and the database's unique constraints only count shared names and one's
# own private ones, so nothing says "already exists" about a name one cannot see. A private
# name's slug ends in a random tail, so no numbered slug ("title-2") hints at another's.
# When the owner later shares a note carrying their private claim while a shared claim of the
# same title exists, sharing is refused with a message: the two claims are never merged, and
# the note never swaps to the other claim behind its owner's back. A private tag is only a
# name, so a shared note takes the shared tag of the same name instead.


@pytest.mark.parametrize("visibility", ["shared", "private"])
def test_typing_the_title_of_someones_private_claim_gives_a_claim_of_ones_own(
    client, article, alice, alices_claim, visibility
):
    from django.utils.text import slugify

    bob = make_user(username="bob")
    bobs = annotation_create(
        article=article,
        author=bob,
        exact="armed",
        visibility=visibility,
        tags=f"misleading: {SECRET_CLAIM.upper()}, {SECRET_TAG}",
    )
    assert bobs.claim.pk != alices_claim.pk and bobs.claim.title == SECRET_CLAIM.upper()
    assert bobs.claim.status.slug == "misleading"
    (bobs_tag,) = bobs.labels.all()
    assert bobs_tag.private_to_id != alice.pk and bobs_tag.name == SECRET_TAG
    assert_alices_claim_untouched(alices_claim, alice)
    assert Label.objects.get(name=SECRET_TAG, private_to=alice).annotations.count() == 1
    if visibility == "shared":
        # The plain slug, not "-2": nothing hints that another name took it.
        assert bobs.claim.slug == slugify(SECRET_CLAIM)
        assert bobs_tag.slug == slugify(SECRET_TAG)
    page = login(client, bob).get(bobs.claim.get_absolute_url()).content.decode()
    assert RATIONALE not in page and EVIDENCE_URL not in page
    assert client.get(alices_claim.get_absolute_url()).status_code == 404
    # Alice sees her own claim, and (once shared) Bob's beside it, never one merged into both.
    mine = login(client, alice).get(alices_claim.get_absolute_url()).content.decode()
    assert RATIONALE in mine


def test_the_quick_syntax_in_the_composer_makes_a_claim_of_ones_own(
    client, article, alice, alices_claim
):
    bob = make_user(username="bob")
    response = login(client, bob).post(
        f"/articles/{article.pk}/annotations/new/",
        {"exact": "armed", "note": "", "tags": f"false: {SECRET_CLAIM}", "visibility": "shared"},
    )
    assert response.status_code in (200, 201, 302), response.content[:300]
    assert_secret_absent_but_title(response)
    bobs = Annotation.objects.get(author=bob)
    assert bobs.claim_id != alices_claim.pk
    assert_alices_claim_untouched(alices_claim, alice)


def assert_secret_absent_but_title(response):
    body = response.content.decode()
    assert RATIONALE not in body and EVIDENCE_URL not in body


def test_the_api_makes_a_claim_of_ones_own(client, article, alice, alices_claim):
    bob = make_user(username="bob")
    _token, secret = token_create(user=bob, name="script")
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "identifying", "value": SECRET_CLAIM},
            {"type": "TextualBody", "purpose": "tagging", "value": SECRET_TAG},
        ],
        "target": f"http://testserver/articles/{article.pk}/",
    }
    response = client.post(
        "/api/annotations/",
        json.dumps(doc),
        content_type="application/ld+json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    bobs = Annotation.objects.get(author=bob)
    assert bobs.claim_id != alices_claim.pk
    # Its status is the first status, not Alice's claim's ("false"): hers is not looked at.
    assert bobs.claim.status != alices_claim.status
    assert alices_claim.slug not in response.content.decode()
    assert_alices_claim_untouched(alices_claim, alice)


def test_no_already_exists_message_names_someones_private_claim_or_tag(
    client, article, alice, alices_claim
):
    from annotations.core.services import claim_update, label_create

    bob = make_user(username="bob", role="moderator")
    bobs = annotation_create(article=article, author=bob, exact="armed", tags="false: draft")
    renamed = claim_update(claim=bobs.claim, user=bob, title=SECRET_CLAIM, status=bobs.claim.status)
    assert renamed.title == SECRET_CLAIM and renamed.private_to is None
    label = label_create(user=bob, name=SECRET_TAG)
    assert label.private_to is None
    response = login(client, bob).post(
        f"/claims/{renamed.slug}/edit/",
        {"title": SECRET_CLAIM.title(), "status": renamed.status.pk, "version": renamed.version},
    )
    assert response.status_code in (200, 302)
    assert "already" not in response.content.decode()
    assert_alices_claim_untouched(alices_claim, alice)


def test_sharing_a_private_claim_beside_a_shared_namesake_is_refused_not_merged(
    client, article, alice, alices_claim
):
    bob = make_user(username="bob")
    bobs = annotation_create(
        article=article, author=bob, exact="armed", tags=f"verified: {SECRET_CLAIM}"
    )
    note = alices_claim.appearances.get()
    response = login(client, alice).post(
        f"/annotations/{note.pk}/edit/",
        {
            "note": SECRET_NOTE,
            "tags": f"false: {SECRET_CLAIM}, {SECRET_TAG}",
            "visibility": "shared",
            "version": note.version,
        },
    )
    assert response.status_code == 422
    assert "already a shared claim" in response.content.decode()
    note.refresh_from_db()
    assert (note.visibility, note.claim_id) == ("private", alices_claim.pk)
    assert_alices_claim_untouched(alices_claim, alice)
    bobs.claim.refresh_from_db()
    assert (bobs.claim.rationale, bobs.claim.evidence.count()) == ("", 0)
    # Sharing without retyping the tags is refused the same way.
    with pytest.raises(ValidationError, match="already a shared claim"):
        annotation_update(annotation=note, user=alice, version=note.version, visibility="shared")


def test_sharing_a_note_with_a_private_tag_takes_the_shared_tag_of_that_name(article, alice):
    keeps = private_note(article, alice, tags=SECRET_TAG)
    note = private_note(article, alice, tags=SECRET_TAG, exact="armed")
    annotation_create(article=article, author=make_user(), exact="flowers", tags=SECRET_TAG)
    shared_tag = Label.objects.get(name=SECRET_TAG, private_to__isnull=True)
    annotation_update(annotation=note, user=alice, version=note.version, visibility="shared")
    assert list(note.labels.all()) == [shared_tag]
    mine = Label.objects.get(name=SECRET_TAG, private_to=alice)
    assert list(mine.annotations.all()) == [keeps]

"""The composer's claim form and readers' private notes, through the create view."""

import pytest

from annotations.collab import discussion
from annotations.models import Annotation, Claim
from tests.factories import make_user

from .conftest import HTMX, selection

pytestmark = pytest.mark.django_db


def create(client, article, **fields):
    data = selection(article, "armed and trained criminals") | fields
    return client.post(f"/articles/{article.pk}/annotations/new/", data, **HTMX)


def test_the_claim_form_makes_a_claim_whose_statement_holds_commas(client, article, annotator):
    response = create(
        client,
        article,
        claim_title="Armed, trained criminals marched",
        claim_status="false",
        claimant="The minister",
    )
    assert response.status_code == 200
    claim = Annotation.objects.get().claim
    assert (claim.title, claim.status.slug, claim.claimant) == (
        "Armed, trained criminals marched",
        "false",
        "The minister",
    )


def test_the_quick_syntax_typed_as_the_statement_is_read(client, article, annotator):
    create(client, article, claim_title="misleading: criminals marched")
    claim = Annotation.objects.get().claim
    assert (claim.title, claim.status.slug) == ("criminals marched", "misleading")


def test_a_link_to_an_existing_claim_keeps_its_status(client, article, annotator):
    create(client, article, tags="verified: the march was peaceful")
    create(client, article, claim_link="THE MARCH WAS PEACEFUL", claim_status="false")
    assert Claim.objects.count() == 1
    assert Claim.objects.get().status.slug == "verified"
    assert Annotation.objects.filter(claim__isnull=False).count() == 2


def test_a_link_to_no_claim_is_refused_with_its_reason(client, article, annotator):
    response = create(client, article, claim_link="nothing like it")
    assert response.status_code == 422
    assert "No claim is called “nothing like it”" in response.content.decode()
    assert not Annotation.objects.exists()


def test_the_claim_given_twice_is_refused(client, article, annotator):
    response = create(client, article, claim_title="one", tags="false: two")
    assert response.status_code == 422
    assert "Give the claim once" in response.content.decode()


def test_claim_suggestions_offer_titles_as_typed(client, article, annotator):
    create(client, article, tags="false: criminals marched")
    response = client.get("/annotations/suggest/claims/", {"claim_link": "marched"}, **HTMX)
    assert '<option value="criminals marched">' in response.content.decode()


def test_a_reader_keeps_private_highlights_but_shares_nothing(client, article):
    reader = make_user(role="reader")
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'id="composer"' in page and 'name="claim_title"' not in page
    assert create(client, article, visibility="shared").status_code == 403
    assert create(client, article, visibility="private", note="mine").status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.author, annotation.visibility) == (reader, "private")
    edit = f"/annotations/{annotation.pk}/edit/"
    shared = {"note": "x", "tags": "", "visibility": "shared", "version": 1}
    assert client.post(edit, shared).status_code == 403  # sharing takes the annotator role
    assert client.post(edit, shared | {"visibility": "private"}).status_code == 302


def test_a_claims_card_counts_the_claims_thread_and_a_private_note_its_own(
    client, article, annotator
):
    create(client, article, tags="false: criminals marched")
    create(client, article, tags="false: criminals marched", visibility="private", note="mine")
    shared, private = Annotation.objects.order_by("pk")
    discussion.reply_create(author=make_user(), body="On the claim", claim=shared.claim)
    card = client.get(f"/annotations/{shared.pk}/", **HTMX).content.decode()
    assert "0 evidence · 1 reply" in card and "Claim’s discussion" in card
    card = client.get(f"/annotations/{private.pk}/", **HTMX).content.decode()
    assert "Check it" not in card and ">Discuss<" in card  # its own thread, still empty

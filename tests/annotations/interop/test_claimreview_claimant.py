"""Who made a claim, as ClaimReview publishes it: a Person or an Organization only when an
editor said which; the claim form suggests one from the name, and never stores the guess.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory

from annotations.claims.claimants import suggest_claimant_type
from annotations.collab import revert
from annotations.core.services import claim_update
from annotations.demo import CROWD_SIZE, SCREENS
from annotations.interop.claimreview import claimreview_json
from annotations.interop.webannotation import Urls, annotation_jsonld, parse_annotation
from annotations.models import Annotation, Claim, HistoryEntry
from tests.annotations.interop.conftest import finalise

pytestmark = pytest.mark.django_db
PERSON, ORGANIZATION, UNKNOWN = Claim.ClaimantType.values


@pytest.fixture
def claim(annotated):
    return Claim.objects.select_related("status").get(pk=annotated["claim"].claim_id)


def edit(client, claim: Claim, **fields):
    """POST the claim form as the page sends it, with `fields` changed."""
    claim.refresh_from_db()
    data = {
        "title": claim.title,
        "claimant": claim.claimant,
        "claimant_type": claim.claimant_type,
        "status": claim.status_id,
        "rationale": claim.rationale,
        "version": claim.version,
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(f"/claims/{claim.slug}/edit/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content.decode()
    claim.refresh_from_db()
    return claim


def published_claimant(claim: Claim) -> dict:
    review = claimreview_json(finalise(claim, "false"), RequestFactory().get("/"))
    return review["itemReviewed"]["author"]


@pytest.mark.parametrize("chosen", [ORGANIZATION, PERSON])
def test_the_type_an_editor_chooses_is_published_and_kept_in_history(
    client, claim, moderator, chosen
):
    client.force_login(moderator)

    edit(client, claim, claimant="Screen-Free Evenings", claimant_type=chosen)

    assert claim.claimant_type == chosen
    schema_type = {PERSON: "Person", ORGANIZATION: "Organization"}[chosen]
    assert published_claimant(claim) == {"@type": schema_type, "name": "Screen-Free Evenings"}
    entry = HistoryEntry.objects.filter(target_type="claim", target_id=claim.pk).first()
    assert (entry.before["claimant_type"], entry.after["claimant_type"]) == (PERSON, chosen)


def test_an_unknown_claimant_is_published_by_name_alone(client, claim, moderator):
    """A name that looks like an organisation's is still not typed until an editor says so."""
    client.force_login(moderator)

    edit(client, claim, claimant="Ministry of Truth", claimant_type=UNKNOWN)

    assert suggest_claimant_type("Ministry of Truth") == ORGANIZATION
    assert claim.claimant_type == UNKNOWN
    assert published_claimant(claim) == {"name": "Ministry of Truth"}
    # The Web Annotation export says no more than ClaimReview does.
    annotation = Annotation.objects.get(claim=claim)
    body = annotation_jsonld(annotation, Urls("https://claimlens.example"))["body"]
    source = next(b["source"] for b in body if b["type"] == "SpecificResource")
    assert source["schema:author"] == {"schema:name": "Ministry of Truth"}


def selected_type(html: str) -> str:
    select = re.search(r'<select[^>]*name="claimant_type".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\w+)" selected>', select).group(1)


def test_the_form_suggests_a_type_but_leaves_it_to_the_editor(client, claim, moderator):
    client.force_login(moderator)
    Claim.objects.filter(pk=claim.pk).update(claimant="Elena Varga", claimant_type=UNKNOWN)

    html = client.get(f"/claims/{claim.slug}/edit/").content.decode()

    assert "looks like a person" in html
    assert selected_type(html) == UNKNOWN
    # Saving the form as shown keeps "not known": the suggestion is never stored.
    edit(client, claim)
    assert claim.claimant_type == UNKNOWN
    assert "@type" not in published_claimant(claim)


def test_no_suggestion_once_the_editor_has_chosen(client, claim, moderator):
    client.force_login(moderator)
    Claim.objects.filter(pk=claim.pk).update(claimant="Elena Varga", claimant_type=ORGANIZATION)

    html = client.get(f"/claims/{claim.slug}/edit/").content.decode()

    assert "looks like" not in html
    assert selected_type(html) == ORGANIZATION


def test_a_form_without_the_type_keeps_the_one_given(client, claim, moderator):
    client.force_login(moderator)

    edit(client, claim, claimant_type=None, rationale="Older clients do not send the type.")

    assert claim.claimant_type == PERSON


def test_a_type_said_of_one_claimant_is_not_carried_to_another(claim, moderator):
    def update(**fields):
        return claim_update(
            claim=claim, user=moderator, title=claim.title, status=claim.status, **fields
        )

    assert update(claimant="President of Kazakhstan").claimant_type == PERSON
    assert update(claimant="Someone else").claimant_type == UNKNOWN
    assert update(claimant="Someone else", claimant_type=ORGANIZATION).claimant_type == (
        ORGANIZATION
    )
    assert update(claimant="", claimant_type=PERSON).claimant_type == UNKNOWN


def test_claim_update_refuses_a_type_that_is_not_one(claim, moderator):
    with pytest.raises(ValidationError) as error:
        claim_update(
            claim=claim,
            user=moderator,
            title=claim.title,
            status=claim.status,
            claimant=claim.claimant,
            claimant_type="Thing",
        )
    assert "claimant_type" in error.value.message_dict
    claim.refresh_from_db()
    assert claim.claimant_type == PERSON


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("President of Kazakhstan", PERSON),
        ("Kassym-Jomart Tokayev", PERSON),
        ("Elena Varga", PERSON),
        ("Dr. Ruth van der Berg", PERSON),
        ("Ministry of Internal Affairs", ORGANIZATION),
        ("Kazakh authorities", ORGANIZATION),
        ("Human Rights Watch", ORGANIZATION),
        ("NHS", ORGANIZATION),
        ("Parents for Safe Streets", ORGANIZATION),
        ("", UNKNOWN),
        ("@screenfree", UNKNOWN),
        ("someone online", UNKNOWN),
    ],
)
def test_the_name_shape_suggestion(name, suggestion):
    assert suggest_claimant_type(name) == suggestion


def test_the_demo_publishes_screen_free_evenings_as_an_organisation(settings):
    """The issue's case: the keyword guess called this campaign a Person."""
    settings.DEBUG = True  # load_demo only runs in development
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())
    claims = {c.title: c for c in Claim.objects.select_related("status")}

    review = claimreview_json(claims[SCREENS])

    assert review["claimReviewed"] == SCREENS
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Screen-Free Evenings",
    }
    assert claims[CROWD_SIZE].claimant_type == PERSON


@pytest.mark.parametrize(
    ("author", "kind"),
    [
        ({"type": "schema:Organization", "schema:name": "Screen-Free Evenings"}, ORGANIZATION),
        ({"@type": "https://schema.org/Person", "name": "Elena Varga"}, PERSON),
        ({"type": ["Thing", "Person"], "name": "Elena Varga"}, PERSON),
        ({"schema:name": "Ministry of Truth"}, UNKNOWN),
    ],
)
def test_an_imported_claimant_keeps_the_type_its_document_states(author, kind):
    """Stated by whoever wrote the document, not guessed here: the type round-trips."""
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "assessing",
        "target": "https://news.example/story",
        "body": [
            {"type": "TextualBody", "purpose": "identifying", "value": "a claim"},
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": {"id": "https://elsewhere.example/claims/1", "schema:author": author},
            },
        ],
    }
    parsed = parse_annotation(doc)
    assert parsed.claimant and parsed.claimant_type == kind


def test_reverting_a_type_change_puts_the_old_type_back(claim, moderator):
    claim_update(
        claim=claim,
        user=moderator,
        title=claim.title,
        status=claim.status,
        claimant=claim.claimant,
        claimant_type=ORGANIZATION,
    )
    change = HistoryEntry.objects.filter(target_type="claim", target_id=claim.pk).first()

    revert.revert(entry=change, user=moderator)

    claim.refresh_from_db()
    assert claim.claimant_type == PERSON
    assert published_claimant(claim)["@type"] == "Person"


def test_the_admin_sets_the_type_through_the_same_service(client, claim, moderator):
    moderator.is_staff = moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    assert 'name="claimant_type"' in client.get(url).content.decode()
    data = {
        "title": claim.title,
        "status": claim.status_id,
        "claimant": claim.claimant,
        "claimant_type": ORGANIZATION,
        "rationale": claim.rationale,
        "edited_version": claim.version,
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
    }

    assert client.post(url, data).status_code == 302

    claim.refresh_from_db()
    assert claim.claimant_type == ORGANIZATION
    entry = HistoryEntry.objects.filter(target_type="claim", target_id=claim.pk).first()
    assert entry.after["claimant_type"] == ORGANIZATION

"""Creating through the Protocol API: placing a quote, content types, errors and who may write."""

import pytest
from django.test import Client

from annotations.interop.tokens import token_create, token_revoke
from annotations.interop.webannotation import ANNO_CONTEXT, MEDIA_TYPE
from annotations.models import Annotation, ApiToken, Claim
from tests.annotations.interop.conftest import passage, validate
from tests.annotations.interop.protocol import (
    BASE,
    CSRF,
    bearer,
    container,
    detail,
    new_annotation,
    post,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db


# --- creating ---------------------------------------------------------------------------------


def test_post_with_a_quote_alone_creates_and_places_it(client, seed_article, token, tmp_path):
    quote = passage(seed_article, 2, 2, 6)
    doc = new_annotation(
        seed_article,
        quote,
        body=[
            {"type": "TextualBody", "purpose": "commenting", "value": "Check *this*."},
            {"type": "TextualBody", "purpose": "tagging", "value": "to check"},
        ],
    )
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 201, response.content
    body = response.json()
    annotation = Annotation.objects.get()
    assert response["Location"] == body["id"] == f"{BASE}/api/annotations/{annotation.pk}"
    assert body["id"].startswith(f"{BASE}/api/annotations/")
    assert response["ETag"] == client.get(detail(annotation), headers=bearer(token))["ETag"]
    start = seed_article.body_text.index(quote)
    assert body["target"]["selector"][1] == {
        "type": "TextPositionSelector",
        "start": start,
        "end": start + len(quote),
    }
    assert body["creator"]["nickname"] == "ana"
    assert annotation.note == "Check *this*." and annotation.note_html.startswith("<p>")
    assert [label.name for label in annotation.labels.all()] == ["to check"]
    validate(tmp_path, {"created": body})


def test_post_to_an_article_container_may_leave_out_the_source(client, seed_article, token):
    quote = passage(seed_article, 3, 1, 4)
    doc = new_annotation(seed_article, quote)
    doc["target"] = {"selector": [{"type": "TextQuoteSelector", "exact": quote}]}
    response = post(client, container(seed_article), doc, headers=bearer(token))
    assert response.status_code == 201
    annotation = Annotation.objects.get()
    assert annotation.article == seed_article
    # Protocol §5.1: the new IRI is under the container it was POSTed to.
    iri = f"{BASE}{container(seed_article)}{annotation.pk}"
    assert response["Location"] == response.json()["id"] == iri


def test_post_finds_the_article_by_its_original_url(client, seed_article, token):
    quote = passage(seed_article, 1, 2, 4)
    doc = new_annotation(seed_article, quote)
    doc["target"]["source"] = seed_article.source_url + "#fragment"
    assert post(client, "/api/annotations/", doc, headers=bearer(token)).status_code == 201


def test_post_claim_page_note_and_private(client, seed_article, token):
    doc = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "identifying", "value": "crisis claim"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        ],
        "target": f"{BASE}/articles/{seed_article.pk}/",
        "audience": {"type": "Audience", "schema:audienceType": "private"},
    }
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    assert annotation.is_page_note and annotation.visibility == "private"
    assert (annotation.claim.title, annotation.claim.status.name) == ("crisis claim", "disputed")
    assert response.json()["audience"]["schema:audienceType"] == "private"


def test_post_keeps_canonical_and_names_the_original_as_via(client, seed_article, token):
    doc = new_annotation(
        seed_article,
        passage(seed_article, 1, 0, 3),
        id="https://elsewhere.example/anno/17",
        canonical="urn:uuid:6f1a2b4c-0000-4000-8000-000000000017",
    )
    body = post(client, "/api/annotations/", doc, headers=bearer(token)).json()
    assert body["canonical"] == "urn:uuid:6f1a2b4c-0000-4000-8000-000000000017"
    assert body["via"] == "https://elsewhere.example/anno/17"
    assert body["id"] != doc["id"]


@pytest.mark.parametrize(
    "content_type",
    [MEDIA_TYPE, "application/ld+json", "application/json", "application/json; charset=utf-8"],
)
def test_post_accepts_json_ld_and_json(client, seed_article, token, content_type):
    doc = new_annotation(seed_article, passage(seed_article, 1, 1, 3))
    response = post(
        client, "/api/annotations/", doc, content_type=content_type, headers=bearer(token)
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    ],
)
def test_post_with_another_content_type_is_415(client, seed_article, token, content_type):
    doc = new_annotation(seed_article, passage(seed_article, 1, 1, 3))
    response = post(
        client, "/api/annotations/", doc, content_type=content_type, headers=bearer(token)
    )
    assert response.status_code == 415
    assert "application/ld+json" in response["Accept-Post"]
    assert Annotation.objects.count() == 0


def bad_documents(article):
    quote = passage(article, 1, 1, 3)
    good = new_annotation(article, quote)
    return {
        "not JSON": ("{not json", "not valid JSON"),
        "not an object": ([good], "must be a JSON object"),
        "wrong type": ({**good, "type": "Note"}, "type must be"),
        "no target": ({k: v for k, v in good.items() if k != "target"}, "no target"),
        "quote not in article": (
            new_annotation(article, "words that are not in the article at all"),
            "not in the article",
        ),
        "unknown status": (
            {
                **good,
                "body": [
                    {"type": "TextualBody", "purpose": "identifying", "value": "a claim"},
                    {"type": "TextualBody", "purpose": "assessing", "value": "half true"},
                ],
            },
            "not a claim status",
        ),
        "foreign source": (
            {
                **good,
                "target": {
                    "source": "https://elsewhere.example/page",
                    "selector": good["target"]["selector"],
                },
            },
            "must be the reader URL",
        ),
        "deep nesting": ("[" * 100000 + "]" * 100000, "not valid JSON"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not JSON",
        "not an object",
        "wrong type",
        "no target",
        "quote not in article",
        "unknown status",
        "foreign source",
        "deep nesting",
    ],
)
def test_post_errors_are_400_with_a_message(client, seed_article, token, case):
    doc, message = bad_documents(seed_article)[case]
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and message in problem["detail"]
    assert Annotation.objects.count() == 0 and Claim.objects.count() == 0


def test_post_for_another_article_in_an_article_container_is_400(client, seed_article, token):
    other = make_article()
    doc = new_annotation(other, "First paragraph")
    response = post(client, container(seed_article), doc, headers=bearer(token))
    assert (
        response.status_code == 400 and "not this container's article" in response.json()["detail"]
    )


def test_unauthenticated_write_is_401(client, seed_article):
    response = post(
        client, "/api/annotations/", new_annotation(seed_article, passage(seed_article, 1))
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_invalid_or_revoked_token_is_401_even_for_reading(client, seed_article, annotator):
    assert client.get("/api/annotations/", headers=bearer("cl_not-a-real-token")).status_code == 401
    token, secret = token_create(user=annotator, name="old")
    assert client.get("/api/annotations/", headers=bearer(secret)).status_code == 200
    token_revoke(token=token, user=annotator)
    assert client.get("/api/annotations/", headers=bearer(secret)).status_code == 401


def test_token_use_is_recorded(client, annotator):
    token, secret = token_create(user=annotator, name="script")
    assert token.last_used_at is None
    client.get("/api/annotations/", headers=bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_reader_cannot_create(client, seed_article, reader):
    secret = token_create(user=reader, name="r")[1]
    response = post(
        client,
        "/api/annotations/",
        new_annotation(seed_article, passage(seed_article, 1)),
        headers=bearer(secret),
    )
    assert response.status_code == 403
    assert "annotator role" in response.json()["detail"]


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(seed_article, annotator, token):
    doc = new_annotation(seed_article, passage(seed_article, 1, 1, 3))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(annotator)
    browser.cookies["csrftoken"] = CSRF
    refused = post(browser, "/api/annotations/", doc)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert post(browser, "/api/annotations/", doc, headers={"X-CSRFToken": CSRF}).status_code == 201

    script = Client(enforce_csrf_checks=True)
    assert post(script, "/api/annotations/", doc, headers=bearer(token)).status_code == 201
    # A bad token next to a session cookie does not fall back to the session.
    browser_bad = post(
        browser, "/api/annotations/", doc, headers={**bearer("cl_bad"), "X-CSRFToken": CSRF}
    )
    assert browser_bad.status_code == 401

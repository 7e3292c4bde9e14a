"""One annotation in the Protocol API: read, replaced, deleted under If-Match; who may; OpenAPI."""

import re

import pytest

from annotations.interop.tokens import token_create
from annotations.interop.webannotation import ANNO_CONTEXT, MEDIA_TYPE
from tests.annotations.interop.conftest import validate
from tests.annotations.interop.protocol import BASE, bearer, container, detail, put

pytestmark = pytest.mark.django_db


# --- one annotation ----------------------------------------------------------------------------


def test_get_annotation_headers_and_body(client, annotated, tmp_path):
    a = annotated["claim"]
    response = client.get(detail(a))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), "a strong ETag"
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    assert "Accept" in response["Vary"]
    body = response.json()
    assert body["id"] == f"{BASE}{detail(a)}"
    validate(tmp_path, {"one": body})
    assert client.get(detail(a), headers={"If-None-Match": response["ETag"]}).status_code == 304
    head = client.head(detail(a))
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == response["ETag"]
    options = client.options(detail(a))
    assert options.status_code == 200 and "PUT" in options["Allow"]


def test_private_or_missing_annotations_are_404(client, annotated, other_annotator, annotator):
    assert client.get(detail(annotated["private"])).status_code == 404
    client.force_login(other_annotator)
    assert client.get(detail(annotated["private"])).status_code == 404
    client.force_login(annotator)
    assert client.get(detail(annotated["private"])).status_code == 200
    assert client.get("/api/annotations/999999").status_code == 404
    assert client.get("/api/annotations/9999999999999999999999999").status_code == 404


def editable(client, annotation, headers):
    response = client.get(detail(annotation), headers=headers)
    return response.json(), response["ETag"]


def test_put_replaces_note_tags_and_claim(client, annotated, token, tmp_path):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    doc["body"] = [
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/markdown",
            "value": "Rewritten.",
        },
        {"type": "TextualBody", "purpose": "tagging", "value": "energy"},
        {"type": "TextualBody", "purpose": "identifying", "value": "violent crisis"},
        {"type": "TextualBody", "purpose": "assessing", "value": "misleading"},
    ]
    # A comment that becomes a claim says so: a motivation left as it was would not be kept.
    refused = put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag})
    assert refused.status_code == 422 and "motivation" in refused.json()["detail"]
    doc["motivation"] = "oa:assessing"
    response = put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] not in (etag, f"W/{etag}")
    assert client.get(detail(a), headers=bearer(token))["ETag"] == response["ETag"]
    a.refresh_from_db()
    assert a.note == "Rewritten." and a.version == 2
    assert [label.name for label in a.labels.all()] == ["energy"]
    assert (a.claim.title, a.claim.status.name) == ("violent crisis", "misleading")
    validate(tmp_path, {"replaced": response.json()})


def test_put_without_if_match_is_428_and_a_stale_one_is_412(client, annotated, token):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    doc["body"] = [{"type": "TextualBody", "purpose": "commenting", "value": "mine"}]
    assert put(client, detail(a), doc, headers=bearer(token)).status_code == 428
    assert (
        put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag}).status_code == 200
    )
    stale = put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag})
    assert stale.status_code == 412
    assert stale["ETag"] == client.get(detail(a), headers=bearer(token))["ETag"] != etag
    assert (
        put(client, detail(a), doc, headers={**bearer(token), "If-Match": '"garbage"'}).status_code
        == 412
    )
    assert (
        put(client, detail(a), doc, headers={**bearer(token), "If-Match": "*"}).status_code == 200
    )


def test_put_conflict_between_two_editors_keeps_the_first(client, annotated, token, moderator):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    moderator_token = token_create(user=moderator, name="m")[1]
    first = {**doc, "body": [{"type": "TextualBody", "purpose": "commenting", "value": "first"}]}
    second = {**doc, "body": [{"type": "TextualBody", "purpose": "commenting", "value": "second"}]}
    assert (
        put(
            client, detail(a), first, headers={**bearer(moderator_token), "If-Match": etag}
        ).status_code
        == 200
    )
    assert (
        put(client, detail(a), second, headers={**bearer(token), "If-Match": etag}).status_code
        == 412
    )
    a.refresh_from_db()
    assert a.note == "first"


def test_put_by_someone_else_is_403_unless_moderator(client, annotated, other_annotator, moderator):
    a = annotated["comment"]
    doc, etag = editable(client, a, {})
    other = token_create(user=other_annotator, name="o")[1]
    assert (
        put(client, detail(a), doc, headers={**bearer(other), "If-Match": etag}).status_code == 403
    )
    assert put(client, detail(a), doc).status_code == 401
    mod = token_create(user=moderator, name="m")[1]
    assert put(client, detail(a), doc, headers={**bearer(mod), "If-Match": etag}).status_code == 200


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        (
            lambda d: d["target"]["selector"][0].update(exact="Kazakh law"),
            400,
            "target cannot be changed",
        ),
        (lambda d: d.update(target="https://elsewhere.example/"), 400, "target cannot be changed"),
        (
            lambda d: d.update(id="http://testserver/api/annotations/1234567"),
            400,
            "not this annotation's id",
        ),
        (lambda d: d.update(type="Note"), 400, "type must be"),
        (
            lambda d: d.update(
                motivation="assessing",
                body=[
                    {"type": "TextualBody", "purpose": "identifying", "value": "x"},
                    {"type": "TextualBody", "purpose": "assessing", "value": "no such status"},
                ],
            ),
            400,
            "not a claim status",
        ),
    ],
)
def test_put_errors(client, annotated, token, change, status, message):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    change(doc)
    response = put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag})
    assert response.status_code == status
    assert message in response.json()["detail"]
    a.refresh_from_db()
    assert a.version == 1


def test_put_with_a_wrong_content_type_is_415(client, annotated, token):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    response = put(
        client,
        detail(a),
        doc,
        content_type="text/plain",
        headers={**bearer(token), "If-Match": etag},
    )
    assert response.status_code == 415


def test_put_can_make_an_annotation_private(client, annotated, token, other_annotator):
    a = annotated["comment"]
    doc, etag = editable(client, a, bearer(token))
    doc["audience"] = {"type": "Audience", "schema:audienceType": "private"}
    assert (
        put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag}).status_code == 200
    )
    client.force_login(other_annotator)
    assert client.get(detail(a)).status_code == 404


def test_delete_is_soft_and_honours_if_match(client, annotated, token):
    a = annotated["highlight"]
    etag = client.get(detail(a))["ETag"]
    stale = client.delete(detail(a), headers={**bearer(token), "If-Match": '"0123"'})
    assert stale.status_code == 412 and stale["ETag"] == etag
    response = client.delete(detail(a), headers={**bearer(token), "If-Match": etag})
    assert response.status_code == 204 and response.content == b""
    assert client.get(detail(a)).status_code == 410
    a.refresh_from_db()
    assert a.deleted_at is not None
    assert client.delete(detail(a), headers=bearer(token)).status_code == 410


def test_delete_permissions(client, annotated, other_annotator, moderator):
    a = annotated["highlight"]
    assert client.delete(detail(a)).status_code == 401
    other = token_create(user=other_annotator, name="o")[1]
    assert client.delete(detail(a), headers=bearer(other)).status_code == 403
    mod = token_create(user=moderator, name="m")[1]
    assert client.delete(detail(a), headers=bearer(mod)).status_code == 204


def test_creator_id_dereferences_to_a_person(client, annotated):
    creator = client.get(detail(annotated["highlight"])).json()["creator"]
    person = client.get(creator["id"])
    assert person.status_code == 200
    assert person.json() == {"@context": ANNO_CONTEXT, **creator}
    assert client.get("/api/users/nobody-here").status_code == 404


def test_openapi_description_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {
        "/api/annotations/",
        "/api/annotations/{pk}",
        "/api/articles/{article_id}/annotations/",
    } <= set(spec["paths"])


def test_reading_requires_sign_in_when_the_site_does(
    client, annotated, seed_article, settings, token
):
    settings.CLAIMLENS_REQUIRE_LOGIN = True
    assert client.get(container(seed_article)).status_code == 401
    assert client.get(container(seed_article), headers=bearer(token)).status_code == 200

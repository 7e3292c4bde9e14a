"""The Web Annotation Protocol API: every verb, header and error."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations.apitokens import token_create, token_revoke
from annotations.models import Annotation, ApiToken, Claim
from annotations.services import annotation_create
from annotations.webannotation import ANNO_CONTEXT, MEDIA_TYPE
from tests.factories import make_article
from tests.interop.conftest import at, passage, validate

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
CSRF = "a" * 32  # an unmasked CSRF secret, sent as cookie and header


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def container(article):
    return f"/api/articles/{article.pk}/annotations/"


def new_annotation(article, quote, **extra):
    doc = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {
            "source": f"{BASE}/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }
    doc.update(extra)
    return doc


def post(client, url, doc, *, content_type=MEDIA_TYPE, headers=None):
    body = doc if isinstance(doc, str) else json.dumps(doc)
    return client.post(url, body, content_type=content_type, headers=headers or {})


def put(client, url, doc, *, content_type=MEDIA_TYPE, headers=None):
    return client.put(url, json.dumps(doc), content_type=content_type, headers=headers or {})


def detail(annotation):
    return f"/api/annotations/{annotation.pk}"


# --- containers ------------------------------------------------------------------------------


def test_article_container_is_a_paged_annotation_collection(
    client, annotated, seed_article, tmp_path
):
    response = client.get(container(seed_article))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
    assert (
        '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
        in response["Link"]
    )
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert {"Accept", "Prefer"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "application/ld+json" in response["Accept-Post"]
    assert response["ETag"].startswith('W/"')
    body = response.json()
    assert response["Content-Location"] == body["id"] == f"{BASE}{container(seed_article)}"
    assert body["@context"][0] == ANNO_CONTEXT
    assert body["type"] == ["BasicContainer", "AnnotationCollection"]
    # Anonymous readers see the five shared annotations, not the private one.
    assert body["total"] == 5
    first = body["first"]
    assert first["type"] == "AnnotationPage" and len(first["items"]) == 5
    assert first["partOf"]["id"] == body["id"] and first["startIndex"] == 0
    assert body["last"] == first["id"] == f"{BASE}{container(seed_article)}?page=0"
    # Reading order: the page note first, then passages by position.
    starts = [item["target"]["selector"][1]["start"] for item in first["items"][1:]]
    assert first["items"][0]["target"] == f"{BASE}/articles/{seed_article.pk}/"
    assert starts == sorted(starts)
    page = client.get(body["last"]).json()
    validate(tmp_path, {"collection": body, "page": page, "item": first["items"][2]})


def test_private_annotations_are_in_the_container_for_their_author_only(
    client, annotated, seed_article, annotator, other_annotator
):
    client.force_login(annotator)
    assert client.get(container(seed_article)).json()["total"] == 6
    client.force_login(other_annotator)
    assert client.get(container(seed_article)).json()["total"] == 5


def test_pages_link_to_each_other(client, annotated, seed_article, settings, tmp_path):
    settings.CLAIMLENS_API_PAGE_SIZE = 2
    collection = client.get(container(seed_article)).json()
    assert collection["total"] == 5
    assert collection["last"].endswith("?page=2")
    assert len(collection["first"]["items"]) == 2
    assert collection["first"]["next"].endswith("?page=1") and "prev" not in collection["first"]
    middle = client.get(collection["first"]["next"]).json()
    assert middle["@context"] == ANNO_CONTEXT
    assert middle["startIndex"] == 2
    assert middle["prev"].endswith("?page=0") and middle["next"].endswith("?page=2")
    assert middle["partOf"] == {"id": collection["id"], "total": 5}
    last = client.get(collection["last"]).json()
    assert len(last["items"]) == 1 and "next" not in last
    seen = collection["first"]["items"] + middle["items"] + last["items"]
    assert len({item["id"] for item in seen}) == 5
    validate(tmp_path, {"middle": middle, "last": last})
    assert client.get(f"{container(seed_article)}?page=3").status_code == 404
    assert client.get(f"{container(seed_article)}?page=-1").status_code == 400
    assert client.get(f"{container(seed_article)}?page=x").status_code == 400


def test_prefer_minimal_container_and_contained_iris(client, annotated, seed_article, tmp_path):
    minimal = client.get(
        container(seed_article),
        headers={
            "Prefer": 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
        },
    )
    body = minimal.json()
    assert minimal["Preference-Applied"] == "return=representation"
    assert body["first"] == f"{BASE}{container(seed_article)}?page=0"
    assert "items" not in body and body["total"] == 5

    iris = client.get(
        container(seed_article),
        headers={
            "Prefer": 'return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
        },
    )
    body = iris.json()
    assert body["id"] == iris["Content-Location"] == f"{BASE}{container(seed_article)}?iris=1"
    assert all(
        isinstance(item, str) and item.startswith(f"{BASE}/api/annotations/")
        for item in body["first"]["items"]
    )
    assert client.get(body["first"]["items"][0]).status_code == 200

    descriptions = client.get(
        container(seed_article),
        headers={
            "Prefer": 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"'
        },
    ).json()
    assert all(item["type"] == "Annotation" for item in descriptions["first"]["items"])
    validate(tmp_path, {"minimal": minimal.json(), "iris": body, "descriptions": descriptions})


def test_container_etag_answers_not_modified(client, annotated, seed_article):
    first = client.get(container(seed_article))
    again = client.get(container(seed_article), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    annotation_create(
        article=seed_article, author=annotated["highlight"].author, note="new", tags="x"
    )
    changed = client.get(container(seed_article), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("tag=Context", {"tags"}),
        ("status=needs-context", {"claim"}),
        ("status=Needs Context", {"claim"}),
        ("author=otto", {"tags", "page_note"}),
        ("q=wire copy", {"page_note"}),
        ("q=without warning", {"claim"}),
        ("tag=nothing-like-this", set()),
    ],
)
def test_container_filters(client, annotated, seed_article, query, names):
    body = client.get(f"{container(seed_article)}?{query}").json()
    found = {item["id"] for item in body["first"]["items"]}
    assert found == {f"{BASE}{detail(annotated[name])}" for name in names}
    assert body["id"].endswith(f"?{query.replace(' ', '+')}")


def test_container_filter_errors(client, annotated, seed_article):
    response = client.get(f"{container(seed_article)}?status=bogus")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "not a claim status" in response.json()["detail"]
    assert client.get(f"{container(seed_article)}?q=a%00b").status_code == 400


def test_all_annotations_container_spans_articles(client, annotated, annotator, tmp_path):
    other = make_article()
    annotation_create(article=other, author=annotator, exact="First paragraph")
    body = client.get("/api/annotations/").json()
    assert body["id"] == f"{BASE}/api/annotations/"
    assert body["total"] == 6
    sources = {
        item["target"] if isinstance(item["target"], str) else item["target"]["source"]
        for item in body["first"]["items"]
    }
    assert f"{BASE}/articles/{other.pk}/" in sources
    validate(tmp_path, {"all": body})


def test_head_and_options_on_containers(client, annotated, seed_article):
    head = client.head(container(seed_article))
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] and "GET" in head["Allow"]
    options = client.options(container(seed_article))
    assert options.status_code == 200
    assert set(options["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "application/ld+json" in options["Accept-Post"]
    assert "constrainedBy" in options["Link"]


def test_unknown_article_container_and_wrong_method(client, seed_article):
    missing = client.get("/api/articles/999999/annotations/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert client.get("/api/articles/99999999999999999999999/annotations/").status_code == 404
    patch = client.patch(container(seed_article), "{}", content_type="application/json")
    assert patch.status_code == 405 and "POST" in patch["Allow"]


def test_collection_query_count_does_not_grow_with_annotations(
    client, seed_article, annotator, other_annotator, django_assert_max_num_queries
):
    def make(count):
        for i in range(count):
            annotation_create(
                article=seed_article,
                author=annotator if i % 2 else other_annotator,
                note=f"note {i}",
                tags=f"tag{i % 3}, false: claim {i % 2}",
                **at(seed_article, passage(seed_article, 1 + i % 5, i % 4, 3)),
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(container(seed_article)).status_code == 200
        return len(captured)

    client.force_login(annotator)
    make(3)
    few = queries()
    make(12)
    # Guards the container GET against an N+1 on authors, labels, claims or statuses.
    with django_assert_max_num_queries(few):
        client.get(container(seed_article))
    assert queries() == few


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
    assert response["ETag"] == f'W/"{annotation.pk}-1"'
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
    assert Annotation.objects.get().article == seed_article


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


# --- one annotation ----------------------------------------------------------------------------


def test_get_annotation_headers_and_body(client, annotated, tmp_path):
    a = annotated["claim"]
    response = client.get(detail(a))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
    assert response["ETag"] == f'W/"{a.pk}-{a.version}"'
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
    response = put(client, detail(a), doc, headers={**bearer(token), "If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'W/"{a.pk}-{a.version + 1}"'
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
    assert stale["ETag"] == f'W/"{a.pk}-2"'
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
                body=[
                    {"type": "TextualBody", "purpose": "identifying", "value": "x"},
                    {"type": "TextualBody", "purpose": "assessing", "value": "no such status"},
                ]
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
    stale = client.delete(detail(a), headers={**bearer(token), "If-Match": f'W/"{a.pk}-99"'})
    assert stale.status_code == 412
    response = client.delete(detail(a), headers={**bearer(token), "If-Match": f'W/"{a.pk}-1"'})
    assert response.status_code == 204 and response.content == b""
    assert client.get(detail(a)).status_code == 404
    a.refresh_from_db()
    assert a.deleted_at is not None
    assert client.delete(detail(a), headers=bearer(token)).status_code == 404


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

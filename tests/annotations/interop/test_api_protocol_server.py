"""The protocol server for any origin: IRIs under containers, Slug, 410, strong ETags, rules."""

import re

import pytest
from lxml import html as lxml_html

from annotations.core.services import annotation_hide, annotation_restore
from annotations.models import Annotation
from tests.annotations.interop.conftest import finalise, passage
from tests.annotations.interop.protocol import (
    BASE,
    bearer,
    container,
    detail,
    new_annotation,
    post,
    put,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CONSTRAINTS = f"{BASE}/api/constraints"
CONSTRAINED_BY = f'<{CONSTRAINTS}>; rel="http://www.w3.org/ns/ldp#constrainedBy"'


def create(client, url, article, token, *, words=(1, 0, 5), slug=None):
    headers = {**bearer(token), **({"Slug": slug} if slug is not None else {})}
    return post(client, url, new_annotation(article, passage(article, *words)), headers=headers)


# --- IRIs under the container they were created in ---------------------------------------------


def test_an_annotation_posted_to_an_article_lives_under_it_and_in_all(client, seed_article, token):
    response = create(client, container(seed_article), seed_article, token)
    annotation = Annotation.objects.get()
    iri = f"{BASE}{container(seed_article)}{annotation.pk}"
    assert response.status_code == 201
    assert response["Location"] == response.json()["id"] == iri
    here, there = client.get(iri), client.get(detail(annotation))
    assert here.json()["id"] == iri and there.json()["id"] == f"{BASE}{detail(annotation)}"
    # The same annotation at both IRIs: only the id differs.
    assert {**here.json(), "id": None} == {**there.json(), "id": None}
    listed = client.get(container(seed_article)).json()["first"]["items"]
    assert [item["id"] for item in listed] == [iri]


def test_an_annotation_is_not_under_another_articles_container(client, annotated, seed_article):
    other = make_article()
    a = annotated["comment"]
    assert client.get(f"{container(other)}{a.pk}").status_code == 404
    assert client.get(f"{container(seed_article)}{a.pk}").status_code == 200


def test_put_and_delete_work_at_the_article_iri(client, annotated, seed_article, token):
    a = annotated["comment"]
    iri = f"{container(seed_article)}{a.pk}"
    doc, etag = client.get(iri).json(), client.get(iri)["ETag"]
    doc["body"] = [{"type": "TextualBody", "purpose": "commenting", "value": "Now this."}]
    replaced = put(client, iri, doc, headers={**bearer(token), "If-Match": etag})
    assert replaced.status_code == 200 and replaced.json()["id"] == f"{BASE}{iri}"
    deleted = client.delete(iri, headers={**bearer(token), "If-Match": replaced["ETag"]})
    assert deleted.status_code == 204


# --- Slug ---------------------------------------------------------------------------------------


def test_slug_names_the_new_annotation(client, seed_article, token):
    first = create(client, "/api/annotations/", seed_article, token, slug="Wire%20copy%21")
    second = create(
        client, container(seed_article), seed_article, token, slug="wire copy", words=(2, 0, 5)
    )
    number = create(client, "/api/annotations/", seed_article, token, slug="123", words=(3, 0, 4))
    assert first["Location"] == first.json()["id"] == f"{BASE}/api/annotations/wire-copy"
    assert second["Location"] == f"{BASE}{container(seed_article)}wire-copy-2"
    assert number["Location"] == f"{BASE}/api/annotations/annotation-123"
    named = Annotation.objects.get(slug="wire-copy")
    assert client.get(f"{container(seed_article)}wire-copy").json()["id"].endswith("/wire-copy")
    # The number still reaches it, and says its name.
    assert client.get(detail(named)).json()["id"] == f"{BASE}/api/annotations/wire-copy"
    items = client.get("/api/annotations/?iris=1").json()["first"]["items"]
    assert f"{BASE}/api/annotations/wire-copy" in items


def test_a_slug_with_nothing_usable_leaves_the_number(client, seed_article, token):
    response = create(client, "/api/annotations/", seed_article, token, slug="%F0%9F%99%82 ---")
    annotation = Annotation.objects.get()
    assert annotation.slug is None and response["Location"].endswith(f"/{annotation.pk}")


# --- 410 Gone -----------------------------------------------------------------------------------


def test_a_deleted_annotation_is_gone_until_restored(client, annotated, seed_article, token):
    a = annotated["comment"]
    assert client.delete(detail(a), headers=bearer(token)).status_code == 204
    for url in (detail(a), f"{container(seed_article)}{a.pk}"):
        gone = client.get(url)
        assert gone.status_code == 410
        assert gone.json()["type"] == f"{CONSTRAINTS}#gone"
    annotation_restore(annotation=a, user=a.author)
    assert client.get(detail(a)).status_code == 200


def test_only_those_who_saw_it_learn_it_is_gone(
    client, annotated, token, other_annotator, moderator
):
    private = annotated["private"]
    assert client.delete(detail(private), headers=bearer(token)).status_code == 204
    assert client.get(detail(private), headers=bearer(token)).status_code == 410
    client.force_login(other_annotator)
    assert client.get(detail(private)).status_code == 404
    hidden = annotated["tags"]
    annotation_hide(annotation=hidden, user=moderator)
    client.logout()
    assert client.get(detail(hidden)).status_code == 404, "hidden is not deleted"
    assert client.get("/api/annotations/99999999").status_code == 404


# --- strong ETags -------------------------------------------------------------------------------


def test_if_match_compares_strongly(client, annotated, token):
    a = annotated["comment"]
    got = client.get(detail(a), headers=bearer(token))
    etag, doc = got["ETag"], got.json()
    assert not etag.startswith("W/")
    weak = client.put(
        detail(a),
        doc,
        content_type="application/ld+json",
        headers={**bearer(token), "If-Match": f"W/{etag}"},
    )
    assert weak.status_code == 412 and weak["ETag"] == etag
    assert weak.json()["type"] == f"{CONSTRAINTS}#if-match"
    strong = client.put(
        detail(a),
        doc,
        content_type="application/ld+json",
        headers={**bearer(token), "If-Match": etag},
    )
    assert strong.status_code == 200
    assert (
        client.get(detail(a), headers={"If-None-Match": f"W/{strong['ETag']}"}).status_code == 304
    )


def test_the_etag_changes_with_the_claims_status(client, annotated):
    a = annotated["claim"]
    before = client.get(detail(a))["ETag"]
    finalise(a.claim, "misleading")
    a.refresh_from_db()
    assert a.version == 1 and client.get(detail(a))["ETag"] != before


# --- the published rules ------------------------------------------------------------------------


def test_the_constraints_are_published_and_errors_point_at_them(
    client, annotated, seed_article, token
):
    page = client.get("/api/constraints")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    tree = lxml_html.fromstring(page.content)
    sections = {
        "target-article",
        "selectors",
        "if-match",
        "put",
        "containers",
        "slug",
        "gone",
        "origins",
    }
    assert sections <= set(tree.xpath("//section/@id"))
    listing = client.get(container(seed_article))
    assert CONSTRAINED_BY in listing["Link"]
    assert "<http://www.w3.org/TR/annotation-protocol/>" in listing["Link"]
    doc = new_annotation(seed_article, "anything")
    doc["target"] = "http://www.example.com/index.html"
    refused = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert refused.status_code == 400 and refused.json()["type"] == f"{CONSTRAINTS}#target-article"
    assert CONSTRAINED_BY in refused["Link"]
    a = annotated["comment"]
    no_if_match = client.put(
        detail(a),
        client.get(detail(a)).json(),
        content_type="application/ld+json",
        headers=bearer(token),
    )
    assert (
        no_if_match.status_code == 428 and no_if_match.json()["type"] == f"{CONSTRAINTS}#if-match"
    )
    assert CONSTRAINED_BY in no_if_match["Link"]
    # A successful answer keeps the one Link the protocol asks of an annotation.
    assert client.get(detail(a))["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'


def test_the_reader_page_links_to_its_annotation_service(client, seed_article):
    tree = lxml_html.fromstring(client.get(seed_article.get_absolute_url()).content)
    links = tree.xpath("/html/head/link[@rel='http://www.w3.org/ns/oa#annotationService']/@href")
    assert links == [container(seed_article)]
    assert client.get(links[0]).status_code == 200
    assert re.match(r"^/api/articles/\d+/annotations/$", links[0])

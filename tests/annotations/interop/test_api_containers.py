"""The Protocol API's containers: paging, preferences, filters, caching and their cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.core.services import annotation_create
from annotations.interop.webannotation import ANNO_CONTEXT, CONTEXT, MEDIA_TYPE
from tests.annotations.interop.conftest import at, passage, validate
from tests.annotations.interop.protocol import BASE, container
from tests.factories import make_article

pytestmark = pytest.mark.django_db


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
    page_note_target = first["items"][0]["target"]
    assert page_note_target["source"]["id"] == seed_article.source_url
    assert page_note_target["scope"] == f"{BASE}/articles/{seed_article.pk}/"
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
    assert middle["@context"] == CONTEXT
    assert middle["startIndex"] == 2
    assert middle["prev"].endswith("?page=0") and middle["next"].endswith("?page=2")
    # Protocol §4.2 (example 6): a page says which container it is part of, and when that changed.
    assert middle["partOf"] == {
        "id": collection["id"],
        "total": 5,
        "modified": collection["modified"],
    }
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
        isinstance(item, str) and item.startswith(f"{BASE}{container(seed_article)}")
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
    # Read in the article's container, each annotation's IRI is under it.
    assert found == {f"{BASE}{container(seed_article)}{annotated[name].pk}" for name in names}
    assert body["id"].endswith(f"?{query.replace(' ', '+')}")


def test_container_filter_errors(client, annotated, seed_article):
    response = client.get(f"{container(seed_article)}?status=bogus")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "not a claim status" in response.json()["detail"]
    assert client.get(f"{container(seed_article)}?q=a%00b").status_code == 400


def test_all_annotations_container_spans_articles(
    client, annotated, annotator, seed_article, tmp_path
):
    other = make_article()
    annotation_create(article=other, author=annotator, exact="First paragraph")
    body = client.get("/api/annotations/").json()
    assert body["id"] == f"{BASE}/api/annotations/"
    assert body["total"] == 6
    sources = {item["target"]["source"]["id"] for item in body["first"]["items"]}
    # An article without an original URL is named by its reader URL.
    assert sources == {seed_article.source_url, f"{BASE}/articles/{other.pk}/"}
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

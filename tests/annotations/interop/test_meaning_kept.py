"""Meaning kept (issue #19, point 2): what Claimlens writes means to a JSON-LD processor what it
says as JSON, claim motivations and purposes are read in every form, id, canonical and via are
IRIs written as URIs, and nothing a client sends is dropped without a word."""

import json

import pytest

from annotations.interop.backup import dump_claimwork
from annotations.interop.exports import export_annotations, visible_annotations
from annotations.interop.imports import import_annotations
from annotations.interop.webannotation import (
    ANNO_CONTEXT,
    Urls,
    annotation_jsonld,
    parse_annotation,
)
from annotations.interop.webannotation.vocabulary import OA
from annotations.models import Annotation
from tests.annotations.interop.conftest import at, passage, validate
from tests.annotations.interop.jsonld import BASE as BASE_IRI
from tests.annotations.interop.jsonld import expand, meaning_lost, oa_terms
from tests.annotations.interop.protocol import (
    BASE,
    bearer,
    container,
    detail,
    new_annotation,
    post,
    put,
)

pytestmark = pytest.mark.django_db
URLS = Urls(BASE)
NON_ASCII_ID = "https://bücher.example/annotationen/größe?für=ü#teil"
NON_ASCII_CANONICAL = "https://exämple.org/anno/ünïcødé"


def _claim_doc(article, **extra) -> dict:
    doc = new_annotation(
        article,
        passage(article, 1, 0, 4),
        motivation="assessing",
        body=[
            {"type": "TextualBody", "purpose": "identifying", "value": "a checked claim"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        ],
    )
    doc.update(extra)
    return doc


def _everything_written(client, annotated, seed_article, annotator, token) -> dict[str, dict]:
    """Return every kind of document Claimlens writes, by a name saying where it came from."""
    posted = post(
        client,
        "/api/annotations/",
        _claim_doc(seed_article, id=NON_ASCII_ID, canonical=NON_ASCII_CANONICAL),
        headers=bearer(token),
    )
    assert posted.status_code == 201, posted.content
    docs = {"api-post": posted.json()}
    made = Annotation.objects.get(pk=posted.json()["id"].rstrip("/").rsplit("/", 1)[-1])
    fetched = client.get(detail(made), headers=bearer(token))
    docs["api-get"] = fetched.json()
    replaced = fetched.json()
    replaced["body"][0]["value"] = "a claim checked again"
    response = put(
        client, detail(made), replaced, headers={**bearer(token), "If-Match": fetched["ETag"]}
    )
    assert response.status_code == 200, response.content
    docs["api-put"] = response.json()
    for name, annotation in annotated.items():
        annotation = visible_annotations(annotator).get(pk=annotation.pk)
        docs[f"w3c-{name}"] = annotation_jsonld(annotation, URLS)
    everyone = visible_annotations(annotator)
    for scope, article in (("all", None), ("article", seed_article)):
        export = export_annotations(everyone, fmt="jsonld", urls=URLS, article=article)
        docs[f"export-{scope}"] = json.loads(export.content)
    for path in ("/api/annotations/", container(seed_article), "/api/annotations/?page=0"):
        docs[f"api-list {path}"] = client.get(path, headers=bearer(token)).json()
    docs["backup"] = dump_claimwork(urls=URLS)
    # The backup's annotations are a collection with a context of their own, read as such.
    docs["backup-annotations"] = docs["backup"]["annotations"]
    return docs


def test_every_document_written_expands_with_no_relative_iri_and_nothing_dropped(
    client, annotated, seed_article, annotator, token
):
    docs = _everything_written(client, annotated, seed_article, annotator, token)
    # The backup as a whole names its own terms under its @vocab, and writes the annotations
    # with the W3C context inside it: a relative IRI is all that could be lost there.
    lost = {name: meaning_lost(doc, whole=name != "backup") for name, doc in docs.items()}
    assert {name: found for name, found in lost.items() if found} == {}
    assert len(docs) == 16
    # And the claim's motivation and status purpose are the model's own IRIs, in the backup
    # (whose @vocab would otherwise have made "assessing" a Claimlens term) as everywhere.
    for name, doc in docs.items():
        expanded = expand(doc)
        terms = oa_terms(expanded, "motivatedBy") + oa_terms(expanded, "hasPurpose")
        assert terms and all(term.startswith(OA) for term in terms), name
        if name.startswith(("w3c-claim", "export-", "api-", "backup")):
            assert OA + "assessing" in terms, name


def test_the_check_finds_a_relative_iri_and_a_dropped_term():
    doc = {
        "@context": ANNO_CONTEXT,
        "id": "https://a.example/1",
        "type": "Annotation",
        "motivation": "assessing",
        "colour": "red",
        "target": "https://a.example/article",
    }
    assert meaning_lost(doc) == [
        "relative IRI assessing",
        f"/motivation 'assessing' read as '{BASE_IRI}assessing'",
        "/colour dropped",
    ]


@pytest.mark.parametrize("form", ["assessing", "oa:assessing", OA + "assessing"])
def test_claim_motivation_and_purpose_are_read_in_every_form(seed_article, form):
    doc = _claim_doc(seed_article, motivation=form)
    doc["body"][1]["purpose"] = form
    parsed = parse_annotation(doc)
    assert (parsed.claim_title, parsed.claim_status) == ("a checked claim", "disputed")
    assert parsed.warnings == []


def test_iris_are_written_as_uris_and_pass_the_validator(
    client, seed_article, token, annotator, tmp_path
):
    doc = _claim_doc(seed_article, id=NON_ASCII_ID, canonical=NON_ASCII_CANONICAL)
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["via"] == (
        "https://xn--bcher-kva.example/annotationen/gr%C3%B6%C3%9Fe?f%C3%BCr=%C3%BC#teil"
    )
    assert body["canonical"] == "https://xn--exmple-cua.org/anno/%C3%BCn%C3%AFc%C3%B8d%C3%A9"
    export = export_annotations(visible_annotations(annotator), fmt="jsonld", urls=URLS)
    validate(tmp_path, {"posted": body, "export": json.loads(export.content)})


@pytest.mark.parametrize("key", ["id", "canonical", "via"])
@pytest.mark.parametrize("value", ["annotation-17", "https://a.example/with space", 17])
def test_an_id_canonical_or_via_that_is_no_iri_is_refused(client, seed_article, token, key, value):
    doc = _claim_doc(seed_article, **{key: value})
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert f"{key} must be an absolute IRI" in response.json()["detail"]
    assert not Annotation.objects.exists()


def _body(**extra) -> dict:
    return {"type": "TextualBody", "purpose": "commenting", "value": "A note.", **extra}


REFUSED = {
    "motivation": ({"motivation": "questioning", "body": [_body()]}, "motivation “questioning”"),
    "language": ({"body": [_body(language="fr")]}, "body 1: “language”"),
    "textDirection": ({"body": [_body(textDirection="rtl")]}, "body 1: “textDirection”"),
    "format": ({"body": [_body(format="text/html")]}, "body 1: format “text/html”"),
    "link body": (
        {"body": [_body(), "https://a.example/see-also"]},
        "body 2: the link 'https://a.example/see-also'",
    ),
    "two notes": ({"body": [_body(), _body(value="Another.")]}, "2 notes are not kept apart"),
    "image body": (
        {"body": [{"id": "https://a.example/i.png", "type": "Image"}]},
        "body 1: a body of type Image",
    ),
    "purpose": ({"body": [_body(purpose="describing")]}, "purpose “describing” is not kept"),
    "rights": ({"rights": "https://creativecommons.org/licenses/by/4.0/"}, "“rights”"),
    "audience": ({"audience": {"type": "Audience", "name": "editors"}}, "the audience"),
    "via and id": (
        {"id": "https://a.example/1", "via": "https://b.example/1"},
        "via “https://b.example/1” is not kept",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_what_claimlens_would_not_keep_is_refused_with_the_part_named(
    client, seed_article, token, case
):
    extra, named = REFUSED[case]
    doc = new_annotation(seed_article, passage(seed_article, 1, 0, 4), **extra)
    response = post(client, "/api/annotations/", doc, headers=bearer(token))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert named in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_what_the_target_says_beyond_the_passage_is_refused(client, seed_article, token):
    doc = new_annotation(seed_article, passage(seed_article, 1, 0, 4))
    doc["target"]["state"] = {"type": "HttpRequestState", "value": "Accept: text/html"}
    doc["target"]["selector"] = [doc["target"]["selector"], {"type": "CssSelector", "value": "p"}]
    detail_ = post(client, "/api/annotations/", doc, headers=bearer(token)).json()["detail"]
    assert "the target: “state”" in detail_ and "selector of type CssSelector" in detail_


def test_a_put_cannot_change_canonical_or_via_and_keeps_them(client, seed_article, token):
    doc = _claim_doc(seed_article, id="https://a.example/1", canonical="urn:uuid:1")
    made = post(client, "/api/annotations/", doc, headers=bearer(token)).json()
    annotation = Annotation.objects.get()
    for key, changed in (("canonical", "urn:uuid:2"), ("via", "https://b.example/2")):
        response = client.get(detail(annotation), headers=bearer(token))
        sent = {**response.json(), key: changed}
        headers = {**bearer(token), "If-Match": response["ETag"]}
        refused = put(client, detail(annotation), sent, headers=headers)
        assert refused.status_code == 422 and f"{key} cannot be changed" in refused.json()["detail"]
        unchanged = {**response.json(), "body": made["body"][:1] + made["body"][1:]}
        unchanged.pop(key)  # left out: kept as it was
        assert put(client, detail(annotation), unchanged, headers=headers).status_code == 200
    kept = client.get(detail(annotation), headers=bearer(token)).json()
    assert (kept["canonical"], kept["via"]) == ("urn:uuid:1", "https://a.example/1")


def test_an_import_keeps_the_item_and_names_what_it_leaves_out(seed_article, annotator):
    item = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "id": NON_ASCII_ID,
        "body": [_body(language="fr"), "https://a.example/see-also"],
        "target": {
            "source": f"{BASE}/articles/{seed_article.pk}/",
            "selector": {
                "type": "TextQuoteSelector",
                **{"exact": at(seed_article, passage(seed_article, 2))["exact"]},
            },
        },
    }
    report = import_annotations(json.dumps([item]), user=annotator, urls=URLS)
    (result,) = report.results
    assert result.annotation is not None and result.annotation.note == "A note."
    assert result.annotation.origin.original_id.startswith("https://xn--bcher-kva.example/")
    assert any("“language” is not kept" in warning for warning in result.warnings)
    assert any("the link" in warning for warning in result.warnings)

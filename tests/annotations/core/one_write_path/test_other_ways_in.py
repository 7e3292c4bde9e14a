"""The API, imports, a new revision and the demo write through the services: recorded, published."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotations.core.services import annotation_create
from annotations.interop.tokens import token_create
from annotations.models import Annotation, Claim, HistoryEntry
from annotations.revisions.services import REANCHORED, REVISED
from articles.models import Article
from articles.services import article_store
from tests.annotations.core.one_write_path.conftest import BODY, QUOTE, at, events, history_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


# --- the API ---------------------------------------------------------------------------------


def api(client, method: str, url: str, token: str, doc=None, **headers):
    body = json.dumps(doc) if doc is not None else ""
    return getattr(client, method)(
        url,
        body,
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {token}", **headers},
    )


def test_api_post_put_and_delete_are_recorded_and_published(client, article, author):
    token = token_create(user=author, name="tests")[1]
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "Posted."}],
        "target": {
            "source": f"http://testserver/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": QUOTE},
        },
    }
    response = api(client, "post", f"/api/articles/{article.pk}/annotations/", token, doc)
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    assert history_of(annotation, "created").actor == author
    assert events(article, "annotation.created", annotation.pk)

    doc = response.json()
    doc["motivation"] = "assessing"  # a comment made a claim says so (else: 422, not kept)
    doc["body"] = [
        {"type": "TextualBody", "purpose": "commenting", "value": "Put."},
        {"type": "TextualBody", "purpose": "identifying", "value": "Peaceful marchers"},
        {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": {"type": "schema:Claim", "schema:author": {"schema:name": "Witnesses"}},
        },
    ]
    response = api(client, "put", doc["id"], token, doc, **{"If-Match": response["ETag"]})
    assert response.status_code == 200, response.content
    annotation.refresh_from_db()
    assert annotation.note == "Put."
    entry = history_of(annotation, "updated")
    assert (entry.actor, entry.after["note"]) == (author, "Put.")
    assert events(article, "annotation.updated", annotation.pk)

    response = api(client, "delete", doc["id"], token)
    assert response.status_code == 204
    assert history_of(annotation, "deleted").actor == author
    assert events(article, "annotation.deleted", annotation.pk)


def test_a_claimant_sent_to_the_api_is_a_recorded_change_of_the_claim(client, article, author):
    token = token_create(user=author, name="tests")[1]
    annotation = annotation_create(
        article=article, author=author, **at(article, QUOTE), tags="disputed: Peaceful marchers"
    )
    got = api(client, "get", f"/api/annotations/{annotation.pk}", token)
    doc = got.json()
    claim_body = next(b for b in doc["body"] if b.get("type") == "SpecificResource")
    claim_body["source"]["schema:author"] = {"type": "schema:Person", "schema:name": "Witnesses"}
    response = api(client, "put", doc["id"], token, doc, **{"If-Match": got["ETag"]})
    assert response.status_code == 200, response.content
    claim = Claim.objects.get(pk=annotation.claim_id)
    assert claim.claimant == "Witnesses"
    entry = history_of(claim, "updated")
    assert entry.actor == author
    assert (entry.before["claimant"], entry.after["claimant"]) == ("", "Witnesses")
    assert events(article, "claim.updated", claim.pk)


# --- imports ---------------------------------------------------------------------------------


def test_a_w3c_import_is_recorded_and_published(client, article):
    importer = make_user(role="annotator")
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://other-tool.example/anno/7",
        "type": "Annotation",
        "created": "2021-12-31T23:59:59Z",
        "body": [
            {"type": "TextualBody", "purpose": "commenting", "value": "Imported."},
            {"type": "TextualBody", "purpose": "identifying", "value": "Peaceful marchers"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": {"schema:author": {"type": "schema:Person", "schema:name": "Witnesses"}},
            },
        ],
        "target": {
            "source": f"http://testserver/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": QUOTE},
        },
    }
    client.force_login(importer)
    upload = SimpleUploadedFile("w3c.json", json.dumps([item]).encode(), "application/json")
    response = client.post("/imports/annotations/", {"file": upload, "article": article.pk})
    assert response.status_code == 200
    assert "Imported 1 of 1" in response.content.decode(), response.content.decode()
    annotation = Annotation.objects.get()
    assert annotation.created_at.year == 2021  # the original date, kept by the service
    assert annotation.origin.original_id == "https://other-tool.example/anno/7"
    entry = history_of(annotation, "created")
    assert (entry.actor, entry.article_id) == (importer, article.pk)
    assert events(article, "annotation.created", annotation.pk)
    # The claimant it names is given to the new claim as a recorded change of the claim.
    assert annotation.claim.claimant == "Witnesses"
    assert history_of(annotation.claim, "created").actor == importer
    entry = history_of(annotation.claim, "updated")
    assert (entry.actor, entry.after["claimant"]) == (importer, "Witnesses")
    assert events(article, "claim.updated", annotation.claim_id)


# --- a new revision --------------------------------------------------------------------------


def test_reanchoring_after_a_new_revision_is_recorded_and_published(article, note, author):
    editor = make_user(role="editor")
    gone = annotation_create(article=article, author=author, **at(article, "trained criminals"))
    article_store(
        title=article.title,
        body_markdown="An update at the top.\n\n"
        + BODY.replace("armed and trained criminals", "violent"),
        article=article,
        imported_by=editor,
    )
    note.refresh_from_db()
    gone.refresh_from_db()
    assert (note.anchor, gone.anchor) == ("moved", "orphan")
    for annotation in (note, gone):
        entry = history_of(annotation, REANCHORED)
        assert (entry.actor, entry.article_id) == (editor, article.pk)
        assert events(article, f"annotation.{REANCHORED}", annotation.pk)
    assert events(article, REVISED, article.pk)


# --- the demo --------------------------------------------------------------------------------


def test_loading_the_demo_records_and_publishes_every_annotation(settings):
    settings.DEBUG = True  # load_demo runs in development only
    call_command("load_demo", stdout=StringIO())
    annotations = list(Annotation.objects.select_related("author", "article"))
    assert annotations
    for annotation in annotations:
        entry = history_of(annotation, "created")
        assert (entry.actor, entry.article_id) == (annotation.author, annotation.article_id)
        if annotation.visibility == Annotation.Visibility.SHARED:
            assert events(annotation.article, "annotation.created", annotation.pk)
    assert {a.article_id for a in annotations} == set(
        Article.objects.filter(annotations__isnull=False).values_list("pk", flat=True)
    )
    for claim in Claim.objects.exclude(claimant=""):
        assert HistoryEntry.objects.for_object(claim).filter(action="updated").exists()

"""Importing Hypothesis's API answers: rows, acct: creators, replies, and once only.

tests/fixtures/hypothesis_search.json is an h /api/search answer written for these tests
(made-up people and article): rows newest first, so replies come before what they answer; two
rows without `uri`, one without `user`; a reply whose parent was deleted in h.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.core.services import annotation_update
from annotations.interop.imports import import_annotations
from annotations.interop.webannotation import Urls
from annotations.models import Annotation, AnnotationOrigin, HistoryEntry, Label, Reply, ReplyOrigin
from tests.annotations.interop.backups import dump, load
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "hypothesis_search.json"
ROOT, FIRST, SECOND, ORPHAN = (
    "Ak3f7vYEe2Pm1x8n0sQzTg",
    "Rp1kQ9vYEe2xS0s7bHcLdw",
    "Rp2kQ9vYEe2xS0s7bHcLdw",
    "Rp3kQ9vYEe2xS0s7bHcLdw",
)
PRIVATE, NO_USER = "Bq8mN2vYEe2Pm1x8n0sQzTg", "Cz5pL4vYEe2Pm1x8n0sQzTg"


@pytest.fixture
def article(db):
    return make_article(
        title="Flood waters reach the old bridge",
        body=(
            "By Tuesday night the river rose higher than at any time since 1998, the county "
            "said.\n\nIn the lower town two hundred homes were evacuated before dawn."
        ),
        source_url="https://river-news.example/2023/04/flood-report",
    )


@pytest.fixture
def importer(db):
    return make_user(username="imogen", role="editor")


def rows() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def run(doc, user, **options):
    return import_annotations(json.dumps(doc), user=user, urls=Urls("http://testserver"), **options)


def origin_of(h_id: str) -> Annotation:
    return AnnotationOrigin.objects.get(format="hypothesis", external_id=h_id).annotation


def reply_of(h_id: str) -> Reply:
    return ReplyOrigin.objects.get(external_id=h_id).reply


def test_an_api_answer_is_imported_with_its_replies_as_replies(article, importer):
    report = run(rows(), importer)
    assert not report.failures, [r.reason for r in report.failures]
    assert len(report.created) == 3 and len(report.replies) == 3
    root = origin_of(ROOT)
    assert root.exact == "the river rose higher than at any time since 1998"
    assert sorted(label.name for label in root.labels.all()) == ["flood", "needs source"]
    assert origin_of(PRIVATE).visibility == "private" and origin_of(PRIVATE).is_page_note
    assert origin_of(NO_USER).exact == "two hundred homes were evacuated"
    first, second, orphan = reply_of(FIRST), reply_of(SECOND), reply_of(ORPHAN)
    assert first.annotation == root and first.parent is None
    assert second.annotation == root and second.parent == first  # the last of its references
    assert orphan.annotation == root and orphan.parent is None  # its parent was deleted in h
    warned = {r.reply.pk: r.warnings for r in report.results if r.reply}
    assert "not here: placed higher up" in " ".join(warned[orphan.pk])
    assert first.body.startswith("The county's own bulletin") and "<p>" in first.body_html
    assert first.author == importer
    assert first.created_at > root.created_at or first.origin.created > root.origin.created
    # Through the one write path: each reply has its history entry.
    replies = [first.pk, second.pk, orphan.pk]
    assert (
        HistoryEntry.objects.filter(
            target_type="reply", target_id__in=replies, action="created"
        ).count()
        == 3
    )


def test_acct_creators_are_kept_and_found_by_name(article, importer):
    maria = make_user(username="maria_r", role="annotator")
    report = run(rows(), importer, keep_authors=True)
    root, first, second = origin_of(ROOT), reply_of(FIRST), reply_of(SECOND)
    assert root.author == maria and first.author == maria  # acct:maria_r@… is maria_r here
    assert second.author == importer  # nobody called jon_k here
    assert (second.origin.creator_name, second.origin.creator_iri) == (
        "Jon K.",
        "acct:jon_k@hypothes.is",
    )
    assert (root.origin.creator_name, root.origin.creator_iri) == (
        "María R.",
        "acct:maria_r@hypothes.is",
    )
    said = " ".join(w for r in report.results for w in r.warnings)
    assert "creator “Jon K.” is not a local annotator: imported as imogen" in said


def test_the_default_import_keeps_the_acct_creator_as_the_recorded_one(article, importer):
    run(rows(), importer)
    root = origin_of(ROOT)
    assert root.author == importer
    assert root.origin.creator_iri == "acct:maria_r@hypothes.is"
    assert root.origin.creator_name == "María R."
    assert root.origin.original_id == f"https://hypothes.is/a/{ROOT}"
    assert origin_of(NO_USER).origin.creator_iri == ""  # a row without `user` names nobody


def test_importing_again_changes_nothing_and_duplicates_nothing(article, importer):
    run(rows(), importer)
    before = (Annotation.objects.count(), Reply.objects.count(), Label.objects.count())
    root = origin_of(ROOT)
    # An edit made here is not undone by importing the older file again.
    annotation_update(annotation=root, user=importer, version=root.version, note="Edited here.")
    again = run(rows(), importer)
    assert (Annotation.objects.count(), Reply.objects.count(), Label.objects.count()) == before
    assert len(again.already) == 6 and not again.imported and not again.failures
    assert origin_of(ROOT).note == "Edited here."
    assert {r.annotation or r.reply for r in again.results} == {
        *Annotation.objects.all(),
        *Reply.objects.all(),
    }


def test_the_same_id_twice_in_one_file_is_one_annotation(article, importer):
    doc = rows()
    doc["rows"].append(dict(doc["rows"][3], text="a second copy"))
    report = run(doc, importer)
    assert Annotation.objects.count() == 3
    assert report.results[-1].already and report.results[-1].annotation == origin_of(ROOT)


def test_a_reply_to_an_annotation_not_here_is_refused_and_saves_nothing(article, importer):
    doc = rows()
    doc["rows"] = [r for r in doc["rows"] if r["id"] != ROOT]
    report = run(doc, importer)
    refused = [r.reason for r in report.failures]
    assert len(refused) == 3 and all(ROOT in reason for reason in refused)
    assert not Reply.objects.exists() and not ReplyOrigin.objects.exists()


def test_an_item_that_fails_leaves_nothing_behind(article, importer):
    doc = rows()
    root = doc["rows"][3]
    root["tags"] = ["brand new tag"]
    root["target"][0]["selector"][-1]["exact"] = "words this article never had"
    empty = dict(doc["rows"][1], id="EmptyReplyEe2xS0s7bHcLdw", text="  ")
    doc["rows"] = [root, empty]
    report = run(doc, importer)
    assert [r.ok for r in report.results] == [False, False]
    assert not Label.objects.filter(name="brand new tag").exists()
    assert not AnnotationOrigin.objects.exists() and not ReplyOrigin.objects.exists()
    assert not Annotation.objects.exists() and not Reply.objects.exists()


def test_the_command_says_what_was_new_and_what_was_there(article, importer, tmp_path):
    path = tmp_path / "h.json"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_annotations", str(path), "--user", "imogen", stdout=out, stderr=out)
    assert "Imported 6 of 6 annotations. 3 of them are replies." in out.getvalue()
    out = io.StringIO()
    call_command("import_annotations", str(path), "--user", "imogen", stdout=out, stderr=out)
    assert "Imported 0 of 6 annotations. 6 were imported before, left as they are." in (
        out.getvalue()
    )
    path.write_text(json.dumps({"total": 1, "rows": [{"id": "x", "text": "no target"}]}))
    with pytest.raises(CommandError, match="Imported 0 of 1 annotations"):
        call_command("import_annotations", str(path), "--user", "imogen", stderr=io.StringIO())


def test_the_upload_page_reports_replies_and_repeats(client, article, importer):
    client.force_login(importer)

    def upload():
        file = SimpleUploadedFile("h.json", FIXTURE.read_bytes(), "application/json")
        return client.post("/imports/annotations/", {"file": file}).content.decode()

    first = upload()
    assert "Imported 6 of 6" in first and "3 of them are replies" in first
    again = upload()
    assert "Imported 0 of 6" in again and "6 were imported before" in again


def test_a_backup_keeps_the_hypothesis_ids(article, importer, tmp_path):
    """Restored from a backup, the same h file still finds what it made."""
    run(rows(), importer)
    dump(tmp_path / "backup.jsonld")
    Annotation.objects.all().delete()
    assert not ReplyOrigin.objects.exists()
    load(tmp_path / "backup.jsonld", "--user", "imogen")
    assert reply_of(SECOND).parent == reply_of(FIRST)
    assert reply_of(SECOND).origin.creator_iri == "acct:jon_k@hypothes.is"
    again = run(rows(), importer)
    assert len(again.already) == 6 and (Annotation.objects.count(), Reply.objects.count()) == (3, 3)

"""Loading a backup: all or nothing, errors that name the item, articles and fields found here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from annotations.models import (
    Annotation,
    Claim,
    HistoryEntry,
)
from articles.models import Article
from articles.services import article_store
from tests.annotations.interop.backups import (
    HERE,
    THERE,
    counts,
    dump,
    empty_the_database,
    load,
    load_the_demo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_backup(settings, tmp_path) -> Path:
    """The demo's work dumped to a file at THERE, and the database emptied."""
    settings.CLAIMLENS_BASE_URL = THERE
    load_the_demo(settings)
    path = tmp_path / "demo.jsonld"
    dump(path)
    empty_the_database()
    settings.CLAIMLENS_BASE_URL = HERE
    return path


def damaged(path: Path, damage) -> Path:
    doc = json.loads(path.read_text(encoding="utf-8"))
    damage(doc)
    out = path.with_name("damaged.jsonld")
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def _ghost_actor(doc):
    doc["history"][-1]["actor"] = "ghost"


def _claim_gone(doc):
    doc["annotationRecords"][-1]["claim"] = 999_999


def _nul_in_reply(doc):
    doc["replies"][0]["body"] = "before\x00after"


def _tag_as_status(doc):
    tag = next(label for label in doc["labels"] if label["kind"] == "tag")
    doc["claims"][-1]["status"] = tag["pk"]


def _empty_article(doc):
    doc["articles"][-1]["revisions"][0]["bodyMarkdown"] = "  "


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_ghost_actor, "“actor” names “ghost”, who is not among the backup's users"),
        (_claim_gone, "“claim” refers to claim 999999, which is not in the backup"),
        (_nul_in_reply, "the backup.replies[0].body holds U+0000"),
        (_tag_as_status, "is a tag, not a claim status"),
        (_empty_article, "the article has no body text"),
    ],
)
def test_a_failing_load_saves_nothing_and_names_the_item(demo_backup, damage, message):
    empty = counts()
    with pytest.raises(CommandError) as refused:
        load(damaged(demo_backup, damage), "--user", "moderator")
    assert message in str(refused.value)
    assert str(refused.value).startswith("Nothing was loaded: ")
    assert counts() == empty  # not one account, article, label or history entry


def test_the_failing_item_is_named_by_its_id_and_title(demo_backup):
    doc = json.loads(demo_backup.read_text(encoding="utf-8"))
    claim = doc["claims"][-1]
    with pytest.raises(CommandError, match=rf"claim {claim['pk']} \(“{claim['title']}”\)"):
        load(damaged(demo_backup, _tag_as_status), "--user", "moderator")


def test_a_file_that_is_no_backup_is_refused(demo_backup, tmp_path):
    export = tmp_path / "export.jsonld"
    export.write_text(json.dumps({"type": "AnnotationCollection"}), encoding="utf-8")
    with pytest.raises(CommandError, match="not a Claimlens claim-work backup"):
        load(export)


def test_a_database_with_claim_work_is_refused(demo_backup):
    load(demo_backup, "--user", "moderator")
    before = counts()
    with pytest.raises(CommandError, match=r"already holds claim work \(11 annotations"):
        load(demo_backup, "--user", "moderator")
    assert counts() == before


def test_a_dry_run_checks_everything_and_saves_nothing(demo_backup):
    empty = counts()
    said = load(demo_backup, "--dry-run", "--user", "moderator")
    assert "11 annotations" in said and "dry run: nothing was saved" in said
    assert counts() == empty


def test_the_loader_must_be_someone(demo_backup):
    with pytest.raises(CommandError, match="name who loads the backup"):
        load(demo_backup)  # no --user, and no superuser here yet
    assert "Restored" in load(demo_backup, "--user", "admin")  # the backup's superuser


def test_articles_already_here_are_used_not_doubled(settings, tmp_path):
    settings.CLAIMLENS_BASE_URL = THERE
    load_the_demo(settings)
    path = tmp_path / "work.jsonld"
    doc = dump(path, "--without-articles")
    assert all("revisions" not in article for article in doc["articles"])
    articles = set(Article.objects.values_list("pk", flat=True))
    # Only the work goes: the articles stay (say, imported again here before the load).
    Claim.objects.all().delete()
    HistoryEntry.objects.all().delete()
    Annotation.objects.all().delete()

    said = load(path, "--user", "moderator")
    assert "found already here: 7 users, 3 articles" in said
    assert set(Article.objects.values_list("pk", flat=True)) == articles
    assert Annotation.objects.count() == 11


def test_an_article_here_with_another_text_is_refused(demo_backup):
    doc = json.loads(demo_backup.read_text(encoding="utf-8"))
    first = doc["articles"][0]
    article_store(
        title=first["title"], body_markdown="Another text.", source_url=first["sourceUrl"]
    )
    with pytest.raises(CommandError, match="it is here already .* with another text"):
        load(demo_backup, "--user", "moderator")
    assert not Annotation.objects.exists()


def test_without_articles_a_missing_article_is_named(demo_backup, settings, tmp_path):
    load(demo_backup, "--user", "moderator")
    path = tmp_path / "no-text.jsonld"
    dump(path, "--without-articles")
    empty_the_database()
    with pytest.raises(CommandError, match="written without the articles' text"):
        load(path, "--user", "moderator")


def test_a_text_that_reads_differently_here_places_notes_by_their_quotes(demo_backup):
    """A renderer that changed between dump and load: notes follow their quotes, or orphan."""
    doc = json.loads(demo_backup.read_text(encoding="utf-8"))
    harwick = next(a for a in doc["articles"] if not a["sourceUrl"])
    body = harwick["revisions"][0]["bodyMarkdown"]
    cut = "raise household water prices by 18 per cent from April"
    assert cut in body

    def reread(doc):
        article = next(a for a in doc["articles"] if not a["sourceUrl"])
        text = "A new first paragraph.\n\n" + body.replace(cut, "raise prices")
        article["revisions"][0]["bodyMarkdown"] = text

    said = load(damaged(demo_backup, reread), "--user", "moderator")
    assert "its text reads differently here" in said
    assert "placed again by its quote" in said and "kept as an orphan" in said
    article = Article.objects.get(source_url__isnull=True)
    notes = Annotation.objects.filter(article=article)
    orphans = [a for a in notes if a.is_orphan]
    assert [a.exact for a in orphans] == [cut]
    for annotation in notes:
        if annotation.exact and not annotation.is_orphan:
            assert article.body_text[annotation.start : annotation.end] == annotation.exact


def test_fields_a_version_does_not_name_travel_in_other_fields(demo_backup):
    """A backup from a Claimlens that did not name a field still restores it, and a field this
    one does not have (from a newer one) is left aside."""

    def older(doc):
        for claim in doc["claims"]:
            claim["otherFields"] = {"claimant_type": "person", "from_the_future": 1}
            del claim["claimantType"]

    load(damaged(demo_backup, older), "--user", "moderator")
    assert set(Claim.objects.values_list("claimant_type", flat=True)) == {"person"}

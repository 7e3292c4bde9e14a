"""Every edit made through the services is in the history once, and in the change feed.

Label renames and merges, claim edits, evidence and hiding had no history before the reader
showed it; each test makes one change and reads back the one entry and feed event it left.
"""

import pytest
from django.core.exceptions import ValidationError

from annotations.collab import revert
from annotations.collab.moderation import flag_create
from annotations.core.services import (
    annotation_create,
    annotation_hide,
    claim_update,
    evidence_add,
    evidence_remove,
    label_merge,
    label_rename,
    label_update,
    tag_get_or_create,
)
from annotations.models import ChangeEvent, Flag, HistoryEntry, Label
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BODY = "The minister said the marchers were armed.\n\nWitnesses said they were peaceful."


@pytest.fixture
def moderator():
    return make_user(role="moderator")


@pytest.fixture
def article():
    return make_article(body=BODY)


def new_entries(since: int) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(id__gt=since).order_by("id"))


def new_events(since: int) -> list[ChangeEvent]:
    return list(ChangeEvent.objects.filter(id__gt=since).order_by("id"))


def last_ids() -> tuple[int, int]:
    entry = HistoryEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return entry, event


def test_label_rename_is_recorded_once_and_reaches_readers_of_tagged_articles(moderator, article):
    annotation_create(article=article, author=make_user(), exact="armed", tags="witness")
    label = Label.objects.get(name="witness")
    entries, events = last_ids()

    label_rename(label=label, user=moderator, name="eyewitness")

    (entry,) = new_entries(entries)
    assert (entry.target_type, entry.target_id, entry.action) == ("label", label.pk, "renamed")
    assert entry.actor == moderator
    assert (entry.before["name"], entry.after["name"]) == ("witness", "eyewitness")
    assert [(e.kind, e.article_id) for e in new_events(events)] == [("label.renamed", article.pk)]


def test_label_colour_change_is_an_update_and_saving_unchanged_records_nothing(moderator):
    label = tag_get_or_create("context")
    entries, _ = last_ids()
    fields = {"name": "context", "description": "", "shortcut": ""}

    label_update(label=label, user=moderator, colour="#123456", **fields)
    label_update(label=label, user=moderator, colour="#123456", **fields)

    (entry,) = new_entries(entries)
    assert entry.action == "updated"
    assert [c[0] for c in entry.changes] == ["colour"]


def test_label_merge_is_recorded_once_on_the_label_that_stays(moderator, article):
    author = make_user()
    annotation_create(article=article, author=author, exact="armed", tags="witness")
    source, target = Label.objects.get(name="witness"), tag_get_or_create("eyewitness")
    entries, events = last_ids()

    label_merge(source=source, target=target, user=moderator)

    (entry,) = new_entries(entries)
    assert (entry.target_id, entry.action) == (target.pk, "merged")
    assert ("merged", None, "witness") in entry.changes
    assert [(e.kind, e.article_id) for e in new_events(events)] == [("label.merged", article.pk)]
    with pytest.raises(ValidationError, match="merge cannot be reverted"):
        revert.revert(entry=entry, user=moderator)


def test_claim_edit_is_recorded_once_with_before_and_after(article):
    author = make_user()
    annotation = annotation_create(
        article=article, author=author, exact="armed", tags="unverified: armed marchers"
    )
    claim = annotation.claim
    entries, events = last_ids()
    false = Label.objects.statuses().get(slug="false")

    claim_update(
        claim=claim, user=author, title="Marchers were armed", status=false, version=claim.version
    )

    (entry,) = new_entries(entries)
    assert (entry.target_type, entry.target_id, entry.action) == ("claim", claim.pk, "status")
    assert ("status", "unverified", "false") in entry.changes
    assert ("title", "armed marchers", "Marchers were armed") in entry.changes
    kinds = {(e.kind, e.article_id, e.claim_id) for e in new_events(events)}
    assert kinds == {("claim.status", article.pk, claim.pk)}


def test_claim_text_edit_is_an_update(article):
    author = make_user()
    claim = annotation_create(
        article=article, author=author, exact="armed", tags="unverified: armed marchers"
    ).claim
    entries, _ = last_ids()

    claim_update(claim=claim, user=author, title=claim.title, status=claim.status, claimant="Min")

    (entry,) = new_entries(entries)
    assert entry.action == "updated"
    assert entry.changes == [("claimant", "", "Min")]


def test_evidence_added_and_removed_are_each_recorded_once_on_the_claim(article):
    author = make_user()
    claim = annotation_create(
        article=article, author=author, exact="armed", tags="unverified: armed marchers"
    ).claim
    entries, events = last_ids()

    evidence = evidence_add(claim=claim, user=author, url="https://example.org/report")
    evidence_remove(evidence=evidence, user=author)

    added, removed = new_entries(entries)
    assert (added.target_id, added.action) == (claim.pk, "evidence_added")
    assert added.changes == [("evidence", [], ["https://example.org/report"])]
    assert (removed.action, removed.changes) == (
        "evidence_removed",
        [("evidence", ["https://example.org/report"], [])],
    )
    assert [e.kind for e in new_events(events)] == [
        "claim.evidence_added",
        "claim.evidence_removed",
    ]


def test_hiding_from_the_reader_is_recorded_once_and_closes_flags(moderator, article):
    author = make_user()
    annotation = annotation_create(article=article, author=author, exact="armed", note="rude")
    flag_create(reporter=make_user(), reason="Rude", annotation=annotation)
    entries, events = last_ids()

    annotation_hide(annotation=annotation, user=moderator)
    annotation_hide(annotation=annotation, user=moderator)  # already hidden: no second entry

    (entry,) = new_entries(entries)
    assert (entry.target_id, entry.action, entry.actor) == (annotation.pk, "hidden", moderator)
    assert entry.before["hidden_at"] is None and entry.after["hidden_at"] is not None
    assert [e.kind for e in new_events(events)] == ["annotation.hidden"]
    assert not Flag.objects.open().exists()
    annotation_hide(annotation=annotation, user=moderator, hidden=False)
    assert new_entries(entry.pk)[0].action == "unhidden"

"""history.batch(): the changes recorded in it are written together as it ends, nothing lost.

And the way new tags and claims are inserted (INSERT ... ON CONFLICT DO NOTHING): a taken
slug or name is found out by the constraint, not by a look-up first.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from annotations.core import changefeed, history
from annotations.core.services import annotation_create
from annotations.models import Annotation, ChangeEvent, Claim, HistoryEntry, Label
from tests.factories import make_article, make_claim, make_user

pytestmark = pytest.mark.django_db

BODY = "The minister said protesters were armed. Witnesses described peaceful crowds."


def _record_claim_created(claim, user):
    return history.record(
        actor=user, obj=claim, action="created", before=None, after=history.snapshot(claim)
    )


def test_a_batch_writes_its_entries_and_events_as_it_ends_in_the_order_recorded():
    user = make_user()
    first, second = make_claim(title="first"), make_claim(title="second")
    with transaction.atomic(), history.batch():
        entries = [_record_claim_created(first, user), _record_claim_created(second, user)]
        # Nothing written yet: no id, no row.
        assert [entry.pk for entry in entries] == [None, None]
        assert not HistoryEntry.objects.filter(target_type="claim").exists()
    assert all(entry.pk for entry in entries)
    stored = HistoryEntry.objects.filter(target_type="claim").order_by("pk")
    assert [entry.target_id for entry in stored] == [first.pk, second.pk]
    events = ChangeEvent.objects.filter(kind="claim.created").order_by("pk")
    assert [(e.object_id, e.claim_id) for e in events] == [
        (first.pk, first.pk),
        (second.pk, second.pk),
    ]


def test_a_batch_takes_one_statement_for_the_entries_and_one_for_the_events():
    user = make_user()
    claims = [make_claim(title=f"claim {n}") for n in range(3)]
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), history.batch():
        for claim in claims:
            _record_claim_created(claim, user)
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # Three entries, then three events: on PostgreSQL the events' insert takes their scopes'
    # locks before they take their ids, in the same statement.
    assert len(sql) == 2 and all(s.startswith("INSERT") for s in sql)
    assert ("pg_advisory_xact_lock" in sql[1]) == (connection.vendor == "postgresql")


def test_a_change_recorded_in_a_savepoint_that_rolls_back_is_not_kept():
    user = make_user()
    kept, dropped = make_claim(title="kept"), make_claim(title="dropped")
    with transaction.atomic(), history.batch():
        _record_claim_created(kept, user)
        try:
            with transaction.atomic():
                entry = _record_claim_created(dropped, user)
                assert entry.pk  # written at once, inside the savepoint
                raise IntegrityError("the change failed")
        except IntegrityError:
            pass
    assert list(HistoryEntry.objects.values_list("target_id", flat=True)) == [kept.pk]
    assert list(ChangeEvent.objects.values_list("object_id", flat=True)) == [kept.pk]


def test_a_batch_that_raises_writes_nothing():
    user = make_user()
    claim = make_claim(title="lost")
    with pytest.raises(ValueError), transaction.atomic(), history.batch():
        _record_claim_created(claim, user)
        raise ValueError("the service refused")
    assert not HistoryEntry.objects.exists() and not ChangeEvent.objects.exists()


def test_a_batch_inside_a_batch_is_written_by_the_outer_one():
    user = make_user()
    claim = make_claim(title="inner")
    with transaction.atomic(), history.batch():
        with history.batch():
            entry = _record_claim_created(claim, user)
        assert entry.pk is None
    assert entry.pk is not None


def test_status_listeners_hear_of_a_batched_change_once_it_is_written():
    heard = []

    def listener(*, claim, actor, before, after):
        heard.append((claim.pk, HistoryEntry.objects.filter(action="status").count()))

    user = make_user(role="moderator")
    claim = make_claim(title="listened")
    history.on_claim_status_change(listener)
    try:
        with transaction.atomic(), history.batch():
            history.record(actor=user, obj=claim, action="status", before={}, after={})
            assert heard == []
    finally:
        history._status_listeners.remove(listener)
    assert heard == [(claim.pk, 1)]


def test_creating_with_a_new_claim_records_both_changes_and_publishes_both():
    article = make_article(body=BODY)
    cursor = changefeed.cursor_for(article=article)
    annotation = annotation_create(
        article=article, author=make_user(), exact="peaceful", tags="unverified: a new one"
    )
    claim = annotation.claim
    assert claim.made_now
    history_rows = HistoryEntry.objects.order_by("pk").values_list("target_type", "target_id")
    assert list(history_rows) == [("claim", claim.pk), ("annotation", annotation.pk)]
    kinds = ChangeEvent.objects.order_by("pk").values_list("kind", "article_id", "claim_id")
    assert list(kinds) == [
        ("claim.created", None, claim.pk),
        ("annotation.created", article.pk, claim.pk),
    ]
    assert changefeed.changes_since(cursor=cursor, article_id=article.pk)["annotations"] == [
        annotation.pk
    ]


def test_a_new_claim_whose_slug_is_taken_gets_the_next_free_one():
    article = make_article(body=BODY)
    # Someone's private claim holds the plain slug; another title slugs the same.
    make_claim(title="other", slug="armed-crowds")
    make_claim(title="yet another", slug="armed-crowds-2")
    annotation = annotation_create(
        article=article, author=make_user(), exact="peaceful", tags="unverified: Armed crowds!"
    )
    assert annotation.claim.slug == "armed-crowds-3"
    assert Claim.objects.get(pk=annotation.claim_id).title == "Armed crowds!"
    assert HistoryEntry.objects.filter(target_type="claim", target_id=annotation.claim_id).exists()


def test_a_new_claim_first_tries_its_plain_slug_without_looking_it_up():
    article = make_article(body=BODY)
    author = make_user()
    with CaptureQueriesContext(connection) as queries:
        annotation_create(article=article, author=author, exact="peaceful", tags="unverified: x y")
    assert Claim.objects.get(title="x y").slug == "x-y"
    sql = [q["sql"] for q in queries.captured_queries]
    # Only the create's own savepoint (this test runs in a transaction), none around the claim.
    assert sum(statement.startswith("SAVEPOINT") for statement in sql) == 1
    assert not [s for s in sql if s.startswith("SELECT") and '"slug" = ' in s]


def test_a_new_tag_is_saved_as_save_would_tell_the_receivers():
    saved = []

    def receiver(sender, instance, created, **kwargs):
        saved.append((instance.pk, instance.name, created))

    post_save.connect(receiver, sender=Label)
    try:
        annotation = annotation_create(
            article=make_article(body=BODY), author=make_user(), exact="peaceful", tags="brand new"
        )
    finally:
        post_save.disconnect(receiver, sender=Label)
    (label,) = annotation.labels.all()
    assert saved == [(label.pk, "brand new", True)]
    assert Annotation.objects.get(pk=annotation.pk).labels.get() == label

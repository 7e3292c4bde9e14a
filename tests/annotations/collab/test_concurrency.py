"""Concurrent edits and creates against the real database.

On PostgreSQL, 20 threads with their own connections start together at a barrier. SQLite runs
one writer at a time, so there the same guarantees are checked with the 20 edits in turn.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations.core import changefeed
from annotations.core.services import EditConflict, annotation_create, annotation_update
from annotations.models import Annotation, ChangeEvent, HistoryEntry
from tests.factories import make_claim
from tests.threads import run_together

from .conftest import BODY, make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 20


def test_twenty_edits_from_one_version_exactly_one_wins():
    article = make_article(body=BODY)
    author = make_user(role="moderator")
    annotation = annotation_create(article=article, author=author, exact="peaceful", note="base")

    def edit(i):
        fresh = Annotation.objects.get(pk=annotation.pk)
        return annotation_update(annotation=fresh, user=author, version=1, note=f"edit {i}")

    if connection.vendor == "postgresql":
        results = run_together(edit, WORKERS)
    else:
        results = []
        for i in range(WORKERS):
            try:
                results.append(edit(i))
            except EditConflict as exc:
                results.append(exc)
    winners = [r for r in results if isinstance(r, Annotation)]
    conflicts = [r for r in results if isinstance(r, EditConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == WORKERS - 1, results
    stored = Annotation.objects.get(pk=annotation.pk)
    assert stored.note == winners[0].note and stored.version == 2
    assert all(c.current.version == 2 for c in conflicts)
    updates = HistoryEntry.objects.filter(target_id=annotation.pk, action="updated")
    assert [(e.before["note"], e.after["note"]) for e in updates] == [("base", stored.note)]
    assert ChangeEvent.objects.filter(kind="annotation.updated").count() == 1


def test_twenty_concurrent_creates_all_succeed_and_the_feed_misses_none():
    article = make_article(body=BODY)
    authors = [make_user() for _ in range(WORKERS)]
    cursor = changefeed.cursor_for(article=article)

    def create(i):
        return annotation_create(
            article=article, author=authors[i], exact="peaceful", note=f"note {i}"
        )

    if connection.vendor == "postgresql":
        results = run_together(create, WORKERS)
    else:
        results = [create(i) for i in range(WORKERS)]
    assert all(isinstance(r, Annotation) for r in results), results
    assert len({r.pk for r in results}) == WORKERS
    assert Annotation.objects.filter(article=article).count() == WORKERS
    payload = changefeed.changes_since(cursor=cursor, article_id=article.pk)
    assert sorted(payload["annotations"]) == sorted(r.pk for r in results)
    ids = [e["id"] for e in payload["events"]]
    assert ids == sorted(ids)


def test_publishing_holds_a_lock_on_every_scope_until_commit():
    """On PostgreSQL each article and the claim get their own advisory lock, held to the end
    of the change; SQLite runs one write transaction at a time and is sent no lock at all."""
    first, second = make_article(body=BODY), make_article(body=BODY)
    claim = make_claim(title="t")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        events = changefeed.publish(
            kind="claim.status",
            object_id=claim.pk,
            article_ids=[second.pk, first.pk],
            claim_id=claim.pk,
        )
        held = advisory_locks_held()
    assert [e.article_id for e in events] == sorted([first.pk, second.pk])
    if connection.vendor != "postgresql":
        assert not any("lock" in q["sql"].lower() for q in queries.captured_queries)
        return
    assert held == {
        changefeed._lock_key(changefeed._ARTICLE_SCOPE, first.pk),
        changefeed._lock_key(changefeed._ARTICLE_SCOPE, second.pk),
        changefeed._lock_key(changefeed._CLAIM_SCOPE, claim.pk),
    }
    assert advisory_locks_held() == set()  # released at commit


def advisory_locks_held() -> set[int]:
    """Return the keys of the advisory locks this connection holds (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
        )
        return {row[0] for row in cursor.fetchall()}


def test_an_event_takes_its_id_only_once_its_scope_is_free():
    """A writer waiting for an article's lock has no id yet: the holder's later ids come first.

    Otherwise a poll between the two commits could move past the waiter's id for good.
    """
    article, other = make_article(body=BODY), make_article(body=BODY)

    def publish_on(article_pk):
        (event,) = changefeed.publish(
            kind="annotation.created", object_id=1, article_ids=[article_pk]
        )
        return event.pk

    if connection.vendor != "postgresql":
        # One writer at a time (and no lock sent): ids in the order the writes are made.
        assert publish_on(article.pk) < publish_on(other.pk)
        return
    waiter: list = []
    thread = threading.Thread(
        target=lambda: waiter.append(_in_own_connection(publish_on, article.pk))
    )
    with transaction.atomic():
        changefeed._lock_scopes([article.pk], [])  # as a change of the article in progress
        thread.start()
        _wait_for_a_blocked_advisory_lock()
        mine = publish_on(other.pk)  # an id taken while the waiter waits
    thread.join(timeout=30)
    assert waiter and waiter[0] > mine


def _in_own_connection(work, *args):
    try:
        return work(*args)
    finally:
        connection.close()


def _wait_for_a_blocked_advisory_lock() -> None:
    for _ in range(500):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise AssertionError("the second writer never waited for the lock")

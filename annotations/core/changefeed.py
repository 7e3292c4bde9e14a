"""The change feed that open pages poll to see each other's changes without reloading.

Every recorded change to something shown on an article (annotations, their replies, the status
of claims that appear there) adds a ChangeEvent row in the same transaction as the change. A
page remembers the id of the last event it has seen (its cursor) and asks for anything newer.

Ids come from one sequence, but transactions commit in their own order: if a change with id 10
committed after one with id 11, a poll in between would move its cursor past 10 for good. So
writers of one article's (or claim's) events take a transaction-scoped lock on that scope just
before inserting; the lock is held until commit, so within a scope ids are given out in commit
order. On PostgreSQL this is an advisory lock; SQLite runs write transactions one at a time
(IMMEDIATE mode, see config.settings) and needs none.

The poll contract (collab:article-changes, collab:claim-changes):

    GET /articles/<id>/changes/?after=<cursor>     (or /claims/<id>/changes/?after=<cursor>)

    204 No Content, empty body      nothing after <cursor>; one indexed query, no session read
    400                             `after` missing or not a non-negative integer
    403                             changes exist, CLAIMLENS_REQUIRE_LOGIN is on, not signed in
    200 + HX-Trigger                changes exist. The body is a new poller element (the
                                    _live.html include with the new cursor) that replaces the
                                    old one (hx-swap="outerHTML"). The header is
        {"claimlens:changed": {
            "cursor": 42,                  # the new cursor: the last event id in this answer
            "article": 5, "claim": null,   # the scope polled
            "annotations": [3, 7],         # annotation ids touched (incl. those replied to)
            "replies": [12],               # reply ids created/edited/deleted/hidden
            "claims": [2],                 # claim ids whose status/text/assignee changed
            "events": [{"id": 41, "kind": "annotation.updated", "object": 3,
                        "annotation": 3, "actor": "alice", "actor_id": 9}, ...],
            "more": false}}                # true: more than 200 events, poll again at once

    kind is "<target>.<action>": target in annotation, reply, claim, verdict, label; action in
    created, updated, deleted, restored, hidden, unhidden, status, finalised, reopened,
    assigned, withdrawn, reanchored (and whatever other callers of history.record name).
    "article.revised" (object: the article) says the article has a new text: the page shows
    it and says so (see annotations.revisions.services).

htmx dispatches the event on the poller; it bubbles, so listen with
hx-trigger="claimlens:changed from:body", or document.body.addEventListener("claimlens:changed",
e => e.detail.annotations ...). Events of private annotations are not published (only their
author sees them), except the change that makes one shared or private.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction

from annotations.models import ChangeEvent

# Namespaces for the advisory-lock keys, so that article 7 and claim 7 are different locks.
_ARTICLE_SCOPE, _CLAIM_SCOPE = 0x434C_0001, 0x434C_0002


def _lock_key(scope: int, pk: int) -> int:
    return ((scope << 32) | (pk & 0xFFFF_FFFF)) - (1 << 63)  # fits PostgreSQL's signed bigint


def _lock_keys(article_ids: Iterable[int], claim_ids: Iterable[int | None]) -> list[int]:
    keys = [_lock_key(_ARTICLE_SCOPE, pk) for pk in sorted(set(article_ids))]
    return keys + [_lock_key(_CLAIM_SCOPE, pk) for pk in sorted({c for c in claim_ids if c})]


# One round trip, taking the locks one by one in the array's order: always the same order, so
# two writers cannot deadlock here.
_LOCKING = (
    "SELECT pg_advisory_xact_lock(key)"
    " FROM unnest(%s::bigint[]) WITH ORDINALITY AS scope(key, position)"
    " ORDER BY position"
)


def _lock_scopes(article_ids: Iterable[int], claim_ids: Iterable[int | None]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_LOCKING, [_lock_keys(article_ids, claim_ids)])


_COLUMNS = ("article", "claim", "kind", "object_id", "annotation_id", "actor", "created_at")


def _insert_locking(events: list[ChangeEvent]) -> None:
    """Lock the events' scopes and insert them, in one statement (PostgreSQL).

    The rows to insert are joined to the count of the locks taken, an aggregate: no row
    reaches the insert, and so takes its id from the sequence, before every lock is held.
    """
    meta = ChangeEvent._meta
    fields = [meta.get_field(name) for name in _COLUMNS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields)
    params = []
    for position, event in enumerate(events):
        params += [
            field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields
        ]
        params.append(position)
    keys = _lock_keys([e.article_id for e in events if e.article_id], [e.claim_id for e in events])
    picked = ", ".join(f"v.column{n + 1}" for n in range(len(fields)))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns})"  # noqa: S608
        f" SELECT {picked} FROM (VALUES {', '.join([f'({row}, %s)'] * len(events))}) AS v,"
        f" (SELECT count(*) FROM ({_LOCKING}) AS taken) AS locks"
        f" ORDER BY v.column{len(fields) + 1}"
        f" RETURNING {connection.ops.quote_name(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, keys])
        ids = [pk for (pk,) in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding, event._state.db = False, connection.alias


def events_for(
    *,
    kind: str,
    object_id: int,
    actor=None,
    article_ids: Iterable[int] = (),
    claim_id: int | None = None,
    annotation_id: int | None = None,
) -> list[ChangeEvent]:
    """Return the unsaved events of one change: one per article, or one for the claim alone."""
    article_ids = sorted({pk for pk in article_ids if pk is not None})
    if not article_ids and claim_id is None:
        return []
    actor_id = getattr(actor, "pk", None)
    return [
        ChangeEvent(
            article_id=article_id,
            claim_id=claim_id,
            kind=kind[:32],
            object_id=object_id,
            annotation_id=annotation_id,
            actor_id=actor_id,
        )
        for article_id in (article_ids or [None])
    ]


def publish(**change) -> list[ChangeEvent]:
    """Add one event per article (or one for the claim alone) to the feed, in this transaction.

    `change` is what events_for() takes: kind, object_id, actor, article_ids, claim_id,
    annotation_id.
    """
    events = events_for(**change)
    publish_events(events)
    return events


def publish_events(events: list[ChangeEvent]) -> None:
    """Add these unsaved events (of any scopes) to the feed, in this transaction, in order.

    Every scope they touch is locked before they take their ids: on PostgreSQL in the one
    statement that inserts them all; SQLite runs one writer at a time and needs no lock.
    """
    if not events:
        return
    with transaction.atomic(savepoint=False):  # the change's own transaction, if it has one
        if connection.vendor == "postgresql":
            _insert_locking(events)
        elif connection.features.can_return_rows_from_bulk_insert:
            ChangeEvent.objects.bulk_create(events)
        else:  # pragma: no cover - PostgreSQL and SQLite 3.35+ return them
            for event in events:
                event.save(force_insert=True)


class Change(NamedTuple):
    """One event of publish_many(): what happened to which object."""

    kind: str
    object_id: int
    annotation_id: int | None = None
    claim_id: int | None = None


def publish_many(*, article_id: int, changes: Iterable[Change], actor_id=None) -> None:
    """Add many events of one article to the feed in one statement, in this transaction.

    For a change that touches many objects at once (a new revision moves every annotation):
    the same rows publish() would add one by one, in the order given.
    """
    rows = [
        ChangeEvent(
            article_id=article_id,
            claim_id=change.claim_id,
            kind=change.kind[:32],
            object_id=change.object_id,
            annotation_id=change.annotation_id,
            actor_id=actor_id,
        )
        for change in changes
    ]
    if not rows:
        return
    with transaction.atomic(savepoint=False):
        _lock_scopes([article_id], [row.claim_id for row in rows])
        ChangeEvent.objects.bulk_create(rows)


def cursor_for(*, article=None, claim=None) -> int:
    """Return the id of the latest event of an article (or claim), 0 if none.

    Read it before reading what the page shows: a change that lands in between is then fetched
    again (harmless) instead of being missed.
    """
    scope = {"article": article} if article is not None else {"claim": claim}
    latest = (
        ChangeEvent.objects.filter(**scope).order_by("-id").values_list("id", flat=True).first()
    )
    return latest or 0


def has_changes(*, cursor: int, article_id=None, claim_id=None) -> bool:
    """Return whether anything happened after `cursor`: the idle poll's only query."""
    return ChangeEvent.objects.after(cursor, article_id=article_id, claim_id=claim_id).exists()


def _same_change(event: dict, row: dict) -> bool:
    return (event["kind"], event["object"], event["actor_id"]) == (
        row["kind"],
        row["object_id"],
        row["actor_id"],
    )


def changes_since(*, cursor: int, article_id=None, claim_id=None, limit: int = 200) -> dict:
    """Return the payload of the `claimlens:changed` event for everything after `cursor`."""
    rows = list(
        ChangeEvent.objects.after(cursor, article_id=article_id, claim_id=claim_id).values(
            "id", "kind", "object_id", "annotation_id", "actor_id", "actor__username"
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    annotations: list[int] = []
    replies: list[int] = []
    claims: list[int] = []
    events = []
    for row in rows:
        if claim_id is not None and events and _same_change(events[-1], row):
            continue  # a claim's change written once per article it shows on: say it once
        target = row["kind"].partition(".")[0]
        if row["annotation_id"] and row["annotation_id"] not in annotations:
            annotations.append(row["annotation_id"])
        if target == "reply" and row["object_id"] not in replies:
            replies.append(row["object_id"])
        if target == "claim" and row["object_id"] not in claims:
            claims.append(row["object_id"])
        events.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "object": row["object_id"],
                "annotation": row["annotation_id"],
                "actor": row["actor__username"],
                "actor_id": row["actor_id"],
            }
        )
    return {
        "cursor": rows[-1]["id"] if rows else cursor,
        "article": article_id,
        "claim": claim_id,
        "annotations": annotations,
        "replies": replies,
        "claims": claims,
        "events": events,
        "more": more,
    }

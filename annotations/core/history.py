"""The record of every change: who changed what, when, and the fields before and after.

Services call ``record`` once per change, in their transaction, with ``snapshot``s taken before
and after it. Recording also publishes the change to the feed that open pages poll
(annotations.core.changefeed) and tells people who worked on a claim when its status changes
(annotations.collab.notifications), so one call is all a service needs.

    before = history.snapshot_for_update(label)   # locks the row: the snapshot is what changes
    ... change it ...
    history.record(actor=user, obj=label, action="renamed", before=before,
                   after=history.snapshot(label))
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.forms.models import model_to_dict

from annotations.core import changefeed
from annotations.models import HistoryEntry

# Actions after which the people who worked on a claim hear about its status.
STATUS_ACTIONS = {"status", "finalised", "reopened"}
# Who hears that a claim's status changed. The collaboration layer registers its notifier
# (annotations.apps), so recording never imports the capabilities that build on it.
_status_listeners: list[Callable[..., None]] = []


def on_claim_status_change(listener: Callable[..., None]) -> Callable[..., None]:
    """Call listener(claim=, actor=, before=, after=) after each change of a claim's status."""
    if listener not in _status_listeners:
        _status_listeners.append(listener)
    return listener


_reverting: contextvars.ContextVar[HistoryEntry | None] = contextvars.ContextVar(
    "claimlens_reverting", default=None
)


def target_type_of(obj) -> str:
    """Return the HistoryEntry.target_type for a model instance."""
    return HistoryEntry.objects.target_type_of(obj)


def as_json(value):
    """Return `value` as a JSON-ready value (dates as ISO strings, rows as their pk)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


def username(user) -> str | None:
    return user.get_username() if user is not None else None


Scope = tuple[list[int], int | None, bool]


@dataclass(frozen=True)
class Kind:
    """How history handles one kind of row: what it keeps of it and where a change shows.

    snapshot(obj, labels=None) -> the fields worth keeping, as JSON-ready values.
    scope(obj, before, after) -> (article ids, claim id, shown to others).
    describe(obj) -> a short name that needs no query.
    related: what snapshot() reads through foreign keys, fetched with the locked row.
    """

    snapshot: Callable[..., dict]
    scope: Callable[[Any, dict | None, dict | None], Scope]
    describe: Callable[[Any], str] = str
    related: tuple[str, ...] = ()


# Filled by the modules that own each kind of row (annotations.core.history_kinds for the
# kernel's, annotations.collab.history_kinds for replies and verdicts), so recording never
# needs to know every model.
_kinds: dict[str, Kind] = {}


def register(target_type: str, kind: Kind) -> None:
    """Say how history snapshots, describes and scopes rows of `target_type`."""
    _kinds[target_type] = kind


def _user_snapshot(obj, *, labels=None) -> dict:
    return {"username": obj.get_username(), "groups": sorted(g.name for g in obj.groups.all())}


def _generic_snapshot(obj, *, labels=None) -> dict:
    return {k: as_json(v) for k, v in model_to_dict(obj).items()}


def _unscoped(obj, before, after) -> Scope:
    return [], None, False


_USER = Kind(snapshot=_user_snapshot, scope=_unscoped)
_GENERIC = Kind(snapshot=_generic_snapshot, scope=_unscoped)


def kind_of(obj) -> Kind:
    target_type = target_type_of(obj)
    if target_type == HistoryEntry.Target.USER:
        return _USER
    return _kinds.get(target_type, _GENERIC)


def snapshot(obj, *, labels=None) -> dict:
    """Return the fields of `obj` worth keeping in its history, as JSON-ready values.

    `labels`: an annotation's labels, when the caller knows them (it has just set them).
    """
    return kind_of(obj).snapshot(obj, labels=labels)


def describe(obj) -> str:
    """Return a short name for `obj` that needs no query (str() of some models follows FKs)."""
    return kind_of(obj).describe(obj)


def snapshot_for_update(obj) -> dict:
    """Lock `obj`'s row until the transaction ends and return a snapshot of what is stored."""
    rows = type(obj)._default_manager.select_for_update(of=("self",))
    related = kind_of(obj).related
    if related:
        rows = rows.select_related(*related)
    return snapshot(rows.get(pk=obj.pk))


def record(
    *,
    actor,
    obj,
    action: str,
    before: dict | None,
    after: dict | None,
    article=None,
) -> HistoryEntry:
    """Record a change of `obj` made by `actor`, publish it to the feed, notify who cares.

    Call it inside the transaction that made the change. `article` overrides the article the
    change shows on (for objects that do not know it themselves). Inside batch(), the entry is
    written as the batch ends (it has no id until then).
    """
    target_type = target_type_of(obj)
    article_ids, claim_id, shown = kind_of(obj).scope(obj, before, after)
    if article is not None:
        article_ids = [getattr(article, "pk", article)]
    entry = HistoryEntry(
        target_type=target_type,
        target_id=obj.pk,
        target_repr=describe(obj)[:200],
        action=action[:32],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        before=before,
        after=after,
        article_id=article_ids[0] if len(article_ids) == 1 else None,
        claim_id=claim_id,
        reverts=_reverting.get(),
    )
    events = []
    if shown:
        events = changefeed.events_for(
            kind=f"{target_type}.{action}",
            object_id=obj.pk,
            actor=entry.actor,
            article_ids=article_ids,
            claim_id=claim_id,
            annotation_id=obj.pk
            if target_type == "annotation"
            else obj.__dict__.get("annotation_id"),
        )
    status = None
    if target_type == "claim" and action in STATUS_ACTIONS:
        status = {"claim": obj, "actor": entry.actor, "before": before, "after": after}
    change = _Recorded(entry, events, status)
    pending = _batch.get()
    if pending is not None and pending.depth == _savepoints():
        pending.changes.append(change)
    else:
        # No savepoint: a failure here fails the change itself, which is what we want.
        with transaction.atomic(savepoint=False):
            _write([change])
    return entry


@dataclass
class _Recorded:
    """One recorded change: its history entry, its events, who hears of a status change."""

    entry: HistoryEntry
    events: list
    status: dict | None


@dataclass
class _Batch:
    depth: int  # the savepoints open where the batch began
    changes: list[_Recorded]


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "claimlens_history_batch", default=None
)


def _savepoints() -> int:
    return sum(1 for sid in connection.savepoint_ids if sid)


def _write(changes: list[_Recorded]) -> None:
    """Store the entries (one INSERT), publish their events (one lock, one INSERT), notify."""
    HistoryEntry.objects.bulk_create([change.entry for change in changes])
    changefeed.publish_events([event for change in changes for event in change.events])
    for change in changes:
        if change.status is not None:
            for listener in _status_listeners:
                listener(**change.status)


@contextlib.contextmanager
def batch():
    """Write the changes recorded inside the block together, as it ends: fewer statements.

    For a service that records several changes at once (a new claim and the annotation that
    carries it). Use it inside the service's transaction.atomic: the entries and events are
    the same, in the same order, in the same transaction, only written together (the feed's
    locks are taken then, just before the commit). A change recorded inside a savepoint the
    block opened is written at once, so that rolling the savepoint back takes it along; an
    exception leaves nothing to write (the transaction rolls back anyway).
    """
    if _batch.get() is not None:  # already in one: the outer batch writes everything
        yield
        return
    pending = _Batch(depth=_savepoints(), changes=[])
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if pending.changes:
        with transaction.atomic(savepoint=False):
            _write(pending.changes)


def atomic_batch(service):
    """Run `service` in transaction.atomic, with its history written as a batch() as it ends."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        with transaction.atomic(), batch():
            return service(*args, **kwargs)

    return run


@contextlib.contextmanager
def as_revert_of(entry: HistoryEntry):
    """Mark every change recorded inside the block as part of reverting `entry`."""
    token = _reverting.set(entry)
    try:
        yield
    finally:
        _reverting.reset(token)

"""How history keeps collaboration's rows: replies and verdicts (see annotations.core.history)."""

from __future__ import annotations

from annotations.core.history import Kind, Scope, as_json, register
from annotations.core.history_kinds import _shared_articles
from annotations.models import Annotation, Reply, Verdict


def _reply_snapshot(obj: Reply, *, labels=None) -> dict:
    return {
        "body": obj.body,
        "deleted_at": as_json(obj.deleted_at),
        "hidden_at": as_json(obj.hidden_at),
        "version": obj.version,
    }


def _reply_scope(obj: Reply, before, after) -> Scope:
    """A reply shows on its annotation's article (to others if the annotation is shared); a
    reply on a claim, in the claim's one discussion, on every article the claim is shared on
    (its cards there count the thread)."""
    if obj.annotation_id:
        annotation = obj.annotation
        shared = annotation.visibility == Annotation.Visibility.SHARED
        return [annotation.article_id], annotation.claim_id, shared
    return _shared_articles(claim=obj.claim), obj.claim_id, True


def _verdict_snapshot(obj: Verdict, *, labels=None) -> dict:
    return {"status": obj.status.slug, "reason": obj.reason, "version": obj.version}


def _verdict_scope(obj: Verdict, before, after) -> Scope:
    """A verdict shows on its claim and on the articles it is shared on (the cards' tallies)."""
    return _shared_articles(claim=obj.claim), obj.claim_id, True


def register_kinds() -> None:
    """Tell history how to keep these rows (called once, by annotations.apps)."""
    register(
        "reply",
        Kind(snapshot=_reply_snapshot, scope=_reply_scope, describe=lambda obj: obj.body[:80]),
    )
    register(
        "verdict",
        Kind(
            snapshot=_verdict_snapshot,
            scope=_verdict_scope,
            describe=lambda obj: f"verdict on claim {obj.claim_id}",
            related=("status",),
        ),
    )

"""How history keeps claim suggestions (see annotations.core.history)."""

from __future__ import annotations

from annotations.core.history import Kind, Scope, as_json, register
from annotations.models import Suggestion


def _snapshot(obj: Suggestion, *, labels=None) -> dict:
    return {
        "state": obj.state,
        "exact": obj.exact[:500],
        "speaker": obj.speaker_full or obj.speaker,
        "annotation": obj.annotation_id,
        "decided_at": as_json(obj.decided_at),
    }


def _scope(obj: Suggestion, before, after) -> Scope:
    """A suggestion shows on its article, to everyone who reads it."""
    return [obj.article_id], None, True


def register_kinds() -> None:
    """Tell history how to keep suggestions (called once, by annotations.apps)."""
    register(
        "suggestion",
        Kind(
            snapshot=_snapshot,
            scope=_scope,
            describe=lambda obj: f"suggestion: {obj.exact[:70]}",
        ),
    )

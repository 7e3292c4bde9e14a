"""Hiding content: one hide for annotations and replies, used by the reader and moderation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.core import history, permissions
from annotations.models import Annotation, Flag, Reply


def _subject_filter(obj) -> dict:
    return {"annotation": obj} if isinstance(obj, Annotation) else {"reply": obj}


@transaction.atomic
def content_set_hidden(*, obj: Annotation | Reply, user, hidden: bool):
    """Hide (or show again) an annotation or reply; resolves the open flags on it."""
    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can hide or unhide content.")
    if not permissions.can_moderate(user, obj):
        raise PermissionDenied("Private notes and their replies are their author's alone.")
    before = history.snapshot_for_update(obj)
    if (before["hidden_at"] is not None) == hidden:
        return obj
    now = timezone.now()
    # updated_at moves too: exports, the API's ETags and sync find changes by it.
    type(obj).objects.filter(pk=obj.pk).update(
        hidden_at=now if hidden else None, hidden_by=user if hidden else None, updated_at=now
    )
    obj.refresh_from_db()
    if hidden:
        Flag.objects.open().filter(**_subject_filter(obj)).update(
            resolved_at=now, resolved_by=user, resolution="hidden"
        )
    history.record(
        actor=user,
        obj=obj,
        action="hidden" if hidden else "unhidden",
        before=before,
        after=history.snapshot(obj),
    )
    return obj

"""Flags, the moderation queue's reads, and suspending a user's writing (hiding: core.services)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.core import history, permissions
from annotations.models import Annotation, Flag, Reply

MAX_REASON = 500


def visible_content(user, obj) -> bool:
    """Return whether `user` may read the text of an annotation or reply.

    Hidden content is blanked for everyone but its author and moderators; the item itself
    stays in place so that a thread keeps its shape.
    """
    if obj.hidden_at is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return obj.author_id == user.pk or permissions.is_moderator(user)


@transaction.atomic
def flag_create(
    *, reporter, reason: str, annotation: Annotation | None = None, reply: Reply | None = None
) -> Flag:
    """Ask the moderators to look at an annotation or a reply."""
    if not permissions.can_write(reporter):
        raise PermissionDenied("Sign in to flag content.")
    if (annotation is None) == (reply is None):
        raise ValidationError("Flag an annotation or a reply.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say what is wrong with it.")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.")
    subject = annotation if annotation is not None else reply
    if not permissions.can_see(reporter, subject):
        raise PermissionDenied("You cannot see that.")
    if permissions.is_private(subject) or (
        reply is not None and reply.claim_id and reply.claim.private_to_id is not None
    ):
        raise ValidationError("A private note is yours alone: there is nothing to flag.")
    existing = (
        Flag.objects.open().filter(reporter=reporter, annotation=annotation, reply=reply).first()
    )
    if existing is not None:  # flagging twice only updates the reason
        existing.reason = reason
        existing.save(update_fields=["reason"])
        return existing
    return Flag.objects.create(reporter=reporter, annotation=annotation, reply=reply, reason=reason)


@transaction.atomic
def flag_dismiss(*, flag: Flag, user) -> Flag:
    """Close a flag without hiding anything."""
    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can dismiss a flag.")
    Flag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user, resolution="dismissed"
    )
    flag.refresh_from_db()
    return flag


@transaction.atomic
def user_set_suspended(*, target, user, suspended: bool, reason: str = ""):
    """Suspend (or restore) a user's writing; they keep reading. Recorded in history."""
    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can suspend a user.")
    if target.pk == user.pk:
        raise ValidationError("You cannot suspend yourself.")
    if target.is_superuser or (
        suspended
        and permissions.is_moderator(target)
        and not permissions.has_role(user, permissions.EDITOR)
    ):
        raise PermissionDenied("Only an editor can suspend a moderator; nobody a superuser.")
    group, _ = Group.objects.get_or_create(name=permissions.SUSPENDED)
    before = history.snapshot(target)
    if suspended:
        target.groups.add(group)
    else:
        target.groups.remove(group)
    permissions.forget_role(target)
    target = type(target).objects.prefetch_related("groups").get(pk=target.pk)
    after = history.snapshot(target)
    if before != after:
        after["reason"] = " ".join((reason or "").split())[:MAX_REASON]
        history.record(
            actor=user,
            obj=target,
            action="suspended" if suspended else "unsuspended",
            before=before,
            after=after,
        )
    return target

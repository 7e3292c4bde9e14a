"""Threaded replies on annotations and claims, with @mentions.

Posting one is the kernel's (core.services.replies.reply_create, which imports use too);
collab notifies the people it concerns through on_reply_posted (apps.ready).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.collab import notifications
from annotations.core import history, permissions
from annotations.core.notes import render_reply
from annotations.core.services import EditConflict
from annotations.core.services.replies import (  # reply_create: views post through here
    clean_reply_body,
    is_private_thread,
    reply_create,  # noqa: F401
)
from annotations.models import Annotation, Reply

# Deeper replies are shown at this depth, so a long back-and-forth stays readable.
MAX_DEPTH = 4


def can_view_subject(user, subject) -> bool:
    if isinstance(subject, Annotation):
        return permissions.can_view_annotation(user, subject)
    return permissions.can_see_claim(user, subject)


def can_edit_reply(user, reply: Reply) -> bool:
    """Return whether user may edit, delete or restore a reply (see permissions.can_change)."""
    return permissions.can_change(user, reply)


@transaction.atomic
def reply_update(*, reply: Reply, user, version: int, body: str) -> Reply:
    """Apply an edit made from `version`; raise EditConflict if someone saved since."""
    if not can_edit_reply(user, reply):
        raise PermissionDenied("You can only edit your own replies.")
    body = clean_reply_body(body)
    body_html, mentioned = render_reply(body)
    if reply.annotation_id is not None and is_private_thread(reply.annotation):
        mentioned = []  # as in reply_create: a private thread tells nobody
    before = history.snapshot_for_update(reply)
    updated = Reply.objects.filter(pk=reply.pk, version=version, deleted_at__isnull=True).update(
        body=body, body_html=body_html, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict(Reply.objects.select_related("author").get(pk=reply.pk))
    already = set(reply.mentions.values_list("pk", flat=True))
    reply.mentions.set(mentioned)
    reply.refresh_from_db()
    history.record(
        actor=user, obj=reply, action="updated", before=before, after=history.snapshot(reply)
    )
    newly = [u for u in mentioned if u.pk not in already]
    if newly:
        notifications.notify(
            recipients=newly,
            actor=user,
            kind="mention",
            text=f"{user.get_username()} mentioned you in a reply",
            url=reply.get_absolute_url(),
            reply=reply,
        )
    return reply


def _set_deleted(reply: Reply, user, *, deleted: bool, action: str) -> Reply:
    if not can_edit_reply(user, reply):
        raise PermissionDenied("You can only delete or restore your own replies.")
    before = history.snapshot_for_update(reply)
    Reply.objects.filter(pk=reply.pk).update(
        deleted_at=timezone.now() if deleted else None,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    reply.refresh_from_db()
    history.record(
        actor=user, obj=reply, action=action, before=before, after=history.snapshot(reply)
    )
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, user) -> Reply:
    """Delete a reply softly: the thread keeps its place, its text is gone."""
    return _set_deleted(reply, user, deleted=True, action="deleted")


@transaction.atomic
def reply_restore(*, reply: Reply, user) -> Reply:
    """Undo a reply's soft delete."""
    return _set_deleted(reply, user, deleted=False, action="restored")


# --- reading -------------------------------------------------------------------------------


@dataclass
class ThreadNode:
    reply: Reply
    depth: int
    children: list[ThreadNode] = field(default_factory=list)


def thread(subject) -> list[ThreadNode]:
    """Return the replies on `subject` as a tree, in one query.

    Deleted replies stay as placeholders while someone answered them, so answers keep their
    context; a deleted reply nobody answered is left out.
    """
    replies = list(Reply.objects.on(subject).for_thread())
    nodes = {r.pk: ThreadNode(r, 0) for r in replies}
    roots: list[ThreadNode] = []
    for r in replies:
        node = nodes[r.pk]
        parent = nodes.get(r.parent_id)
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)

    def prune(items: list[ThreadNode], depth: int) -> list[ThreadNode]:
        kept = []
        for node in items:
            node.depth = min(depth, MAX_DEPTH)
            node.children = prune(node.children, depth + 1)
            if node.reply.deleted_at is None or node.children:
                kept.append(node)
        return kept

    return prune(roots, 0)


def flatten(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """Return the tree in reading order (each reply followed by its answers)."""
    out: list[ThreadNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out

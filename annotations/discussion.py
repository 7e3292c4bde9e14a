"""Threaded replies on annotations and claims, with @mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.rendering import render_note

from . import history, notifications, permissions
from .models import Annotation, Claim, Reply
from .services import EditConflict

MAX_REPLY_LENGTH = 10_000
# Deeper replies are shown at this depth, so a long back-and-forth stays readable.
MAX_DEPTH = 4

# @username as Django allows it (letters, digits, @ . + - _), not inside an e-mail address;
# a trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def parse_mentions(body: str) -> list[str]:
    """Return the usernames @mentioned in `body`, in order, each once."""
    names: list[str] = []
    for match in MENTION.finditer(body or ""):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
    return names


def render_reply(body: str) -> tuple[str, list]:
    """Return a reply's sanitised HTML with mentions of real users linked, and those users."""
    wanted = parse_mentions(body)
    users = list(get_user_model().objects.filter(username__in=wanted)) if wanted else []
    known = {u.get_username(): u for u in users}

    def link(match: re.Match) -> str:
        name = match.group(1).rstrip(".")
        if name not in known:
            return match.group(0)
        href = reverse("collab:person", kwargs={"username": name})
        rest = match.group(1)[len(name) :]
        return f"[@{name}]({href}){rest}"

    return render_note(MENTION.sub(link, body)), users


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > MAX_REPLY_LENGTH:
        raise ValidationError(f"Keep a reply under {MAX_REPLY_LENGTH} characters.")
    return body


def can_view_subject(user, subject) -> bool:
    if isinstance(subject, Annotation):
        return permissions.can_view_annotation(user, subject)
    return True


def can_edit_reply(user, reply: Reply) -> bool:
    if not permissions.can_annotate(user):
        return False
    return reply.author_id == user.pk or permissions.is_moderator(user)


@transaction.atomic
def reply_create(
    *,
    author,
    body: str,
    annotation: Annotation | None = None,
    claim: Claim | None = None,
    parent: Reply | None = None,
) -> Reply:
    """Post a reply on an annotation or a claim (under `parent` to answer another reply)."""
    if not permissions.can_annotate(author):
        raise PermissionDenied("You cannot take part in discussions.")
    if (annotation is None) == (claim is None):
        raise ValidationError("A reply is on an annotation or on a claim.")
    if annotation is not None and not permissions.can_view_annotation(author, annotation):
        raise PermissionDenied("You cannot see that annotation.")
    if parent is not None and (
        parent.annotation_id != getattr(annotation, "pk", None)
        or parent.claim_id != getattr(claim, "pk", None)
    ):
        raise ValidationError("You can only answer a reply in the same discussion.")
    body = _clean_body(body)
    body_html, mentioned = render_reply(body)
    reply = Reply.objects.create(
        annotation=annotation,
        claim=claim,
        parent=parent,
        author=author,
        body=body,
        body_html=body_html,
    )
    if mentioned:
        reply.mentions.set(mentioned)
    history.record(
        actor=author, obj=reply, action="created", before=None, after=history.snapshot(reply)
    )
    notifications.reply_posted(reply=reply, mentioned=mentioned)
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, user, version: int, body: str) -> Reply:
    """Apply an edit made from `version`; raise EditConflict if someone saved since."""
    if not can_edit_reply(user, reply):
        raise PermissionDenied("You can only edit your own replies.")
    body = _clean_body(body)
    body_html, mentioned = render_reply(body)
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

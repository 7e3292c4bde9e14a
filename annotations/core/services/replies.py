"""Posting a reply: the one way a reply is made, from a discussion page or from an import.

Capabilities that must act once a reply is posted (collab's notifications) register with
`on_reply_posted` in apps.ready, as history.on_claim_status_change is filled.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations.core import history, limits, permissions
from annotations.core.notes import parse_mentions, render_reply
from annotations.models import Annotation, Claim, Reply, ReplyOrigin

MAX_REPLY_LENGTH = limits.REPLY_MAX_CHARS

_posted_listeners: list[Callable[..., None]] = []


def on_reply_posted(listener: Callable[..., None]) -> Callable[..., None]:
    """Call listener(reply=, mentioned=) after each reply posted on a thread others read."""
    if listener not in _posted_listeners:
        _posted_listeners.append(listener)
    return listener


def clean_reply_body(body: str) -> str:
    """Return body stripped, or raise ValidationError if it is empty, too long or mentions many."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something first.")
    limits.check_text(body, MAX_REPLY_LENGTH, "The reply")  # its length, and no NUL
    # Each mention is a look-up and a notification: a reply is a message, not a mailing list.
    mentioned = len(parse_mentions(body))
    if mentioned > limits.MENTIONS_PER_REPLY:
        raise ValidationError(
            f"That reply mentions {mentioned} people; mention at most "
            f"{limits.MENTIONS_PER_REPLY} in one reply."
        )
    return body


def thread_subject(annotation: Annotation) -> Annotation | Claim:
    """Return whose discussion an annotation's replies are: its claim's, if it is shared.

    A private note's thread stays its author's own, even when it names a claim.
    """
    if annotation.claim_id is not None and not permissions.is_private(annotation):
        return annotation.claim
    return annotation


def is_private_thread(subject) -> bool:
    """Return whether `subject` is a private annotation, whose thread only its author reads."""
    return isinstance(subject, Annotation) and permissions.is_private(subject)


@transaction.atomic
def reply_create(
    *,
    author,
    body: str,
    annotation: Annotation | None = None,
    claim: Claim | None = None,
    parent: Reply | None = None,
    origin: ReplyOrigin | None = None,
) -> Reply:
    """Post a reply on an annotation or a claim (under `parent` to answer another reply).

    A claim has one discussion wherever it appears: a reply on a shared annotation that
    carries a claim goes to the claim's thread (thread_subject). `origin` (imports): the
    unsaved record of where the reply came from, saved with it.
    """
    if not permissions.can_annotate(author):
        raise PermissionDenied("You cannot take part in discussions.")
    if (annotation is None) == (claim is None):
        raise ValidationError("A reply is on an annotation or on a claim.")
    if annotation is not None and not permissions.can_view_annotation(author, annotation):
        raise PermissionDenied("You cannot see that annotation.")
    if annotation is not None:
        subject = thread_subject(annotation)
        if isinstance(subject, Claim):
            annotation, claim = None, subject
    if claim is not None and not permissions.can_see_claim(author, claim):
        raise PermissionDenied("You cannot see that claim.")
    if parent is not None and (
        parent.annotation_id != getattr(annotation, "pk", None)
        or parent.claim_id != getattr(claim, "pk", None)
    ):
        raise ValidationError("You can only answer a reply in the same discussion.")
    body = clean_reply_body(body)
    body_html, mentioned = render_reply(body)
    private = is_private_thread(annotation)
    if private:
        # Nobody else may learn that a private note exists: no mention, no notice.
        mentioned = []
    reply = Reply.objects.create(
        annotation=annotation,
        claim=claim,
        parent=parent,
        author=author,
        body=body,
        body_html=body_html,
    )
    if origin is not None:
        origin.reply = reply
        origin.save()
    if mentioned:
        reply.mentions.set(mentioned)
    history.record(
        actor=author, obj=reply, action="created", before=None, after=history.snapshot(reply)
    )
    if not private:
        for listener in _posted_listeners:
            listener(reply=reply, mentioned=mentioned)
    return reply

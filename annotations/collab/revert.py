"""Reverting a change: put back the "before" of a history entry through the services.

Reverting goes through the same services as any edit, so the revert is itself recorded (its
entries point at the entry they revert) and published to the change feed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations.collab import discussion, verdicts
from annotations.core import history, permissions, services
from annotations.core.notes import note_html
from annotations.models import Annotation, Claim, HistoryEntry, Label, Reply, Verdict

# Changes that a revert cannot put back, and what to do instead.
UNREVERTABLE = {
    "merged": "A merge cannot be reverted: add the label again and tag its passages.",
    "evidence_added": "Remove the evidence from the claim's page instead.",
    "evidence_removed": "Add the evidence again from the claim's page instead.",
    "reattached": "Re-attach it again, to the passage it belongs to, from the article.",
    "reanchored": "A new text of the article moved it: re-attach it from the article if needed.",
}


def _tags_from(state: dict, claim: Claim | None) -> str:
    """Return the tag field that gives an annotation `state`'s labels and claim."""
    parts = list(state.get("labels") or [])
    if claim is not None:
        # The claim's status as it is now: reverting an annotation must not change the claim.
        parts.append(f"{claim.status.name}: {claim.title}")
    return ", ".join(parts)


def _revert_annotation(entry: HistoryEntry, user) -> None:
    annotation = Annotation.objects.select_related("claim__status").get(pk=entry.target_id)
    before = entry.before
    if before is None:  # undo a creation
        if annotation.deleted_at is None:
            services.annotation_delete(annotation=annotation, user=user)
        return
    if before["deleted_at"] is None and annotation.deleted_at is not None:
        annotation = services.annotation_restore(annotation=annotation, user=user)
    current = history.snapshot(annotation)
    content = ("note", "visibility", "labels", "claim_id")
    if any(current[k] != before[k] for k in content) and annotation.deleted_at is None:
        claim = Claim.objects.select_related("status").filter(pk=before["claim_id"]).first()
        annotation = services.annotation_update(
            annotation=annotation,
            user=user,
            version=annotation.version,
            note=before["note"],
            visibility=before["visibility"],
            tags=_tags_from(before, claim),
        )
    if (before["hidden_at"] is None) != (annotation.hidden_at is None):
        services.content_set_hidden(
            obj=annotation, user=user, hidden=before["hidden_at"] is not None
        )
    if before["deleted_at"] is not None and annotation.deleted_at is None:
        services.annotation_delete(annotation=annotation, user=user)


def _revert_claim(entry: HistoryEntry, user) -> None:
    claim = Claim.objects.select_related("status", "assignee").get(pk=entry.target_id)
    before = entry.before
    if before is None:
        raise ValidationError("A claim's creation cannot be reverted: delete it instead.")
    text = {k: before[k] for k in ("title", "claimant", "rationale")}
    # Entries older than the claimant's type do not know it: the type stays as it is.
    text["claimant_type"] = before.get("claimant_type", claim.claimant_type)
    if any(getattr(claim, k) != v for k, v in text.items()):
        claim_restore_text(claim=claim, user=user, **text)
        claim.refresh_from_db()
    status = Label.objects.statuses().get(slug=before["status"])
    if before["status_final_at"] is not None:
        if claim.status_final_at is None or claim.status_id != status.pk:
            verdicts.claim_finalise(claim=claim, user=user, status=status)
    else:
        if claim.status_final_at is not None:
            verdicts.claim_reopen(claim=claim, user=user)
            claim.refresh_from_db()
        if claim.status_id != status.pk:
            services.claim_set_status(claim=claim, status=status, user=user)
    current_assignee = claim.assignee.get_username() if claim.assignee_id else None
    if before["assignee"] != current_assignee:
        assignee = None
        if before["assignee"]:
            assignee = get_user_model().objects.get(username=before["assignee"])
        verdicts.claim_assign(claim=claim, user=user, assignee=assignee)


def _revert_verdict(entry: HistoryEntry, user) -> None:
    verdict = Verdict.objects.select_related("claim", "user").filter(pk=entry.target_id).first()
    if entry.before is None:
        if verdict is not None:
            verdicts.verdict_withdraw(verdict=verdict, user=user)
        return
    if verdict is None:
        raise ValidationError("That verdict was withdrawn; its giver can record it again.")
    status = Label.objects.statuses().get(slug=entry.before["status"])
    verdicts.verdict_record(
        claim=verdict.claim,
        user=verdict.user,
        status=status,
        reason=entry.before["reason"],
        actor=user,
    )


def _revert_reply(entry: HistoryEntry, user) -> None:
    reply = Reply.objects.get(pk=entry.target_id)
    before = entry.before
    if before is None:
        if reply.deleted_at is None:
            discussion.reply_delete(reply=reply, user=user)
        return
    if before["deleted_at"] is None and reply.deleted_at is not None:
        reply = discussion.reply_restore(reply=reply, user=user)
    if reply.body != before["body"] and reply.deleted_at is None:
        reply = discussion.reply_update(
            reply=reply, user=user, version=reply.version, body=before["body"]
        )
    if (before["hidden_at"] is None) != (reply.hidden_at is None):
        services.content_set_hidden(obj=reply, user=user, hidden=before["hidden_at"] is not None)
    if before["deleted_at"] is not None and reply.deleted_at is None:
        discussion.reply_delete(reply=reply, user=user)


def _revert_label(entry: HistoryEntry, user) -> None:
    label = Label.objects.get(pk=entry.target_id)
    if entry.before is None:
        raise ValidationError("A label's creation cannot be reverted here.")
    before = history.snapshot_for_update(label)
    fields = {k: entry.before[k] for k in ("name", "colour", "description", "shortcut")}
    for name, value in fields.items():
        setattr(label, name, value)
    label.full_clean(exclude=["slug"])
    label.save(update_fields=list(fields))
    history.record(
        actor=user, obj=label, action="updated", before=before, after=history.snapshot(label)
    )


_REVERTERS = {
    "annotation": _revert_annotation,
    "claim": _revert_claim,
    "verdict": _revert_verdict,
    "reply": _revert_reply,
    "label": _revert_label,
}
REVERTABLE = frozenset(_REVERTERS)


@transaction.atomic
def revert(*, entry: HistoryEntry, user) -> list[HistoryEntry]:
    """Put back the "before" of `entry` through the services; return the entries that made."""
    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can revert a change.")
    if not HistoryEntry.objects.visible_to(user).filter(pk=entry.pk).exists():
        raise PermissionDenied("That change belongs to someone else's private note.")
    reverter = _REVERTERS.get(entry.target_type)
    if reverter is None:
        raise ValidationError(f"Changes to a {entry.target_type} cannot be reverted.")
    if entry.action in UNREVERTABLE:
        raise ValidationError(UNREVERTABLE[entry.action])
    last_id = HistoryEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with history.as_revert_of(entry):
        reverter(entry, user)
    made = list(HistoryEntry.objects.filter(id__gt=last_id, reverts=entry).order_by("id"))
    if not made:
        raise ValidationError("Nothing to revert: it is already as it was before that change.")
    return made


@transaction.atomic
def claim_restore_text(
    *, claim: Claim, user, title: str, claimant: str, claimant_type: str, rationale: str
) -> Claim:
    """Put back a claim's title, claimant and rationale (used when reverting a claim edit)."""
    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can change a claim's text.")
    before = history.snapshot_for_update(claim)
    return services.claim_write(
        claim,
        user=user,
        action="updated",
        before=before,
        title=title,
        claimant=claimant,
        claimant_type=claimant_type,
        rationale=rationale,
        rationale_html=note_html(rationale),
    )

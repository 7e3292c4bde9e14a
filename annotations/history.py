"""The record of every change: who changed what, when, and the fields before and after.

Services call ``record`` once per change, in their transaction, with ``snapshot``s taken before
and after it. Recording also publishes the change to the feed that open pages poll
(annotations.changefeed) and tells people who worked on a claim when its status changes
(annotations.notifications), so one call is all a service needs.

    before = history.snapshot_for_update(label)   # locks the row: the snapshot is what changes
    ... change it ...
    history.record(actor=user, obj=label, action="renamed", before=before,
                   after=history.snapshot(label))
"""

from __future__ import annotations

import contextlib
import contextvars
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils import timezone

from . import changefeed, permissions
from .models import Annotation, Claim, HistoryEntry, Label, Reply, Verdict

# Actions after which the people who worked on a claim hear about its status.
STATUS_ACTIONS = {"status", "finalised", "reopened"}
# Changes that a revert cannot put back, and what to do instead.
UNREVERTABLE = {
    "merged": "A merge cannot be reverted: add the label again and tag its passages.",
    "evidence_added": "Remove the evidence from the claim's page instead.",
    "evidence_removed": "Add the evidence again from the claim's page instead.",
    "reattached": "Re-attach it again, to the passage it belongs to, from the article.",
}

_reverting: contextvars.ContextVar[HistoryEntry | None] = contextvars.ContextVar(
    "claimlens_reverting", default=None
)


def target_type_of(obj) -> str:
    """Return the HistoryEntry.target_type for a model instance."""
    for model, name in (
        (Annotation, "annotation"),
        (Claim, "claim"),
        (Label, "label"),
        (Verdict, "verdict"),
        (Reply, "reply"),
    ):
        if isinstance(obj, model):
            return name
    if obj._meta.label_lower == _user_label():
        return HistoryEntry.Target.USER
    raise TypeError(f"no history for {type(obj).__name__}")


def _user_label() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.label_lower


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def snapshot(obj, *, labels=None) -> dict:
    """Return the fields of `obj` worth keeping in its history, as JSON-ready values.

    `labels`: an annotation's labels, when the caller knows them (it has just set them).
    """
    if isinstance(obj, Annotation):
        return {
            "note": obj.note,
            "visibility": obj.visibility,
            "labels": sorted(
                label.name for label in (obj.labels.all() if labels is None else labels)
            ),
            "claim_id": obj.claim_id,
            "claim": obj.claim.title if obj.claim_id else None,
            "exact": obj.exact,
            "start": obj.start,
            "end": obj.end,
            "deleted_at": _json(obj.deleted_at),
            "hidden_at": _json(obj.hidden_at),
            "version": obj.version,
        }
    if isinstance(obj, Claim):
        return {
            "title": obj.title,
            "claimant": obj.claimant,
            "status": obj.status.slug,
            "rationale": obj.rationale,
            "status_final_at": _json(obj.status_final_at),
            "status_final_by": _username(obj.status_final_by) if obj.status_final_by_id else None,
            "assignee": _username(obj.assignee) if obj.assignee_id else None,
            "version": obj.version,
        }
    if isinstance(obj, Label):
        fields = ("name", "slug", "kind", "colour", "description", "shortcut", "position")
        return {name: getattr(obj, name) for name in fields}
    if isinstance(obj, Verdict):
        return {"status": obj.status.slug, "reason": obj.reason, "version": obj.version}
    if isinstance(obj, Reply):
        return {
            "body": obj.body,
            "deleted_at": _json(obj.deleted_at),
            "hidden_at": _json(obj.hidden_at),
            "version": obj.version,
        }
    if target_type_of(obj) == HistoryEntry.Target.USER:
        return {"username": obj.get_username(), "groups": sorted(g.name for g in obj.groups.all())}
    return {k: _json(v) for k, v in model_to_dict(obj).items()}


def describe(obj) -> str:
    """Return a short name for `obj` that needs no query (str() of some models follows FKs)."""
    if isinstance(obj, Annotation):
        return obj.exact[:80] or "(page note)"
    if isinstance(obj, Reply):
        return obj.body[:80]
    if isinstance(obj, Verdict):
        return f"verdict on claim {obj.claim_id}"
    return str(obj)


# What snapshot() reads through foreign keys, fetched with the locked row.
_SNAPSHOT_RELATED = {Claim: ("status", "status_final_by", "assignee"), Verdict: ("status",)}


def snapshot_for_update(obj) -> dict:
    """Lock `obj`'s row until the transaction ends and return a snapshot of what is stored."""
    rows = type(obj)._default_manager.select_for_update(of=("self",))
    related = _SNAPSHOT_RELATED.get(type(obj))
    if related:
        rows = rows.select_related(*related)
    return snapshot(rows.get(pk=obj.pk))


def _scope(obj, before, after) -> tuple[list[int], int | None, bool]:
    """Return (article ids, claim id, shown to others) for where a change of `obj` shows."""
    if isinstance(obj, Annotation):
        claim_id = obj.claim_id or (before or {}).get("claim_id")
        shared = "shared" in {(s or {}).get("visibility") for s in (before, after)}
        return [obj.article_id], claim_id, shared
    if isinstance(obj, Reply):
        if obj.annotation_id:
            annotation = obj.annotation
            shared = annotation.visibility == Annotation.Visibility.SHARED
            return [annotation.article_id], annotation.claim_id, shared
        return [], obj.claim_id, True
    if isinstance(obj, Verdict):
        return [], obj.claim_id, True
    if isinstance(obj, Claim):
        articles = (
            Annotation.objects.alive()
            .filter(claim=obj, visibility=Annotation.Visibility.SHARED)
            .values_list("article_id", flat=True)
            .distinct()
        )
        return list(articles), obj.pk, True
    if isinstance(obj, Label):
        articles = (
            Annotation.objects.alive()
            .filter(labels=obj, visibility=Annotation.Visibility.SHARED)
            .values_list("article_id", flat=True)
            .distinct()
        )
        return list(articles), None, True
    return [], None, False


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
    change shows on (for objects that do not know it themselves).
    """
    target_type = target_type_of(obj)
    article_ids, claim_id, shown = _scope(obj, before, after)
    if article is not None:
        article_ids = [getattr(article, "pk", article)]
    # No savepoint: a failure here fails the change itself, which is what we want.
    with transaction.atomic(savepoint=False):
        entry = HistoryEntry.objects.create(
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
        if shown:
            changefeed.publish(
                kind=f"{target_type}.{action}",
                object_id=obj.pk,
                actor=entry.actor,
                article_ids=article_ids,
                claim_id=claim_id,
                annotation_id=obj.pk
                if target_type == "annotation"
                else obj.__dict__.get("annotation_id"),
            )
        if target_type == "claim" and action in STATUS_ACTIONS:
            from . import notifications

            notifications.claim_status_changed(
                claim=obj, actor=entry.actor, before=before, after=after
            )
    return entry


# --- reverting -----------------------------------------------------------------------------


@contextlib.contextmanager
def _as_revert_of(entry: HistoryEntry):
    token = _reverting.set(entry)
    try:
        yield
    finally:
        _reverting.reset(token)


def _tags_from(state: dict, claim: Claim | None) -> str:
    """Return the tag field that gives an annotation `state`'s labels and claim."""
    parts = list(state.get("labels") or [])
    if claim is not None:
        # The claim's status as it is now: reverting an annotation must not change the claim.
        parts.append(f"{claim.status.name}: {claim.title}")
    return ", ".join(parts)


def _revert_annotation(entry: HistoryEntry, user) -> None:
    from . import moderation, services

    annotation = Annotation.objects.select_related("claim__status").get(pk=entry.target_id)
    before = entry.before
    if before is None:  # undo a creation
        if annotation.deleted_at is None:
            services.annotation_delete(annotation=annotation, user=user)
        return
    if before["deleted_at"] is None and annotation.deleted_at is not None:
        annotation = services.annotation_restore(annotation=annotation, user=user)
    current = snapshot(annotation)
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
        moderation.content_set_hidden(
            obj=annotation, user=user, hidden=before["hidden_at"] is not None
        )
    if before["deleted_at"] is not None and annotation.deleted_at is None:
        services.annotation_delete(annotation=annotation, user=user)


def _revert_claim(entry: HistoryEntry, user) -> None:
    from . import services, verdicts

    claim = Claim.objects.select_related("status", "assignee").get(pk=entry.target_id)
    before = entry.before
    if before is None:
        raise ValidationError("A claim's creation cannot be reverted: delete it instead.")
    text = {k: before[k] for k in ("title", "claimant", "rationale")}
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
        from django.contrib.auth import get_user_model

        assignee = None
        if before["assignee"]:
            assignee = get_user_model().objects.get(username=before["assignee"])
        verdicts.claim_assign(claim=claim, user=user, assignee=assignee)


def _revert_verdict(entry: HistoryEntry, user) -> None:
    from . import verdicts

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
    from . import discussion, moderation

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
        moderation.content_set_hidden(obj=reply, user=user, hidden=before["hidden_at"] is not None)
    if before["deleted_at"] is not None and reply.deleted_at is None:
        discussion.reply_delete(reply=reply, user=user)


def _revert_label(entry: HistoryEntry, user) -> None:
    label = Label.objects.get(pk=entry.target_id)
    if entry.before is None:
        raise ValidationError("A label's creation cannot be reverted here.")
    before = snapshot_for_update(label)
    fields = {k: entry.before[k] for k in ("name", "colour", "description", "shortcut")}
    for name, value in fields.items():
        setattr(label, name, value)
    label.full_clean(exclude=["slug"])
    label.save(update_fields=list(fields))
    record(actor=user, obj=label, action="updated", before=before, after=snapshot(label))


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
    reverter = _REVERTERS.get(entry.target_type)
    if reverter is None:
        raise ValidationError(f"Changes to a {entry.target_type} cannot be reverted.")
    if entry.action in UNREVERTABLE:
        raise ValidationError(UNREVERTABLE[entry.action])
    last_id = HistoryEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with _as_revert_of(entry):
        reverter(entry, user)
    made = list(HistoryEntry.objects.filter(id__gt=last_id, reverts=entry).order_by("id"))
    if not made:
        raise ValidationError("Nothing to revert: it is already as it was before that change.")
    return made


@transaction.atomic
def claim_restore_text(*, claim: Claim, user, title: str, claimant: str, rationale: str) -> Claim:
    """Put back a claim's title, claimant and rationale (used when reverting a claim edit)."""
    from articles.rendering import render_note

    if not permissions.is_moderator(user):
        raise PermissionDenied("Only a moderator can change a claim's text.")
    before = snapshot_for_update(claim)
    Claim.objects.filter(pk=claim.pk).update(
        title=title,
        claimant=claimant,
        rationale=rationale,
        rationale_html=render_note(rationale) if rationale else "",
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    claim.refresh_from_db()
    record(actor=user, obj=claim, action="updated", before=before, after=snapshot(claim))
    return claim

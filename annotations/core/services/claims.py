"""Editing claims: text, rationale and evidence."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotations.core import history, limits, permissions
from annotations.core.notes import note_html
from annotations.core.services.errors import EditConflict
from annotations.core.services.tagging import _named_for
from annotations.models import Claim, Evidence, Label


def claim_write(claim: Claim, *, user, action: str, before: dict, **fields) -> Claim:
    """Store `fields` on a locked `claim` as its next version and record `action` in its history.

    `before` is `history.snapshot_for_update(claim)`, taken (and the row locked) by the caller
    before it checked the change.
    """
    Claim.objects.filter(pk=claim.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    claim.refresh_from_db()
    history.record(
        actor=user, obj=claim, action=action, before=before, after=history.snapshot(claim)
    )
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user,
    title: str,
    status: Label,
    claimant: str = "",
    claimant_type: str | None = None,
    rationale: str = "",
    version: int | None = None,
) -> Claim:
    """Change a claim's fields; with `version`, refuse an edit that started from an older one.

    Without `claimant_type` the claimant keeps the type an editor gave, unless the claimant
    changes: a type said of one name is not carried over to another.
    """
    if not permissions.can_edit_claim(user, claim):
        raise PermissionDenied("Only a moderator or the claim's author can edit it.")
    title = " ".join((title or "").split())
    claimant = " ".join((claimant or "").split())
    rationale = rationale or ""
    errors = {}
    # Length and NUL first, in one check: a NUL would reach the title look-up below, which
    # PostgreSQL refuses outright.
    for value, what, limit, field in (
        (title, "The title", limits.CLAIM_TITLE_MAX_CHARS, "title"),
        (claimant, "The claimant", limits.CLAIMANT_MAX_CHARS, "claimant"),
        (rationale, "The rationale", limits.RATIONALE_MAX_CHARS, "rationale"),
    ):
        try:
            limits.check_text(value, limit, what)
        except ValidationError as error:
            errors[field] = error.messages[0]
    if "title" not in errors:
        # Only titles the user sees: someone's private claim must not make a title look taken.
        taken = _named_for(Claim.objects, user, title__iexact=title).exclude(pk=claim.pk)
        if not title:
            errors["title"] = "Give the claim a short title."
        elif taken.exists():
            errors["title"] = f"There is already a claim called “{title}”."
    if not status.is_status:
        errors["status"] = f"“{status.name}” is not a claim status."
    if claimant_type is None:
        same = claimant == claim.claimant
        claimant_type = claim.claimant_type if same else Claim.ClaimantType.UNKNOWN
    if claimant_type not in Claim.ClaimantType.values:
        errors["claimant_type"] = "Say whether the claimant is a person or an organisation."
    elif not claimant:
        claimant_type = Claim.ClaimantType.UNKNOWN
    if errors:
        raise ValidationError(errors)
    changes = {
        "title": title,
        "claimant": claimant,
        "claimant_type": claimant_type,
        "status": status,
        "rationale": rationale,
        "rationale_html": note_html(rationale),
    }
    before = history.snapshot_for_update(claim)
    current = Claim.objects.filter(pk=claim.pk)
    if version is not None:
        current = current.filter(version=version)
    try:
        with transaction.atomic():
            updated = current.update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    except IntegrityError:
        # A claim of this title was stored after the check above.
        raise ValidationError({"title": f"There is already a claim called “{title}”."}) from None
    if not updated:
        raise EditConflict(Claim.objects.select_related("status").get(pk=claim.pk))
    claim.refresh_from_db()
    claim.status = status  # what was just stored: saves fetching it again
    after = history.snapshot(claim)
    # A new status is news to whoever worked on the claim (history notifies on "status").
    action = "status" if after["status"] != before["status"] else "updated"
    history.record(actor=user, obj=claim, action=action, before=before, after=after)
    return claim


@transaction.atomic
def claim_name_claimant(
    *, claim: Claim, user, claimant: str, claimant_type: str = Claim.ClaimantType.UNKNOWN
) -> Claim:
    """Give a claim that names nobody yet the claimant an annotation says made it.

    For annotations that arrive with a claimant (the API, imports): whoever may tag a note
    with the claim may say who made it, once, and whether a person or an organisation when
    the annotation states it; a claim that names its claimant keeps it, and changing it is an
    edit of the claim (claim_update).
    """
    if not permissions.can_annotate(user) or not permissions.can_see_claim(user, claim):
        raise PermissionDenied("You cannot name the claimant of this claim.")
    claimant = " ".join((claimant or "").split())
    limits.check_text(claimant, limits.CLAIMANT_MAX_CHARS, "The claimant", field="claimant")
    if claimant_type not in Claim.ClaimantType.values:
        raise ValidationError({"claimant_type": "A claimant is a person or an organisation."})
    before = history.snapshot_for_update(claim)
    if not claimant or before["claimant"]:
        return claim
    return claim_write(
        claim,
        user=user,
        action="updated",
        before=before,
        claimant=claimant,
        claimant_type=claimant_type,
    )


def _evidence_snapshot(claim: Claim) -> dict:
    """Return the claim's snapshot with its evidence links, for evidence changes' history."""
    urls = list(claim.evidence.order_by("pk").values_list("url", flat=True))
    return history.snapshot(claim) | {"evidence": urls}


_http_url = URLValidator(schemes=["http", "https"])


@transaction.atomic
def evidence_add(*, claim: Claim, user, url: str, title: str = "", note: str = "") -> Evidence:
    """Attach a source to a claim."""
    if not permissions.can_add_evidence(user, claim):
        raise PermissionDenied("You cannot add evidence: ask a moderator for the annotator role.")
    url, title, note = (url or "").strip(), (title or "").strip(), (note or "").strip()
    limits.check_text(url, limits.EVIDENCE_URL_MAX_CHARS, "The address", field="url")
    limits.check_text(title, limits.EVIDENCE_TITLE_MAX_CHARS, "The title", field="title")
    limits.check_text(note, limits.EVIDENCE_NOTE_MAX_CHARS, "The note", field="note")
    try:
        _http_url(url)
    except ValidationError:
        raise ValidationError(
            {"url": "Give the address of the source, starting with https://."}
        ) from None
    history.snapshot_for_update(claim)  # lock: two evidence changes are recorded in turn
    # Counted under the claim's lock, so two additions cannot both take the last place.
    if claim.evidence.count() >= limits.EVIDENCE_PER_CLAIM:
        raise ValidationError(
            f"This claim already has {limits.EVIDENCE_PER_CLAIM} sources, the most it can have: "
            "remove one first."
        )
    before = _evidence_snapshot(claim)
    evidence = Evidence.objects.create(claim=claim, url=url, title=title, note=note, added_by=user)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    history.record(
        actor=user,
        obj=claim,
        action="evidence_added",
        before=before,
        after=_evidence_snapshot(claim),
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    """Remove a source from its claim."""
    if not permissions.can_remove_evidence(user, evidence):
        raise PermissionDenied("Only a moderator or whoever added it can remove this evidence.")
    claim = Claim.objects.select_related("status").get(pk=evidence.claim_id)
    history.snapshot_for_update(claim)  # lock: two evidence changes are recorded in turn
    before = _evidence_snapshot(claim)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    evidence.delete()
    history.record(
        actor=user,
        obj=claim,
        action="evidence_removed",
        before=before,
        after=_evidence_snapshot(claim),
    )

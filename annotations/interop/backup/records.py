"""One row of the claim work as the backup writes it (the loader reads each back)."""

from __future__ import annotations

from annotations.interop.backup.document import other_fields
from annotations.interop.webannotation import Urls, iso
from annotations.models import (
    Annotation,
    AnnotationOrigin,
    Claim,
    Evidence,
    Flag,
    HistoryEntry,
    Label,
    Reply,
    ReplyOrigin,
    Verdict,
)


def name_of(user) -> str | None:
    return user.get_username() if user is not None else None


LABEL_FIELDS = {"name", "slug", "kind", "colour", "description", "shortcut", "position"}


def label_record(label: Label) -> dict:
    return {
        "pk": label.pk,
        "type": "Label",
        "name": label.name,
        "slug": label.slug,
        "kind": label.kind,
        "colour": label.colour,
        "description": label.description,
        "shortcut": label.shortcut,
        "position": label.position,
        "privateTo": name_of(label.private_to),
        "otherFields": other_fields(label, LABEL_FIELDS),
    }


CLAIM_FIELDS = {
    "title",
    "slug",
    "claimant",
    "claimant_type",
    "rationale",
    "status_final_at",
    "created_at",
    "updated_at",
    "version",
}
CLAIM_PEOPLE = ("status", "status_final_by", "assignee", "created_by", "private_to")


def claim_record(claim: Claim, urls: Urls, evidence: list, verdicts: list) -> dict:
    return {
        "pk": claim.pk,
        "id": urls.claim(claim),
        "type": "Claim",
        "title": claim.title,
        "slug": claim.slug,
        "claimant": claim.claimant,
        "claimantType": claim.claimant_type,
        "status": claim.status_id,
        "rationale": claim.rationale,
        "finalised": iso(claim.status_final_at),
        "finalisedBy": name_of(claim.status_final_by),
        "assignee": name_of(claim.assignee),
        "createdBy": name_of(claim.created_by),
        "created": iso(claim.created_at),
        "modified": iso(claim.updated_at),
        "version": claim.version,
        "privateTo": name_of(claim.private_to),
        "otherFields": other_fields(claim, CLAIM_FIELDS),
        "evidence": [evidence_record(e) for e in evidence],
        "verdicts": [verdict_record(v) for v in verdicts],
    }


EVIDENCE_FIELDS = {"url", "title", "note", "created_at"}


def evidence_record(evidence: Evidence) -> dict:
    return {
        "url": evidence.url,
        "title": evidence.title,
        "note": evidence.note,
        "addedBy": name_of(evidence.added_by),
        "created": iso(evidence.created_at),
        "otherFields": other_fields(evidence, EVIDENCE_FIELDS),
    }


VERDICT_FIELDS = {"reason", "version", "created_at", "updated_at"}


def verdict_record(verdict: Verdict) -> dict:
    return {
        "pk": verdict.pk,
        "user": name_of(verdict.user),
        "status": verdict.status_id,
        "reason": verdict.reason,
        "version": verdict.version,
        "created": iso(verdict.created_at),
        "modified": iso(verdict.updated_at),
        "otherFields": other_fields(verdict, VERDICT_FIELDS),
    }


# What the W3C annotation itself carries (exact, prefix, suffix, start, end, note, visibility,
# created, updated_at as modified) is read back from it; the record holds the rest.
ANNOTATION_FIELDS = {
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "revision_number",
    "note",
    "visibility",
    "anchor",
    "anchor_score",
    "original_exact",
    "version",
    "created_at",
    "updated_at",
    "deleted_at",
    "hidden_at",
}


def annotation_record(annotation: Annotation, urls: Urls) -> dict:
    return {
        "annotation": urls.annotation(annotation.pk),
        "pk": annotation.pk,
        "article": annotation.article_id,
        "author": name_of(annotation.author),
        "labels": sorted(label.pk for label in annotation.labels.all()),
        "claim": annotation.claim_id,
        "revision": annotation.revision_number,
        "anchor": annotation.anchor,
        "anchorScore": annotation.anchor_score,
        "originalExact": annotation.original_exact,
        "version": annotation.version,
        "deleted": iso(annotation.deleted_at),
        "hidden": iso(annotation.hidden_at),
        "hiddenBy": name_of(annotation.hidden_by),
        "origin": _origin(annotation),
        "otherFields": other_fields(annotation, ANNOTATION_FIELDS),
    }


ORIGIN_FIELDS = {
    "format",
    "original_id",
    "canonical",
    "creator_name",
    "creator_iri",
    "created",
    "imported_at",
}


def _origin(annotation: Annotation) -> dict | None:
    try:
        origin = annotation.origin
    except AnnotationOrigin.DoesNotExist:
        return None
    return {
        "format": origin.format,
        "originalId": origin.original_id,
        "canonical": origin.canonical,
        "creatorName": origin.creator_name,
        "creatorIri": origin.creator_iri,
        "created": iso(origin.created),
        "importedBy": name_of(origin.imported_by),
        "imported": iso(origin.imported_at),
        "otherFields": other_fields(origin, ORIGIN_FIELDS),
    }


REPLY_FIELDS = {"body", "version", "created_at", "updated_at", "deleted_at", "hidden_at"}
REPLY_ORIGIN_FIELDS = {"format", "external_id", "creator_name", "creator_iri", "created"}


def _reply_origin(reply: Reply) -> dict | None:
    """Return where an imported reply came from (its Hypothesis id), if it was imported."""
    try:
        origin = reply.origin
    except ReplyOrigin.DoesNotExist:
        return None
    return {
        "format": origin.format,
        "externalId": origin.external_id,
        "creatorName": origin.creator_name,
        "creatorIri": origin.creator_iri,
        "created": iso(origin.created),
        "importedBy": name_of(origin.imported_by),
        "imported": iso(origin.imported_at),
        "otherFields": other_fields(origin, REPLY_ORIGIN_FIELDS | {"imported_at"}),
    }


def reply_record(reply: Reply, urls: Urls) -> dict:
    return {
        "pk": reply.pk,
        "id": urls.absolute(reply.get_absolute_url()),
        "type": "Reply",
        "annotation": reply.annotation_id,
        "claim": reply.claim_id,
        "parent": reply.parent_id,
        "author": name_of(reply.author),
        "body": reply.body,
        "mentions": sorted(user.get_username() for user in reply.mentions.all()),
        "version": reply.version,
        "created": iso(reply.created_at),
        "modified": iso(reply.updated_at),
        "deleted": iso(reply.deleted_at),
        "hidden": iso(reply.hidden_at),
        "hiddenBy": name_of(reply.hidden_by),
        "origin": _reply_origin(reply),
        "otherFields": other_fields(reply, REPLY_FIELDS),
    }


FLAG_FIELDS = {"reason", "created_at", "resolved_at", "resolution"}
FLAG_PEOPLE = ("reporter", "resolved_by")


def flag_record(flag: Flag) -> dict:
    return {
        "pk": flag.pk,
        "type": "Flag",
        "annotation": flag.annotation_id,
        "reply": flag.reply_id,
        "reporter": name_of(flag.reporter),
        "reason": flag.reason,
        "created": iso(flag.created_at),
        "resolved": iso(flag.resolved_at),
        "resolvedBy": name_of(flag.resolved_by),
        "resolution": flag.resolution,
        "otherFields": other_fields(flag, FLAG_FIELDS),
    }


def history_record(entry: HistoryEntry) -> dict:
    return {
        "pk": entry.pk,
        "type": "HistoryEntry",
        "targetType": entry.target_type,
        "targetPk": entry.target_id,
        "targetRepr": entry.target_repr,
        "action": entry.action,
        "actor": name_of(entry.actor),
        "created": iso(entry.created_at),
        "before": entry.before,
        "after": entry.after,
        "article": entry.article_id,
        "claim": entry.claim_id,
        "reverts": entry.reverts_id,
    }

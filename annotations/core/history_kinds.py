"""How history keeps the kernel's rows: annotations, claims and labels.

Each kind says what a snapshot keeps, a short name for the row, and where a change of it shows
(the articles and claim whose open pages hear of it). Collaboration registers its own kinds
(annotations.collab.history_kinds); annotations.apps imports both when the app is ready.
"""

from __future__ import annotations

from annotations.core.history import Kind, Scope, as_json, register, username
from annotations.models import Annotation, Claim, Label


def _annotation_snapshot(obj: Annotation, *, labels=None) -> dict:
    return {
        "note": obj.note,
        "visibility": obj.visibility,
        "labels": sorted(label.name for label in (obj.labels.all() if labels is None else labels)),
        "claim_id": obj.claim_id,
        "claim": obj.claim.title if obj.claim_id else None,
        "exact": obj.exact,
        "start": obj.start,
        "end": obj.end,
        "deleted_at": as_json(obj.deleted_at),
        "hidden_at": as_json(obj.hidden_at),
        "version": obj.version,
    }


def _annotation_scope(obj: Annotation, before, after) -> Scope:
    claim_id = obj.claim_id or (before or {}).get("claim_id")
    shared = "shared" in {(s or {}).get("visibility") for s in (before, after)}
    return [obj.article_id], claim_id, shared


def _claim_snapshot(obj: Claim, *, labels=None) -> dict:
    return {
        "title": obj.title,
        "claimant": obj.claimant,
        "claimant_type": obj.claimant_type,
        "status": obj.status.slug,
        "rationale": obj.rationale,
        "status_final_at": as_json(obj.status_final_at),
        "status_final_by": username(obj.status_final_by) if obj.status_final_by_id else None,
        "assignee": username(obj.assignee) if obj.assignee_id else None,
        "version": obj.version,
    }


def _shared_articles(**where) -> list[int]:
    """Return the ids of the articles where a shared, live annotation matches `where`."""
    rows = Annotation.objects.alive().filter(visibility=Annotation.Visibility.SHARED, **where)
    return list(rows.values_list("article_id", flat=True).distinct())


def _claim_scope(obj: Claim, before, after) -> Scope:
    if before is None:
        # Just made (services.tagging makes a claim, then what carries it): on no article yet.
        return [], obj.pk, True
    return _shared_articles(claim=obj), obj.pk, True


LABEL_FIELDS = ("name", "slug", "kind", "colour", "description", "shortcut", "position")


def _label_snapshot(obj: Label, *, labels=None) -> dict:
    return {name: getattr(obj, name) for name in LABEL_FIELDS}


def _label_scope(obj: Label, before, after) -> Scope:
    return _shared_articles(labels=obj), None, True


def _annotation_name(obj: Annotation) -> str:
    return obj.exact[:80] or "(page note)"


def register_kinds() -> None:
    """Tell history how to keep these rows (called once, by annotations.apps)."""
    register(
        "annotation",
        Kind(snapshot=_annotation_snapshot, scope=_annotation_scope, describe=_annotation_name),
    )
    register(
        "claim",
        Kind(
            snapshot=_claim_snapshot,
            scope=_claim_scope,
            related=("status", "status_final_by", "assignee"),
        ),
    )
    register("label", Kind(snapshot=_label_snapshot, scope=_label_scope))

"""Hypothesis annotations and replies into Claimlens, once each.

h's search API answers {"total", "rows"}; its client exports {"annotations": [...]}. A row
is an annotation, or a reply when it has `references` (the ids of its thread, the annotation
first and the reply it answers last). Its `id` is kept (AnnotationOrigin / ReplyOrigin
`external_id`), so importing the same h annotation again finds it and leaves it as it is:
never a second copy, and never an edit made here undone by an older file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from annotations.interop.webannotation import (
    ParsedAnnotation,
    WebAnnotationError,
    as_list,
    clean_tag,
    clean_text,
    is_iri,
    parse_datetime,
    parse_selectors,
)
from annotations.models import AnnotationOrigin, Reply, ReplyOrigin

HYPOTHESIS = AnnotationOrigin.Format.HYPOTHESIS
MAX_ID = 200


@dataclass
class HypothesisItem:
    """One h row: what it says as an annotation, its h id and its thread."""

    parsed: ParsedAnnotation
    id: str
    references: list[str] = field(default_factory=list)
    account: str = ""  # the name in the user's acct:name@authority

    @property
    def is_reply(self) -> bool:
        return bool(self.references)


def _link(item: dict) -> str:
    links = item.get("links") if isinstance(item.get("links"), dict) else {}
    for key in ("html", "incontext"):
        if is_iri(links.get(key)):
            return links[key]
    user = item.get("user")
    if isinstance(item.get("id"), str) and isinstance(user, str) and user.endswith("@hypothes.is"):
        return f"https://hypothes.is/a/{item['id']}"
    return ""


def _id(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WebAnnotationError(f"{what} must be a Hypothesis id (a string).")
    return clean_text(value.strip(), what, max_length=MAX_ID)


def _creator(item: dict, parsed: ParsedAnnotation) -> str:
    """Keep who wrote item (acct:name@authority) in parsed; return the account's name."""
    user = item.get("user") if isinstance(item.get("user"), str) else ""
    info = item.get("user_info") if isinstance(item.get("user_info"), dict) else {}
    display = info.get("display_name") if isinstance(info.get("display_name"), str) else ""
    account = user.removeprefix("acct:").rpartition("@")[0] if user.startswith("acct:") else user
    parsed.creator_name = clean_text(display or account, "The user")[:200]
    parsed.creator_iri = clean_text(user, "The user")[:2000]
    return account


def parse_hypothesis(item) -> HypothesisItem:
    """Return what a Hypothesis annotation or reply (API row or export item) says."""
    if not isinstance(item, dict):
        raise WebAnnotationError("An annotation must be a JSON object.")
    h_id = _id(item.get("id"), "The id") if "id" in item else ""
    references = [_id(ref, "Each of references") for ref in as_list(item.get("references"))]
    parsed = ParsedAnnotation()
    targets = as_list(item.get("target"))
    target = targets[0] if targets else {}
    if not isinstance(target, dict):
        raise WebAnnotationError("The target must be a JSON object.")
    source = target.get("source") or item.get("uri")
    if source is not None:
        parsed.source = clean_text(source, "The target's source")
    if not references:
        parse_selectors(as_list(target.get("selector")), parsed)
    parsed.note = clean_text(item.get("text") or "", "The text")
    for tag in as_list(item.get("tags")):
        tag = clean_tag(tag, parsed)
        if tag and tag.lower() not in {t.lower() for t in parsed.tags}:
            parsed.tags.append(tag)
    permissions = item.get("permissions") if isinstance(item.get("permissions"), dict) else {}
    read = permissions.get("read")
    if isinstance(read, list) and "group:__world__" not in read:
        parsed.visibility = "private"
    account = _creator(item, parsed)
    parsed.original_id = _link(item)
    parsed.created = parse_datetime(item.get("created"))
    return HypothesisItem(parsed, h_id, references, account)


def imported_annotation(h_id: str):
    """Return the annotation imported from the h annotation h_id, if it was."""
    if not h_id:
        return None
    origin = (
        AnnotationOrigin.objects.filter(format=HYPOTHESIS, external_id=h_id)
        .select_related("annotation")
        .first()
    )
    return origin.annotation if origin is not None else None


def imported_reply(h_id: str) -> Reply | None:
    """Return the reply imported from the h reply h_id, if it was."""
    origin = (
        ReplyOrigin.objects.filter(format=HYPOTHESIS, external_id=h_id)
        .select_related("reply")
        .first()
    )
    return origin.reply if origin is not None else None


def local_account(account: str):
    """Return the active local user named as the h account is, if there is one."""
    if not account:
        return None
    return get_user_model().objects.filter(username=account, is_active=True).first()


def reply_origin(h: HypothesisItem, imported_by) -> ReplyOrigin:
    """Return the unsaved record of where an h reply came from."""
    return ReplyOrigin(
        format=HYPOTHESIS,
        external_id=h.id,
        creator_name=h.parsed.creator_name,
        creator_iri=h.parsed.creator_iri,
        created=h.parsed.created,
        imported_by=imported_by,
    )


def thread_of(h: HypothesisItem) -> tuple[object, Reply | None, list[str]]:
    """Return (the annotation, the reply it answers or None, warnings) for an h reply.

    A reply whose parent is not here (deleted in h, or left out of the file) answers the
    nearest of its references that is.
    """
    root = imported_annotation(h.references[0])
    if root is None:
        raise WebAnnotationError(
            f"it is a reply to the Hypothesis annotation {h.references[0]}, which is not "
            "imported: import the file it is in first (or with it)"
        )
    warnings = []
    for ancestor in reversed(h.references[1:]):
        parent = imported_reply(ancestor)
        if parent is not None and parent.annotation_id == root.pk:
            return root, parent, warnings
        if not warnings:
            warnings.append(f"the reply it answers ({ancestor}) is not here: placed higher up")
    return root, None, warnings

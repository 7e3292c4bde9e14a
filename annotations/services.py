"""Writing annotations, labels and claims. Views, the API and importers all come here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from articles.rendering import render_note

from . import history, moderation, permissions
from .anchoring import context_of, locate
from .models import Annotation, Claim, Evidence, Label, hex_colour
from .quicktags import parse_tag_input

DEFAULT_TAG_COLOUR = "#ffd54f"


class EditConflict(Exception):  # noqa: N818 - reads better at call sites: `except EditConflict`
    """Raised when an edit starts from a version that is no longer the current one."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else (now version {current.version})")
        self.current = current


# --- labels and claims ---------------------------------------------------------------------


def status_by_name(name: str) -> Label:
    """Return the status label called `name` (case-insensitive), or raise ValidationError."""
    wanted = " ".join(name.split()).lower()
    for status in Label.objects.statuses():
        if wanted in {status.name.lower(), status.slug}:
            return status
    known = ", ".join(Label.objects.statuses().values_list("name", flat=True))
    raise ValidationError(f"“{name}” is not a claim status. Use one of: {known}.")


def _unique_slug(model, base: str) -> str:
    base = (slugify(base) or "item")[:180]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def tag_get_or_create(name: str) -> Label:
    """Return the tag called `name` (case-insensitive), creating it when new."""
    name = " ".join(name.split())[:64]
    label = Label.objects.filter(name__iexact=name).first()
    if label is None:
        label = Label.objects.create(
            name=name,
            slug=_unique_slug(Label, name),
            kind=Label.Kind.TAG,
            colour=DEFAULT_TAG_COLOUR,
        )
    return label


def claim_get_or_create(*, title: str, status: Label, user) -> tuple[Claim, bool]:
    """Return the claim with this title (case-insensitive), creating it with `status` if new."""
    title = " ".join(title.split())[:200]
    claim = Claim.objects.filter(title__iexact=title).select_related("status").first()
    if claim is not None:
        return claim, False
    claim = Claim.objects.create(
        title=title, slug=_unique_slug(Claim, title), status=status, created_by=user
    )
    history.record(
        actor=user, obj=claim, action="created", before=None, after=history.snapshot(claim)
    )
    return claim, True


def resolve_tag_input(raw: str, *, user) -> tuple[list[Label], Claim | None]:
    """Turn the tag field into labels and a claim, or raise ValidationError with every problem.

    A new claim gets the typed status; an existing claim keeps its own status unless the
    author may moderate (changing a shared claim's status is a moderator's decision).
    """
    parsed = parse_tag_input(raw)
    errors = list(parsed.errors)
    labels: list[Label] = []
    claim = None
    status = None
    if parsed.claim is not None:
        try:
            status = status_by_name(parsed.claim.status)
        except ValidationError as exc:
            errors.extend(exc.messages)
    for name in parsed.tags:
        status_label = Label.objects.statuses().filter(name__iexact=name).first()
        labels.append(status_label or tag_get_or_create(name))
    if errors:
        raise ValidationError(errors)
    if parsed.claim is not None:
        claim, created = claim_get_or_create(title=parsed.claim.title, status=status, user=user)
        if not created and claim.status_id != status.pk and permissions.is_moderator(user):
            claim_set_status(claim=claim, status=status, user=user)
    return labels, claim


@transaction.atomic
def claim_set_status(*, claim: Claim, status: Label, user) -> Claim:
    """Change a claim's working status."""
    if not permissions.is_moderator(user) and claim.created_by_id != getattr(user, "pk", None):
        raise PermissionDenied("Only a moderator can change the status of someone else's claim.")
    before = history.snapshot_for_update(claim)
    Claim.objects.filter(pk=claim.pk).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    claim.refresh_from_db()
    history.record(
        actor=user, obj=claim, action="status", before=before, after=history.snapshot(claim)
    )
    return claim


# --- annotations ---------------------------------------------------------------------------


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    author,
    exact: str = "",
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    note: str = "",
    tags: str = "",
    visibility: str = Annotation.Visibility.SHARED,
    allow_fuzzy: bool = False,
) -> Annotation:
    """Create an annotation on a passage (or a page note when there is no quote).

    The server decides where the passage is: the quote at the offsets, else the quote found
    using its prefix and suffix; a quote that is not in the article is refused, unless
    `allow_fuzzy` (the API, imports) lets a similar enough passage stand in for it.
    """
    if not permissions.can_annotate(author):
        raise PermissionDenied("You cannot annotate: ask a moderator for the annotator role.")
    if visibility not in Annotation.Visibility.values:
        raise ValidationError("Visibility must be shared or private.")
    anchor = {}
    if exact:
        placement = locate(
            article.body_text,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            start=start,
            end=end,
            fuzzy=allow_fuzzy,
        )
        if placement is None:
            raise ValidationError("That passage is not in the article: select it again.")
        start, end = placement.start, placement.end
        prefix, suffix = context_of(article.body_text, start, end)
        if placement.method == Annotation.Anchor.FUZZY:
            # The passage as the article has it replaces the caller's quote, which is kept.
            anchor = {"anchor": "fuzzy", "anchor_score": placement.score, "original_exact": exact}
            exact = article.body_text[start:end]
    else:
        start = end = None
        prefix = suffix = ""
        if not note.strip() and not tags.strip():
            raise ValidationError("A page note needs some text.")
    labels, claim = resolve_tag_input(tags, user=author)
    annotation = Annotation.objects.create(
        article=article,
        author=author,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        revision_number=article.revision_number,
        note=note,
        note_html=render_note(note) if note else "",
        claim=claim,
        visibility=visibility,
        **anchor,
    )
    if labels:
        annotation.labels.set(labels)
    history.record(
        actor=author,
        obj=annotation,
        action="created",
        before=None,
        after=history.snapshot(annotation, labels=labels),
    )
    return annotation


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    user,
    version: int,
    note: str | None = None,
    tags: str | None = None,
    visibility: str | None = None,
) -> Annotation:
    """Apply an edit made from `version`; raise EditConflict if someone saved since."""
    if not permissions.can_edit_annotation(user, annotation):
        raise PermissionDenied("You can only edit your own annotations.")
    changes: dict = {}
    if note is not None:
        changes["note"] = note
        changes["note_html"] = render_note(note) if note else ""
    if visibility is not None:
        if visibility not in Annotation.Visibility.values:
            raise ValidationError("Visibility must be shared or private.")
        changes["visibility"] = visibility
    labels = claim = None
    if tags is not None:
        labels, claim = resolve_tag_input(tags, user=user)
        changes["claim"] = claim
    before = history.snapshot_for_update(annotation)
    # Compare-and-set in one UPDATE: of two edits from the same version exactly one matches.
    updated = Annotation.objects.filter(
        pk=annotation.pk, version=version, deleted_at__isnull=True
    ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if not updated:
        raise EditConflict(Annotation.objects.get(pk=annotation.pk))
    if labels is not None:
        annotation.labels.set(labels)
    annotation.refresh_from_db()
    history.record(
        actor=user,
        obj=annotation,
        action="updated",
        before=before,
        after=history.snapshot(annotation),
    )
    return annotation


def _set_deleted(*, annotation: Annotation, user, deleted_at, action: str) -> Annotation:
    if not permissions.can_edit_annotation(user, annotation):
        verb = "delete" if deleted_at else "restore"
        raise PermissionDenied(f"You can only {verb} your own annotations.")
    before = history.snapshot_for_update(annotation)
    Annotation.objects.filter(pk=annotation.pk).update(
        deleted_at=deleted_at, version=F("version") + 1, updated_at=timezone.now()
    )
    annotation.refresh_from_db()
    history.record(
        actor=user,
        obj=annotation,
        action=action,
        before=before,
        after=history.snapshot(annotation),
    )
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user) -> Annotation:
    """Delete softly, so that the author can undo."""
    return _set_deleted(
        annotation=annotation, user=user, deleted_at=timezone.now(), action="deleted"
    )


@transaction.atomic
def annotation_restore(*, annotation: Annotation, user) -> Annotation:
    """Undo a soft delete."""
    return _set_deleted(annotation=annotation, user=user, deleted_at=None, action="restored")


def annotation_hide(*, annotation: Annotation, user, hidden: bool = True) -> Annotation:
    """Hide an annotation from everyone but its author and moderators, or show it again.

    One way to hide, whichever page it is done from: moderation records it in the history
    (and so the change feed) and closes the open flags on the annotation.
    """
    if not permissions.can_moderate_annotation(user, annotation):
        raise PermissionDenied("Only a moderator can hide annotations.")
    return moderation.content_set_hidden(obj=annotation, user=user, hidden=hidden)


# --- managing labels -----------------------------------------------------------------------

# Keys the reader keeps for itself: highlight, comment, claim.
RESERVED_SHORTCUTS = {"h", "c", "k"}


def _clean_label_fields(
    *, label: Label | None, name: str, colour: str, shortcut: str
) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    shortcut = (shortcut or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = "Give the label a name."
    elif ":" in name or "," in name:
        errors["name"] = "A label name cannot contain “:” or “,” (they separate entries)."
    else:
        clash = Label.objects.filter(name__iexact=name)
        if label is not None:
            clash = clash.exclude(pk=label.pk)
        if clash.exists():
            errors["name"] = f"There is already a label called “{name}”: merge into it instead."
    try:
        hex_colour(colour or "")
    except ValidationError:
        errors["colour"] = "Give a colour as #rrggbb."
    if shortcut:
        if len(shortcut) != 1 or not shortcut.isalnum():
            errors["shortcut"] = "A shortcut is one letter or digit."
        elif shortcut in RESERVED_SHORTCUTS:
            errors["shortcut"] = "h, c and k are taken by highlight, comment and claim."
        else:
            clash = Label.objects.filter(shortcut=shortcut)
            if label is not None:
                clash = clash.exclude(pk=label.pk)
            taken = clash.first()
            if taken is not None:
                errors["shortcut"] = f"“{shortcut}” already applies “{taken.name}”."
    if errors:
        raise ValidationError(errors)
    return name, colour.lower(), shortcut


def _touch_annotations_with(label: Label) -> None:
    # Exports and live updates find changes by updated_at; a label's name shows in each card.
    Annotation.objects.filter(labels=label).update(updated_at=timezone.now())


@transaction.atomic
def label_create(
    *,
    user,
    name: str,
    colour: str = DEFAULT_TAG_COLOUR,
    kind: str = Label.Kind.TAG,
    description: str = "",
    shortcut: str = "",
) -> Label:
    """Add a label to the vocabulary."""
    if not permissions.can_manage_labels(user):
        raise PermissionDenied("Only a moderator can manage labels.")
    if kind not in Label.Kind.values:
        raise ValidationError({"kind": "A label is a tag or a claim status."})
    name, colour, shortcut = _clean_label_fields(
        label=None, name=name, colour=colour, shortcut=shortcut
    )
    return Label.objects.create(
        name=name,
        slug=_unique_slug(Label, name),
        kind=kind,
        colour=colour,
        description=description.strip(),
        shortcut=shortcut,
    )


@transaction.atomic
def label_update(
    *, label: Label, user, name: str, colour: str, description: str = "", shortcut: str = ""
) -> Label:
    """Change a label's name, colour, description or shortcut; a new name shows everywhere."""
    if not permissions.can_manage_labels(user):
        raise PermissionDenied("Only a moderator can manage labels.")
    name, colour, shortcut = _clean_label_fields(
        label=label, name=name, colour=colour, shortcut=shortcut
    )
    before = history.snapshot_for_update(label)
    renamed = name != label.name
    label.name, label.colour, label.shortcut = name, colour, shortcut
    label.description = description.strip()
    label.save(update_fields=["name", "colour", "description", "shortcut"])
    if renamed:
        _touch_annotations_with(label)
    after = history.snapshot(label)
    if after != before:
        history.record(
            actor=user,
            obj=label,
            action="renamed" if renamed else "updated",
            before=before,
            after=after,
        )
    return label


def label_rename(*, label: Label, user, name: str) -> Label:
    """Rename a label; every annotation and claim using it shows the new name at once."""
    return label_update(
        label=label,
        user=user,
        name=name,
        colour=label.colour,
        description=label.description,
        shortcut=label.shortcut,
    )


@transaction.atomic
def label_merge(*, source: Label, target: Label, user) -> Label:
    """Fold source into target: its annotations and claims move over, then source is deleted."""
    if not permissions.can_manage_labels(user):
        raise PermissionDenied("Only a moderator can manage labels.")
    if source.pk == target.pk:
        raise ValidationError("Choose a different label to merge into.")
    if source.kind != target.kind:
        raise ValidationError("A tag merges into a tag, a claim status into a claim status.")
    before = history.snapshot_for_update(target) | {"merged": None}
    merged = history.snapshot(source)
    through = Annotation.labels.through
    moved = list(through.objects.filter(label=source).values_list("annotation_id", flat=True))
    # Rows for annotations that already carry the target would become duplicates: drop them.
    through.objects.filter(
        label=source, annotation_id__in=through.objects.filter(label=target).values("annotation_id")
    ).delete()
    through.objects.filter(label=source).update(label=target)
    Claim.objects.filter(status=source).update(
        status=target, version=F("version") + 1, updated_at=timezone.now()
    )
    Annotation.objects.filter(pk__in=moved).update(updated_at=timezone.now())
    source.delete()
    # Recorded on the target, which now carries the source's annotations and claims: the feed
    # reaches every article showing either label.
    history.record(
        actor=user,
        obj=target,
        action="merged",
        before=before,
        after=history.snapshot(target) | {"merged": merged["name"]},
    )
    return target


# --- editing claims ------------------------------------------------------------------------


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user,
    title: str,
    status: Label,
    claimant: str = "",
    rationale: str = "",
    version: int | None = None,
) -> Claim:
    """Change a claim's fields; with `version`, refuse an edit that started from an older one."""
    if not permissions.can_edit_claim(user, claim):
        raise PermissionDenied("Only a moderator or the claim's author can edit it.")
    title = " ".join((title or "").split())[:200]
    errors = {}
    if not title:
        errors["title"] = "Give the claim a short title."
    elif Claim.objects.filter(title__iexact=title).exclude(pk=claim.pk).exists():
        errors["title"] = f"There is already a claim called “{title}”."
    if not status.is_status:
        errors["status"] = f"“{status.name}” is not a claim status."
    if errors:
        raise ValidationError(errors)
    changes = {
        "title": title,
        "claimant": " ".join((claimant or "").split())[:200],
        "status": status,
        "rationale": rationale,
        "rationale_html": render_note(rationale) if rationale.strip() else "",
    }
    before = history.snapshot_for_update(claim)
    current = Claim.objects.filter(pk=claim.pk)
    if version is not None:
        current = current.filter(version=version)
    if not current.update(version=F("version") + 1, updated_at=timezone.now(), **changes):
        raise EditConflict(Claim.objects.select_related("status").get(pk=claim.pk))
    claim.refresh_from_db()
    claim.status = status  # what was just stored: saves fetching it again
    after = history.snapshot(claim)
    # A new status is news to whoever worked on the claim (history notifies on "status").
    action = "status" if after["status"] != before["status"] else "updated"
    history.record(actor=user, obj=claim, action=action, before=before, after=after)
    return claim


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
    url = (url or "").strip()
    try:
        _http_url(url)
    except ValidationError:
        raise ValidationError(
            {"url": "Give the address of the source, starting with https://."}
        ) from None
    history.snapshot_for_update(claim)  # lock: two evidence changes are recorded in turn
    before = _evidence_snapshot(claim)
    evidence = Evidence.objects.create(
        claim=claim, url=url, title=title.strip()[:300], note=note.strip(), added_by=user
    )
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

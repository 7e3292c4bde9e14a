"""Managing labels: create, edit, rename and merge."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotations.core import history, limits, permissions
from annotations.core.services.tagging import DEFAULT_TAG_COLOUR, _named_for, _unique_slug
from annotations.models import Annotation, Claim, Label, hex_colour

RESERVED_SHORTCUTS = {"h", "c", "k"}


def _clean_label_fields(
    *, label: Label | None, user, name: str, colour: str, shortcut: str
) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    shortcut = (shortcut or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = "Give the label a name."
    elif len(name) > limits.LABEL_NAME_MAX_CHARS:
        errors["name"] = f"Keep the name to {limits.LABEL_NAME_MAX_CHARS} characters."
    elif ":" in name or "," in name:
        errors["name"] = "A label name cannot contain “:” or “,” (they separate entries)."
    else:
        # Only names the user sees: someone's private tag of that name must not show here.
        clash = _named_for(Label.objects, user, name__iexact=name)
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
                shown = _named_for(Label.objects, user, pk=taken.pk).exists()
                errors["shortcut"] = (
                    f"“{shortcut}” already applies “{taken.name}”."
                    if shown
                    else f"“{shortcut}” is taken: choose another."
                )
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
    position: int | None = None,
) -> Label:
    """Add a label to the vocabulary (at the model's default position unless told)."""
    if not permissions.can_manage_labels(user):
        raise PermissionDenied("Only a moderator can manage labels.")
    if kind not in Label.Kind.values:
        raise ValidationError({"kind": "A label is a tag or a claim status."})
    name, colour, shortcut = _clean_label_fields(
        label=None, user=user, name=name, colour=colour, shortcut=shortcut
    )
    description = _clean_description(description)
    placed = {} if position is None else {"position": _clean_position(position)}
    try:
        with transaction.atomic():
            label = Label.objects.create(
                name=name,
                slug=_unique_slug(Label, name),
                kind=kind,
                colour=colour,
                description=description,
                shortcut=shortcut,
                **placed,
            )
    except IntegrityError:
        # Someone stored the same name or shortcut after the checks above: say which.
        _clean_label_fields(label=None, user=user, name=name, colour=colour, shortcut=shortcut)
        raise ValidationError({"name": "That label was just added by someone else."}) from None
    history.record(
        actor=user, obj=label, action="created", before=None, after=history.snapshot(label)
    )
    return label


def _clean_position(position: int) -> int:
    # Stored in a PositiveSmallIntegerField: refused here with a reason, not by the database.
    if not isinstance(position, int) or not 0 <= position <= 32767:
        raise ValidationError({"position": "The position is a whole number from 0 to 32767."})
    return position


def _clean_description(description: str) -> str:
    return limits.check_text(
        (description or "").strip(),
        limits.LABEL_DESCRIPTION_MAX_CHARS,
        "The description",
        field="description",
    )


@transaction.atomic
def label_update(
    *,
    label: Label,
    user,
    name: str,
    colour: str,
    description: str = "",
    shortcut: str = "",
    position: int | None = None,
) -> Label:
    """Change a label's name, colour, description, shortcut or position (None: kept).

    A new name shows everywhere.
    """
    if not permissions.can_manage_labels(user):
        raise PermissionDenied("Only a moderator can manage labels.")
    name, colour, shortcut = _clean_label_fields(
        label=label, user=user, name=name, colour=colour, shortcut=shortcut
    )
    description = _clean_description(description)
    if position is not None:
        position = _clean_position(position)
    before = history.snapshot_for_update(label)
    renamed = name != before["name"]
    label.name, label.colour, label.shortcut = name, colour, shortcut
    label.description = description
    label.position = before["position"] if position is None else position
    label.save(update_fields=["name", "colour", "description", "shortcut", "position"])
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
    if target.private_to_id is not None and source.private_to_id != target.private_to_id:
        # Shared notes would carry a name nobody else may see.
        raise ValidationError(
            f"“{target.name}” is only in your private notes: merge into a shared tag."
        )
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

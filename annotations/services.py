"""Writing annotations, labels and claims. Views, the API and importers all come here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from articles.rendering import render_note

from . import history, permissions
from .anchoring import context_of, locate
from .models import Annotation, Claim, Label
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
        after=history.snapshot(annotation),
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


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user) -> Annotation:
    """Delete softly, so that the author can undo."""
    if not permissions.can_edit_annotation(user, annotation):
        raise PermissionDenied("You can only delete your own annotations.")
    before = history.snapshot_for_update(annotation)
    Annotation.objects.filter(pk=annotation.pk).update(
        deleted_at=timezone.now(), version=F("version") + 1, updated_at=timezone.now()
    )
    annotation.refresh_from_db()
    history.record(
        actor=user,
        obj=annotation,
        action="deleted",
        before=before,
        after=history.snapshot(annotation),
    )
    return annotation


@transaction.atomic
def annotation_restore(*, annotation: Annotation, user) -> Annotation:
    """Undo a soft delete."""
    if not permissions.can_edit_annotation(user, annotation):
        raise PermissionDenied("You can only restore your own annotations.")
    before = history.snapshot_for_update(annotation)
    Annotation.objects.filter(pk=annotation.pk).update(
        deleted_at=None, version=F("version") + 1, updated_at=timezone.now()
    )
    annotation.refresh_from_db()
    history.record(
        actor=user,
        obj=annotation,
        action="restored",
        before=before,
        after=history.snapshot(annotation),
    )
    return annotation

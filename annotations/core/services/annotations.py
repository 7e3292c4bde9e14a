"""Writing annotations: create, edit, delete, restore and hide, each recorded in history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from annotations.core import history, limits, permissions
from annotations.core.anchoring import anchor_quote, context_of
from annotations.core.notes import note_html
from annotations.core.reanchoring import FUZZY, ORPHAN, OffsetMap, reanchor_one
from annotations.core.services.claims import claim_name_claimant
from annotations.core.services.errors import EditConflict
from annotations.core.services.hiding import content_set_hidden
from annotations.core.services.tagging import _publish_names, resolve_tag_input
from annotations.models import Annotation, AnnotationOrigin, Claim
from articles.models import Article, ArticleRevision


# Its history (a new claim's, the annotation's) is written together as it ends.
@history.atomic_batch
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
    revision: int | None = None,
    claimant: str = "",
    claimant_type: str = "unknown",
    claim_status: str = "",
    claim_title: str = "",
    created_at: datetime | None = None,
    origin: AnnotationOrigin | None = None,
) -> Annotation:
    """Create an annotation on a passage (or a page note when there is no quote).

    The server decides where the passage is: the quote at the offsets, else the quote found
    using its prefix and suffix; a quote that is not in the article is refused, unless
    `allow_fuzzy` (the API, imports) lets a similar enough passage stand in for it.
    `revision`: the revision the selectors were counted on, when the page may show an
    earlier text than the article's current one (see selection_carry below).
    Annotations made elsewhere (the API, imports) may also bring `claimant`, who made the claim
    their tags name (given to a claim that names nobody yet, with `claimant_type` when the
    annotation says whether a person or an organisation), `created_at`, the date they were
    first made (imports keep it), and `origin`, an unsaved record of where they came from.
    The composer's claim form gives the claim as `claim_status` and `claim_title` (see
    resolve_tag_input). Readers may keep private annotations; sharing takes an annotator.
    """
    if not permissions.can_annotate_as(author, visibility):
        raise PermissionDenied("You cannot annotate: ask a moderator for the annotator role.")
    if visibility not in Annotation.Visibility.values:
        raise ValidationError("Visibility must be shared or private.")
    limits.check_text(note, limits.NOTE_MAX_CHARS, "The note", field="note")
    limits.check_text(exact, limits.QUOTE_MAX_CHARS, "The passage", field="exact")
    anchor = {}
    carried = None
    if exact and revision is not None:
        carried = selection_carry(
            article=article,
            revision=revision,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            start=start,
            end=end,
        )
    if carried is not None:
        if carried.anchor == Annotation.Anchor.FUZZY:
            # Selected on an earlier text that says it a little differently: keep both.
            anchor = {"anchor": "fuzzy", "anchor_score": carried.score, "original_exact": exact}
        exact, prefix, suffix = carried.exact, carried.prefix, carried.suffix
        start, end = carried.start, carried.end
    if exact:
        found = anchor_quote(
            article.body_text,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            start=start,
            end=end,
            fuzzy=allow_fuzzy,
        )
        placement = found.placement
        if placement is None:
            if allow_fuzzy:
                raise ValidationError(f"That passage is not in the article: {found.reason}.")
            raise ValidationError("That passage is not in the article: select it again.")
        start, end = placement.start, placement.end
        prefix, suffix = context_of(article.body_text, start, end)
        if placement.method == Annotation.Anchor.FUZZY:
            # The passage as the article has it replaces the caller's quote, which is kept.
            anchor = {"anchor": "fuzzy", "anchor_score": placement.score, "original_exact": exact}
        # The article's own spacing too (a quote across a line break came with a space).
        exact = article.body_text[start:end]
    else:
        start = end = None
        prefix = suffix = ""
        if not note.strip() and not tags.strip() and not claim_title.strip():
            raise ValidationError("A page note needs some text.")
    private = visibility == Annotation.Visibility.PRIVATE
    labels, claim = resolve_tag_input(
        tags, user=author, private=private, claim_status=claim_status, claim_title=claim_title
    )
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
        note_html=note_html(note),
        claim=claim,
        visibility=visibility,
        **anchor,
    )
    if not private:
        labels = _publish_names(labels, claim)
    if labels:
        annotation.labels.set(labels)
    if created_at is not None:
        # auto_now_add sets the date on insert: an annotation made elsewhere keeps its own.
        Annotation.objects.filter(pk=annotation.pk).update(created_at=created_at)
        annotation.created_at = created_at
    if origin is not None:
        origin.annotation = annotation
        origin.save(force_insert=True)
    if claim is not None and claimant:
        annotation.claim = claim_name_claimant(
            claim=claim, user=author, claimant=claimant, claimant_type=claimant_type
        )
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
        limits.check_text(note, limits.NOTE_MAX_CHARS, "The note", field="note")
        changes["note"] = note
        changes["note_html"] = note_html(note)
    if visibility is not None:
        if visibility not in Annotation.Visibility.values:
            raise ValidationError("Visibility must be shared or private.")
        if not permissions.can_annotate_as(user, visibility):
            raise PermissionDenied("Sharing takes the annotator role: keep it private.")
        changes["visibility"] = visibility
    labels = claim = None
    if tags is not None:
        private = (visibility or annotation.visibility) == Annotation.Visibility.PRIVATE
        keep = annotation.claim if annotation.claim_id else None
        labels, claim = resolve_tag_input(tags, user=user, private=private, keep=keep)
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
    shared = annotation.visibility == Annotation.Visibility.SHARED
    if shared and labels is None and before["visibility"] != annotation.visibility:
        # Shared from now on with the tags and claim it had: its readers see those names.
        labels = list(annotation.labels.all())
        claim = Claim.objects.filter(pk=annotation.claim_id).first()
    if shared and labels is not None:
        published = _publish_names(labels, claim)
        if [label.pk for label in published] != [label.pk for label in labels]:
            annotation.labels.set(published)
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


@transaction.atomic
def annotation_name(*, annotation: Annotation, user, hint: str) -> Annotation:
    """Name a new annotation after a client's hint (the API's Slug header), made unique.

    The name is the last segment of its IRI in the API, given once as it is created (its
    "created" history entry stands for it); a name already taken gets -2, -3, ... A name that
    is a number would be another annotation's IRI, so it is prefixed.
    """
    if annotation.author_id != user.pk or annotation.slug:
        raise PermissionDenied("An annotation is named once, by its author, as it is made.")
    base = slugify(hint)[:56].strip("-_")
    if not base:
        return annotation
    if base.isdigit():
        base = f"annotation-{base}"
    taken = set(Annotation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    try:
        with transaction.atomic():
            Annotation.objects.filter(pk=annotation.pk).update(slug=name)
    except IntegrityError:  # named the same a moment ago by someone else
        name = f"{base}-{annotation.pk}"
        Annotation.objects.filter(pk=annotation.pk).update(slug=name)
    annotation.slug = name
    return annotation


def annotation_hide(*, annotation: Annotation, user, hidden: bool = True) -> Annotation:
    """Hide an annotation from everyone but its author and moderators, or show it again.

    One way to hide, whichever page it is done from: moderation records it in the history
    (and so the change feed) and closes the open flags on the annotation.
    """
    if not permissions.can_moderate_annotation(user, annotation):
        raise PermissionDenied("Only a moderator can hide annotations.")
    return content_set_hidden(obj=annotation, user=user, hidden=hidden)


# --- a selection made on an earlier text ----------------------------------------------------


@dataclass(frozen=True)
class CarriedSelection:
    """A passage selected on an earlier revision, placed on the article's current text."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    anchor: str  # exact | moved | fuzzy
    score: float


def selection_carry(
    *,
    article: Article,
    revision: int,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> CarriedSelection | None:
    """Place a selection made on revision `revision` of article onto its current text.

    A page open while a new revision came in sends selectors counted on the text it shows: they
    go through the same re-anchoring as the annotations of that text would have. None when the
    selection is already on the current text (or its revision is unknown: the selectors are
    then taken as they are); ValidationError, saying why, when the passage is not in the new
    text any more.
    """
    if revision == article.revision_number:
        return None
    old_text = (
        ArticleRevision.objects.filter(article=article, number=revision)
        .values_list("body_text", flat=True)
        .first()
    )
    if old_text is None:
        return None
    new_text = article.body_text
    selection = SimpleNamespace(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
    if start is not None and (end is None or old_text[start:end] != exact):
        selection.start = selection.end = None  # offsets that do not hold the quote: no hint
    result = reanchor_one(selection, new_text, OffsetMap.from_texts(old_text, new_text))
    if result.anchor == ORPHAN:
        raise ValidationError(
            "The article was updated while you were reading (it is now at revision "
            f"{article.revision_number}), and the passage you selected is not in the new text: "
            "the page now shows it, select the passage again."
        )
    return CarriedSelection(
        exact=result.exact,
        prefix=result.prefix,
        suffix=result.suffix,
        start=result.start,
        end=result.end,
        anchor=result.anchor,
        score=result.score if result.anchor == FUZZY else 1.0,
    )

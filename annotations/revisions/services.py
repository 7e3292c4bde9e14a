"""Writing the results of re-anchoring: carrying annotations to a new revision, re-attaching.

Kept apart from annotations.core.services so that the revision machinery stays in one place. A new
revision is recorded like any other change: every annotation it moves gets a history entry
("reanchored", with where it was and where it went), and the change feed says that the article
was revised ("article.revised") and which annotations moved, so open readers refresh.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from annotations.core import changefeed, history, permissions
from annotations.core.anchoring import context_of, locate
from annotations.core.reanchoring import (
    Reanchored,
    reanchor_annotations,
)
from annotations.models import Annotation, HistoryEntry
from articles.models import Article

REVISED = "article.revised"  # the change-feed kind that tells readers the text changed
REANCHORED = "reanchored"  # the history action of an annotation a revision moved

# What re-anchoring reads and writes; nothing else of an annotation is loaded.
_READ = (
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "original_exact",
    "anchor",
    "anchor_score",
    "revision_number",
    "visibility",
    "claim",
    "deleted_at",
)
_WRITTEN = (
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor",
    "anchor_score",
    "original_exact",
    "revision_number",
    "updated_at",
)


@transaction.atomic
def annotations_reanchor(*, article: Article, old_text: str | None, actor=None) -> list[Reanchored]:
    """Carry all the article's annotations onto its current text, in one bulk update.

    Soft-deleted annotations are carried too, so that undoing a delete later puts the
    annotation back in the right place. old_text None means the previous text is unknown.
    `actor` (who made the revision) is named in the history of every annotation that moved.
    """
    annotations = list(Annotation.objects.filter(article=article).only(*_READ))
    results = reanchor_annotations(
        old_text=old_text, new_text=article.body_text, annotations=annotations
    )
    now = timezone.now()
    moves = []
    for result in results:
        annotation = result.annotation
        before = _placement(annotation)
        if result.placed and result.exact != annotation.exact and not annotation.original_exact:
            # The first quote the author chose is the one worth showing later.
            annotation.original_exact = annotation.exact
        annotation.exact, annotation.prefix, annotation.suffix = (
            result.exact,
            result.prefix,
            result.suffix,
        )
        annotation.start, annotation.end = result.start, result.end
        if annotation.exact:  # page notes keep their anchor as it is
            annotation.anchor, annotation.anchor_score = result.anchor, result.score
        annotation.revision_number = article.revision_number
        # updated_at moves so that readers polling for changes fetch the moved cards; the
        # version does not, so an edit of the note begun before the revision still saves.
        annotation.updated_at = now
        after = _placement(annotation)
        if any(before[key] != after[key] for key in ("exact", "start", "end", "anchor")):
            moves.append((annotation, before, after))
    _bulk_write(annotations, _WRITTEN)
    _record_moves(article, moves, actor)
    return results


def _placement(annotation: Annotation) -> dict:
    """Return where an annotation is (and on which revision), as its history entry keeps it."""
    return {
        "exact": annotation.exact,
        "start": annotation.start,
        "end": annotation.end,
        "anchor": annotation.anchor,
        "revision": annotation.revision_number,
    }


def _record_moves(article: Article, moves: list, actor) -> None:
    """Record each move in the history and tell open pages, in a few statements for all.

    What history.record does for one change, done in bulk: a revision may move a thousand
    annotations at once. Private annotations are recorded but not published (as record does);
    the revision itself is always published, first, so a reader refreshes even when no
    annotation moved.
    """
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    HistoryEntry.objects.bulk_create(
        HistoryEntry(
            target_type=HistoryEntry.Target.ANNOTATION,
            target_id=annotation.pk,
            target_repr=history.describe(annotation)[:200],
            action=REANCHORED,
            actor_id=actor_id,
            before=before,
            after=after,
            article_id=article.pk,
            claim_id=annotation.claim_id,
        )
        for annotation, before, after in moves
    )
    changefeed.publish_many(
        article_id=article.pk,
        actor_id=actor_id,
        changes=[
            changefeed.Change(REVISED, article.pk),
            *(
                changefeed.Change(
                    f"annotation.{REANCHORED}",
                    annotation.pk,
                    annotation_id=annotation.pk,
                    claim_id=annotation.claim_id,
                )
                for annotation, _, _ in moves
                if annotation.visibility == Annotation.Visibility.SHARED
                and annotation.deleted_at is None
            ),
        ],
    )


def _bulk_write(annotations: list[Annotation], field_names: tuple[str, ...]) -> None:
    """Write the given fields of many annotations in as few statements as the database allows.

    Not QuerySet.bulk_update: it builds a CASE expression with a branch per row for every
    field, and for 1,000 annotations × 10 fields Django spends about 5 s assembling it.
    PostgreSQL gets one UPDATE ... FROM unnest(column arrays); elsewhere one parameterised
    UPDATE is run for each row with executemany (SQLite has no round trips to save).
    """
    if not annotations:
        return
    fields = [Annotation._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table, key = quote(Annotation._meta.db_table), quote(Annotation._meta.pk.column)
    # Below, names come from the model and values are parameters.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column, unnested into rows: a single statement that binds
            # eleven parameters however many annotations there are.
            # psycopg adapts these fields' Python values (str, int, float, datetime) itself.
            columns = [quote(field.column) for field in fields]
            arrays = ", ".join(f"%s::{_array_type(field)}[]" for field in fields)
            assignments = ", ".join(f"{column} = v.{column}" for column in columns)
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608
                f"FROM unnest({arrays}, %s::bigint[]) AS v({', '.join(columns)}, {key}) "
                f"WHERE {table}.{key} = v.{key}",
                [[getattr(a, field.attname) for a in annotations] for field in fields]
                + [[a.pk for a in annotations]],
            )
        else:
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
            cursor.executemany(
                sql,
                [
                    [
                        field.get_db_prep_save(getattr(a, field.attname), connection)
                        for field in fields
                    ]
                    + [a.pk]
                    for a in annotations
                ],
            )


def _array_type(field) -> str:
    # Text, not varchar(n): a cast would silently cut a value that the column must refuse.
    if field.get_internal_type() in {"CharField", "TextField"}:
        return "text"
    return field.cast_db_type(connection)


@transaction.atomic
def annotation_reattach(
    *,
    annotation: Annotation,
    user,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Annotation:
    """Put an annotation (usually an orphan) on a passage the user chose in the current text."""
    if not permissions.can_edit_annotation(user, annotation):
        raise PermissionDenied("Only its author or a moderator can re-attach an annotation.")
    if annotation.deleted_at is not None:
        raise ValidationError("That annotation was deleted.")
    if not exact.strip():
        raise ValidationError("Select the passage to attach the annotation to.")
    text = annotation.article.body_text
    placement = locate(text, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
    if placement is None:
        raise ValidationError("That passage is not in the article: select it again.")
    new_prefix, new_suffix = context_of(text, placement.start, placement.end)
    exact = text[placement.start : placement.end]  # the article's spacing, not the selection's
    changes = {
        "exact": exact,
        "prefix": new_prefix,
        "suffix": new_suffix,
        "start": placement.start,
        "end": placement.end,
        "anchor": Annotation.Anchor.EXACT,
        "anchor_score": 1.0,
        "revision_number": annotation.article.revision_number,
    }
    if exact != annotation.exact and not annotation.original_exact:
        changes["original_exact"] = annotation.exact
    before = history.snapshot_for_update(annotation)
    Annotation.objects.filter(pk=annotation.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    annotation.refresh_from_db()
    # Recorded, so the history shows where it was put and open readers repaint it.
    history.record(
        actor=user,
        obj=annotation,
        action="reattached",
        before=before,
        after=history.snapshot(annotation),
    )
    return annotation

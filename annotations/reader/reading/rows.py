"""An article's annotations as rows: what each card shows, the filters, and tag suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.http import QueryDict

from annotations.core import permissions
from annotations.models import Annotation, Claim, Label

PANEL_PAGE_SIZE = 25
# Passages with no tag and no claim.
PLAIN_COLOUR = "#ffd54f"
# Orphans listed under the cards; more are rare (an article rewritten from scratch).
ORPHANS_SHOWN = 50


@dataclass(frozen=True)
class Filters:
    """The panel's filters, read from by_label, by_status, by_author and by_text, and its order.

    Prefixed so they never clash with form fields such as a claim's status.
    """

    label: str = ""  # label slug
    status: str = ""  # status slug
    author: str = ""  # username
    text: str = ""  # words every card shown has in its quote, note or tags
    order: str = ""  # "" in reading order (position), "time" newest first

    ORDERS = (("", "Position"), ("time", "Newest first"))
    NAMES = ("label", "status", "author", "text")

    @classmethod
    def from_query(cls, data: QueryDict) -> Filters:
        return cls(
            label=data.get("by_label", "")[:64],
            status=data.get("by_status", "")[:64],
            author=data.get("by_author", "")[:150],
            text=" ".join(data.get("by_text", "").replace("\x00", "").split())[:100],
            order="time" if data.get("order") == "time" else "",
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.NAMES)

    @property
    def query(self) -> QueryDict:
        """Return the filters as the query they are read from (the panel's pager starts there)."""
        query = QueryDict(mutable=True)
        for name in self.NAMES:
            if getattr(self, name):
                query[f"by_{name}"] = getattr(self, name)
        if self.order:
            query["order"] = self.order
        return query

    def querystring(self) -> str:
        return self.query.urlencode()


class Row(NamedTuple):
    """What painting and filtering need of one annotation (a tuple: pages make thousands)."""

    pk: int
    start: int | None
    end: int | None
    anchor: str
    visibility: str
    hidden: bool
    author: str
    status_id: int | None
    label_ids: tuple[int, ...]

    @property
    def paintable(self) -> bool:
        return self.start is not None and self.end is not None and self.anchor != "orphan"


@dataclass
class PanelPage:
    number: int
    count: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * PANEL_PAGE_SIZE < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _rows(article, user, *, only: Q | None = None) -> list[Row]:
    """Return the rows of the annotations user sees on article (those matching `only`).

    One query, one row per label (most annotations have none or one), in reading order: an
    annotation's rows come together. Grouping them in the database (an aggregate of the
    label ids) sorted every row twice there and cost more than the rest of the query.
    """
    visible = Annotation.objects.visible_to(user).filter(article=article).in_reading_order()
    if only is not None:
        visible = visible.filter(only)
    fields = ("pk", "start", "end", "anchor", "visibility", "hidden_at", "author__username")
    found = visible.values_list(*fields, "claim__status_id", "labels")
    rows: list[Row] = []
    previous = None
    new = tuple.__new__  # Row(...) without its Python-level __new__ (thousands of rows)
    for pk, start, end, anchor, vis, hidden, author, status, label in found:
        if pk == previous:  # another of its labels
            rows[-1] = rows[-1]._replace(label_ids=(*rows[-1].label_ids, label))
            continue
        previous = pk
        labels = () if label is None else (label,)
        rows.append(
            new(Row, (pk, start, end, anchor, vis, hidden is not None, author, status, labels))
        )
    return rows


def _with_text(article, user, text: str) -> set[int]:
    """Return the ids of the annotations user sees on article whose quote, note or tags hold
    every word of text (one query; an article's annotations are few enough to scan)."""
    found = Annotation.objects.visible_to(user).filter(article=article)
    for word in text.split():
        found = found.filter(
            Q(exact__icontains=word) | Q(note__icontains=word) | Q(labels__name__icontains=word)
        )
    return set(found.values_list("pk", flat=True))


def _look(row: Row, labels: dict[int, Label]) -> tuple[str, str]:
    """Return (css classes, colour) for an annotation: its claim's status, else its first tag."""
    extra = " hl-private" if row.visibility == "private" else ""
    extra += " hl-hidden" if row.hidden else ""
    status = labels.get(row.status_id)
    if status is not None:
        return f"hl-status-{status.slug}{extra}", status.colour
    tags = sorted((labels[i] for i in row.label_ids if i in labels), key=_label_order)
    if tags:
        return f"hl-tag-{tags[0].slug}{extra}", tags[0].colour
    return f"hl-plain{extra}", PLAIN_COLOUR


def _label_order(label: Label):
    return (label.kind, label.position, label.name.lower())


def _matches(row: Row, filters: Filters, labels_by_slug: dict[str, Label]) -> bool:
    if filters.author and row.author != filters.author:
        return False
    if filters.label:
        label = labels_by_slug.get(filters.label)
        if label is None or label.pk not in row.label_ids:
            return False
    if filters.status:
        status = labels_by_slug.get(filters.status)
        if status is None or row.status_id != status.pk:
            return False
    return True


def _dressed(annotation: Annotation, *, user, tags, look, painted: bool, reply_count: int):
    """Return the annotation with what its card shows and what user may do with it."""
    _decorated(annotation, tags=tags, look=look, painted=painted, reply_count=reply_count)
    return permitted(annotation, user)


def _decorated(annotation: Annotation, *, tags, look, painted: bool, reply_count: int):
    """Return the annotation with what its card shows to every reader (it may be shared)."""
    annotation.chips = sorted(tags, key=_label_order)
    annotation.colour = look[1]
    annotation.painted = painted and annotation.start is not None and not annotation.is_orphan
    annotation.reply_count = reply_count
    return annotation


def permitted(annotation: Annotation, user):
    """Return the annotation with what user may do with it: never stored, asked per reader."""
    annotation.can_edit = permissions.can_edit_annotation(user, annotation)
    annotation.can_hide = permissions.can_moderate_annotation(user, annotation)
    annotation.can_edit_claim = annotation.claim_id is not None and (
        permissions.can_edit_claim(user, annotation.claim)
    )
    annotation.can_flag = permissions.can_write(user) and annotation.author_id != user.pk
    return annotation


def _row_of(annotation: Annotation, tags: list[Label]) -> Row:
    return Row(
        pk=annotation.pk,
        start=annotation.start,
        end=annotation.end,
        anchor=annotation.anchor,
        visibility=annotation.visibility,
        hidden=annotation.hidden_at is not None,
        author="",
        status_id=annotation.claim.status_id if annotation.claim_id else None,
        label_ids=tuple(t.pk for t in tags),
    )


SUGGESTIONS = 12


def tag_suggestions(raw: str, *, user) -> list[str]:
    """Return whole values for the tag field that complete its last entry.

    The field holds comma-separated entries, so each suggestion repeats the entries before
    the one being typed: a <datalist> completes the whole value. Only tags and claims `user`
    may see are offered: a name typed only into someone's private notes stays theirs.
    """
    head, comma, term = (raw or "").rpartition(",")
    before = f"{head.strip()}, " if comma and head.strip() else ""
    term = " ".join(term.split()).lower()
    statuses = list(Label.objects.statuses())
    found: list[str] = []
    if ":" in term:
        status_part, _, title_part = (part.strip() for part in term.partition(":"))
        typed = next((s for s in statuses if s.name.lower() == status_part), None)
        claims = Claim.objects.visible_to(user).select_related("status").order_by("-updated_at")
        if title_part:
            claims = claims.filter(title__icontains=title_part)
        for claim in claims[:SUGGESTIONS]:
            found.append(f"{(typed or claim.status).name}: {claim.title}")
        if typed is None:
            found += [f"{s.name}: " for s in statuses if s.name.lower().startswith(status_part)]
    else:
        found += [f"{s.name}: " for s in statuses if s.name.lower().startswith(term)]
        if term:
            tags = Label.objects.tags().visible_to(user).filter(name__icontains=term)
            tags = tags.order_by("position", "name")
            found += [tag.name for tag in tags[:SUGGESTIONS]]
            claims = Claim.objects.visible_to(user).select_related("status")
            claims = claims.filter(title__icontains=term)
            found += [f"{c.status.name}: {c.title}" for c in claims.order_by("-updated_at")[:6]]
    unique = list(dict.fromkeys(found))[:SUGGESTIONS]
    return [before + option for option in unique]


def claim_suggestions(raw: str, *, user) -> list[str]:
    """Return the titles of claims `user` may see that hold `raw`, most recently changed first."""
    term = " ".join((raw or "").split())
    if not term:
        return []
    claims = Claim.objects.visible_to(user).filter(title__icontains=term)
    return list(claims.order_by("-updated_at").values_list("title", flat=True)[:SUGGESTIONS])


def composer_context(user, labels: dict[int, Label] | None = None) -> dict:
    """Return what the composer offers `user`: the statuses to choose, whether they may share.

    `labels` (all of them, when the caller has them) saves the query for the statuses.
    """
    if labels is None:
        statuses = list(Label.objects.statuses())
    else:
        statuses = sorted(
            (label for label in labels.values() if label.is_status),
            key=lambda label: (label.position, label.name),
        )
    return {"claim_statuses": statuses, "can_share": permissions.can_annotate(user)}

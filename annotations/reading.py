"""What the reader page shows of annotations: the painted body, the cards, filters and forms.

Everything is fetched in a fixed number of queries whatever the number of annotations: one
narrow query for all visible annotations with their label ids (enough to paint and filter),
one for the label vocabulary and two for the current page of cards (the cards, their reply
counts). A new annotation is shown by insertion_for in a fixed number of smaller ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import changefeed, permissions
from .aggregates import JoinedText
from .models import Annotation, Claim, Label, Reply
from .painting import Span, paint, paint_pieces, touched_pieces

# Cards rendered per page of the side panel; highlights are painted for all of them.
PANEL_PAGE_SIZE = 25
# How long a painted body is kept for readers of the same page (its key changes on any edit).
PAINT_CACHE_SECONDS = 60 * 60
# Passages with no tag and no claim.
PLAIN_COLOUR = "#ffd54f"
# Orphans listed under the cards; more are rare (an article rewritten from scratch).
ORPHANS_SHOWN = 50


@dataclass(frozen=True)
class Filters:
    """The panel's filters, read from by_label, by_status and by_author.

    Prefixed so they never clash with form fields such as a claim's status.
    """

    label: str = ""  # label slug
    status: str = ""  # status slug
    author: str = ""  # username

    @classmethod
    def from_query(cls, data: QueryDict) -> Filters:
        return cls(
            label=data.get("by_label", "")[:64],
            status=data.get("by_status", "")[:64],
            author=data.get("by_author", "")[:150],
        )

    @property
    def active(self) -> bool:
        return bool(self.label or self.status or self.author)

    def querystring(self) -> str:
        query = QueryDict(mutable=True)
        for name in ("label", "status", "author"):
            if getattr(self, name):
                query[f"by_{name}"] = getattr(self, name)
        return query.urlencode()


@dataclass(frozen=True)
class Row:
    """What painting and filtering need of one annotation."""

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

    One query: the label ids come along as one string per annotation.
    """
    visible = Annotation.objects.visible_to(user).filter(article=article).in_reading_order()
    if only is not None:
        visible = visible.filter(only)
    fields = ("pk", "start", "end", "anchor", "visibility", "hidden_at", "author__username")
    rows = visible.values_list(*fields, "claim__status_id").annotate(
        label_list=JoinedText("labels")
    )
    return [
        Row(
            pk,
            start,
            end,
            anchor,
            vis,
            hidden is not None,
            author,
            status,
            tuple(map(int, label_list.split(","))) if label_list else (),
        )
        for pk, start, end, anchor, vis, hidden, author, status, label_list in rows
    ]


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


@dataclass
class Painting:
    rows: list[Row]  # after filtering, in reading order
    all_rows: list[Row]
    labels: dict[int, Label]
    looks: dict[int, tuple[str, str]]
    html: SafeString
    painted_ids: set[int]


def paint_for(article, user, filters: Filters) -> Painting:
    """Return the article body painted with the annotations user sees that pass filters."""
    labels = {label.pk: label for label in Label.objects.all()}
    labels_by_slug = {label.slug: label for label in labels.values()}
    all_rows = _rows(article, user)
    rows = [row for row in all_rows if _matches(row, filters, labels_by_slug)]
    looks = {row.pk: _look(row, labels) for row in rows}
    spans = [Span(row.pk, row.start, row.end, *looks[row.pk]) for row in rows if row.paintable]
    painted_html, painted_ids = _painted(article.body_html, spans)
    # The body is sanitised HTML stored at import; painting escapes all it adds.
    html = mark_safe(painted_html)  # noqa: S308
    return Painting(rows, all_rows, labels, looks, html, painted_ids)


def _painted(body_html: str, spans: list[Span]) -> tuple[str, set[int]]:
    """Return paint(body_html, spans), reusing the result while neither changes.

    The key covers everything painting reads, so a new annotation, edit, label colour or
    article text gives a new key; readers of an unchanged page share one painting.
    """
    if not spans:
        return body_html, set()
    digest = hashlib.blake2b(body_html.encode(), digest_size=16)
    digest.update(
        "|".join(f"{s.id},{s.start},{s.end},{s.css_class},{s.colour}" for s in spans).encode()
    )
    key = f"claimlens:painted:v1:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        painted = paint(body_html, spans)
        found = (painted.html, painted.painted_ids)
        cache.set(key, found, PAINT_CACHE_SECONDS)
    return found


def reader_context(
    request,
    article,
    *,
    filters: Filters | None = None,
    around: int | None = None,
    preserve: frozenset[int] = frozenset(),
) -> dict:
    """Return the template context the reader page needs to show annotations on article.

    `around` picks the panel page holding that annotation (after creating it, or when a
    highlight's card is not on the current page). Cards in `preserve` are left out, as
    placeholders the page keeps its own copy in (a card someone is editing, during a live
    refresh).
    """
    user = request.user
    # Read before the annotations: a change landing in between is then fetched again by the
    # page's poller (harmless) instead of being missed.
    cursor = changefeed.cursor_for(article=article)
    if filters is None:
        filters = Filters.from_query(request.GET)
    painting = paint_for(article, user, filters)
    labels, all_rows = painting.labels, painting.all_rows

    order = [row.pk for row in painting.rows]
    number = _page_number(request, order, around)
    page_ids = order[(number - 1) * PANEL_PAGE_SIZE : number * PANEL_PAGE_SIZE]
    cards = card_annotations(
        request,
        page_ids,
        labels=labels,
        looks=painting.looks,
        painted_ids=painting.painted_ids,
        label_ids={row.pk: row.label_ids for row in painting.rows},
    )
    used_label_ids = {i for row in all_rows for i in row.label_ids}
    used_status_ids = {row.status_id for row in all_rows if row.status_id}
    # A queryset: only the full page renders the orphans, so a panel refresh never runs it.
    orphans = (
        Annotation.objects.filter(article=article)
        .orphaned()
        .visible_to(user)
        .with_related()
        .order_by("created_at", "pk")[:ORPHANS_SHOWN]
    )
    return {
        "article": article,
        "cursor": cursor,
        "painted_html": painting.html,
        "paint": True,
        "preserve": preserve,
        "orphans": orphans,
        "annotations": cards,
        "panel_page": PanelPage(number=number, count=len(order), total=len(all_rows)),
        "filters": filters,
        "filter_labels": sorted(
            (labels[i] for i in used_label_ids if i in labels and not labels[i].is_status),
            key=_label_order,
        ),
        "filter_statuses": sorted(
            (labels[i] for i in used_status_ids if i in labels), key=_label_order
        ),
        "filter_authors": sorted({row.author for row in all_rows}, key=str.lower),
        "can_annotate": permissions.can_annotate(user),
        "label_shortcuts": [
            {"key": label.shortcut, "name": label.name}
            for label in sorted(labels.values(), key=_label_order)
            if label.shortcut and not label.is_status
        ],
    }


@dataclass
class Insertion:
    """What a reader page needs to show one new annotation without fetching its panel again."""

    card: Annotation
    after: int | None  # the shown card it follows; None: it goes first
    total: int  # annotations the reader sees now
    pieces: list[SafeString]  # the body's elements it is on, painted again, as htmx swaps


def insertion_for(request, article, annotation: Annotation, *, shown: Collection[int]):
    """Return how to add a new annotation to a reader page whose panel shows the cards `shown`.

    The new card joins the cards shown, after the last of them that comes before it in
    reading order, so saving never moves the panel away from what the reader was looking
    at; only the paragraphs its passage is on are painted again. A fixed number of small
    queries, however many annotations the article has. None when the page needs its whole
    panel again: it shows no card yet, or the annotation brings an author, tag or status
    that the filter menus (built from the annotations there) do not offer yet.
    """
    user = request.user
    if not shown:
        return None  # the panel says "No annotations yet"
    # One query for the annotations on the paragraphs the new one is on (to paint them
    # again) and for the cards shown (to place the new card among them).
    touched = []
    if annotation.start is not None and annotation.anchor != Annotation.Anchor.ORPHAN:
        touched = touched_pieces(article.body_html, annotation.start, annotation.end)
    nearby = Q(pk__in=[*shown, annotation.pk])
    if touched:
        nearby |= Q(start__lt=touched[-1][2], end__gt=touched[0][1])
    rows = {row.pk: row for row in _rows(article, user, only=nearby)}
    mine = rows.get(annotation.pk)
    if mine is None:
        return None
    # One more counts what the reader sees and whether others already have this author,
    # status and tags (as subqueries, not joins, so that each stays a cheap lookup).
    other = ~Q(pk=annotation.pk)
    facets = {"author": Q(author_id=annotation.author_id)}
    if mine.status_id is not None:
        of_status = Claim.objects.filter(status_id=mine.status_id).values("pk")
        facets["status"] = Q(claim__in=of_status)
    through = Annotation.labels.through.objects
    for label_id in mine.label_ids:
        facets[f"tag_{label_id}"] = Q(
            pk__in=through.filter(label_id=label_id).values("annotation_id")
        )
    counts = (
        Annotation.objects.visible_to(user)
        .filter(article=article)
        .aggregate(
            total=Count("pk"),
            **{name: Count("pk", filter=condition & other) for name, condition in facets.items()},
        )
    )
    if not all(counts[name] for name in facets):
        return None
    ahead = [_reading_key(row) for pk, row in rows.items() if pk in shown]
    ahead = [key for key in ahead if key < _reading_key(mine)]
    labels = {label.pk: label for label in Label.objects.all()}
    spans = [
        Span(row.pk, row.start, row.end, *_look(row, labels))
        for row in rows.values()
        if row.paintable
    ]
    painted = paint_pieces(article.body_html, spans, [index for index, *_ in touched])
    return Insertion(
        card=_new_card(request, annotation, mine, labels),
        after=max(ahead)[-1] if ahead else None,
        total=counts["total"],
        pieces=[
            _swapping(html, f"outerHTML:#article-body > :nth-child({index + 1})")
            for (index, *_), html in zip(touched, painted, strict=True)
        ],
    )


def _reading_key(row: Row) -> tuple:
    """Return what orders annotations as in_reading_order() does: page notes first."""
    return (row.start is not None, row.start or 0, row.end or 0, row.pk)


def _new_card(request, annotation: Annotation, row: Row, labels: dict[int, Label]):
    """Return a just-saved annotation ready for its card, from its row: no query again."""
    if annotation.claim_id and annotation.claim.status_id in labels:
        annotation.claim.status = labels[annotation.claim.status_id]
    return _dressed(
        annotation,
        user=request.user,
        tags=[labels[i] for i in row.label_ids if i in labels],
        look=_look(row, labels),
        painted=True,
        reply_count=0,
    )


_OPENING_TAG = re.compile(r"^(\s*<[a-zA-Z][a-zA-Z0-9]*)")


def _swapping(html: str, swap: str) -> SafeString:
    """Return a painted element with hx-swap-oob set on it, to replace its copy on the page."""
    # Painted HTML is built from the sanitised body and escaped values (see painting).
    return mark_safe(  # noqa: S308
        _OPENING_TAG.sub(lambda m: f'{m.group(1)} hx-swap-oob="{escape(swap)}"', html, count=1)
    )


def _page_number(request, order: list[int], around: int | None) -> int:
    if around is not None and around in order:
        return order.index(around) // PANEL_PAGE_SIZE + 1
    try:
        number = int(request.GET.get("panel_page", 1))
    except ValueError:
        number = 1
    last = max(1, -(-len(order) // PANEL_PAGE_SIZE))
    return min(max(1, number), last)


def card_annotations(
    request,
    ids: list[int],
    *,
    labels: dict[int, Label] | None = None,
    looks: dict[int, tuple[str, str]] | None = None,
    painted_ids: set[int] | None = None,
    label_ids: dict[int, tuple[int, ...]] | None = None,
) -> list[Annotation]:
    """Return the annotations with these ids, in this order, ready for their cards.

    `label_ids` gives each annotation's label ids when the caller has them already (rows).
    """
    if not ids:
        return []
    if labels is None:
        labels = {label.pk: label for label in Label.objects.all()}
    found = {
        a.pk: a
        for a in Annotation.objects.filter(pk__in=ids).select_related(
            "author", "claim", "claim__status"
        )
    }
    if label_ids is None:
        label_ids = {}
        for annotation_id, label_id in Annotation.labels.through.objects.filter(
            annotation_id__in=ids
        ).values_list("annotation_id", "label_id"):
            label_ids[annotation_id] = (*label_ids.get(annotation_id, ()), label_id)
    # Deleted replies leave a placeholder in the thread but are not counted.
    reply_counts = dict(
        Reply.objects.alive()
        .filter(annotation_id__in=ids)
        .order_by()
        .values("annotation_id")
        .annotate(n=Count("pk"))
        .values_list("annotation_id", "n")
    )
    user = request.user
    cards = []
    for pk in ids:
        annotation = found.get(pk)
        if annotation is None:
            continue
        tags = [labels[i] for i in label_ids.get(pk, ()) if i in labels]
        look = (looks or {}).get(pk)
        if look is None:
            look = _look(_row_of(annotation, tags), labels)
        painted = painted_ids is None or pk in painted_ids
        reply_count = reply_counts.get(pk, 0)
        cards.append(
            _dressed(
                annotation,
                user=user,
                tags=tags,
                look=look,
                painted=painted,
                reply_count=reply_count,
            )
        )
    return cards


def _dressed(annotation: Annotation, *, user, tags, look, painted: bool, reply_count: int):
    """Return the annotation with what its card shows and what user may do with it."""
    annotation.chips = sorted(tags, key=_label_order)
    annotation.colour = look[1]
    annotation.painted = painted and annotation.start is not None and not annotation.is_orphan
    annotation.can_edit = permissions.can_edit_annotation(user, annotation)
    annotation.can_hide = permissions.can_moderate_annotation(user, annotation)
    annotation.can_edit_claim = annotation.claim_id is not None and (
        permissions.can_edit_claim(user, annotation.claim)
    )
    annotation.can_flag = permissions.can_write(user) and annotation.author_id != user.pk
    annotation.reply_count = reply_count
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


def tag_suggestions(raw: str) -> list[str]:
    """Return whole values for the tag field that complete its last entry.

    The field holds comma-separated entries, so each suggestion repeats the entries before
    the one being typed: a <datalist> completes the whole value.
    """
    head, comma, term = (raw or "").rpartition(",")
    before = f"{head.strip()}, " if comma and head.strip() else ""
    term = " ".join(term.split()).lower()
    statuses = list(Label.objects.statuses())
    found: list[str] = []
    if ":" in term:
        status_part, _, title_part = (part.strip() for part in term.partition(":"))
        typed = next((s for s in statuses if s.name.lower() == status_part), None)
        claims = Claim.objects.select_related("status").order_by("-updated_at")
        if title_part:
            claims = claims.filter(title__icontains=title_part)
        for claim in claims[:SUGGESTIONS]:
            found.append(f"{(typed or claim.status).name}: {claim.title}")
        if typed is None:
            found += [f"{s.name}: " for s in statuses if s.name.lower().startswith(status_part)]
    else:
        found += [f"{s.name}: " for s in statuses if s.name.lower().startswith(term)]
        if term:
            tags = Label.objects.tags().filter(name__icontains=term).order_by("position", "name")
            found += [tag.name for tag in tags[:SUGGESTIONS]]
            claims = Claim.objects.select_related("status").filter(title__icontains=term)
            found += [f"{c.status.name}: {c.title}" for c in claims.order_by("-updated_at")[:6]]
    unique = list(dict.fromkeys(found))[:SUGGESTIONS]
    return [before + option for option in unique]

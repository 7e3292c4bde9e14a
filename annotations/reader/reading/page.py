"""The reader page: the painted body, the panel's pages, and a new card put in its place."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.core import permissions
from annotations.core.aggregates import JoinedText
from annotations.core.painting import Span, paint_pieces, touched_pieces
from annotations.models import Annotation, Claim, Label, Reply
from annotations.reader.colours import colours_url
from annotations.reader.reading.building import _built_view
from annotations.reader.reading.rows import (
    ORPHANS_SHOWN,
    PANEL_PAGE_SIZE,
    Filters,
    PanelPage,
    Row,
    _decorated,
    _dressed,
    _label_order,
    _look,
    _row_of,
    _rows,
    composer_context,
    permitted,
)
from annotations.reader.reading.shared import (
    Cards,
    View,
    reader_state,
    shared,
    shared_view,
    view_key,
)


def paint_for(article, user, filters: Filters) -> View:
    """Return what user sees of article's annotations under filters: the painted body and more.

    From the shared cache when user's class of readers has it at the current cursor.
    """
    cursor, reader = reader_state(article, user)
    if reader is None:
        return _built_view(article, user, filters)
    key = view_key(article, cursor, reader, filters)
    return shared_view(key, lambda: _built_view(article, user, filters))


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
    cursor, reader = reader_state(article, user)
    if filters is None:
        filters = Filters.from_query(request.GET)
    requested = (request.GET.get("page", "1"), around)

    def build_cards(view: View) -> Cards:
        number = _page_number(request, view.order, around)
        ids = view.order[(number - 1) * PANEL_PAGE_SIZE : number * PANEL_PAGE_SIZE]
        cards = class_cards(ids, labels=view.labels, painted_ids=view.painted_ids)
        return Cards(number, cards)

    if reader is None:
        view = _built_view(article, user, filters)
        page = build_cards(view)
    else:
        key = view_key(article, cursor, reader, filters)
        cards_key = f"{key}:page{hashlib.blake2b(repr(requested).encode()).hexdigest()[:16]}"
        view, page = shared(
            key, cards_key, lambda: _built_view(article, user, filters), build_cards
        )
    labels = view.labels
    orphans = []
    if view.orphan_ids:
        # Only the full page lists them: a panel refresh never evaluates this queryset.
        orphans = (
            Annotation.objects.filter(pk__in=view.orphan_ids)
            .with_related()
            .order_by("created_at", "pk")[:ORPHANS_SHOWN]
        )
    return {
        "article": article,
        "cursor": cursor,
        "painted_html": view.html,
        "colours_url": colours_url(labels.values(), user),
        "paint": True,
        "preserve": preserve,
        "orphans": orphans,
        "annotations": [permitted(card, user) for card in page.cards],
        "panel_page": PanelPage(number=page.number, count=len(view.order), total=view.total),
        "filters": filters,
        "filter_labels": view.filter_labels,
        "filter_statuses": view.filter_statuses,
        "filter_authors": view.filter_authors,
        "can_annotate": permissions.can_keep_private(user),
        "label_shortcuts": [
            {"key": label.shortcut, "name": label.name}
            for label in sorted(labels.values(), key=_label_order)
            if label.shortcut and not label.is_status
        ],
        **composer_context(user, labels),
    }


def reader_page_context(request, article) -> dict:
    """Return what the annotations add to article's reader page: the panel and a painted body.

    The articles app asks for it through its reader hooks (annotations.apps registers it).
    """
    context = reader_context(request, article)
    return {**context, "reader_body": context["painted_html"]}


@dataclass
class Insertion:
    """What a reader page needs to show one new annotation without fetching its panel again."""

    card: Annotation
    after: int | None  # the shown card it follows; None: it goes first
    total: int  # annotations the reader sees now
    pieces: list[SafeString]  # the body's elements it is on, painted again, as htmx swaps
    colours_url: str  # the labels' stylesheet


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
        Span(row.pk, row.start, row.end, _look(row, labels)[0])
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
        colours_url=colours_url(labels.values(), user),
    )


def _reading_key(row: Row) -> tuple:
    """Return what orders annotations as in_reading_order() does: page notes first."""
    return (row.start is not None, row.start or 0, row.end or 0, row.pk)


def claim_desks(claim_ids) -> dict[int, SimpleNamespace]:
    """Return, for each claim, how many verdicts, evidence links and live replies it has."""
    if not claim_ids:
        return {}
    counted = Claim.objects.filter(pk__in=claim_ids).annotate(
        n_verdicts=Count("verdicts", distinct=True),
        n_evidence=Count("evidence", distinct=True),
        n_replies=Count("replies", filter=Q(replies__deleted_at__isnull=True), distinct=True),
    )
    return {
        c.pk: SimpleNamespace(verdicts=c.n_verdicts, evidence=c.n_evidence, replies=c.n_replies)
        for c in counted.only("pk")
    }


def _new_card(request, annotation: Annotation, row: Row, labels: dict[int, Label]):
    """Return a just-saved annotation ready for its card, from its row (and its claim's counts)."""
    if annotation.claim_id and annotation.claim.status_id in labels:
        annotation.claim.status = labels[annotation.claim.status_id]
    claim = annotation.claim if annotation.claim_id else None
    if claim is not None and getattr(claim, "made_now", False):
        # Made by this very request (services.tagging says so): its desk is empty.
        annotation.desk = SimpleNamespace(verdicts=0, evidence=0, replies=0)
    else:
        annotation.desk = claim_desks({claim.pk} if claim else set()).get(annotation.claim_id)
    shared = annotation.visibility == Annotation.Visibility.SHARED  # in the claim's thread
    return _dressed(
        annotation,
        user=request.user,
        tags=[labels[i] for i in row.label_ids if i in labels],
        look=_look(row, labels),
        painted=True,
        reply_count=annotation.desk.replies if annotation.desk and shared else 0,
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
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    last = max(1, -(-len(order) // PANEL_PAGE_SIZE))
    return min(max(1, number), last)


def card_annotations(
    request,
    ids: list[int],
    *,
    labels: dict[int, Label] | None = None,
    painted_ids: Collection[int] | None = None,
) -> list[Annotation]:
    """Return the annotations with these ids, in this order, ready for request.user's cards."""
    cards = class_cards(ids, labels=labels, painted_ids=painted_ids)
    return [permitted(card, request.user) for card in cards]


def class_cards(
    ids: list[int],
    *,
    labels: dict[int, Label] | None = None,
    painted_ids: Collection[int] | None = None,
) -> list[Annotation]:
    """Return the annotations with these ids, in this order, with what every reader sees on them.

    What a reader may do with each is added by rows.permitted, per reader: these can be shared.
    """
    if not ids:
        return []
    if labels is None:
        labels = {label.pk: label for label in Label.objects.all()}
    # The label ids come along as one string per annotation, as in _rows.
    found = {
        a.pk: a
        for a in Annotation.objects.filter(pk__in=ids)
        .select_related("author", "claim", "claim__status")
        .annotate(label_list=JoinedText("labels"))
    }
    label_ids = {
        pk: tuple(map(int, a.label_list.split(","))) if a.label_list else ()
        for pk, a in found.items()
    }
    # Deleted replies leave a placeholder in the thread but are not counted.
    reply_counts = dict(
        Reply.objects.alive()
        .filter(annotation_id__in=ids)
        .order_by()
        .values("annotation_id")
        .annotate(n=Count("pk"))
        .values_list("annotation_id", "n")
    )
    desks = claim_desks({a.claim_id for a in found.values() if a.claim_id})
    cards = []
    for pk in ids:
        annotation = found.get(pk)
        if annotation is None:
            continue
        tags = [labels[i] for i in label_ids.get(pk, ()) if i in labels]
        # A claim's card counts the claim's one discussion (its desk), others their own.
        annotation.desk = desks.get(annotation.claim_id)
        in_claims_thread = annotation.desk is not None and annotation.visibility == "shared"
        replies = annotation.desk.replies if in_claims_thread else reply_counts.get(pk, 0)
        cards.append(
            _decorated(
                annotation,
                tags=tags,
                look=_look(_row_of(annotation, tags), labels),
                painted=painted_ids is None or pk in painted_ids,
                reply_count=replies,
            )
        )
    return cards

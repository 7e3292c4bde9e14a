"""Building what a class of readers sees of an article: its rows filtered, looked at, painted."""

from __future__ import annotations

import gc
from contextlib import contextmanager

from django.utils.safestring import mark_safe

from annotations.core.painting import Span, paint
from annotations.models import Annotation, Label
from annotations.reader.reading.rows import (
    Filters,
    Row,
    _label_order,
    _look,
    _matches,
    _rows,
    _with_text,
)
from annotations.reader.reading.shared import View


@contextmanager
def _no_collection():
    """Hold the cyclic garbage collector back while building a view.

    A page of 10,000 annotations allocates a few hundred thousand tuples, none of them in a
    cycle (reference counting frees them); each allocation burst set off collections that
    walked the worker's whole heap, which cost as much as the painting itself.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _built_view(article, user, filters: Filters) -> View:
    """Return the view computed from the database: the annotations' rows, painted."""
    with _no_collection():
        return _view_of(article, user, filters)


def _view_of(article, user, filters: Filters) -> View:
    labels = {label.pk: label for label in Label.objects.all()}
    labels_by_slug = {label.slug: label for label in labels.values()}
    all_rows = _rows(article, user)
    rows = all_rows
    if filters.author or filters.label or filters.status:
        rows = [row for row in rows if _matches(row, filters, labels_by_slug)]
    if filters.text:
        with_text = _with_text(article, user, filters.text)
        rows = [row for row in rows if row.pk in with_text]
    # Only the class: the labels' stylesheet (reader.colours) gives each its colour.
    spans = _spans(rows, labels)
    painted = paint(article.body_html, spans)
    # One pass over the rows for the menus (a page may have 10,000): labels, statuses, authors.
    used_label_ids: set[int] = set()
    used_status_ids: set[int] = set()
    authors: set[str] = set()
    orphan_ids = []
    orphan = Annotation.Anchor.ORPHAN
    add_author, add_status = authors.add, used_status_ids.add
    for pk, _, _, anchor, _, _, author, status_id, label_ids in all_rows:
        if label_ids:
            used_label_ids.update(label_ids)
        if status_id:
            add_status(status_id)
        add_author(author)
        if anchor == orphan:
            orphan_ids.append(pk)
    return View(
        # The body is sanitised HTML stored at import; painting escapes all it adds.
        html=mark_safe(painted.html),  # noqa: S308
        painted_ids=frozenset(painted.painted_ids),
        # Newest first is by id: ids are given in the order annotations are made.
        order=sorted((row.pk for row in rows), reverse=True)
        if filters.order == "time"
        else [row.pk for row in rows],
        total=len(all_rows),
        labels=labels,
        filter_labels=sorted(
            (labels[i] for i in used_label_ids if i in labels and not labels[i].is_status),
            key=_label_order,
        ),
        filter_statuses=sorted(
            (labels[i] for i in used_status_ids if i in labels), key=_label_order
        ),
        filter_authors=sorted(authors, key=str.lower),
        orphan_ids=orphan_ids,
    )


def _spans(rows: list[Row], labels: dict[int, Label]) -> list[Span]:
    """Return the spans of the rows that have a passage here, each with its classes.

    Rows that look alike (most of them) share one computation of their look.
    """
    seen: dict[tuple, str] = {}
    spans = []
    orphan = Annotation.Anchor.ORPHAN
    # Span(...) goes through a Python-level __new__; the tuple's own is half the cost, and
    # a page of 10,000 annotations makes 10,000 of them.
    new = tuple.__new__
    for row in rows:
        pk, start, end, anchor, visibility, hidden, _, status_id, label_ids = row
        if start is None or end is None or anchor == orphan:  # Row.paintable
            continue
        alike = (status_id, label_ids, visibility, hidden)
        look = seen.get(alike)
        if look is None:
            look = seen[alike] = _look(row, labels)[0]
        spans.append(new(Span, (pk, start, end, look, "")))
    return spans

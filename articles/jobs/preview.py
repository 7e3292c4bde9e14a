"""What a page of a job waiting for confirmation would do, worked out for that page only.

A 1,000-item zip is previewed a page at a time: the page's items are read, checked and
dry-run (nothing saved), so the preview answers in the time of one page, whatever the batch.
"""

from __future__ import annotations

from django.db import transaction

from ..imports import NEW, ItemResult, import_items
from .models import ImportJobItem
from .sources import read_entry


def preview_page(items: list[ImportJobItem]) -> list[tuple[ImportJobItem, list[ItemResult]]]:
    """Return each item with what importing it now would report (nothing is saved)."""
    shown = []
    with transaction.atomic():
        for item in items:
            parsed = read_entry(item.label, item.source)
            choices = [NEW if item.choice == NEW else None] * len(parsed)
            report = import_items(items=parsed, dry_run=True, choices=choices)
            shown.append((item, list(report.results)))
        transaction.set_rollback(True)
    return shown

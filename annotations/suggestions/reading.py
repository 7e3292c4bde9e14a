"""What the reader page shows of an article's suggestions (the "suggestions" reader extension)."""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Subquery

from annotations.core import permissions
from annotations.models import Suggestion
from articles.reader_hooks import PageStamp

PANEL = "annotations/suggestions/includes/_panel.html"


def suggestions_context(request, article) -> dict:
    """Return the article's open suggestions and its speakers, in one query."""
    suggestions = list(Suggestion.objects.for_article(article))
    counts: dict[str, int] = {}
    for suggestion in suggestions:
        if suggestion.speaker_full:
            counts[suggestion.speaker_full] = counts.get(suggestion.speaker_full, 0) + 1
    return {
        "claim_suggestions": suggestions,
        "article_speakers": sorted(counts, key=lambda name: (-counts[name], name)),
        "can_decide_suggestions": permissions.can_annotate(request.user),
        "reader_panel_sections": [PANEL],
    }


def suggestions_stamp(request) -> PageStamp:
    """Return the suggestions' part of a stored reader page's key: how many are open, the newest.

    Refreshing them (a new text) makes new rows, deciding one closes it: either moves these.
    Their changes are in no change feed, so the key reads them itself.
    """

    def columns() -> dict:
        open_ones = Suggestion.objects.open().filter(article=OuterRef("pk")).order_by()
        grouped = open_ones.values("article")
        return {
            "open": Subquery(grouped.annotate(n=Count("pk")).values("n")),
            "newest": Subquery(grouped.annotate(m=Max("pk")).values("m")),
        }

    return PageStamp(
        shape="all", columns=columns, key=lambda values: f"s{values['open']}.{values['newest']}"
    )

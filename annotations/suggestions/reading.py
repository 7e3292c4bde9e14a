"""What the reader page shows of an article's suggestions (the "suggestions" reader extension)."""

from __future__ import annotations

from annotations.core import permissions
from annotations.models import Suggestion

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

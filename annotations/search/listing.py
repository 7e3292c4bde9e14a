"""What the annotations add to the article list: each article's annotation and claim counts.

Registered with articles.list_hooks in apps.ready. One query for the whole page, counting only
what the reader may see (visible_to), so a private note never shows in someone else's number.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count

from annotations.models import Annotation

ROW_TEMPLATE = "annotations/search/includes/_article_counts.html"


def count_annotations(request, articles: Sequence) -> None:
    """Set annotation_count and claim_count on each article of a list page."""
    counts = (
        Annotation.objects.visible_to(request.user)
        .filter(article_id__in=[article.pk for article in articles])
        .order_by()
        .values("article_id")
        .annotate(annotations=Count("pk"), claims=Count("claim", distinct=True))
    )
    by_article = {row["article_id"]: row for row in counts}
    for article in articles:
        row = by_article.get(article.pk, {})
        article.annotation_count = row.get("annotations", 0)
        article.claim_count = row.get("claims", 0)

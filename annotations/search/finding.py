"""What the search page lists: articles, annotations and claims matching a query.

Annotations and claims are narrowed to what the user may see before anything is matched
(visible_to: shared ones, their own private ones, hidden ones only to their author and
moderators; claim names typed only into others' private notes never), then by the filters.
Articles come from the articles app's own search (search_articles), which knows only words:
the other filters describe annotations and claims, so articles leave the page when one is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from annotations.models import Annotation, Claim
from annotations.search.engine import ANNOTATIONS, CLAIMS, dress, matching
from articles.search import MAX_RESULTS, full_text_query, search_articles

PAGE_SIZE = 20
PREVIEW = 5  # hits of each kind when all kinds are shown
KINDS = ("articles", "annotations", "claims")
ORDERS = {"": ("-rank", "-pk"), "newest": ("-created_at", "-pk"), "oldest": ("created_at", "pk")}
# What the annotation rows show of their article: never its (long) text.
ARTICLE_TEXTS = ("article__body_html", "article__body_text", "article__body_markdown")


@dataclass
class Section:
    """The hits of one kind: a page of them, and whether it is the whole list or a preview."""

    kind: str
    page: Page
    preview: bool

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def capped(self) -> bool:
        """Return whether only the newest MAX_RESULTS matches were ranked."""
        return self.count >= MAX_RESULTS


def search_sections(user, data: dict, *, page_number=None) -> list[Section]:
    """Return a Section per kind searched: one kind paged, or a preview of each."""
    if not data.get("q"):
        return []
    prepared = full_text_query(data["q"])
    kinds = [data["kind"]] if data.get("kind") else list(KINDS)
    if data.get("narrows") and "articles" in kinds and len(kinds) > 1:
        kinds.remove("articles")
    preview = len(kinds) > 1
    sections = []
    for kind in kinds:
        if kind == "articles":
            hits = search_articles(data["q"])
        elif kind == "annotations":
            hits = annotation_hits(user, data, prepared)
        else:
            hits = claim_hits(user, data, prepared)
        paginator = Paginator(hits, PREVIEW if preview else PAGE_SIZE)
        page = paginator.get_page(1 if preview else page_number)
        if kind != "articles":
            page.object_list = dress(list(page.object_list), _INDEXES[kind])
        sections.append(Section(kind, page, preview))
    return sections


def annotation_hits(user, data: dict, prepared: str) -> QuerySet:
    """Return the annotations user may see that match, filtered and in the asked order."""
    visible = Annotation.objects.visible_to(user)
    if data.get("status"):
        visible = visible.filter(claim__status__slug=data["status"])
    if data.get("author"):
        visible = visible.filter(author__username=data["author"])
    if data.get("article"):
        visible = visible.filter(article_id=data["article"])
    visible = _in_dates(visible, data)
    return (
        matching(visible, ANNOTATIONS, prepared)
        .select_related("author", "article", "claim__status")
        .defer(*ARTICLE_TEXTS)
        .prefetch_related("labels")
        .order_by(*ORDERS[data.get("sort") or ""])
    )


def claim_hits(user, data: dict, prepared: str) -> QuerySet:
    """Return the claims user may see that match, filtered and in the asked order."""
    visible = Claim.objects.visible_to(user)
    if data.get("status"):
        visible = visible.filter(status__slug=data["status"])
    if data.get("author"):
        visible = visible.filter(created_by__username=data["author"])
    if data.get("article"):
        # Only through appearances the user sees: a private note must not tell where it is.
        seen = Annotation.objects.visible_to(user).filter(article_id=data["article"])
        visible = visible.filter(pk__in=seen.values("claim_id"))
    visible = _in_dates(visible, data)
    return (
        matching(visible, CLAIMS, prepared)
        .select_related("status", "created_by")
        .order_by(*ORDERS[data.get("sort") or ""])
    )


def _in_dates(queryset: QuerySet, data: dict) -> QuerySet:
    if data.get("since"):
        queryset = queryset.filter(created_at__date__gte=data["since"])
    if data.get("until"):
        queryset = queryset.filter(created_at__date__lte=data["until"])
    return queryset


_INDEXES = {"annotations": ANNOTATIONS, "claims": CLAIMS}

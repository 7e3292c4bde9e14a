"""The revisions of an article: the list of them, and what changed between two."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .diffing import diff_paragraphs, diff_stats, diff_words
from .models import Article, ArticleRevision

# The diff page shows the article's title only: its texts are not loaded.
_ARTICLE_TEXTS = ("body_markdown", "body_html", "body_text")


@require_GET
def revision_list(request, pk):
    article = get_object_or_404(Article.objects.only("title", "revision_number"), pk=pk)
    revisions = list(article.revisions.for_list())
    return render(
        request, "articles/revision_list.html", {"article": article, "revisions": revisions}
    )


@require_GET
def revision_diff(request, pk, a, b):
    found = {
        revision.number: revision
        for revision in ArticleRevision.objects.filter(article_id=pk, number__in={a, b})
        .select_related("article")
        .defer("body_markdown", "body_html", *(f"article__{f}" for f in _ARTICLE_TEXTS))
    }
    if a not in found or b not in found:
        raise Http404("No such revision.")
    old, new = found[a], found[b]
    diffs = diff_words(old.body_text, new.body_text, readable=True)
    context = {
        "article": new.article,
        "old": old,
        "new": new,
        "paragraphs": diff_paragraphs(diffs),
        "stats": diff_stats(diffs),
        "title_changes": (
            diff_paragraphs(diff_words(old.title, new.title, readable=True))
            if old.title != new.title
            else None
        ),
    }
    return render(request, "articles/revision_diff.html", context)

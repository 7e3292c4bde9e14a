from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from annotations.reading import reader_context

from .models import Article, ArticleRevision
from .search import search_articles

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def article_list(request: HtmxHttpRequest):
    query = request.GET.get("q", "").strip()
    source = request.GET.get("source", "").strip()
    if query:
        articles = search_articles(query, source=source)
    else:
        articles = Article.objects.for_list().from_source(source).newest_first()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "articles/article_list.html"
    if request.htmx:
        template_name += "#article-results"
    context = {
        "page": page,
        "query": query,
        "source": source,
        "sources": Article.objects.source_names(),
    }
    return render(request, template_name, context)


@require_GET
def article_detail(request: HtmxHttpRequest, pk: int):
    article = get_object_or_404(Article.objects.for_reader(), pk=pk)
    # The annotations app paints highlights into a copy of the body and fills the side panel.
    context = {"article": article, **reader_context(request, article)}
    return render(request, "articles/article_detail.html", context)


@require_GET
def article_revision(request: HtmxHttpRequest, pk: int, number: int):
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article"), article_id=pk, number=number
    )
    revisions = revision.article.revisions.only("article_id", "number", "created_at")
    context = {"revision": revision, "article": revision.article, "revisions": revisions}
    return render(request, "articles/revision_detail.html", context)

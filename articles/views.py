from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import pages
from .http import HtmxHttpRequest
from .importers import format_size
from .list_hooks import extend_rows
from .models import Article, ArticleRevision
from .params import search_text
from .reader_hooks import extension_context
from .search import search_articles

PAGE_SIZE = 25


@require_GET
def article_list(request: HtmxHttpRequest):
    query = search_text(request.GET.get("q"))
    source = search_text(request.GET.get("source"))
    if query:
        articles = search_articles(query, source=source)
    else:
        articles = Article.objects.for_list().from_source(source).newest_first()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Apps that extend the list (list_hooks) add to the rows, e.g. how many annotations each has.
    row_templates = extend_rows(request, page.object_list)
    template_name = "articles/article_list.html"
    if request.htmx:
        template_name += "#article-results"
    context = {
        "page": page,
        "query": query,
        "source": source,
        "sources": Article.objects.source_names(),
        "row_templates": row_templates,
    }
    return render(request, template_name, context)


@require_GET
def article_detail(request: HtmxHttpRequest, pk: int):
    # What decides the page, in one query; a page drawn at it before is served from the
    # shared cache (articles.pages).
    state = pages.page_state(request, pk)
    if state is None:
        raise Http404("No article here.")
    if state.key and (response := pages.cached_response(request, state)):
        return response
    article = get_object_or_404(Article.objects.for_reader(), pk=pk)
    # The apps that extend the reader (reader_hooks) fill its slots, and may paint the body.
    context = {"article": article, **extension_context(request, article)}
    if not state.key:
        pages.counts["bypass"] += 1
        return render(request, "articles/article_detail.html", context)
    # Drawn with a placeholder for the CSRF token: each request gets its own when served.
    context["csrf_token"] = state.placeholder
    response = render(request, "articles/article_detail.html", context)
    return pages.store(request, state, response)


@require_GET
def article_revision(request: HtmxHttpRequest, pk: int, number: int):
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article"), article_id=pk, number=number
    )
    revisions = revision.article.revisions.only("article_id", "number", "created_at")
    context = {"revision": revision, "article": revision.article, "revisions": revisions}
    return render(request, "articles/revision_detail.html", context)


def bad_request(request: HtmxHttpRequest, exception=None):
    """Say why a request was refused (the project's handler400), not just "Bad Request".

    A form over DATA_UPLOAD_MAX_MEMORY_SIZE (a long paste) is refused before any view sees it;
    a BadRequest raised by a view carries a message written for people. Other refusals (a bad
    Host header, a broken cookie) say nothing about what was refused.
    """
    if isinstance(exception, RequestDataTooBig):
        limit = format_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        reason = (
            f"What you sent is more than the {limit} a form can hold, so none of it was read. "
            "Send less at once: upload a long article as a file instead of pasting it."
        )
    elif type(exception) is BadRequest and str(exception):
        reason = str(exception)
    else:
        reason = "The request could not be understood."
    return render(request, "400.html", {"reason": reason}, status=400)

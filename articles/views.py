from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotations.reading import reader_context

from .models import Article, ArticleRevision


@require_GET
def article_list(request):
    articles = Article.objects.for_list().newest_first()
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@require_GET
def article_detail(request, pk):
    article = get_object_or_404(Article, pk=pk)
    context = {"article": article, **reader_context(request, article)}
    return render(request, "articles/article_detail.html", context)


@require_GET
def article_revision(request, pk, number):
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article"), article_id=pk, number=number
    )
    return render(request, "articles/revision_detail.html", {"revision": revision})

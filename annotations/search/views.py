"""The search page: /search/?q=… over articles, annotations and claims."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.models import Label
from annotations.search.finding import search_sections
from annotations.search.forms import SearchForm
from articles.http import HtmxHttpRequest

TEMPLATE = "annotations/search/search.html"


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Show what matches the query: each kind's best hits, or one kind's hits page by page."""
    form = SearchForm(request.GET)
    valid = form.is_valid()
    data = {**form.cleaned_data, "narrows": valid and form.narrows_annotations}
    sections = search_sections(request.user, data, page_number=request.GET.get("page"))
    context = {
        "form": form,
        "query": data.get("q", ""),
        "sections": sections if valid else [],
        "statuses": Label.objects.statuses(),
        "narrowed": data["narrows"],
    }
    template = f"{TEMPLATE}#search-results" if request.htmx else TEMPLATE
    return render(request, template, context, status=200 if valid else 400)

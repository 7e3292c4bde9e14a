"""/api/search: Hypothesis's search API over Claimlens's annotations, so h's tools can read it.

h's parameters and its {"total", "rows"} answer (annotations.interop.hypothesis says which
parameters are supported, and how each matches). It lists what the requester may see, signed
in as for the rest of the API (session or bearer token), and answers 400 for a parameter it
does not know or a value h would refuse.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

from annotations.interop.api.params import refuse_unknown
from annotations.interop.api.protocol import ApiError, api_view
from annotations.interop.exports import visible_annotations
from annotations.interop.hypothesis import (
    PARAMETERS,
    SearchError,
    SearchQuery,
    hypothesis_row,
    search,
)
from annotations.interop.imports import ArticleResolver
from annotations.interop.webannotation import Urls

DESCRIBED_BY = '</api/openapi.json>; rel="describedby"'


def _articles_at(uris: list[str], urls: Urls) -> list:
    """Return the articles whose original or reader URL is one of uris."""
    find = ArticleResolver(urls)
    found = []
    for uri in uris:
        try:
            article = find(uri)
        except ValueError:  # not a URL at all (an unclosed [ in the host): no article
            article = None
        if article is not None:
            found.append(article)
    return found


@api_view("GET", "HEAD", "OPTIONS", links=DESCRIBED_BY)
def hypothesis_search(request):
    if request.method == "OPTIONS":
        return HttpResponse(status=200)
    refuse_unknown(request.GET, PARAMETERS)
    urls = Urls.for_request(request)
    try:
        query = SearchQuery.from_query(request.GET)
        articles = _articles_at(query.uris, urls)
        qs = visible_annotations(request.user)
        total, page = search(qs, query, urls=urls, articles=articles, viewer=request.user)
    except SearchError as exc:
        raise ApiError(400, str(exc)) from None
    rows = [hypothesis_row(a, urls, flagged=getattr(a, "flagged", False)) for a in page]
    return JsonResponse({"total": total, "rows": rows}, json_dumps_params={"ensure_ascii": False})

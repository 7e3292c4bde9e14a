"""Problem details (RFC 9457): the JSON the API's clients get when the project answers an error.

The API's own views answer with annotations.interop.api's problems; these are for the answers
the project gives before or instead of a view (a rate limit, a database outage, a path no URL
matches), in the same form.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found as default_page_not_found

API_PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"


def problem_response(*, status: int, title: str, detail: str, **members) -> HttpResponse:
    """Return an application/problem+json response, with any extra members given."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **members}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer a path no URL matches (the project's handler404): problem JSON under /api/.

    /api/annotations/abc or /api/nothing gets the application/problem+json every other API
    error is and openapi.json promises, not a page meant for a browser. Django calls it only
    when DEBUG is off; with DEBUG on, its page listing the URL patterns is more useful.
    """
    if request.path.startswith(API_PREFIX):
        return problem_response(
            status=404,
            title="Not Found",
            detail="There is nothing at this address: /api/openapi.json lists what there is.",
        )
    return default_page_not_found(request, exception)

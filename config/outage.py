"""Answer a database outage with 503 and Retry-After instead of a 500.

A database that refuses connections (stopped, restarting, out of connections) or drops one in
the middle of a request is a passing state: the request should be tried again in a few
seconds, and the worker should reconnect by itself once the database is back. Two ways in:

- DatabaseOutageMiddleware.process_exception, for errors raised by a view (and the templates
  it renders): nearly every query runs there;
- server_error, the project's handler500, for errors raised outside a view (a middleware
  reading the session, say); Django calls it while the exception is being handled, and
  only when DEBUG is off (with DEBUG on, the traceback page is more useful).

Browsers get templates/503.html, rendered without the request so that nothing on it reaches
for the database (no user, no session); /api/ gets problem JSON like the rest of the API.
"""

from __future__ import annotations

import contextlib
import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

from .problems import API_PREFIX, problem_response

logger = logging.getLogger("claimlens.outage")

RETRY_AFTER_SECONDS = 5
OUTAGE_ERRORS = (OperationalError, InterfaceError)
DETAIL = "The database is unavailable for a moment. Try again in a few seconds."
FALLBACK_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Claimlens is briefly unavailable</title></head><body>"
    "<h1>Claimlens is briefly unavailable</h1><p>" + DETAIL + "</p></body></html>"
)


def discard_broken_connections() -> None:
    """Close every connection that no longer works, so the next query connects again.

    A connection that failed to open is already gone; one the server dropped would fail
    its next query too (until Django's own end-of-request check). Connections that still
    answer are kept: a lock timeout or a serialisation failure is no reason to reconnect.
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        with contextlib.suppress(DatabaseError):
            if connection.is_usable():
                continue
        with contextlib.suppress(DatabaseError):
            connection.close()


def wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """Return the 503 for a request the database failed, after dropping dead connections."""
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, exc)
    discard_broken_connections()
    if wants_json(request):
        response = problem_response(status=503, title="Service Unavailable", detail=DETAIL)
    else:
        try:
            html = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        except (TemplateDoesNotExist, ValueError):
            # ValueError: the static files manifest is missing (collectstatic not run yet).
            html = FALLBACK_HTML
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turn a view's lost database connection into 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return outage_response(request, exception)
        return None


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Answer an error outside a view: 503 when it was the database, else Django's 500."""
    exc = sys.exception()
    if isinstance(exc, OUTAGE_ERRORS):
        return outage_response(request, exc)
    return default_server_error(request, template_name=template_name)

"""Send from the browser: a bookmarklet posts the page a reader is on (its URL, and its HTML as
the reader sees it, which gets past a paywall the server cannot) to be imported and read here.

The bookmarklet is a form posted from another site, so the session's CSRF token cannot come
with it; it carries instead a token made for this, signed for one user (SEND_SALT) and shown
only to them on the import page. The endpoint is CSRF-exempt for that reason alone: without
a valid token nothing is read, and the user it names must still be allowed to import.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .access import may_import
from .imports import import_items
from .jobs.sources import entry_from_url, new_folder, read_entry

SEND_SALT = "articles.send"
TOKEN_DAYS = 365


def send_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SEND_SALT)


def token_user(token: str):
    try:
        data = signing.loads(token, salt=SEND_SALT, max_age=TOKEN_DAYS * 86400)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()


def bookmarklet(user, endpoint: str) -> str:
    """Return the javascript: URL that posts the current page to `endpoint`."""
    return (
        "javascript:(function(){var f=document.createElement('form');f.method='post';"
        f"f.action='{endpoint}';f.target='_blank';f.acceptCharset='utf-8';"
        "function a(n,v){var i=document.createElement('textarea');i.name=n;i.value=v;"
        "f.appendChild(i)}"
        f"a('token','{send_token(user)}');a('url',location.href);"
        "a('html',document.documentElement.outerHTML);f.style.display='none';"
        "document.body.appendChild(f);f.submit();})()"
    )


def _refusal(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(escape(message), status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt  # the signed send token stands in for the CSRF token (module docstring)
@require_POST
def send_page(request):
    if int(request.headers.get("Content-Length") or 0) > settings.CLAIMLENS_SEND_MAX_BYTES:
        return _refusal("This page is too large to send.", 413)
    user = token_user(request.POST.get("token", ""))
    if user is None:
        return _refusal("This bookmarklet's token is not valid: get it again.", 403)
    if not may_import(user):
        raise PermissionDenied
    url = request.POST.get("url", "").strip()
    if urlsplit(url).scheme not in ("http", "https"):
        return HttpResponseBadRequest("Only http and https pages can be sent.")
    result = _import(url, request.POST.get("html", ""), user)
    if result.failed:
        return _refusal(f"It could not be imported: {result.reason}", 422)
    # A copy of an article already here opens that article (nothing is imported twice).
    opened = result.article_id or next((d.article_id for d in result.duplicates), None)
    return redirect("articles:detail", pk=opened)


def _import(url: str, html: str, user):
    """Import the page as sent (paywall and all), or fetch it when no HTML came with it."""
    label, source = entry_from_url(url)
    if not html:
        return import_items(items=read_entry(label, source), imported_by=user).results[0]
    folder = new_folder()
    try:
        path = folder / "page.html"
        path.write_text(html, encoding="utf-8")
        items = read_entry(label, {"html": str(path), "url": url})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return import_items(items=items, imported_by=user).results[0]

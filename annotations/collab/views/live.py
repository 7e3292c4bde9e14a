"""Live updates: the change feed that open pages poll, and who else is reading."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from annotations.collab import presence
from annotations.collab.views.base import LIVE_EVENT, HtmxHttpRequest, _cursor
from annotations.core import changefeed
from annotations.models import Claim
from articles.models import Article


def _poll(request: HtmxHttpRequest, *, article_id=None, claim_id=None) -> HttpResponse:
    """Answer a poll: 204 in one query when nothing changed, else the event and a new poller.

    Nothing here touches the session or the user until something has changed, so an idle
    poll costs one indexed query and no session read.
    """
    cursor = _cursor(request)
    if cursor is None:
        return HttpResponseBadRequest("Give the last event id seen as ?after=N.")
    if not changefeed.has_changes(cursor=cursor, article_id=article_id, claim_id=claim_id):
        return HttpResponse(status=204)
    if settings.CLAIMLENS_REQUIRE_LOGIN and not request.user.is_authenticated:
        raise PermissionDenied("Sign in to follow changes.")
    if claim_id is not None and not _claim_seen(request, claim_id):
        raise Http404("No such claim.")
    payload = changefeed.changes_since(cursor=cursor, article_id=article_id, claim_id=claim_id)
    poller = render_to_string(
        "annotations/collab/includes/_live.html",
        {"article_id": article_id, "claim_id": claim_id, "cursor": payload["cursor"]},
    )
    response = HttpResponse(poller)
    response["Cache-Control"] = "no-store"
    return trigger_client_event(response, LIVE_EVENT, payload)


def _claim_seen(request: HtmxHttpRequest, claim_id: int) -> bool:
    return Claim.objects.visible_to(request.user).filter(pk=claim_id).exists()


@require_GET
def article_changes(request: HtmxHttpRequest, article_id: int):
    """Poll an article's feed: ?after=<cursor>."""
    return _poll(request, article_id=article_id)


@require_GET
def claim_changes(request: HtmxHttpRequest, claim_id: int):
    """Poll a claim's feed (its discussion, verdicts, status and appearances): ?after=<cursor>."""
    return _poll(request, claim_id=claim_id)


def _who_signature(names: list[str]) -> str:
    return hashlib.blake2s("\n".join(names).encode(), digest_size=6).hexdigest()


@require_GET
@never_cache
def article_presence(request: HtmxHttpRequest, article_id: int):
    """Refresh "I have this article open" (at most every 10 s) and say who else has it open.

    The page sends back `seen` (when it last refreshed) and `who` (a signature of the list it
    shows); the answer is 204 when there was nothing to write and the list is the same.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    try:
        seen = float(request.GET.get("seen", ""))
    except ValueError:
        seen = None
    now = timezone.now()
    wrote = presence.due(seen, now=now)
    if wrote:
        if not Article.objects.filter(pk=article_id).exists():
            raise Http404("No such article.")
        presence.presence_touch(user=request.user, article_id=article_id, now=now)
        seen = now.timestamp()
    others = presence.readers(article_id=article_id, exclude_user_id=request.user.pk, now=now)
    who = _who_signature(others)
    if not wrote and who == request.GET.get("who"):
        return HttpResponse(status=204)
    return render(
        request,
        "annotations/collab/includes/_presence.html#presence",
        {"article_id": article_id, "others": others, "seen": f"{seen:.3f}", "who": who},
    )

"""What every collaboration page shares: the request type, the access gates and the lookups."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from annotations.core import permissions
from annotations.models import Annotation, Claim
from articles.http import HtmxHttpRequest
from articles.params import parse_id

LIVE_EVENT = "claimlens:changed"
DISCUSSION = "annotations/collab/includes/_discussion.html"


def readable(view):
    """Send anonymous visitors to sign in when the site requires it (CLAIMLENS_REQUIRE_LOGIN)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.CLAIMLENS_REQUIRE_LOGIN and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def signed_in(view):
    """Send anonymous visitors to sign in (for pages about the signed-in user)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _visible_annotation(request: HtmxHttpRequest, pk) -> Annotation:
    annotation = get_object_or_404(
        Annotation.objects.select_related("article", "author", "claim__status"), pk=pk
    )
    if not permissions.can_view_annotation(request.user, annotation):
        raise Http404("No such annotation.")
    return annotation


def _claim(slug, user) -> Claim:
    """Return the claim `user` may see (a name only private notes use is their authors')."""
    return get_object_or_404(
        Claim.objects.visible_to(user).select_related(
            "status", "status_final_by", "assignee", "created_by"
        ),
        slug=slug,
    )


def _cursor(request: HtmxHttpRequest) -> int | None:
    return parse_id(request.GET.get("after", ""))


def _posted_id(request: HtmxHttpRequest, name: str, what: str) -> int | None:
    """Return the id posted as `name`, None when left empty; refuse anything else (400)."""
    raw = request.POST.get(name, "")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise BadRequest(f"“{raw[:40]}” does not name {what}: load the page again and retry.")
    return pk

"""Notifications and a person's page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from annotations.collab import notifications
from annotations.collab.views.base import HtmxHttpRequest, _posted_id, readable, signed_in
from annotations.core.navigation import next_url
from annotations.models import Claim, Notification, Reply, Verdict


@require_GET
@signed_in
def notification_list(request: HtmxHttpRequest):
    """List my notifications, newest first, unread ones marked."""
    notices = Notification.objects.filter(recipient=request.user).for_list()
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    unread = notifications.unread_count(request.user)
    return render(
        request, "annotations/collab/notifications.html", {"page": page, "unread": unread}
    )


@require_GET
@never_cache
def notification_badge(request: HtmxHttpRequest):
    """Return the header's notifications link with my unread count (polled every 30 s)."""
    unread = notifications.unread_count(request.user)
    return render(request, "annotations/collab/notifications.html#badge", {"unread": unread})


@require_POST
def notification_read(request: HtmxHttpRequest):
    """Mark one notification (id=N) or all of mine read; go to it, or back."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    notice = None
    notice_pk = _posted_id(request, "id", "one of your notifications")
    if notice_pk is not None:
        notice = get_object_or_404(Notification, pk=notice_pk, recipient=request.user)
    notifications.mark_read(user=request.user, notification=notice)
    if request.htmx:
        return render(
            request,
            "annotations/collab/notifications.html#badge",
            {"unread": notifications.unread_count(request.user)},
        )
    if notice is not None and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect(next_url(request, reverse("collab:notifications")))


@require_GET
@readable
def person(request: HtmxHttpRequest, username: str):
    """Show someone's recent replies and verdicts (where @mentions link to)."""
    if "\x00" in username:  # PostgreSQL refuses NUL in a string: no one is called that
        raise Http404("No such person.")
    someone = get_object_or_404(get_user_model(), username=username)
    replies = (
        Reply.objects.alive()
        .filter(author=someone, hidden_at__isnull=True)
        .filter(annotation__isnull=True, claim__in=Claim.objects.visible_to(request.user))
        .select_related("claim")
        .order_by("-created_at")[:20]
    )
    given = (
        Verdict.objects.filter(user=someone, claim__in=Claim.objects.visible_to(request.user))
        .select_related("claim", "status")
        .order_by("-updated_at")[:20]
    )
    return render(
        request,
        "annotations/collab/person.html",
        {"someone": someone, "replies": replies, "verdicts": given},
    )

"""Flags, the moderation queue, hiding content and suspending a user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from annotations.collab import moderation
from annotations.collab.views.base import HtmxHttpRequest, _errors, _visible_annotation
from annotations.core import permissions, services
from annotations.core.navigation import next_url
from annotations.models import Flag, Reply


def _require_moderator(request: HtmxHttpRequest):
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only moderators can do that.")


@require_http_methods(["GET", "POST"])
def flag(request: HtmxHttpRequest, kind: str, pk: int):
    """Flag an annotation or a reply for the moderators (anyone signed in)."""
    if not permissions.can_write(request.user):
        raise PermissionDenied("Sign in to flag content.")
    if kind == "annotation":
        subject = _visible_annotation(request, pk)
        target = {"annotation": subject}
    else:
        subject = get_object_or_404(Reply.objects.select_related("annotation"), pk=pk)
        if subject.annotation_id and not permissions.can_view_annotation(
            request.user, subject.annotation
        ):
            raise Http404("No such reply.")
        target = {"reply": subject}
    context = {"subject": subject, "kind": kind, "errors": [], "reason": ""}
    template = "annotations/collab/flag_form.html"
    if request.method == "POST":
        try:
            moderation.flag_create(
                reporter=request.user, reason=request.POST.get("reason", ""), **target
            )
        except ValidationError as exc:
            context |= {"errors": _errors(exc), "reason": request.POST.get("reason", "")}
        else:
            context["done"] = True
            if not request.htmx:
                return redirect(next_url(request, reverse("articles:list")))
    return render(request, template + ("#flag-form" if request.htmx else ""), context)


@require_GET
def moderation_queue(request: HtmxHttpRequest):
    """List open flags, oldest first, and suspended users (moderators)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_moderator(request)
    page = Paginator(Flag.objects.for_queue(), 50).get_page(request.GET.get("page"))
    suspended = (
        get_user_model()
        .objects.filter(groups__name=permissions.SUSPENDED)
        .order_by("username")
        .only("username")
    )
    template = "annotations/collab/moderation.html" + ("#queue" if request.htmx else "")
    return render(request, template, {"page": page, "suspended": suspended})


@require_POST
def reply_hide(request: HtmxHttpRequest, pk: int):
    """Hide (hidden=1) or show again (hidden=0) a reply (moderators).

    An annotation is hidden through the reader's annotations:hide, from its card or the queue.
    """
    _require_moderator(request)
    reply = get_object_or_404(Reply.objects.select_related("annotation"), pk=pk)
    if permissions.is_others_private(request.user, reply):
        raise Http404("No such reply.")
    services.content_set_hidden(
        obj=reply, user=request.user, hidden=request.POST.get("hidden") != "0"
    )
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(next_url(request, reverse("collab:moderation")))


@require_POST
def flag_dismiss(request: HtmxHttpRequest, pk: int):
    """Close a flag without hiding anything (moderators)."""
    _require_moderator(request)
    # A flag on what became someone's private note is not a moderator's any more.
    flag = get_object_or_404(Flag.objects.shared(), pk=pk)
    moderation.flag_dismiss(flag=flag, user=request.user)
    if request.htmx:
        return HttpResponse("")  # the row is swapped away
    return redirect(next_url(request, reverse("collab:moderation")))


@require_POST
def user_suspend(request: HtmxHttpRequest, username: str):
    """Suspend (suspended=1) or restore (suspended=0) a user's writing (moderators)."""
    _require_moderator(request)
    target = get_object_or_404(get_user_model(), username=username)
    try:
        moderation.user_set_suspended(
            target=target,
            user=request.user,
            suspended=request.POST.get("suspended") != "0",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    return redirect(next_url(request, reverse("collab:moderation")))

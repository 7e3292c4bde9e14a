"""Discussion threads on annotations and claims, and editing a reply (with the conflict view)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations.collab import discussion
from annotations.collab.views.base import (
    DISCUSSION,
    HtmxHttpRequest,
    _claim,
    _errors,
    _posted_id,
    _visible_annotation,
    readable,
)
from annotations.core import changefeed, permissions
from annotations.core.conflicts import conflict_response
from annotations.core.navigation import next_url
from annotations.core.services import EditConflict
from annotations.core.services.replies import thread_subject
from annotations.models import Annotation, Claim, Reply
from annotations.templatetags.collab import discussion_context
from articles.params import parse_id

REPLY = "annotations/collab/includes/_reply.html"
REPLY_EDIT = "annotations/collab/reply_edit.html"


def _post_reply(request: HtmxHttpRequest, subject):
    """Create a reply from the POSTed form; return (reply or None, errors)."""
    parent = None
    parent_pk = _posted_id(request, "parent", "the reply you answer")
    if parent_pk is not None:
        parent = Reply.objects.filter(pk=parent_pk).first()
    try:
        reply = discussion.reply_create(
            author=request.user,
            body=request.POST.get("body", ""),
            parent=parent,
            **({"claim": subject} if isinstance(subject, Claim) else {"annotation": subject}),
        )
    except ValidationError as exc:
        return None, parent, _errors(exc)
    return reply, parent, []


def _discussion(request: HtmxHttpRequest, subject, template: str, extra: dict):
    if request.method == "POST":
        reply, parent, errors = _post_reply(request, subject)
        if reply is not None and not request.htmx:
            return redirect(reply.get_absolute_url())
        context = discussion_context(
            request,
            subject,
            errors=errors,
            body=request.POST.get("body", "") if errors else "",
            parent=parent if errors else None,
        )
        # htmx swaps the whole discussion: the new reply in the thread and an empty form.
        return render(request, f"{DISCUSSION}#discussion", context | extra)
    parent = None
    parent_pk = parse_id(request.GET.get("parent"))
    if parent_pk is not None:
        parent = Reply.objects.on(subject).filter(pk=parent_pk).first()
    context = discussion_context(request, subject, parent=parent) | extra
    if request.htmx:
        part = "reply-form" if request.GET.get("part") == "form" else "thread"
        return render(request, f"{DISCUSSION}#{part}", context)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@readable
def annotation_discussion(request: HtmxHttpRequest, pk: int):
    """Show (GET) or add to (POST) the discussion of an annotation.

    A shared annotation that carries a claim is discussed in the claim's one thread.
    """
    annotation = _visible_annotation(request, pk)
    subject = thread_subject(annotation)
    if isinstance(subject, Claim) and request.method == "GET":
        url = reverse("collab:claim-discussion", kwargs={"slug": subject.slug})
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    cursor = changefeed.cursor_for(article=annotation.article)  # before reading the thread
    # A reply posted here to a claim's passage joins the claim's thread: the answer shows it.
    return _discussion(
        request, subject, "annotations/collab/annotation_discussion.html", {"cursor": cursor}
    )


@require_http_methods(["GET", "POST"])
@readable
def claim_discussion(request: HtmxHttpRequest, slug: str):
    """Show the claim's discussion page: appearances, verdicts, thread, live updates."""
    claim = _claim(slug, request.user)
    cursor = changefeed.cursor_for(claim=claim)  # before reading what the page shows
    appearances = (
        Annotation.objects.visible_to(request.user)
        .filter(claim=claim)
        .select_related("article", "author")
        .order_by("article__title", "start", "pk")
    )
    extra = {"claim": claim, "appearances": appearances, "cursor": cursor}
    if request.htmx and request.GET.get("part") == "appearances":
        return render(request, "annotations/collab/claim_discussion.html#appearances", extra)
    return _discussion(request, claim, "annotations/collab/claim_discussion.html", extra)


def _reply_for_edit(request: HtmxHttpRequest, pk) -> Reply:
    reply = get_object_or_404(Reply.objects.select_related("author", "annotation", "claim"), pk=pk)
    if not discussion.can_view_subject(request.user, reply.subject):
        raise Http404("No such reply.")
    if not discussion.can_edit_reply(request.user, reply):
        raise PermissionDenied("You can only edit your own replies.")
    return reply


@require_http_methods(["GET", "POST"])
def reply_edit(request: HtmxHttpRequest, pk: int):
    """Edit a reply from the version the form was loaded at; a lost race shows the conflict."""
    reply = _reply_for_edit(request, pk)
    if request.method == "GET":
        return _reply_form(request, {"reply": reply})
    body = request.POST.get("body", "")
    version = parse_id(request.POST.get("version"))
    if version is None:
        return HttpResponseBadRequest("The form lost its version: load it again.")
    try:
        reply = discussion.reply_update(reply=reply, user=request.user, version=version, body=body)
    except EditConflict as conflict:
        return conflict_response(
            request,
            template=REPLY_EDIT,
            current=conflict.current,
            mine=body,
            version=version,
            reply=conflict.current,
            action_url=reverse("collab:reply-edit", kwargs={"pk": reply.pk}),
            cancel_url=reply.get_absolute_url(),
            swap_target=f"#reply-{reply.pk}",
        )
    except ValidationError as exc:
        return _reply_form(request, {"reply": reply, "errors": _errors(exc), "body": body})
    if request.htmx:
        return render(request, REPLY, _reply_context(request, reply))
    return redirect(reply.get_absolute_url())


def _reply_form(request: HtmxHttpRequest, context: dict) -> HttpResponse:
    return render(request, REPLY_EDIT + ("#reply-form" if request.htmx else ""), context)


def _reply_context(request: HtmxHttpRequest, reply) -> dict:
    return {
        "node": discussion.ThreadNode(reply, 0),
        "user": request.user,
        "request": request,
        "can_reply": permissions.can_annotate(request.user),
        "can_moderate": permissions.is_moderator(request.user),
    }


@require_POST
def reply_delete(request: HtmxHttpRequest, pk: int):
    """Delete (or with restore=1, restore) one's own reply."""
    reply = _reply_for_edit(request, pk)
    if request.POST.get("restore"):
        reply = discussion.reply_restore(reply=reply, user=request.user)
    else:
        reply = discussion.reply_delete(reply=reply, user=request.user)
    if request.htmx:
        return render(request, REPLY, _reply_context(request, reply))
    return redirect(next_url(request, reply.get_absolute_url()))

"""Pages and fragments for working together: discussion, verdicts, history, live updates,
conflicts, moderation, notifications and assignments.

Every write view checks permission through its service (PermissionDenied becomes a 403);
every form posts to a real URL, so pages work without JavaScript, and answers htmx with the
fragment it replaces.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from articles.models import Article

from . import (
    changefeed,
    conflicts,
    discussion,
    history,
    moderation,
    notifications,
    permissions,
    presence,
    verdicts,
)
from .models import (
    Annotation,
    Claim,
    Flag,
    HistoryEntry,
    Label,
    Notification,
    Reply,
    Verdict,
)
from .services import EditConflict, annotation_update
from .templatetags.collab import assignable_users, discussion_context, verdicts_context

LIVE_EVENT = "claimlens:changed"
DISCUSSION = "collab/includes/_discussion.html"


class HtmxHttpRequest(HttpRequest):  # for type hints: the request django-htmx's middleware gives
    htmx: HtmxDetails


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


def _back(request: HtmxHttpRequest, fallback: str) -> str:
    """Return where a no-JS form should go after posting: its `next`, if local, else fallback."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _visible_annotation(request: HtmxHttpRequest, pk) -> Annotation:
    annotation = get_object_or_404(
        Annotation.objects.select_related("article", "author", "claim__status"), pk=pk
    )
    if not permissions.can_view_annotation(request.user, annotation):
        raise Http404("No such annotation.")
    return annotation


def _claim(slug) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("status", "status_final_by", "assignee", "created_by"),
        slug=slug,
    )


# --- live updates --------------------------------------------------------------------------


def _cursor(request: HtmxHttpRequest) -> int | None:
    raw = request.GET.get("after", "")
    if not raw.isdigit() or len(raw) > 19:
        return None
    return int(raw)


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
    payload = changefeed.changes_since(cursor=cursor, article_id=article_id, claim_id=claim_id)
    poller = render_to_string(
        "collab/includes/_live.html",
        {"article_id": article_id, "claim_id": claim_id, "cursor": payload["cursor"]},
    )
    response = HttpResponse(poller)
    response["Cache-Control"] = "no-store"
    return trigger_client_event(response, LIVE_EVENT, payload)


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
        "collab/includes/_presence.html#presence",
        {"article_id": article_id, "others": others, "seen": f"{seen:.3f}", "who": who},
    )


# --- discussion ----------------------------------------------------------------------------


def _post_reply(request: HtmxHttpRequest, subject):
    """Create a reply from the POSTed form; return (reply or None, errors)."""
    parent = None
    if request.POST.get("parent"):
        parent = Reply.objects.filter(pk=request.POST["parent"]).first()
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
    if request.GET.get("parent", "").isdigit():
        parent = Reply.objects.on(subject).filter(pk=request.GET["parent"]).first()
    context = discussion_context(request, subject, parent=parent) | extra
    if request.htmx:
        part = "reply-form" if request.GET.get("part") == "form" else "thread"
        return render(request, f"{DISCUSSION}#{part}", context)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@readable
def annotation_discussion(request: HtmxHttpRequest, pk: int):
    """Show (GET) or add to (POST) the discussion of an annotation."""
    annotation = _visible_annotation(request, pk)
    cursor = changefeed.cursor_for(article=annotation.article)  # before reading the thread
    return _discussion(request, annotation, "collab/annotation_discussion.html", {"cursor": cursor})


@require_http_methods(["GET", "POST"])
@readable
def claim_discussion(request: HtmxHttpRequest, slug: str):
    """Show the claim's discussion page: appearances, verdicts, thread, live updates."""
    claim = _claim(slug)
    cursor = changefeed.cursor_for(claim=claim)  # before reading what the page shows
    appearances = (
        Annotation.objects.visible_to(request.user)
        .filter(claim=claim)
        .select_related("article", "author")
        .order_by("article__title", "start", "pk")
    )
    extra = {"claim": claim, "appearances": appearances, "cursor": cursor}
    if request.htmx and request.GET.get("part") == "appearances":
        return render(request, "collab/claim_discussion.html#appearances", extra)
    return _discussion(request, claim, "collab/claim_discussion.html", extra)


def _reply_for_edit(request: HtmxHttpRequest, pk) -> Reply:
    reply = get_object_or_404(Reply.objects.select_related("author", "annotation", "claim"), pk=pk)
    if reply.annotation_id and not permissions.can_view_annotation(request.user, reply.annotation):
        raise Http404("No such reply.")
    if not discussion.can_edit_reply(request.user, reply):
        raise PermissionDenied("You can only edit your own replies.")
    return reply


@require_http_methods(["GET", "POST"])
def reply_edit(request: HtmxHttpRequest, pk: int):
    """Edit a reply from the version the form was loaded at; a lost race shows the conflict."""
    reply = _reply_for_edit(request, pk)
    template = "collab/reply_edit.html"
    if request.method == "GET":
        return render(request, template + ("#reply-form" if request.htmx else ""), {"reply": reply})
    body = request.POST.get("body", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest("The form lost its version: load it again.")
    try:
        reply = discussion.reply_update(reply=reply, user=request.user, version=version, body=body)
    except EditConflict as conflict:
        context = {
            "reply": conflict.current,
            "conflict": conflicts.conflict_for(
                current=conflict.current, mine=body, version=version
            ),
            "action_url": reverse("collab:reply-edit", kwargs={"pk": reply.pk}),
            "cancel_url": reply.get_absolute_url(),
            "swap_target": f"#reply-{reply.pk}",
        }
        # 409 for htmx too: base.html's htmx-config swaps it in like a 200.
        return render(
            request, template + ("#conflict" if request.htmx else ""), context, status=409
        )
    except ValidationError as exc:
        context = {"reply": reply, "errors": _errors(exc), "body": body}
        return render(request, template + ("#reply-form" if request.htmx else ""), context)
    if request.htmx:
        return render(request, "collab/includes/_reply.html", _reply_context(request, reply))
    return redirect(reply.get_absolute_url())


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
        return render(request, "collab/includes/_reply.html", _reply_context(request, reply))
    return redirect(_back(request, reply.get_absolute_url()))


# --- the note editor, with the conflict view ------------------------------------------------


def note_conflict_response(
    request, *, conflict: EditConflict, mine: str, version: int, action_url: str, cancel_url: str
) -> HttpResponse:
    """Render the conflict view for a note edit that lost a race (for any note-editing view).

    Shows the saved text (with who saved it and when) beside the editor's own, offers "keep
    theirs", "overwrite with mine" (resubmits at the current version) and a merge to edit.
    """
    context = {
        "annotation": conflict.current,
        "conflict": conflicts.conflict_for(current=conflict.current, mine=mine, version=version),
        "action_url": action_url,
        "cancel_url": cancel_url,
        "swap_target": f"#note-editor-{conflict.current.pk}",
    }
    template = "collab/annotation_note.html" + ("#conflict" if request.htmx else "")
    # 409 for htmx too, as the reader's editor answers: base.html's htmx-config swaps it in.
    return render(request, template, context, status=409)


@require_http_methods(["GET", "POST"])
def annotation_note(request: HtmxHttpRequest, pk: int):
    """Edit an annotation's note from the version the form was loaded at."""
    annotation = _visible_annotation(request, pk)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise PermissionDenied("You can only edit your own annotations.")
    template = "collab/annotation_note.html"
    url = reverse("collab:annotation-note", kwargs={"pk": annotation.pk})
    if request.method == "GET":
        part = "#note-display" if request.GET.get("part") == "display" else "#note-form"
        return render(
            request, template + (part if request.htmx else ""), {"annotation": annotation}
        )
    note = request.POST.get("note", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest("The form lost its version: load it again.")
    try:
        annotation = annotation_update(
            annotation=annotation, user=request.user, version=version, note=note
        )
    except EditConflict as conflict:
        return note_conflict_response(
            request, conflict=conflict, mine=note, version=version, action_url=url, cancel_url=url
        )
    except ValidationError as exc:
        context = {"annotation": annotation, "errors": _errors(exc), "note": note}
        return render(request, template + ("#note-form" if request.htmx else ""), context)
    if request.htmx:
        return render(request, template + "#note-display", {"annotation": annotation})
    return redirect(url)


# --- verdicts, final status, assignment -----------------------------------------------------


def _verdicts_response(request: HtmxHttpRequest, claim, *, errors=None, status=200):
    context = verdicts_context(request, claim) | {"errors": errors or []}
    if request.htmx:
        part = "verdict-tally" if request.GET.get("part") == "tally" else "verdicts-panel"
        return render(request, f"collab/claim_verdicts.html#{part}", context, status=status)
    return render(request, "collab/claim_verdicts.html", context, status=status)


def _status_from(request: HtmxHttpRequest) -> Label:
    status = Label.objects.statuses().filter(pk=request.POST.get("status") or 0).first()
    if status is None:
        raise ValidationError("Choose a status.")
    return status


@require_http_methods(["GET", "POST"])
@readable
def claim_verdicts(request: HtmxHttpRequest, slug: str):
    """Show the verdicts on a claim (GET), or record the signed-in collaborator's own (POST)."""
    claim = _claim(slug)
    if request.method == "GET":
        return _verdicts_response(request, claim)
    if not permissions.can_annotate(request.user):
        raise PermissionDenied("Only collaborators can give a verdict.")
    try:
        verdicts.verdict_record(
            claim=claim,
            user=request.user,
            status=_status_from(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        return _verdicts_response(request, claim, errors=_errors(exc))
    if request.htmx:
        return _verdicts_response(request, claim)
    return redirect(_back(request, reverse("collab:claim-verdicts", kwargs={"slug": claim.slug})))


@require_POST
def claim_final(request: HtmxHttpRequest, slug: str):
    """Set a claim's final status (moderators), or reopen it with reopen=1."""
    claim = _claim(slug)
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can set a claim's final status.")
    try:
        if request.POST.get("reopen"):
            verdicts.claim_reopen(claim=claim, user=request.user)
        else:
            version = request.POST.get("version")
            verdicts.claim_finalise(
                claim=claim,
                user=request.user,
                status=_status_from(request),
                version=int(version) if version and version.isdigit() else None,
            )
    except ValidationError as exc:
        return _verdicts_response(request, claim, errors=_errors(exc))
    except EditConflict:
        claim = _claim(slug)
        return _verdicts_response(
            request,
            claim,
            errors=["Someone changed this claim meanwhile: check its status and try again."],
            status=200 if request.htmx else 409,
        )
    claim = _claim(slug)
    if request.htmx:
        return _verdicts_response(request, claim)
    return redirect(_back(request, reverse("collab:claim-verdicts", kwargs={"slug": claim.slug})))


@require_POST
def claim_assign(request: HtmxHttpRequest, slug: str):
    """Assign a claim to a collaborator, or take it back with an empty assignee (moderators)."""
    claim = _claim(slug)
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can assign claims.")
    assignee = None
    if request.POST.get("assignee"):
        assignee = get_object_or_404(get_user_model(), pk=request.POST["assignee"])
    errors = []
    try:
        claim = verdicts.claim_assign(claim=claim, user=request.user, assignee=assignee)
    except ValidationError as exc:
        errors = _errors(exc)
    claim = _claim(slug)
    if request.htmx:
        context = {
            "claim": claim,
            "request": request,
            "user": request.user,
            "collaborators": assignable_users(),
            "errors": errors,
        }
        return render(request, "collab/claim_verdicts.html#assign-form", context)
    return redirect(_back(request, reverse("collab:claim-discussion", kwargs={"slug": slug})))


@require_GET
@readable
def agreement(request: HtmxHttpRequest):
    """Show agreement between collaborators' verdicts, overall and per article."""
    overview = verdicts.agreement_overview()
    return render(request, "collab/agreement.html", {"overview": overview})


@require_GET
@signed_in
def my_claims(request: HtmxHttpRequest):
    """List the claims assigned to me, with their status and my own verdict."""
    claims = (
        Claim.objects.with_counts()
        .filter(assignee=request.user)
        .select_related("status_final_by")
        .order_by("status_final_at", "-updated_at")
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    mine = dict(
        Verdict.objects.filter(user=request.user, claim__in=[c.pk for c in page]).values_list(
            "claim_id", "status__name"
        )
    )
    rows = [(claim, mine.get(claim.pk)) for claim in page]
    return render(request, "collab/my_claims.html", {"page": page, "rows": rows})


# --- history -------------------------------------------------------------------------------


def _history_page(request: HtmxHttpRequest, *, subject, entries, title: str, back_url: str):
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "subject": subject,
        "entries": page,
        "page": page,
        "title": title,
        "back_url": back_url,
        "can_revert": permissions.is_moderator(request.user),
    }
    template = "collab/history.html" + ("#history" if request.htmx else "")
    return render(request, template, context)


@require_GET
@readable
def annotation_history(request: HtmxHttpRequest, pk: int):
    """Show every recorded change of an annotation and of its replies."""
    annotation = get_object_or_404(Annotation.objects.select_related("article"), pk=pk)
    # A deleted annotation's history stays open to its author and moderators: it is where a
    # delete is undone.
    mine = request.user.is_authenticated and annotation.author_id == request.user.pk
    if not (
        permissions.can_view_annotation(request.user, annotation)
        or mine
        or permissions.is_moderator(request.user)
    ):
        raise Http404("No such annotation.")
    entries = HistoryEntry.objects.for_object(annotation).with_related()
    return _history_page(
        request,
        subject=annotation,
        entries=entries,
        title=f"History of a note on “{annotation.article.title}”",
        back_url=reverse("collab:annotation-discussion", kwargs={"pk": annotation.pk}),
    )


@require_GET
@readable
def claim_history(request: HtmxHttpRequest, slug: str):
    """Show every recorded change of a claim: edits, status, verdicts, replies, appearances."""
    claim = _claim(slug)
    entries = HistoryEntry.objects.for_claim(claim).with_related()
    if not permissions.is_moderator(request.user):
        # Private annotations' changes belong to their authors alone.
        entries = entries.exclude(after__visibility="private").exclude(before__visibility="private")
    return _history_page(
        request,
        subject=claim,
        entries=entries,
        title=f"History of “{claim.title}”",
        back_url=claim.get_absolute_url(),
    )


@require_POST
def history_revert(request: HtmxHttpRequest, pk: int):
    """Put back what a change replaced (moderators); the revert is itself recorded."""
    entry = get_object_or_404(HistoryEntry, pk=pk)
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can revert a change.")
    try:
        history.revert(entry=entry, user=request.user)
    except (ValidationError, EditConflict) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    back = _back(request, request.headers.get("referer") or reverse("collab:moderation"))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = back
        return response
    return redirect(back)


# --- moderation ----------------------------------------------------------------------------


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
    template = "collab/flag_form.html"
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
                return redirect(_back(request, reverse("articles:list")))
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
    template = "collab/moderation.html" + ("#queue" if request.htmx else "")
    return render(request, template, {"page": page, "suspended": suspended})


@require_POST
def content_hide(request: HtmxHttpRequest, kind: str, pk: int):
    """Hide (hidden=1) or show again (hidden=0) an annotation or a reply (moderators)."""
    _require_moderator(request)
    model = Annotation if kind == "annotation" else Reply
    obj = get_object_or_404(model, pk=pk)
    moderation.content_set_hidden(
        obj=obj, user=request.user, hidden=request.POST.get("hidden") != "0"
    )
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(_back(request, reverse("collab:moderation")))


@require_POST
def flag_dismiss(request: HtmxHttpRequest, pk: int):
    """Close a flag without hiding anything (moderators)."""
    _require_moderator(request)
    moderation.flag_dismiss(flag=get_object_or_404(Flag, pk=pk), user=request.user)
    if request.htmx:
        return HttpResponse("")  # the row is swapped away
    return redirect(_back(request, reverse("collab:moderation")))


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
    return redirect(_back(request, reverse("collab:moderation")))


# --- notifications and people ---------------------------------------------------------------


@require_GET
@signed_in
def notification_list(request: HtmxHttpRequest):
    """List my notifications, newest first, unread ones marked."""
    notices = Notification.objects.filter(recipient=request.user).for_list()
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    unread = notifications.unread_count(request.user)
    return render(request, "collab/notifications.html", {"page": page, "unread": unread})


@require_GET
@never_cache
def notification_badge(request: HtmxHttpRequest):
    """Return the header's notifications link with my unread count (polled every 30 s)."""
    unread = notifications.unread_count(request.user)
    return render(request, "collab/notifications.html#badge", {"unread": unread})


@require_POST
def notification_read(request: HtmxHttpRequest):
    """Mark one notification (id=N) or all of mine read; go to it, or back."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    notice = None
    if request.POST.get("id"):
        notice = get_object_or_404(Notification, pk=request.POST["id"], recipient=request.user)
    notifications.mark_read(user=request.user, notification=notice)
    if request.htmx:
        return render(
            request,
            "collab/notifications.html#badge",
            {"unread": notifications.unread_count(request.user)},
        )
    if notice is not None and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect(_back(request, reverse("collab:notifications")))


@require_GET
@readable
def person(request: HtmxHttpRequest, username: str):
    """Show someone's recent replies and verdicts (where @mentions link to)."""
    someone = get_object_or_404(get_user_model(), username=username)
    replies = (
        Reply.objects.alive()
        .filter(author=someone, hidden_at__isnull=True)
        .filter(annotation__isnull=True)
        .select_related("claim")
        .order_by("-created_at")[:20]
    )
    given = (
        Verdict.objects.filter(user=someone)
        .select_related("claim", "status")
        .order_by("-updated_at")[:20]
    )
    return render(
        request,
        "collab/person.html",
        {"someone": someone, "replies": replies, "verdicts": given},
    )

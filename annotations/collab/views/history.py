"""The history pages of annotations and claims, and reverting a change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotations.collab import revert
from annotations.collab.views.base import HtmxHttpRequest, _claim, readable
from annotations.core import permissions
from annotations.core.navigation import next_url
from annotations.core.services import EditConflict
from annotations.models import Annotation, HistoryEntry


def _history_page(request: HtmxHttpRequest, subject, entries, *, title: str, back_url: str):
    """Show the `entries` about `subject` the user may read, 50 to a page, newest first."""
    entries = entries.visible_to(request.user).with_related()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "subject": subject,
        "entries": page,
        "page": page,
        "title": title,
        "back_url": back_url,
        "can_revert": permissions.is_moderator(request.user),
    }
    template = "annotations/collab/history.html" + ("#history" if request.htmx else "")
    return render(request, template, context)


@require_GET
@readable
def annotation_history(request: HtmxHttpRequest, pk: int):
    """Show every recorded change of an annotation and of its replies."""
    annotation = get_object_or_404(Annotation.objects.select_related("article"), pk=pk)
    # A deleted annotation's history stays open to its author and moderators: it is where a
    # delete is undone. A private one's is its author's alone, moderators included.
    mine = request.user.is_authenticated and annotation.author_id == request.user.pk
    if permissions.is_others_private(request.user, annotation) or not (
        permissions.can_view_annotation(request.user, annotation)
        or mine
        or permissions.is_moderator(request.user)
    ):
        raise Http404("No such annotation.")
    title = f"History of a note on “{annotation.article.title}”"
    back_url = reverse("collab:annotation-discussion", kwargs={"pk": annotation.pk})
    entries = HistoryEntry.objects.for_object(annotation)
    return _history_page(request, annotation, entries, title=title, back_url=back_url)


@require_GET
@readable
def claim_history(request: HtmxHttpRequest, slug: str):
    """Show every recorded change of a claim: edits, status, verdicts, replies, appearances."""
    claim = _claim(slug, request.user)
    # Private annotations' changes, and their replies', belong to their authors alone
    # (_history_page shows each user only what they may read).
    entries, title = HistoryEntry.objects.for_claim(claim), f"History of “{claim.title}”"
    return _history_page(request, claim, entries, title=title, back_url=claim.get_absolute_url())


@require_POST
def history_revert(request: HtmxHttpRequest, pk: int):
    """Put back what a change replaced (moderators); the revert is itself recorded."""
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can revert a change.")
    # A change to someone else's private note is not there for a moderator to find.
    entry = get_object_or_404(HistoryEntry.objects.visible_to(request.user), pk=pk)
    try:
        revert.revert(entry=entry, user=request.user)
    except (ValidationError, EditConflict) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    back = next_url(request, request.headers.get("referer") or reverse("collab:moderation"))
    if request.htmx:
        return HttpResponseClientRedirect(back)
    return redirect(back)

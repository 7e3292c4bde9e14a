"""Re-attaching an annotation whose passage changed or disappeared to a passage chosen anew."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from annotations.core import permissions
from annotations.core.navigation import next_url
from annotations.models import Annotation
from annotations.revisions.services import annotation_reattach
from articles.http import HtmxHttpRequest


class ReattachForm(forms.Form):
    exact = forms.CharField(strip=False)
    prefix = forms.CharField(required=False, strip=False, max_length=32)
    suffix = forms.CharField(required=False, strip=False, max_length=32)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)


@login_required
@require_POST
def annotation_reattach_view(request: HtmxHttpRequest, pk: int):
    """Attach an annotation to the passage chosen anew (author or moderator)."""
    annotation = get_object_or_404(Annotation.objects.alive().select_related("article"), pk=pk)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise PermissionDenied("Only its author or a moderator can re-attach an annotation.")
    form = ReattachForm(request.POST)
    error = "Select the passage to attach the annotation to."
    if form.is_valid():
        try:
            annotation = annotation_reattach(
                annotation=annotation, user=request.user, **form.cleaned_data
            )
            error = None
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return _reattached_fragment(request, annotation, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "The annotation is attached to the passage you chose.")
    return redirect(next_url(request, annotation.article.get_absolute_url()))


def _reattached_fragment(request: HtmxHttpRequest, annotation: Annotation, error: str | None):
    """Return what htmx swaps in: the card's anchor badge, or the article's list of orphans."""
    if request.htmx.target == f"anchor-{annotation.pk}":
        response = render(
            request, "annotations/reader/includes/_anchor_badge.html", {"annotation": annotation}
        )
    else:
        orphans = (
            Annotation.objects.filter(article_id=annotation.article_id)
            .orphaned()
            .visible_to(request.user)
            .with_related()
            .order_by("created_at", "pk")
        )
        context = {
            "orphans": orphans,
            "error_for": annotation.pk if error else None,
            "error": error,
        }
        response = render(request, "annotations/reader/includes/_orphans.html", context)
    if error is None:
        # The reader repaints the highlight and the card of the annotation it names.
        trigger_client_event(response, "annotation:reattached", {"id": annotation.pk})
    return response

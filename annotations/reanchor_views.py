"""Re-attaching an annotation whose passage changed or disappeared to a passage chosen anew."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from . import permissions
from .models import Annotation
from .reanchor_services import annotation_reattach


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class ReattachForm(forms.Form):
    exact = forms.CharField(strip=False)
    prefix = forms.CharField(required=False, strip=False, max_length=32)
    suffix = forms.CharField(required=False, strip=False, max_length=32)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)


@login_required
@require_POST
def annotation_reattach_view(request: HtmxHttpRequest, pk: int):
    annotation = get_object_or_404(Annotation.objects.alive().select_related("article"), pk=pk)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise PermissionDenied("Only its author or a moderator can re-attach an annotation.")
    form = ReattachForm(request.POST)
    error = None
    if form.is_valid():
        try:
            annotation = annotation_reattach(
                annotation=annotation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = "Select the passage to attach the annotation to."

    if request.htmx:
        if request.htmx.target == f"anchor-{annotation.pk}":
            response = render(
                request, "annotations/includes/_anchor_badge.html", {"annotation": annotation}
            )
        else:
            orphans = (
                Annotation.objects.filter(article_id=annotation.article_id)
                .orphaned()
                .visible_to(request.user)
                .with_related()
                .order_by("created_at", "pk")
            )
            response = render(
                request,
                "annotations/includes/_orphans.html",
                {"orphans": orphans, "error_for": annotation.pk if error else None, "error": error},
            )
        if error is None:
            # The reader repaints the highlight and the card of the annotation it names.
            trigger_client_event(response, "annotation:reattached", {"id": annotation.pk})
        return response

    if error:
        messages.error(request, error)
    else:
        messages.success(request, "The annotation is attached to the passage you chose.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = annotation.article.get_absolute_url()
    return redirect(target)

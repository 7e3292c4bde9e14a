"""Verdicts, a claim's final status and assignee, agreement, and the claims assigned to me."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.collab import verdicts
from annotations.collab.views.base import (
    HtmxHttpRequest,
    _claim,
    _errors,
    _posted_id,
    readable,
    signed_in,
)
from annotations.core import permissions
from annotations.core.navigation import next_url
from annotations.core.services import EditConflict
from annotations.models import Claim, Label, Verdict
from annotations.templatetags.collab import assignable_users, verdicts_context


def _verdicts_response(request: HtmxHttpRequest, claim, *, errors=None, status=200):
    context = verdicts_context(request, claim) | {"errors": errors or []}
    if request.htmx:
        part = "verdict-tally" if request.GET.get("part") == "tally" else "verdicts-panel"
        return render(
            request, f"annotations/collab/claim_verdicts.html#{part}", context, status=status
        )
    return render(request, "annotations/collab/claim_verdicts.html", context, status=status)


def _verdicts_changed(request: HtmxHttpRequest, claim):
    """Answer a change: the panel again for htmx, else back to the page the form was on."""
    if request.htmx:
        return _verdicts_response(request, claim)
    panel = reverse("collab:claim-verdicts", kwargs={"slug": claim.slug})
    return redirect(next_url(request, panel))


def _status_from(request: HtmxHttpRequest) -> Label:
    pk = _posted_id(request, "status", "a status: Choose a status from the list")
    status = Label.objects.statuses().filter(pk=pk).first() if pk is not None else None
    if status is None:
        raise ValidationError("Choose a status.")
    return status


@require_http_methods(["GET", "POST"])
@readable
def claim_verdicts(request: HtmxHttpRequest, slug: str):
    """Show the verdicts on a claim (GET), or record the signed-in collaborator's own (POST)."""
    claim = _claim(slug, request.user)
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
    return _verdicts_changed(request, claim)


@require_POST
def claim_final(request: HtmxHttpRequest, slug: str):
    """Set a claim's final status (moderators), or reopen it with reopen=1."""
    claim = _claim(slug, request.user)
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can set a claim's final status.")
    try:
        if request.POST.get("reopen"):
            verdicts.claim_reopen(claim=claim, user=request.user)
        else:
            verdicts.claim_finalise(
                claim=claim,
                user=request.user,
                status=_status_from(request),
                version=_posted_id(request, "version", "a version of the claim"),
            )
    except ValidationError as exc:
        return _verdicts_response(request, claim, errors=_errors(exc))
    except EditConflict:
        claim = _claim(slug, request.user)
        return _verdicts_response(
            request,
            claim,
            errors=["Someone changed this claim meanwhile: check its status and try again."],
            status=200 if request.htmx else 409,
        )
    return _verdicts_changed(request, _claim(slug, request.user))


@require_POST
def claim_assign(request: HtmxHttpRequest, slug: str):
    """Assign a claim to a collaborator, or take it back with an empty assignee (moderators)."""
    claim = _claim(slug, request.user)
    if not permissions.is_moderator(request.user):
        raise PermissionDenied("Only a moderator can assign claims.")
    assignee = None
    assignee_pk = _posted_id(request, "assignee", "a collaborator")
    if assignee_pk is not None:
        assignee = get_object_or_404(get_user_model(), pk=assignee_pk)
    errors = []
    try:
        claim = verdicts.claim_assign(claim=claim, user=request.user, assignee=assignee)
    except ValidationError as exc:
        errors = _errors(exc)
    claim = _claim(slug, request.user)
    if request.htmx:
        context = {
            "claim": claim,
            "request": request,
            "user": request.user,
            "collaborators": assignable_users(),
            "errors": errors,
        }
        return render(request, "annotations/collab/claim_verdicts.html#assign-form", context)
    return redirect(next_url(request, reverse("collab:claim-discussion", kwargs={"slug": slug})))


@require_GET
@readable
def agreement(request: HtmxHttpRequest):
    """Show agreement between collaborators' verdicts, overall and per article."""
    overview = verdicts.agreement_overview(request.user)
    return render(request, "annotations/collab/agreement.html", {"overview": overview})


@require_GET
@signed_in
def my_claims(request: HtmxHttpRequest):
    """List the claims assigned to me, with their status and my own verdict."""
    claims = (
        Claim.objects.visible_to(request.user)
        .with_counts()
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
    return render(request, "annotations/collab/my_claims.html", {"page": page, "rows": rows})

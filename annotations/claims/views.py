"""Pages for claims, their evidence, and labels.

Every write goes through a service (PermissionDenied becomes a 403); htmx gets the fragment it
replaces, everyone else a redirect, so the pages work without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.forms.models import model_to_dict
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from annotations.claims.forms import (
    ClaimForm,
    EvidenceForm,
    LabelCreateForm,
    LabelForm,
    LabelMergeForm,
)
from annotations.core import changefeed, permissions, services
from annotations.core.anchoring import CONTEXT_CHARS
from annotations.core.forms import add_service_errors
from annotations.models import Annotation, Claim, Evidence, Label
from articles.http import HtmxHttpRequest
from articles.params import parse_id, search_text

CLAIMS_PER_PAGE = 25
APPEARANCES_PER_PAGE = 50
CLAIM_CONFLICT = (
    "Someone changed this claim while you were editing it. "
    "Here is their version: make your change again."
)


@require_GET
def claim_list(request: HtmxHttpRequest) -> HttpResponse:
    """List the claims the user may see, newest change first, filtered and searched."""
    selected = {name: search_text(request.GET.get(name)) for name in ("status", "claimant", "q")}
    claims = Claim.objects.visible_to(request.user).with_counts().select_related("status")
    if selected["status"]:
        claims = claims.filter(status__slug=selected["status"])
    if selected["claimant"]:
        claims = claims.filter(claimant__iexact=selected["claimant"])
    if selected["q"]:
        claims = claims.search(selected["q"])
    page = Paginator(claims.order_by("-updated_at", "pk"), CLAIMS_PER_PAGE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "statuses": Label.objects.statuses(),
        "claimants": _claimants(request.user),
        "selected": selected,
        "can_manage_labels": permissions.can_manage_labels(request.user),
    }
    template = "annotations/claims/claim_list.html"
    if request.htmx:
        template += "#claim-results"
    return render(request, template, context)


def _claimants(user):
    """Return the names claims `user` may see are attributed to, for the filter (200 at most)."""
    return (
        Claim.objects.visible_to(user)
        .exclude(claimant="")
        .order_by(Lower("claimant"))
        .values_list("claimant", flat=True)
        .distinct()[:200]
    )


def _claim_context(request, claim: Claim, **extra) -> dict:
    appearances = (
        Annotation.objects.visible_to(request.user)
        .filter(claim=claim)
        .select_related("article", "author")
        .defer("article__body_markdown", "article__body_html", "article__body_text")
        .order_by("article__title", "article_id", "start", "pk")
    )
    return {
        "claim": claim,
        "evidence": list(claim.evidence.select_related("added_by")),
        "appearances": Paginator(appearances, APPEARANCES_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "can_edit": permissions.can_edit_claim(request.user, claim),
        "can_add_evidence": permissions.can_add_evidence(request.user, claim),
        "can_moderate": permissions.is_moderator(request.user),
        "context_chars": CONTEXT_CHARS,
        **extra,
    }


def _claim_for(request, slug: str) -> Claim:
    """Return the claim `request.user` may see (a name only private notes use is their authors')."""
    claims = Claim.objects.visible_to(request.user)
    return get_object_or_404(
        claims.select_related("status", "created_by", "status_final_by", "assignee"), slug=slug
    )


@require_GET
def claim_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Show a claim: its fields, verdicts, appearances, evidence, discussion and history."""
    claim = _claim_for(request, slug)
    template = "annotations/claims/claim_detail.html"
    if request.htmx:
        # The live parts fetch themselves again: the header (fields), the evidence list.
        part = "evidence-list" if request.GET.get("part") == "evidence-list" else "claim-fields"
        return render(request, f"{template}#{part}", _claim_context(request, claim))
    # Read before what the page shows: a change in between is fetched again, not missed.
    cursor = changefeed.cursor_for(claim=claim)
    return render(request, template, _claim_context(request, claim, cursor=cursor))


def _card_pk(request) -> int | None:
    return parse_id(request.POST.get("card") or request.GET.get("card"))


@require_http_methods(["GET", "POST"])
def claim_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Edit a claim on its page, or inside an annotation's card (with ?card=<pk>)."""
    claim = _claim_for(request, slug)
    if not permissions.can_edit_claim(request.user, claim):
        raise PermissionDenied("Only a moderator or the claim's author can edit it.")
    if request.method == "GET":
        return _claim_form(request, claim, ClaimForm(initial=_claim_initial(claim)))
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _claim_form(request, claim, form, status=422)
    try:
        claim = services.claim_update(claim=claim, user=request.user, **form.cleaned_data)
    except services.EditConflict as conflict:
        # Their version, to make the change again on: the form holds every field of it.
        form = ClaimForm(data=_claim_initial(conflict.current))
        form.is_valid()
        form.add_error(None, CLAIM_CONFLICT)
        return _claim_form(request, conflict.current, form, status=409)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _claim_form(request, claim, form, status=422)
    return _claim_saved(request, claim)


def _claim_form(request, claim: Claim, form: ClaimForm, *, status: int = 200) -> HttpResponse:
    template = "annotations/claims/claim_edit.html" + ("#claim-form" if request.htmx else "")
    context = {**_claim_context(request, claim), "form": form, "card": _card_pk(request)}
    return render(request, template, context, status=status)


def _claim_initial(claim: Claim) -> dict:
    fields = ["title", "claimant", "claimant_type", "status", "rationale", "version"]
    return model_to_dict(claim, fields=fields)


def _claim_saved(request, claim: Claim) -> HttpResponse:
    """Answer a saved claim: its fields again, or the card it was edited in, or a redirect."""
    card = _card_pk(request)
    annotation = None
    if card is not None:
        annotation = (
            Annotation.objects.visible_to(request.user).filter(pk=card, claim=claim).first()
        )
    if request.htmx and annotation is not None:
        return redirect(_card_update_url(request, annotation))
    if request.htmx:
        context = _claim_context(request, claim)
        return render(request, "annotations/claims/claim_detail.html#claim-fields", context)
    messages.success(request, "Claim saved.")
    return redirect(annotation.get_absolute_url() if annotation else claim.get_absolute_url())


def _card_update_url(request, annotation: Annotation) -> str:
    """Return where the reader draws the card (and repaints the body) after a change in it.

    htmx follows the redirect and swaps the answer in place of the card. What the page sent
    along besides the claim's form (the reader's filters) goes with it, so the repainted body
    keeps matching the panel.
    """
    query = QueryDict(mutable=True)
    for name, values in request.POST.lists():
        if name not in ClaimForm.base_fields and name not in ("card", "csrfmiddlewaretoken"):
            query.setlist(name, values)
    query["paint"] = "1"
    return f"{reverse('annotations:card', kwargs={'pk': annotation.pk})}?{query.urlencode()}"


def _evidence_response(request, claim: Claim, form=None, *, status: int = 200) -> HttpResponse:
    context = _claim_context(request, claim, evidence_form=form or EvidenceForm())
    template = "annotations/claims/claim_detail.html"
    if request.htmx:
        template += "#evidence"
    return render(request, template, context, status=status)


@require_POST
def evidence_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    claim = _claim_for(request, slug)
    if not permissions.can_add_evidence(request.user, claim):
        raise PermissionDenied("You cannot add evidence: ask a moderator for the annotator role.")
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_add(claim=claim, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _evidence_response(request, claim)
            messages.success(request, "Evidence added.")
            return redirect(claim.get_absolute_url())
    return _evidence_response(request, claim, form, status=422)


@require_POST
def evidence_remove(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    claim = _claim_for(request, slug)
    evidence = get_object_or_404(Evidence, pk=pk, claim=claim)
    services.evidence_remove(evidence=evidence, user=request.user)
    if request.htmx:
        return _evidence_response(request, claim)
    messages.success(request, "Evidence removed.")
    return redirect(claim.get_absolute_url())


# --- labels --------------------------------------------------------------------------------


def _require_label_manager(request) -> None:
    if not permissions.can_manage_labels(request.user):
        raise PermissionDenied("Only a moderator can manage labels.")


def _labels_with_counts(user):
    """Return the labels `user` may see, counting only the shared annotations that carry them."""
    shared = Q(annotations__visibility=Annotation.Visibility.SHARED)
    # A status's count of claims leaves out claims private to someone else.
    seen_claims = Q(claims__private_to__isnull=True)
    if user.is_authenticated:
        seen_claims |= Q(claims__private_to=user)
    return Label.objects.visible_to(user).annotate(
        annotation_count=Count("annotations", filter=shared, distinct=True),
        claim_count=Count("claims", filter=seen_claims, distinct=True),
    )


def _label_list_response(request, *, create_form=None, status: int = 200, partial: str = ""):
    context = {
        "labels": _labels_with_counts(request.user),
        "create_form": create_form or LabelCreateForm(initial={"colour": "#ffd54f"}),
    }
    template = "annotations/claims/label_list.html"
    if partial:
        template += f"#{partial}"
    return render(request, template, context, status=status)


def _merge_form(request, source: Label, data=None) -> LabelMergeForm:
    """Return the merge form offering only labels the moderator may see as targets."""
    form = LabelMergeForm(data, source=source)
    target = form.fields["target"]
    target.queryset = target.queryset.filter(
        pk__in=Label.objects.visible_to(request.user).values("pk")
    )
    return form


def _label_initial(label: Label) -> dict:
    return model_to_dict(label, fields=["name", "colour", "description", "shortcut"])


@require_GET
def label_list(request: HtmxHttpRequest) -> HttpResponse:
    _require_label_manager(request)
    return _label_list_response(request)


@require_POST
def label_create(request: HtmxHttpRequest) -> HttpResponse:
    _require_label_manager(request)
    form = LabelCreateForm(request.POST)
    if form.is_valid():
        try:
            label = services.label_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _label_list_response(request, partial="label-manager")
            messages.success(request, f"Label “{label.name}” added.")
            return redirect("annotations:labels")
    return _label_list_response(
        request, create_form=form, status=422, partial="label-manager" if request.htmx else ""
    )


@require_http_methods(["GET", "POST"])
def label_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require_label_manager(request)
    label = get_object_or_404(_labels_with_counts(request.user), pk=pk)
    if request.method == "GET":
        return _label_form(request, label, LabelForm(initial=_label_initial(label)))
    form = LabelForm(request.POST)
    if not form.is_valid():
        return _label_form(request, label, form, status=422)
    try:
        services.label_update(label=label, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _label_form(request, label, form, status=422)
    if request.htmx:
        label = _labels_with_counts(request.user).get(pk=pk)
        return render(request, "annotations/claims/label_list.html#label-row", {"label": label})
    messages.success(request, f"Label “{label.name}” saved.")
    return redirect("annotations:labels")


def _label_form(request, label: Label, form, *, merge_form=None, status: int = 200):
    """Return the label's edit form (and its merge form) as a page, or the partial for htmx."""
    template = "annotations/claims/label_edit.html" + ("#label-form" if request.htmx else "")
    merge_form = merge_form or _merge_form(request, label)
    context = {"label": label, "form": form, "merge_form": merge_form}
    return render(request, template, context, status=status)


@require_POST
def label_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require_label_manager(request)
    source = get_object_or_404(Label.objects.visible_to(request.user), pk=pk)
    form = _merge_form(request, source, request.POST)
    if form.is_valid():
        target = form.cleaned_data["target"]
        name = source.name
        try:
            services.label_merge(source=source, target=target, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                response = _label_list_response(request, partial="label-manager")
                return reswap(retarget(response, "#label-manager"), "outerHTML")
            messages.success(request, f"“{name}” merged into “{target.name}”.")
            return redirect("annotations:labels")
    label = _labels_with_counts(request.user).get(pk=pk)
    edit = LabelForm(initial=_label_initial(label))
    return _label_form(request, label, edit, merge_form=form, status=422)

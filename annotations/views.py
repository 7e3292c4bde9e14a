"""Views for annotating, claims and labels. Thin: services write, querysets and reading read.

Every write checks permission in its service (PermissionDenied becomes a 403); views that show
an edit form check the same rule first, so a forbidden form is never even shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event
from django_htmx.middleware import HtmxDetails

from articles.models import Article

from . import changefeed, conflicts, permissions, services
from .anchoring import CONTEXT_CHARS
from .forms import (
    AnnotationCreateForm,
    AnnotationEditForm,
    ClaimForm,
    EvidenceForm,
    LabelCreateForm,
    LabelForm,
    LabelMergeForm,
)
from .models import Annotation, Claim, Evidence, Label
from .quicktags import format_tag_input
from .reading import (
    Filters,
    card_annotations,
    insertion_for,
    paint_for,
    reader_context,
    tag_suggestions,
)

READER_PANEL = "annotations/includes/_reader_panel.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _conflict_form(form_class, current: dict, message: str):
    """Return a form showing the saved values (and their version) with message on top."""
    form = form_class(data=current)
    form.is_valid()
    form.add_error(None, message)
    return form


def _card_update(request, annotation: Annotation, *, status: int = 200) -> HttpResponse:
    """Return an annotation's card and, out of band, the article body painted again."""
    (card,) = card_annotations(request, [annotation.pk])
    painting = paint_for(annotation.article, request.user, Filters.from_query(request.POST))
    context = {"a": card, "painted_html": painting.html, "article": annotation.article}
    return render(request, f"{READER_PANEL}#card-update", context, status=status)


def _visible_annotation(request, pk: int) -> Annotation:
    queryset = Annotation.objects.visible_to(request.user).select_related("article", "author")
    return get_object_or_404(queryset, pk=pk)


# --- the reader's annotations --------------------------------------------------------------


@require_GET
def reader_panel(request: HtmxHttpRequest, article_pk: int) -> HttpResponse:
    """Return the panel's cards (filtered, paged) and the body painted to match."""
    article = get_object_or_404(Article, pk=article_pk)
    if not request.htmx:
        query = Filters.from_query(request.GET).querystring()
        return redirect(article.get_absolute_url() + (f"?{query}" if query else ""))
    around = request.GET.get("around", "")
    context = reader_context(
        request,
        article,
        around=int(around) if around.isdigit() else None,
        preserve=_ids(request.GET.get("editing", "")),
    )
    # A live refresh while the reader is selecting text leaves the body alone (paint=0):
    # repainting it would drop the selection.
    context["paint"] = request.GET.get("paint") != "0"
    return render(request, f"{READER_PANEL}#reader-update", context)


def _ids(raw: str, limit: int = 50) -> frozenset[int]:
    """Return the ids in a comma-separated list, ignoring anything else."""
    return frozenset(int(part) for part in raw.split(",")[:limit] if part.strip().isdigit())


@require_POST
def annotation_create(request: HtmxHttpRequest, article_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_pk)
    if not permissions.can_annotate(request.user):
        raise PermissionDenied("You cannot annotate: ask a moderator for the annotator role.")
    form = AnnotationCreateForm(request.POST)
    if form.is_valid():
        try:
            annotation = services.annotation_create(
                article=article, author=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if request.htmx:
                response = _created_update(request, article, annotation)
                return trigger_client_event(response, "annotation-saved", {"id": annotation.pk})
            messages.success(request, "Annotation saved.")
            return redirect(annotation.get_absolute_url())
    context = {"article": article, "form": form}
    if request.htmx:
        response = render(
            request, "annotations/annotation_create.html#composer", context, status=422
        )
        return reswap(retarget(response, "#composer"), "outerHTML")
    return render(request, "annotations/annotation_create.html", context, status=422)


def _created_update(request, article: Article, annotation: Annotation) -> HttpResponse:
    """Return what shows a new annotation on the reader page it was made on.

    The page says which cards its panel shows (reader.js adds `shown`): the answer is then
    the new card, to go among them in reading order, its paragraphs painted again and the
    count (see reading.insertion_for). Otherwise, or under filters, the whole panel comes
    back on the page holding the new card: a new annotation shows even under filters, so
    they are cleared.
    """
    insertion = None
    if "shown" in request.POST and not Filters.from_query(request.POST).active:
        shown = _ids(request.POST["shown"], limit=200)
        insertion = insertion_for(request, article, annotation, shown=shown)
    if insertion is None:
        context = reader_context(request, article, filters=Filters(), around=annotation.pk)
        return render(request, f"{READER_PANEL}#reader-update", context)
    context = {"a": insertion.card, "insertion": insertion, "article": article}
    response = render(request, f"{READER_PANEL}#card-insert", context)
    if insertion.after is None:
        return reswap(retarget(response, "#annotation-list"), "afterbegin")
    return reswap(retarget(response, f"#card-{insertion.after}"), "afterend")


@require_GET
def annotation_card(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = _visible_annotation(request, pk)
    if not request.htmx:
        return redirect(annotation.get_absolute_url())
    (card,) = card_annotations(request, [annotation.pk])
    return render(request, f"{READER_PANEL}#annotation-card", {"a": card})


def _edit_initial(annotation: Annotation) -> dict:
    tags = [label.name for label in annotation.labels.all()]
    claim = annotation.claim
    return {
        "note": annotation.note,
        "tags": format_tag_input(
            tags, claim.status.name if claim else "", claim.title if claim else ""
        ),
        "visibility": annotation.visibility,
        "version": annotation.version,
    }


@require_http_methods(["GET", "POST"])
def annotation_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = _visible_annotation(request, pk)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise PermissionDenied("You can only edit your own annotations.")
    status = 200
    if request.method == "POST":
        form = AnnotationEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                annotation = services.annotation_update(
                    annotation=annotation,
                    user=request.user,
                    version=data["version"],
                    note=data["note"],
                    tags=data["tags"],
                    visibility=data["visibility"],
                )
            except services.EditConflict as conflict:
                return _edit_conflict(request, conflict.current, data)
            except ValidationError as exc:
                _add_service_errors(form, exc)
                status = 422
            else:
                if request.htmx:
                    return _card_update(request, annotation)
                messages.success(request, "Annotation saved.")
                return redirect(annotation.get_absolute_url())
        else:
            status = 422
    else:
        form = AnnotationEditForm(initial=_edit_initial(annotation))
    template = "annotations/annotation_edit.html"
    if request.htmx:
        template += "#annotation-form"
    context = {"form": form, "annotation": annotation, "article": annotation.article}
    return render(request, template, context, status=status)


def _edit_conflict(request: HtmxHttpRequest, current: Annotation, mine: dict) -> HttpResponse:
    """Show an edit that lost a race beside the saved one, with a merge to start from (409).

    The same conflict view as collab's note editor; both its forms send the editor's tags and
    visibility again, so "overwrite with mine" and the merge keep everything they chose.
    """
    current = Annotation.objects.select_related("article", "claim__status").get(pk=current.pk)
    theirs = _edit_initial(current)
    differs = " ".join(theirs["tags"].split()) != " ".join(mine["tags"].split()) or (
        theirs["visibility"] != mine["visibility"]
    )
    context = {
        "annotation": current,
        "article": current.article,
        "conflict": conflicts.conflict_for(
            current=current, mine=mine["note"], version=mine["version"]
        ),
        "action_url": reverse("annotations:edit", kwargs={"pk": current.pk}),
        "cancel_url": current.get_absolute_url(),
        "keep_url": reverse("annotations:card", kwargs={"pk": current.pk}),
        "swap_target": f"#card-{current.pk}",
        "extra_fields": [("tags", mine["tags"]), ("visibility", mine["visibility"])],
        "theirs_detail": _tags_line(theirs["tags"], theirs["visibility"]) if differs else "",
        "mine_detail": _tags_line(mine["tags"], mine["visibility"]) if differs else "",
    }
    template = "annotations/annotation_edit.html"
    if request.htmx:
        template += "#annotation-conflict"
    return render(request, template, context, status=409)


def _tags_line(tags: str, visibility: str) -> str:
    where = "only you" if visibility == Annotation.Visibility.PRIVATE else "shared"
    return f"Tags: {tags or 'none'} · {where}"


@require_POST
def annotation_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = _visible_annotation(request, pk)
    annotation = services.annotation_delete(annotation=annotation, user=request.user)
    if request.htmx:
        painting = paint_for(annotation.article, request.user, Filters.from_query(request.POST))
        context = {"a": annotation, "painted_html": painting.html}
        return render(request, f"{READER_PANEL}#deleted-update", context)
    messages.success(request, "Annotation deleted.")
    return redirect(annotation.article.get_absolute_url())


@require_POST
def annotation_restore(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(
        Annotation.objects.filter(deleted_at__isnull=False).select_related("article"), pk=pk
    )
    annotation = services.annotation_restore(annotation=annotation, user=request.user)
    if request.htmx:
        return _card_update(request, annotation)
    messages.success(request, "Annotation restored.")
    return redirect(annotation.get_absolute_url())


@require_POST
def annotation_hide(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = _visible_annotation(request, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    annotation = services.annotation_hide(annotation=annotation, user=request.user, hidden=hidden)
    if request.htmx:
        return _card_update(request, annotation)
    messages.success(request, "Annotation hidden." if hidden else "Annotation shown again.")
    return redirect(annotation.get_absolute_url())


@require_GET
def tag_suggest(request: HtmxHttpRequest) -> HttpResponse:
    """Return a <datalist> of tags, statuses and claims completing the tag field."""
    list_id = request.GET.get("list", "tag-suggestions")
    if not list_id.replace("-", "").isalnum():
        list_id = "tag-suggestions"
    options = tag_suggestions(request.GET.get("tags", ""))
    return render(
        request,
        "annotations/includes/_tag_suggestions.html",
        {"options": options, "list_id": list_id},
    )


# --- claims --------------------------------------------------------------------------------

CLAIMS_PER_PAGE = 25
APPEARANCES_PER_PAGE = 50


@require_GET
def claim_list(request: HtmxHttpRequest) -> HttpResponse:
    claims = Claim.objects.with_counts().select_related("status")
    status = request.GET.get("status", "")
    claimant = request.GET.get("claimant", "").strip()
    query = request.GET.get("q", "").strip()
    if status:
        claims = claims.filter(status__slug=status)
    if claimant:
        claims = claims.filter(claimant__iexact=claimant)
    if query:
        claims = claims.search(query)
    page = Paginator(claims.order_by("-updated_at", "pk"), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    claimants = (
        Claim.objects.exclude(claimant="")
        .order_by(Lower("claimant"))
        .values_list("claimant", flat=True)
        .distinct()[:200]
    )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {
        "page": page,
        "statuses": Label.objects.statuses(),
        "claimants": claimants,
        "selected": {"status": status, "claimant": claimant, "q": query},
        "querystring": query_without_page.urlencode(),
        "can_manage_labels": permissions.can_manage_labels(request.user),
    }
    template = "annotations/claim_list.html"
    if request.htmx:
        template += "#claim-results"
    return render(request, template, context)


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


def _claim_for(slug: str) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("status", "created_by", "status_final_by", "assignee"),
        slug=slug,
    )


@require_GET
def claim_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Show a claim: its fields, verdicts, appearances, evidence, discussion and history."""
    claim = _claim_for(slug)
    template = "annotations/claim_detail.html"
    if request.htmx:
        template += "#claim-fields"
        return render(request, template, _claim_context(request, claim))
    # Read before what the page shows: a change in between is fetched again, not missed.
    cursor = changefeed.cursor_for(claim=claim)
    return render(request, template, _claim_context(request, claim, cursor=cursor))


def _card_pk(request) -> int | None:
    raw = request.POST.get("card") or request.GET.get("card") or ""
    return int(raw) if raw.isdigit() else None


@require_http_methods(["GET", "POST"])
def claim_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Edit a claim on its page, or inside an annotation's card (with ?card=<pk>)."""
    claim = _claim_for(slug)
    if not permissions.can_edit_claim(request.user, claim):
        raise PermissionDenied("Only a moderator or the claim's author can edit it.")
    card = _card_pk(request)
    status = 200
    if request.method == "POST":
        form = ClaimForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = services.claim_update(claim=claim, user=request.user, **data)
            except services.EditConflict as conflict:
                claim = conflict.current
                form = _conflict_form(
                    ClaimForm,
                    _claim_initial(claim),
                    "Someone changed this claim while you were editing it. "
                    "Here is their version: make your change again.",
                )
                status = 409
            except ValidationError as exc:
                _add_service_errors(form, exc)
                status = 422
            else:
                return _claim_saved(request, claim, card)
        else:
            status = 422
    else:
        form = ClaimForm(initial=_claim_initial(claim))
    template = "annotations/claim_edit.html"
    if request.htmx:
        template += "#claim-form"
    context = {**_claim_context(request, claim), "form": form, "card": card}
    return render(request, template, context, status=status)


def _claim_initial(claim: Claim) -> dict:
    return model_to_dict(claim, fields=["title", "claimant", "status", "rationale", "version"])


def _claim_saved(request, claim: Claim, card: int | None) -> HttpResponse:
    annotation = None
    if card is not None:
        annotation = (
            Annotation.objects.visible_to(request.user)
            .select_related("article")
            .filter(pk=card, claim=claim)
            .first()
        )
    if request.htmx:
        if annotation is not None:
            return _card_update(request, annotation)
        context = _claim_context(request, claim)
        return render(request, "annotations/claim_detail.html#claim-fields", context)
    messages.success(request, "Claim saved.")
    return redirect(annotation.get_absolute_url() if annotation else claim.get_absolute_url())


def _evidence_response(request, claim: Claim, form=None, *, status: int = 200) -> HttpResponse:
    context = _claim_context(request, claim, evidence_form=form or EvidenceForm())
    template = "annotations/claim_detail.html"
    if request.htmx:
        template += "#evidence"
    return render(request, template, context, status=status)


@require_POST
def evidence_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    claim = _claim_for(slug)
    if not permissions.can_add_evidence(request.user, claim):
        raise PermissionDenied("You cannot add evidence: ask a moderator for the annotator role.")
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_add(claim=claim, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if request.htmx:
                return _evidence_response(request, claim)
            messages.success(request, "Evidence added.")
            return redirect(claim.get_absolute_url())
    return _evidence_response(request, claim, form, status=422)


@require_POST
def evidence_remove(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    claim = _claim_for(slug)
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


def _labels_with_counts():
    return Label.objects.annotate(
        annotation_count=Count("annotations", distinct=True),
        claim_count=Count("claims", distinct=True),
    )


def _label_list_response(request, *, create_form=None, status: int = 200, partial: str = ""):
    context = {
        "labels": _labels_with_counts(),
        "create_form": create_form or LabelCreateForm(initial={"colour": "#ffd54f"}),
    }
    template = "annotations/label_list.html"
    if partial:
        template += f"#{partial}"
    return render(request, template, context, status=status)


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
            _add_service_errors(form, exc)
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
    label = get_object_or_404(_labels_with_counts(), pk=pk)
    status = 200
    if request.method == "POST":
        form = LabelForm(request.POST)
        if form.is_valid():
            try:
                services.label_update(label=label, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_service_errors(form, exc)
                status = 422
            else:
                if request.htmx:
                    label = _labels_with_counts().get(pk=pk)
                    return render(
                        request, "annotations/label_list.html#label-row", {"label": label}
                    )
                messages.success(request, f"Label “{label.name}” saved.")
                return redirect("annotations:labels")
        else:
            status = 422
    else:
        form = LabelForm(initial=_label_initial(label))
    template = "annotations/label_edit.html"
    if request.htmx:
        template += "#label-form"
    context = {"label": label, "form": form, "merge_form": LabelMergeForm(source=label)}
    return render(request, template, context, status=status)


@require_POST
def label_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require_label_manager(request)
    source = get_object_or_404(Label, pk=pk)
    form = LabelMergeForm(request.POST, source=source)
    if form.is_valid():
        target = form.cleaned_data["target"]
        name = source.name
        try:
            services.label_merge(source=source, target=target, user=request.user)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if request.htmx:
                response = _label_list_response(request, partial="label-manager")
                return reswap(retarget(response, "#label-manager"), "outerHTML")
            messages.success(request, f"“{name}” merged into “{target.name}”.")
            return redirect("annotations:labels")
    label = _labels_with_counts().get(pk=pk)
    context = {"label": label, "form": LabelForm(initial=_label_initial(label)), "merge_form": form}
    template = "annotations/label_edit.html"
    if request.htmx:
        template += "#label-form"
    return render(request, template, context, status=422)

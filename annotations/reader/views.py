"""Views for the reader page: the annotation panel, cards, and annotating. Thin: services write.

Every write checks permission in its service (PermissionDenied becomes a 403); views that show
an edit form check the same rule first, so a forbidden form is never even shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from annotations.core import permissions, services
from annotations.core.conflicts import conflict_response
from annotations.core.forms import add_service_errors
from annotations.core.navigation import next_url
from annotations.core.quicktags import format_tag_input
from annotations.models import Annotation
from annotations.reader.colours import colours_url
from annotations.reader.forms import AnnotationCreateForm, AnnotationEditForm
from annotations.reader.reading import (
    Filters,
    card_annotations,
    claim_suggestions,
    composer_context,
    insertion_for,
    paint_for,
    reader_context,
    tag_suggestions,
)
from articles.http import HtmxHttpRequest
from articles.models import Article
from articles.params import parse_id, search_text

READER_PANEL = "annotations/reader/includes/_reader_panel.html"
EDIT_PAGE = "annotations/reader/annotation_edit.html"


def _filters(request) -> Filters:
    """Return the panel's filters the request carries (htmx includes them with every request)."""
    return Filters.from_query(request.GET if request.method == "GET" else request.POST)


def _card_update(request, annotation: Annotation, *, status: int = 200) -> HttpResponse:
    """Return an annotation's card and, out of band, the article body painted again."""
    (card,) = card_annotations(request, [annotation.pk])
    painting = paint_for(annotation.article, request.user, _filters(request))
    context = {
        "a": card,
        "painted_html": painting.html,
        "colours_url": colours_url(painting.labels.values(), request.user),
        "article": annotation.article,
    }
    return render(request, f"{READER_PANEL}#card-update", context, status=status)


def _visible_annotation(request, pk: int) -> Annotation:
    queryset = Annotation.objects.visible_to(request.user).select_related(
        "article", "author", "claim__status"
    )
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
        around=parse_id(around),
        preserve=_ids(request.GET.get("editing", "")),
    )
    # A live refresh while the reader is selecting text leaves the body alone (paint=0):
    # repainting it would drop the selection.
    context["paint"] = request.GET.get("paint") != "0"
    return render(request, f"{READER_PANEL}#reader-update", context)


def _ids(raw: str, limit: int = 50) -> frozenset[int]:
    """Return the ids in a comma-separated list, ignoring anything else."""
    ids = (parse_id(part) for part in raw.split(",")[:limit])
    return frozenset(pk for pk in ids if pk is not None)


@require_POST
def annotation_create(request: HtmxHttpRequest, article_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_pk)
    if not permissions.can_keep_private(request.user):
        raise PermissionDenied("Sign in to annotate.")
    form = AnnotationCreateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            annotation = services.annotation_create(
                article=article, author=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                response = _created_update(request, article, annotation)
                return trigger_client_event(response, "annotation-saved", {"id": annotation.pk})
            messages.success(request, "Annotation saved.")
            return redirect(annotation.get_absolute_url())
    context = {"article": article, "form": form, **composer_context(request.user)}
    if request.htmx:
        response = render(
            request, "annotations/reader/annotation_create.html#composer", context, status=422
        )
        return reswap(retarget(response, "#composer"), "outerHTML")
    return render(request, "annotations/reader/annotation_create.html", context, status=422)


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
    """Return an annotation's card; with paint=1 the body painted again too (under the filters).

    Pages that change what a card shows without being the reader (a claim edited in its card)
    send htmx here afterwards, so the card is drawn in one place.
    """
    annotation = _visible_annotation(request, pk)
    if not request.htmx:
        return redirect(annotation.get_absolute_url())
    if request.GET.get("paint") == "1":
        return _card_update(request, annotation)
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
    """Edit a note, its tags and who sees it, from the version the form was loaded at."""
    annotation = _visible_annotation(request, pk)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise PermissionDenied("You can only edit your own annotations.")
    if request.method == "GET":
        return _edit_form(
            request, annotation, AnnotationEditForm(initial=_edit_initial(annotation))
        )
    form = _posted_edit(request)
    if not form.is_valid():
        return _edit_form(request, annotation, form, status=422)
    try:
        annotation = services.annotation_update(
            annotation=annotation, user=request.user, **form.cleaned_data
        )
    except services.EditConflict as conflict:
        return _edit_conflict(request, conflict.current, form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _edit_form(request, annotation, form, status=422)
    if request.htmx:
        return _card_update(request, annotation)
    messages.success(request, "Annotation saved.")
    return redirect(next_url(request, annotation.get_absolute_url()))


def _posted_edit(request: HtmxHttpRequest) -> AnnotationEditForm:
    """Return the posted edit form; refuse one whose version is not a version (400)."""
    form = AnnotationEditForm(request.POST)
    if not form.is_valid() and "version" in form.errors:
        raise BadRequest("The form lost its version: load it again.")
    return form


def _edit_form(request, annotation: Annotation, form, *, status: int = 200) -> HttpResponse:
    template = EDIT_PAGE + ("#annotation-form" if request.htmx else "")
    context = {"form": form, "annotation": annotation, "article": annotation.article}
    return render(request, template, context, status=status)


def _edit_conflict(request: HtmxHttpRequest, current: Annotation, mine: dict) -> HttpResponse:
    """Show an edit that lost a race beside the saved one, with a merge to start from (409).

    Both forms of the conflict view send the editor's tags and visibility again, so "overwrite
    with mine" and the merge keep everything they chose.
    """
    current = Annotation.objects.select_related("article", "claim__status").get(pk=current.pk)
    theirs = _edit_initial(current)
    differs = " ".join(theirs["tags"].split()) != " ".join(mine["tags"].split()) or (
        theirs["visibility"] != mine["visibility"]
    )
    return conflict_response(
        request,
        template=EDIT_PAGE,
        current=current,
        mine=mine["note"],
        version=mine["version"],
        annotation=current,
        article=current.article,
        action_url=reverse("annotations:edit", kwargs={"pk": current.pk}),
        cancel_url=current.get_absolute_url(),
        keep_url=reverse("annotations:card", kwargs={"pk": current.pk}),
        swap_target=f"#card-{current.pk}",
        extra_fields=[("tags", mine["tags"]), ("visibility", mine["visibility"])],
        theirs_detail=_tags_line(theirs["tags"], theirs["visibility"]) if differs else "",
        mine_detail=_tags_line(mine["tags"], mine["visibility"]) if differs else "",
    )


def _tags_line(tags: str, visibility: str) -> str:
    where = "only you" if visibility == Annotation.Visibility.PRIVATE else "shared"
    return f"Tags: {tags or 'none'} · {where}"


@require_POST
def annotation_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = _visible_annotation(request, pk)
    annotation = services.annotation_delete(annotation=annotation, user=request.user)
    if request.htmx:
        painting = paint_for(annotation.article, request.user, _filters(request))
        context = {
            "a": annotation,
            "painted_html": painting.html,
            "colours_url": colours_url(painting.labels.values(), request.user),
        }
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
    """Hide (hidden=1) or show again (hidden=0) an annotation: the one way, for moderators.

    From the reader's card (htmx: the card again) or the moderation queue (back to its `next`).
    """
    annotation = _visible_annotation(request, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    annotation = services.annotation_hide(annotation=annotation, user=request.user, hidden=hidden)
    if request.htmx:
        return _card_update(request, annotation)
    messages.success(request, "Annotation hidden." if hidden else "Annotation shown again.")
    return redirect(next_url(request, annotation.get_absolute_url()))


@require_GET
def tag_suggest(request: HtmxHttpRequest) -> HttpResponse:
    """Return a <datalist> of tags, statuses and claims completing the tag field."""
    list_id = request.GET.get("list", "tag-suggestions")
    if not list_id.replace("-", "").isalnum():
        list_id = "tag-suggestions"
    options = tag_suggestions(search_text(request.GET.get("tags")), user=request.user)
    return render(
        request,
        "annotations/reader/includes/_tag_suggestions.html",
        {"options": options, "list_id": list_id},
    )


@require_GET
def claim_suggest(request: HtmxHttpRequest) -> HttpResponse:
    """Return a <datalist> of the claims whose title holds what was typed (the composer's link)."""
    options = claim_suggestions(search_text(request.GET.get("claim_link")), user=request.user)
    return render(
        request,
        "annotations/reader/includes/_tag_suggestions.html",
        {"options": options, "list_id": "claim-matches"},
    )

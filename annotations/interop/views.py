"""Pages for interoperability: exports, ClaimReview downloads, API tokens, annotation import."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.core import permissions
from annotations.interop.claimreview import claimreview_json
from annotations.interop.exports import FORMATS, export_annotations, visible_annotations
from annotations.interop.forms import AnnotationImportForm, ApiTokenForm
from annotations.interop.imports import ImportFileError, import_annotations
from annotations.interop.tokens import token_create, token_revoke
from annotations.interop.webannotation import Urls
from annotations.models import ApiToken, Claim
from articles.models import Article


def _readable(request):
    if settings.CLAIMLENS_REQUIRE_LOGIN and not request.user.is_authenticated:
        raise PermissionDenied("Sign in to read.")


@require_GET
def export_page(request):
    """Show the export buttons, for everything or for the article named by ?article=."""
    _readable(request)
    article = None
    if request.GET.get("article", "").isdigit():
        article = get_object_or_404(Article.objects.only("title"), pk=request.GET["article"])
    return render(
        request, "annotations/interop/export_page.html", {"article": article, "formats": FORMATS}
    )


def _download(request, fmt: str, article: Article | None) -> HttpResponse:
    _readable(request)
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    annotations = visible_annotations(request.user)
    if article is not None:
        annotations = annotations.filter(article=article)
    export = export_annotations(
        annotations, fmt=fmt, urls=Urls.for_request(request), article=article
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    # Private annotations may be in it: keep it out of shared caches.
    add_never_cache_headers(response)
    return response


@require_GET
def export_all(request, fmt: str):
    return _download(request, fmt, None)


@require_GET
def export_article(request, article_id: int, fmt: str):
    return _download(request, fmt, get_object_or_404(Article, pk=article_id))


@require_GET
def claimreview_download(request, slug: str):
    """Return a claim's ClaimReview JSON-LD; 404 until its status is final."""
    _readable(request)
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("status"), slug=slug
    )
    review = claimreview_json(claim, request)
    if review is None:
        raise Http404("This claim has no final verdict yet.")
    response = HttpResponse(
        json.dumps(review, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    response["Content-Disposition"] = f'inline; filename="claimreview-{claim.slug}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """List the user's API tokens; a valid POST makes one and shows its secret once."""
    created = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
        created = {"token": token, "secret": secret}
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request,
        "annotations/interop/apitoken_list.html",
        {"form": form, "tokens": tokens, "created": created},
    )
    # The secret is shown once: never from a cache or the back button.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token, user=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("interop:token-list")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_import(request):
    """Take a file of annotations and report, item by item, what was imported."""
    if not permissions.can_annotate(request.user):
        raise PermissionDenied("You cannot annotate, so you cannot import annotations.")
    form = AnnotationImportForm(request.POST or None, request.FILES or None)
    report = None
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            report = import_annotations(
                form.cleaned_data["file"].read(),
                user=request.user,
                urls=Urls.for_request(request),
                article=form.cleaned_data["article"],
            )
        except ImportFileError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render(
        request,
        "annotations/interop/annotation_import.html",
        {"form": form, "report": report, "error": error},
        status=status,
    )

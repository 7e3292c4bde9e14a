"""Pages of claim suggestions: accept, dismiss, where else, and the claimant's record.

Every write goes through a service (PermissionDenied becomes a 403); htmx gets the fragment it
replaces, everyone else a redirect, so the pages work without JavaScript.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotations.core import permissions
from annotations.models import Claim, Suggestion
from annotations.suggestions import reading, services, similarity
from articles.http import HtmxHttpRequest
from articles.models import Article
from articles.params import search_text


def parse_offset(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


CLAIMANT_CLAIMS = 200


def problem(detail: str, status: int = 400) -> HttpResponse:
    """Return an application/problem+json answer saying what was wrong with the request."""
    body = {"type": "about:blank", "title": "Bad request", "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _suggestion(pk: int) -> Suggestion:
    return get_object_or_404(Suggestion.objects.select_related("article"), pk=pk)


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
def suggestion_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Draw an article's "Suggested claims" again (its reader page asks when others change it)."""
    article = get_object_or_404(Article, pk=pk)
    context = {"article": article, **reading.suggestions_context(request, article)}
    return render(request, reading.PANEL, context)


@require_POST
def suggestion_accept(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Make a suggestion a claim, then open the claim's form to adjust it."""
    suggestion = _suggestion(pk)
    claim = None
    if slug := search_text(request.POST.get("claim")):
        claim = get_object_or_404(Claim.objects.visible_to(request.user), slug=slug)
    try:
        annotation = services.suggestion_accept(
            suggestion=suggestion, user=request.user, claim=claim
        )
    except ValidationError as error:
        return problem(_message(error), status=409)
    reader = reverse("articles:detail", args=[suggestion.article_id])
    edit = reverse("annotations:claim-edit", args=[annotation.claim.slug])
    return _go(request, f"{edit}?next={reader}%23annotation-{annotation.pk}")


@require_POST
def suggestion_dismiss(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Hide a suggestion for everyone on its article."""
    suggestion = _suggestion(pk)
    try:
        services.suggestion_dismiss(suggestion=suggestion, user=request.user)
    except ValidationError as error:
        return problem(_message(error), status=409)
    if request.htmx:
        return HttpResponse("")
    return redirect(reverse("articles:detail", args=[suggestion.article_id]) + "#suggestions")


@require_GET
def suggestion_where_else(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Show the claims and other articles' passages that say what a suggestion says."""
    suggestion = _suggestion(pk)
    context = {
        "suggestion": suggestion,
        "statement": suggestion.exact,
        "similar": similarity.similar_claims(suggestion.exact, user=request.user),
        "passages": similarity.passages_elsewhere(
            suggestion.exact, exclude_article=suggestion.article_id
        ),
        "can_decide": permissions.can_annotate(request.user),
    }
    template = "annotations/suggestions/where_else.html"
    return render(request, template + ("#where-else" if request.htmx else ""), context)


@require_GET
def claim_where_else(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Show the claims and other articles' passages that say what a claim says."""
    claim = get_object_or_404(Claim.objects.visible_to(request.user), slug=slug)
    seen = set(claim.appearances.values_list("article_id", flat=True))
    passages = [p for p in similarity.passages_elsewhere(claim.title) if p.article.pk not in seen]
    context = {
        "claim": claim,
        "statement": claim.title,
        "similar": similarity.similar_claims(claim.title, user=request.user, exclude=claim.pk),
        "passages": passages,
        "can_decide": permissions.can_annotate(request.user),
    }
    template = "annotations/suggestions/where_else.html"
    return render(request, template + ("#where-else" if request.htmx else ""), context)


@require_POST
def claim_appearance_add(request: HtmxHttpRequest, slug: str, article_pk: int) -> HttpResponse:
    """Mark a passage of another article as another appearance of a claim."""
    claim = get_object_or_404(Claim.objects.visible_to(request.user), slug=slug)
    article = get_object_or_404(Article, pk=article_pk)
    try:
        annotation = services.claim_appearance_add(
            claim=claim,
            article=article,
            user=request.user,
            exact=request.POST.get("exact", ""),
            start=parse_offset(request.POST.get("start")),
        )
    except ValidationError as error:
        return problem(_message(error))
    reader = reverse("articles:detail", args=[article.pk])
    return _go(request, f"{reader}#annotation-{annotation.pk}")


@require_GET
def claimant_page(request: HtmxHttpRequest) -> HttpResponse:
    """List every claim attributed to one person or organisation, with its status."""
    name = search_text(request.GET.get("name"))
    claims = Claim.objects.visible_to(request.user).with_counts().select_related("status")
    claims = claims.filter(claimant__iexact=name) if name else claims.none()
    claimants = []
    if not name:
        claimants = (
            Claim.objects.visible_to(request.user)
            .exclude(claimant="")
            .values("claimant")
            .annotate(n=Count("pk"))
            .order_by("-n", "claimant")[:CLAIMANT_CLAIMS]
        )
    context = {"name": name, "claims": claims.order_by("-updated_at")[:CLAIMANT_CLAIMS]}
    context["claimants"] = claimants
    return render(request, "annotations/suggestions/claimant.html", context)

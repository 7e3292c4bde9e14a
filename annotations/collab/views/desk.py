"""The claim desk: a claim's verdicts, evidence and one discussion inside a reader's card."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from annotations.collab.views.base import HtmxHttpRequest, _claim, readable
from annotations.core import changefeed, permissions
from annotations.models import Evidence
from articles.params import parse_id

DESK = "annotations/collab/claim_desk.html"


@require_GET
@readable
def claim_desk(request: HtmxHttpRequest, slug: str):
    """Return a claim's desk for the card `card` (htmx); ?part=head: only the card's claim line.

    Everything in it updates itself on the change feed: the desk polls the claim's own feed,
    since verdicts, evidence and replies are changes to the claim, not to the article.
    """
    claim = _claim(slug, request.user)
    if not request.htmx:
        return redirect(claim.get_absolute_url())
    context = {
        "claim": claim,
        "card": parse_id(request.GET.get("card", "")),
        "cursor": changefeed.cursor_for(claim=claim),  # before reading what the desk shows
        "evidence": list(Evidence.objects.filter(claim=claim).select_related("added_by")),
        "can_add_evidence": permissions.can_add_evidence(request.user, claim),
        "can_moderate": permissions.is_moderator(request.user),
    }
    part = "#desk-head" if request.GET.get("part") == "head" else ""
    return render(request, DESK + part, context)

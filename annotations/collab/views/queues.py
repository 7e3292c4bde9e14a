"""What waits for me: the queues page and the header's count."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotations.collab import queues
from annotations.collab.views.base import HtmxHttpRequest, signed_in

QUEUES = "annotations/collab/queues.html"


@require_GET
@signed_in
def queue_page(request: HtmxHttpRequest):
    """List what waits for me: verdicts, assignments, mentions (and moderators' queues)."""
    context = {"queues": queues.queues_for(request.user), "settle_after": queues.SETTLE_AFTER}
    if request.htmx and request.GET.get("part") == "lists":
        return render(request, f"{QUEUES}#queue-lists", context)
    return render(request, QUEUES, context)


@require_GET
@never_cache
def queue_badge(request: HtmxHttpRequest):
    """Return the header's link to my queues with how many things wait (polled every 20 s)."""
    return render(request, f"{QUEUES}#badge", {"waiting": queues.queue_count(request.user)})

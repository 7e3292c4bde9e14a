"""The job pages: every job, and one job's live progress and per-item report."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..access import import_required
from ..http import HtmxHttpRequest
from .models import ImportJob, ImportJobItem
from .preview import preview_page
from .running import import_separately, job_cancel, job_confirm, job_resume

ITEMS_PER_PAGE = 50
# A preview reads, checks and dry-runs each item of its page: fewer, so it answers in seconds.
PREVIEW_PER_PAGE = 20


@require_GET
@import_required
def job_list(request):
    jobs = Paginator(ImportJob.objects.select_related("created_by", "feed"), 25)
    page = jobs.get_page(request.GET.get("page"))
    return render(request, "articles/jobs/job_list.html", {"page": page})


@require_GET
@import_required
def job_detail(request: HtmxHttpRequest, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "articles/jobs/job_detail.html#job-progress", {"job": job})
    items = job.items.select_related("article").order_by("position")
    status = request.GET.get("status", "")
    if status in ImportJobItem.Status.values:
        items = items.filter(status=status)
    previewing = job.status == ImportJob.Status.PREVIEW
    per_page = PREVIEW_PER_PAGE if previewing else ITEMS_PER_PAGE
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    context = {"job": job, "page": page, "status": status, "statuses": ImportJobItem.Status}
    if previewing:
        context["preview"] = preview_page(list(page.object_list))
    return render(request, "articles/jobs/job_detail.html", context)


@require_POST
@import_required
def job_action(request, pk: int, action: str):
    """Confirm a previewed job, cancel one, or resume one whose worker died."""
    job = get_object_or_404(ImportJob, pk=pk)
    done = {"confirm": job_confirm, "cancel": job_cancel, "resume": job_resume}[action](job)
    if not done:
        verb = {"confirm": "confirmed", "cancel": "cancelled", "resume": "resumed"}[action]
        messages.error(request, f"This job cannot be {verb} now: it is {job.get_status_display()}.")
    return redirect(job)


@require_POST
@import_required
def job_item_separate(request, pk: int, position: int):
    """Import a duplicate item as a separate article after all."""
    item = get_object_or_404(ImportJobItem, job_id=pk, position=position)
    if import_separately(item):
        messages.success(request, f"“{item.label}” will be imported as a separate article.")
    else:
        messages.error(request, f"“{item.label}” is not a duplicate waiting for a choice.")
    return redirect(f"{item.job.get_absolute_url()}#item-{position}")

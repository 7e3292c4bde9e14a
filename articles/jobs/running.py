"""Making, running, cancelling and resuming import jobs.

A worker runs a job item by item, in order. Each item is read (fetched, unpacked, parsed and
checked) outside any transaction, then stored in one transaction with its own result and the
job's counters and heartbeat: a failed item leaves no row of an article behind, and a worker
killed at any moment leaves every item either wholly done and counted or still to do. A job
that was running when its worker died is seen by its old heartbeat and queued again
(resume_stale_jobs, run by the periodic job, or the job page's Resume button).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task

from ..imports import NEW, ItemResult, import_items
from .models import ImportJob, ImportJobItem
from .sources import Entry, read_entry

logger = logging.getLogger(__name__)

Status = ImportJob.Status
ItemStatus = ImportJobItem.Status
BATCH = 500  # items written per INSERT when a job is made


def job_create(
    *,
    title: str,
    entries: Iterable[Entry],
    created_by=None,
    feed=None,
    folder: Path | str = "",
    preview: bool = False,
    choice: str = "",
) -> ImportJob:
    """Make a job of these entries and, unless it waits for a preview's confirmation, queue it."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            title=title[:300],
            created_by=created_by,
            feed=feed,
            folder=str(folder),
            status=Status.PREVIEW if preview else Status.QUEUED,
        )
        numbered = enumerate(entries)
        total = 0
        while chunk := list(islice(numbered, BATCH)):
            ImportJobItem.objects.bulk_create(
                ImportJobItem(job=job, position=n, label=label[:1000], source=source, choice=choice)
                for n, (label, source) in chunk
            )
            total += len(chunk)
        job.total = total
        job.save(update_fields=["total"])
        if not preview:
            _enqueue_on_commit(job)
    return job


def job_confirm(job: ImportJob) -> bool:
    """Queue a previewed job; False if it was not waiting for confirmation."""
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
            status=Status.QUEUED
        )
        if updated:
            _enqueue_on_commit(job)
    return bool(updated)


def job_cancel(job: ImportJob) -> bool:
    """Stop a job: the worker stops before its next item; what is done stays done."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[Status.PREVIEW, Status.QUEUED, Status.RUNNING]
    ).update(status=Status.CANCELLED, finished_at=timezone.now(), current="")
    if updated:
        _remove_folder(job.folder)
    return bool(updated)


def job_resume(job: ImportJob) -> bool:
    """Queue again a job whose worker died; False unless it is stalled."""
    job.refresh_from_db()
    if not job.stalled:
        return False
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, status=Status.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(status=Status.QUEUED)
        if updated:
            _enqueue_on_commit(job)
    return bool(updated)


def resume_stale_jobs() -> int:
    """Queue again every running job whose worker has gone quiet; return how many."""
    return sum(job_resume(job) for job in ImportJob.objects.filter(status=Status.RUNNING))


def run_job(
    job_id: int,
    *,
    on_results: Callable[[list[ItemResult]], None] | None = None,
    rest: float = 0,
):
    """Run a queued job to its end (or until it is cancelled), item by item.

    After each item the worker rests `rest` times as long as the item took (the background
    task passes CLAIMLENS_JOB_REST), so that the site's pages keep their speed meanwhile.
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, done_since_start=0
    )
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    while True:
        if ImportJob.objects.filter(pk=job_id).values_list("status", flat=True)[0] != (
            Status.RUNNING
        ):
            return  # cancelled
        item = job.items.filter(status=ItemStatus.PENDING).order_by("position").first()
        if item is None:
            if _finish(job):
                return
            continue  # an item was sent back meanwhile (import_separately)
        ImportJob.objects.filter(pk=job_id).update(current=item.label[:500])
        started = time.perf_counter()
        results = _run_item(job, item)
        if results and on_results:
            on_results(results)
        if rest:
            time.sleep(rest * (time.perf_counter() - started))


def _finish(job: ImportJob) -> bool:
    """Mark a running job done unless an item is pending again; False if one is."""
    pending = ImportJobItem.objects.filter(job=OuterRef("pk"), status=ItemStatus.PENDING)
    still_running = ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING)
    finished = still_running.filter(~Exists(pending)).update(
        status=Status.DONE, finished_at=timezone.now(), current=""
    )
    if finished:
        _remove_folder(job.folder)
        return True
    return not still_running.exists()  # cancelled meanwhile: stop too


def import_separately(item: ImportJobItem) -> bool:
    """Import a duplicate as a separate article after all; False if it is not one.

    In a job waiting for confirmation the item is marked to be kept; in one that ran, it is
    sent back to be imported (the job queued again if it had finished). The job's row is
    locked, so a worker finishing the job at that moment either sees the item or is seen.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=item.job_id)
        items = ImportJobItem.objects.filter(pk=item.pk)
        if job.status == Status.PREVIEW:
            return bool(items.filter(status=ItemStatus.PENDING).update(choice=NEW))
        if job.status == Status.CANCELLED:
            return False
        if not items.filter(status=ItemStatus.DUPLICATE).update(
            status=ItemStatus.PENDING, choice=NEW, duplicates=[], reason=""
        ):
            return False
        ImportJob.objects.filter(pk=job.pk).update(done=F("done") - 1)
        if job.status == Status.DONE:
            ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, finished_at=None)
            _enqueue_on_commit(job)
    return True


def _run_item(job: ImportJob, item: ImportJobItem) -> list[ItemResult]:
    parsed = read_entry(item.label, item.source)
    choice = NEW if item.choice == NEW else (int(item.choice) if item.choice.isdigit() else None)
    with transaction.atomic():
        # Still to do? Another worker resuming a job thought lost may have taken it.
        if (
            not ImportJobItem.objects.select_for_update()
            .filter(pk=item.pk, status=ItemStatus.PENDING)
            .exists()
        ):
            return []
        report = import_items(
            items=parsed, choices=[choice] * len(parsed), imported_by=job.created_by
        )
        first = report.results[0]
        item.status = first.status
        item.article_id = first.article_id
        item.title = first.title[:500]
        item.reason = first.reason
        item.duplicates = [
            {"id": d.article_id, "title": d.title, "score": d.score} for d in first.duplicates
        ]
        item.more = [result.line() for result in report.results[1:]]
        item.save()
        failed = first.failed
        ImportJob.objects.filter(pk=job.pk).update(
            done=F("done") + (0 if failed else 1),
            failed=F("failed") + (1 if failed else 0),
            done_since_start=F("done_since_start") + 1,
            heartbeat_at=timezone.now(),
        )
    return list(report.results)


@task()
def run_import_job(job_id: int) -> None:
    """The background task (django-tasks, run by `manage.py db_worker`) that runs a job."""
    lower_priority()
    run_job(job_id, rest=settings.CLAIMLENS_JOB_REST)


def lower_priority() -> int:
    """Let the site's requests go first: raise this process's niceness to the setting's.

    The database's own work for the job (indexes, triggers) runs in its server at the usual
    priority: the rest between items (CLAIMLENS_JOB_REST) leaves room for that.

    An import is CPU work (parsing, rendering, extracting suggestions) that can wait; a reader
    page cannot. A worker that runs jobs yields the CPU to the web's processes on the same
    machine. Niceness only goes up, so a worker started nicer stays as it is.
    """
    current = os.nice(0)
    wanted = settings.CLAIMLENS_JOB_NICENESS
    return os.nice(wanted - current) if wanted > current else current


def _enqueue_on_commit(job: ImportJob) -> None:
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def _remove_folder(folder: str) -> None:
    if not folder:
        return
    path = Path(folder).resolve()
    root = Path(settings.CLAIMLENS_JOB_DIR).resolve()
    if root in path.parents:
        shutil.rmtree(path, ignore_errors=True)

"""Jobs run by real `manage.py db_worker` processes, on the test database (both engines)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from articles.jobs.running import job_create, job_resume
from articles.jobs.sources import entry_from_url
from articles.models import Article, ArticleRevision, ImportJob

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def stories(site, numbers):
    return [entry_from_url(f"{site.url}/story/{n}") for n in numbers]


def niceness_of(pid: int) -> int:
    """Return a process's niceness, the 19th field of /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def test_a_worker_process_imports_a_job_in_the_background(worker_db, news_site, editor):
    job = job_create(title="six stories", entries=stories(news_site, range(6)), created_by=editor)
    worker_db.share()
    worker = worker_db.start_worker()
    try:
        wait_for(lambda: worker_db.job_counts(job.pk)[0] == "done")
        # The worker gave the CPU to the site's pages while it imported (settings' 10).
        niceness = niceness_of(worker.pid)
    finally:
        worker.terminate()
        worker.wait(10)
    worker_db.take_back()
    job.refresh_from_db()
    assert niceness >= 10
    assert (job.done, job.failed, job.to_do) == (6, 0, 0)
    assert Article.objects.count() == 6
    assert set(job.items.values_list("status", flat=True)) == {"created"}
    assert Article.objects.filter(imported_by=editor).count() == 6


def test_a_killed_workers_job_is_resumed_where_it_stopped(worker_db, news_site, settings):
    news_site.delay = 0.4
    job = job_create(title="slow stories", entries=stories(news_site, range(8)))
    worker_db.share()
    worker = worker_db.start_worker()
    try:
        wait_for(lambda: worker_db.job_counts(job.pk)[1] >= 2)
    finally:
        worker.send_signal(signal.SIGKILL)  # no chance to tidy up
        worker.wait(10)
    worker_db.take_back()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and 2 <= job.done < 8  # left "running"
    done_before = job.done
    assert Article.objects.count() == done_before  # every counted item is whole, no other

    settings.CLAIMLENS_JOB_STALE_SECONDS = 0  # its heartbeat is old at once
    assert job.stalled
    assert job_resume(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED

    news_site.delay = 0
    worker_db.share()
    worker = worker_db.start_worker()
    try:
        wait_for(lambda: worker_db.job_counts(job.pk)[0] == "done")
    finally:
        worker.terminate()
        worker.wait(10)
    worker_db.take_back()
    job.refresh_from_db()
    assert (job.done, job.failed, job.to_do) == (8, 0, 0)
    assert Article.objects.count() == 8 and ArticleRevision.objects.count() == 8
    # The second worker started with the first item the dead one had not finished.
    assert job.done_since_start == 8 - done_before

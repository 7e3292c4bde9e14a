"""Jobs run in this process: a batch imported item by item, cancelled, resumed, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.jobs import running
from articles.jobs.running import job_cancel, job_create, resume_stale_jobs, run_job
from articles.jobs.sources import entries_from_path
from articles.models import Article, ArticleRevision, ImportJob
from articles.signals import article_created
from tests.articles.conftest import make_zip
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def text_article(n: int) -> str:
    return f"Council story {n}\n\nThe council met on day {n} and said {n * 7} things.\n"


def zip_job(tmp_path, count, *, bad=(), created_by=None):
    members = {f"story-{n}.txt": text_article(n) for n in range(count)}
    for n in bad:
        members[f"story-{n}.txt"] = "\n\n"  # no title, no body
    path = tmp_path / "batch.zip"
    path.write_bytes(make_zip(members))
    return job_create(title="batch", entries=entries_from_path(path), created_by=created_by)


def test_a_job_imports_a_zip_item_by_item_and_reports_each(
    tmp_path, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = zip_job(tmp_path, 5, bad=[3], created_by=editor)
    assert (job.status, job.total) == ("queued", 5)
    assert DBTaskResult.objects.filter(args_kwargs__args=[job.pk]).exists()  # for a worker
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.to_do) == ("done", 4, 1, 0)
    failed = job.items.get(status="failed")
    assert failed.label.endswith("batch.zip/story-3.txt") and failed.reason == "the file is empty"
    assert Article.objects.count() == 4
    assert job.rate and job.finished_at


def test_a_failed_item_leaves_no_partial_rows(tmp_path):
    def failing_for_story_2(sender, article, **kwargs):
        if article.title == "Council story 2":
            raise RuntimeError("disk full")

    article_created.connect(failing_for_story_2, dispatch_uid="test.failed_item")
    try:
        job = zip_job(tmp_path, 4)
        run_job(job.pk)
    finally:
        article_created.disconnect(dispatch_uid="test.failed_item")
    job.refresh_from_db()
    assert (job.done, job.failed) == (3, 1)
    # Its article and revision were written before its receivers failed: gone with the item.
    assert not Article.objects.filter(title="Council story 2").exists()
    assert Article.objects.count() == ArticleRevision.objects.count() == 3


def test_a_cancelled_job_stops_before_its_next_item(tmp_path):
    job = zip_job(tmp_path, 6)
    run_job(job.pk, on_results=lambda results: job_cancel(job) if job.pk else None)
    job.refresh_from_db()
    assert (job.status, job.done, job.to_do) == ("cancelled", 1, 5)
    assert Article.objects.count() == 1
    assert job.items.filter(status="pending").count() == 5


def test_a_job_whose_worker_went_quiet_is_queued_again_and_finishes(tmp_path, settings):
    job = zip_job(tmp_path, 4)
    stopped = {"n": 0}

    def die_after_two(results):
        stopped["n"] += 1
        if stopped["n"] == 2:
            raise KeyboardInterrupt  # as a killed worker: no status written

    with pytest.raises(KeyboardInterrupt):
        run_job(job.pk, on_results=die_after_two)
    job.refresh_from_db()
    assert (job.status, job.done) == ("running", 2)
    assert resume_stale_jobs() == 0  # its heartbeat is fresh: not lost yet
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert resume_stale_jobs() == 1
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 4, 0)
    assert Article.objects.count() == 4


def test_the_job_page_shows_progress_and_polls_only_while_running(client, tmp_path, editor):
    job = zip_job(tmp_path, 3, created_by=editor)
    client.force_login(editor)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'id="job-to-do">3<' in html
    run_job(job.pk)
    fragment = client.get(job.get_absolute_url() + "?part=progress", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert 'id="job-done">3<' in text and "hx-trigger" not in text
    assert "<h1>" not in text  # only the fragment


def test_cancel_from_the_page(client, tmp_path, editor):
    job = zip_job(tmp_path, 3)
    client.force_login(editor)
    response = client.post(reverse("articles:job-cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    run_job(job.pk)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("role", ["reader", "annotator", "moderator"])
def test_only_editors_see_jobs(client, tmp_path, role):
    job = zip_job(tmp_path, 1)
    client.force_login(make_user(role=role))
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.post(reverse("articles:job-cancel", args=[job.pk])).status_code == 403


def test_the_zip_member_cap_is_a_setting_and_1000_articles_import(tmp_path, settings):
    assert settings.CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS >= 1000
    job = zip_job(tmp_path, 1000)
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.done, job.failed) == (1000, 0)
    settings.CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS = 10
    small = zip_job(tmp_path, 11)
    assert small.total == 1 and "more than 10" in small.items.get().source["error"]


def test_a_worker_rests_after_each_item_in_proportion_to_its_work(tmp_path, monkeypatch):
    # The background task rests CLAIMLENS_JOB_REST times as long as each item took, so the
    # site's pages keep their speed while a job runs (make bench: p95 during a job vs idle).
    rests = []
    monkeypatch.setattr(running.time, "sleep", rests.append)
    run_job(zip_job(tmp_path, 3).pk, rest=2.0)
    assert len(rests) == 3 and all(seconds > 0 for seconds in rests)
    rests.clear()
    run_job(zip_job(tmp_path, 2).pk)  # called directly (the command, tests): no rest
    assert rests == []

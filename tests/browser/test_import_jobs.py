"""Issue #18 in Chromium: a job's page follows its progress while a worker imports the batch.

The job is advanced here, item by item, while the page in the browser polls: after each item
the page must show the new count by itself (no reload), and stop polling once the job is done.
The job and feeds pages have no axe-core violations.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from articles.feeds.models import Feed
from articles.jobs.running import job_create, run_job
from articles.jobs.sources import entries_from_path
from tests.articles.conftest import make_zip
from tests.factories import make_user

from .test_search import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def an_editor():
    """Return an editor; the role's permission is given again (a transactional test's flush
    empties the groups the migrations filled)."""
    editor = make_user(username="ed", role="editor", is_staff=True)
    editor.groups.get().permissions.add(Permission.objects.get(codename="add_article"))
    return editor


def batch(tmp_path, count: int):
    members = {
        f"story-{n}.txt": f"Council story {n}\n\nThe council met on day {n} and voted {n} times.\n"
        for n in range(count)
    }
    path = tmp_path / "batch.zip"
    path.write_bytes(make_zip(members))
    return entries_from_path(path)


def test_the_job_page_shows_progress_as_the_worker_goes(live_server, make_page, tmp_path):
    editor = an_editor()
    job = job_create(title="Four council stories", entries=batch(tmp_path, 4), created_by=editor)
    page = make_page(user=editor)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    expect(page.locator(".job-status")).to_have_text("queued")
    expect(page.locator("#job-to-do")).to_have_text("4")
    assert axe_violations(page) == []
    page.evaluate("window.notReloaded = true")

    seen = []

    def after_each_item(results):
        # The page, polling on its own, must catch up with the item just stored.
        done = len(seen) + 1
        expect(page.locator("#job-done")).to_have_text(str(done))
        expect(page.locator("#job-to-do")).to_have_text(str(4 - done))
        seen.append(page.locator("progress").get_attribute("value"))
        if done < 4:
            expect(page.locator(".job-status")).to_have_text("running")

    run_job(job.pk, on_results=after_each_item)
    assert seen == ["1", "2", "3", "4"]
    expect(page.locator(".job-status")).to_have_text("done")
    assert page.evaluate("window.notReloaded") is True  # updated in place, not reloaded
    assert page.locator("#job-progress").get_attribute("hx-trigger") is None  # stopped polling

    page.reload()
    expect(page.locator("table.job-report tbody tr")).to_have_count(4)
    assert axe_violations(page) == []


def test_the_feeds_page_has_no_axe_violations(live_server, make_page):
    editor = an_editor()
    Feed.objects.create(url="https://feeds.example/rss", title="Harbour Ledger")
    page = make_page(user=editor)
    page.goto(f"{live_server.url}{reverse('articles:feeds')}")
    expect(page.locator("h1")).to_have_text("Feeds")
    expect(page.locator("table.job-report tbody tr")).to_contain_text("Harbour Ledger")
    assert axe_violations(page) == []

"""The same story arriving twice is not imported twice: in a job, a feed and the bookmarklet.

A near copy (near-identical text under another URL) is a duplicate: not imported, reported
with a link to the article it copies, and importable as a separate article if the editor says
so. The same story under its URL with tracking parameters is the article it names.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from articles.feeds.models import Feed
from articles.imports import ImportSource, import_sources
from articles.jobs.running import job_confirm, job_create, run_job
from articles.jobs.sources import entries_from_path, entry_from_url
from articles.models import Article, ImportJob
from articles.sending import send_token
from tests.articles.conftest import make_zip

from .test_feeds import poll

pytestmark = pytest.mark.django_db

STORY = """---
title: Ferry operator cuts winter sailings to the islands
source: Harbour Ledger
url: {url}
---
The ferry operator will run two sailings a day instead of four from November, it said on
Monday, blaming a shortage of crew and the cost of fuel, which has risen by {rise} since spring.

Islanders said the cut would leave the morning school run without a boat on three days a week,
and the council asked the operator to meet parents before the timetable is confirmed.

The operator said talks with the crew's union were continuing and that it hoped to restore the
full timetable by Easter if enough deckhands could be hired and trained over the winter.
"""
ORIGINAL_URL = "https://harbourledger.example/ferry-cuts"


def story(url: str, rise: str = "a third") -> bytes:
    return STORY.format(url=url, rise=rise).encode()


@pytest.fixture
def original():
    (result,) = import_sources(sources=[ImportSource("ferry.md", data=story(ORIGINAL_URL))]).results
    assert result.status == "created"
    return Article.objects.get(pk=result.article_id)


def copy_job(tmp_path, **options):
    path = tmp_path / "wire.zip"
    path.write_bytes(
        make_zip(
            {
                "copy.md": story("https://wire.example/ferry", rise="a quarter"),
                "other.md": story("https://wire.example/other")
                .replace(b"ferry operator", b"bus company")
                .replace(b"sailings", b"routes")
                .replace(b"boat", b"bus")
                + b"\nA wholly different paragraph about buses and roads and drivers.\n" * 9,
            }
        )
    )
    return job_create(title="wire", entries=entries_from_path(path), **options)


def report_rows(client, job):
    page = lxml_html.fromstring(client.get(job.get_absolute_url()).content)
    return {
        row.get("id"): " ".join(row.text_content().split())
        for row in page.xpath("//table[@class='job-report']/tbody/tr")
    }, page


def test_a_near_copy_in_a_job_is_a_duplicate_with_a_link_and_can_be_imported_separately(
    client, editor, original, tmp_path, django_capture_on_commit_callbacks
):
    job = copy_job(tmp_path, created_by=editor)
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 2, 0)
    copy = job.items.get(label__endswith="copy.md")
    assert (copy.status, copy.article_id) == ("duplicate", None)
    assert copy.duplicates[0]["id"] == original.pk and copy.duplicates[0]["score"] >= 95
    assert job.items.get(label__endswith="other.md").status == "created"
    assert not Article.objects.filter(source_url="https://wire.example/ferry").exists()

    client.force_login(editor)
    rows, page = report_rows(client, job)
    assert f"duplicate of {original.title}" in rows["item-0"]
    (link,) = page.xpath("//tr[@id='item-0']//a/@href")
    assert link == original.get_absolute_url()
    (button,) = page.xpath("//tr[@id='item-0']//form//button")
    assert button.text == "Import as a separate article"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("articles:job-item-separate", args=[job.pk, 0]))
    assert response.status_code == 302 and response["Location"].endswith("#item-0")
    assert len(callbacks) == 1  # the finished job is queued again for a worker
    job.refresh_from_db()
    assert (job.status, job.done, job.to_do) == ("queued", 1, 1)
    run_job(job.pk)
    job.refresh_from_db()
    copy.refresh_from_db()
    assert (job.status, job.done, copy.status) == ("done", 2, "created")
    assert Article.objects.get(pk=copy.article_id).source_url == "https://wire.example/ferry"
    # Only a duplicate can be sent back: the item is an article now.
    response = client.post(reverse("articles:job-item-separate", args=[job.pk, 0]))
    assert ImportJob.objects.get(pk=job.pk).status == "done"


def test_a_previewed_job_says_duplicate_of_and_imports_it_separately_if_asked(
    client, editor, original, tmp_path
):
    job = copy_job(tmp_path, created_by=editor, preview=True)
    client.force_login(editor)
    rows, page = report_rows(client, job)
    assert "duplicate" in rows["item-0"] and f"duplicate of {original.title}" in rows["item-0"]
    assert page.xpath("//tr[@id='item-0']//a/@href") == [original.get_absolute_url()]
    assert "would be created" in rows["item-1"]
    assert Article.objects.count() == 1  # a preview saves nothing

    client.post(reverse("articles:job-item-separate", args=[job.pk, 0]))
    rows, _ = report_rows(client, job)
    assert "would be created" in rows["item-0"] and "as a separate article" in rows["item-0"]
    assert job_confirm(job)
    run_job(job.pk)
    assert Article.objects.count() == 3


def test_a_feed_entry_copying_another_sites_story_is_not_imported_twice(news_site):
    first = poll_one(news_site, "/story/1")
    assert first.items.get().status == "created"
    # Another site's copy of the story, and the story again behind a tracking link.
    news_site.feed_etag = '"v2"'
    news_site.feed_entries = [
        {"title": "Copy", "link": f"{news_site.url}/copy/1"},
        {"title": "Tracked", "link": f"{news_site.url}/story/1?utm_source=rss&utm_medium=feed"},
    ]
    feed = Feed.objects.get()
    result = poll(feed)
    assert result.new == 1  # the tracking link is the article's URL: not even fetched
    assert not any(path.startswith("/story/1?") for path, _ in news_site.requests)
    job = ImportJob.objects.get(pk=result.job_id)
    (item,) = job.items.all()
    assert (item.status, item.duplicates[0]["id"]) == ("duplicate", first.items.get().article_id)
    assert Article.objects.count() == 1


def poll_one(site, path):
    site.feed_entries = [{"title": "One", "link": f"{site.url}{path}"}]
    result = poll(Feed.objects.create(url=f"{site.url}/feed.xml"))
    return ImportJob.objects.get(pk=result.job_id)


def test_a_page_sent_twice_from_another_address_opens_the_article_already_here(client, editor):
    page = (
        "<html><head><title>Ferry</title></head><body><article><h1>Ferry cuts</h1>"
        + story(ORIGINAL_URL).decode().split("---", 2)[2].replace("\n\n", "</p><p>")
        + "</article></body></html>"
    )
    first = client.post(
        reverse("articles:send"), {"token": send_token(editor), "url": ORIGINAL_URL, "html": page}
    )
    article = Article.objects.get()
    assert first["Location"] == article.get_absolute_url()
    again = client.post(
        reverse("articles:send"),
        {"token": send_token(editor), "url": "https://wire.example/ferry", "html": page},
    )
    assert again.status_code == 302 and again["Location"] == article.get_absolute_url()
    assert Article.objects.count() == 1


def test_a_queued_job_of_urls_with_tracking_parameters_revises_nothing_twice(news_site):
    job = job_create(title="one", entries=[entry_from_url(f"{news_site.url}/story/2")])
    run_job(job.pk)
    again = job_create(
        title="again", entries=[entry_from_url(f"{news_site.url}/story/2?fbclid=abc#top")]
    )
    run_job(again.pk)
    assert again.items.get().status == "unchanged" and Article.objects.count() == 1


def test_a_copy_under_another_headline_is_found_by_its_words(original):
    retitled = story("https://wire.example/ferry-2").replace(
        b"title: Ferry operator cuts winter sailings to the islands",
        b"title: Islanders lose half their winter ferries",
    )
    (result,) = import_sources(sources=[ImportSource("retitled.md", data=retitled)]).results
    assert result.status == "duplicate"
    assert [d.article_id for d in result.duplicates] == [original.pk]
    assert Article.objects.count() == 1

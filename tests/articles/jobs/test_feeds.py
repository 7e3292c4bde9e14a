"""Feeds polled from a real HTTP server on loopback: new entries imported, 304, revisions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.feeds.models import Feed
from articles.feeds.opml import feeds_to_opml
from articles.feeds.polling import feed_poll
from articles.jobs.running import run_job
from articles.models import Article, ImportJob

pytestmark = pytest.mark.django_db


def poll(feed):
    result = feed_poll(feed)
    if result.job_id:
        run_job(result.job_id)
    feed.refresh_from_db()
    return result


def entries(site, numbers):
    return [{"title": f"Story {n}", "link": f"{site.url}/story/{n}"} for n in numbers]


def test_a_feed_is_polled_its_new_entries_imported_and_an_unchanged_feed_is_304(news_site):
    news_site.feed_entries = entries(news_site, [1, 2, 3])
    feed = Feed.objects.create(url=f"{news_site.url}/feed.xml")

    first = poll(feed)
    assert (first.new, Article.objects.count()) == (3, 3)
    assert feed.title == "Harbour Ledger" and feed.etag == '"v1"'
    job = ImportJob.objects.get(feed=feed)
    assert (job.status, job.done) == ("done", 3)

    again = poll(feed)
    assert again.status == "not modified (304)" and again.new == 0
    assert news_site.requests[-1] == ("/feed.xml", '"v1"')  # a conditional GET
    assert Article.objects.count() == 3 and ImportJob.objects.count() == 1


def test_a_known_entry_is_skipped_a_new_one_imported_and_a_changed_one_revised(news_site):
    news_site.feed_entries = entries(news_site, [1, 2])
    feed = Feed.objects.create(url=f"{news_site.url}/feed.xml")
    poll(feed)
    story_2 = Article.objects.get(source_url=f"{news_site.url}/story/2")

    news_site.feed_etag = '"v2"'
    news_site.versions[2] = 2  # the page changed, and the feed says so
    changed = entries(news_site, [1, 2, 3])
    changed[1]["date"] = "Tue, 02 Dec 2026 09:00:00 GMT"
    news_site.feed_entries = changed
    result = poll(feed)

    assert result.new == 2  # story 3, and story 2 again; story 1 is skipped unfetched
    fetched = [path for path, _ in news_site.requests if path.startswith("/story/")]
    assert fetched.count("/story/1") == 1
    story_2.refresh_from_db()
    assert story_2.revision_number == 2 and "held" in story_2.body_text
    assert Article.objects.count() == 3


def test_an_entry_already_imported_by_hand_is_skipped(news_site):
    call_command("import_articles", f"{news_site.url}/story/7", stdout=StringIO())
    news_site.feed_entries = entries(news_site, [7])
    feed = Feed.objects.create(url=f"{news_site.url}/feed.xml")
    assert poll(feed).new == 0
    assert Article.objects.count() == 1


def test_a_failing_feed_keeps_its_error_and_backs_off(news_site):
    feed = Feed.objects.create(url=f"{news_site.url}/broken.xml", interval_minutes=10)
    poll(feed)
    first_wait = feed.next_poll_at - feed.last_polled_at
    assert "500" in feed.last_error and feed.errors_in_a_row == 1
    poll(feed)
    assert feed.errors_in_a_row == 2
    assert feed.next_poll_at - feed.last_polled_at == 2 * first_wait


def test_private_addresses_are_refused_for_feeds_too(news_site, settings):
    settings.CLAIMLENS_FETCH_ALLOW_PRIVATE = False
    feed = Feed.objects.create(url=f"{news_site.url}/feed.xml")
    poll(feed)
    assert "loopback" in feed.last_error


def test_the_feeds_page_lists_feeds_and_takes_opml(client, editor, news_site):
    client.force_login(editor)
    response = client.post(
        reverse("articles:feeds"),
        {"url": f"{news_site.url}/broken.xml", "interval_minutes": 30, "active": "on"},
    )
    assert response.status_code == 302
    poll(Feed.objects.get())
    page = client.get(reverse("articles:feeds")).content.decode()
    assert "broken.xml" in page and "the server answered 500" in page
    opml = client.get(reverse("articles:feeds-opml"))
    assert b'xmlUrl="' + news_site.url.encode() in opml.content
    Feed.objects.all().delete()
    upload = feeds_to_opml([Feed(url="https://one.example/rss", title="One")])
    client.post(
        reverse("articles:feeds-opml-import"),
        {"opml": SimpleUploadedFile("feeds.opml", upload, "text/x-opml")},
    )
    assert list(Feed.objects.values_list("url", "title")) == [("https://one.example/rss", "One")]


def test_the_feeds_command_adds_lists_and_polls(news_site):
    news_site.feed_entries = entries(news_site, [4, 5])
    out = StringIO()
    call_command("feeds", "add", f"{news_site.url}/feed.xml", stdout=out)
    call_command("feeds", "poll", "--now", stdout=out)
    call_command("feeds", "list", stdout=out)
    text = out.getvalue()
    assert "Following" in text and "2 entries, 2 new" in text
    assert Article.objects.count() == 2

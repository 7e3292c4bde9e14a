"""Polling feeds: a conditional GET, the entries read with feedparser, new ones imported.

A feed is due when its next_poll_at has passed. Its poll sends the ETag and Last-Modified it
got last time, so an unchanged feed answers 304 and costs nothing. Each entry is known by its
link and a fingerprint of what the feed says of it (id, title, dates, summary): an entry seen
with the same fingerprint, or whose link is already an article's URL, is skipped; a new or
changed one is imported by a job through the normal importer (its page fetched with the same
size and time limits and the same refusal of private addresses), so a changed entry becomes a
new revision of its article. A failed poll is kept on the feed, and the next one waits
longer each time, up to a day.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

import feedparser
from django.db import transaction
from django.utils import timezone

from ..fetching import FetchFailed, fetch_url
from ..imports.checking import canonical_url
from ..jobs.running import job_create
from ..jobs.sources import entry_from_url
from ..models import Article
from .models import Feed, FeedEntry

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(days=1)


@dataclass(frozen=True)
class PollResult:
    feed: Feed
    status: str  # what the feeds page says of it
    new: int = 0
    error: str = ""
    job_id: int | None = None


def due_feeds():
    now = timezone.now()
    return Feed.objects.filter(active=True).filter(next_poll_at__isnull=True) | Feed.objects.filter(
        active=True, next_poll_at__lte=now
    )


def poll_due_feeds() -> list[PollResult]:
    return [feed_poll(feed) for feed in due_feeds().order_by("pk")]


def feed_poll(feed: Feed) -> PollResult:
    """Poll one feed now, import its new and changed entries (in a job), and remember how."""
    now = timezone.now()
    try:
        page = fetch_url(
            feed.url,
            headers={"If-None-Match": feed.etag, "If-Modified-Since": feed.last_modified},
            feed=True,
        )
    except FetchFailed as error:
        return _failed(feed, now, str(error))
    if page.status == 304:
        return _polled(feed, now, "not modified (304)", new=0)
    parsed = feedparser.parse(page.body)
    if parsed.bozo and not parsed.entries:
        return _failed(feed, now, f"this is not an RSS or Atom feed ({parsed.bozo_exception})")
    links = _new_links(feed, parsed.entries)
    job = None
    with transaction.atomic():
        if not feed.title:
            feed.title = (parsed.feed.get("title") or "")[:300]
        feed.etag, feed.last_modified = page.etag[:500], page.last_modified[:100]
        if links:
            job = job_create(
                title=f"Feed “{feed.title or feed.url}”: {len(links)} new or changed",
                entries=[entry_from_url(link) for link in links],
                feed=feed,
            )
        result = _polled(feed, now, f"{len(parsed.entries)} entries, {len(links)} new", len(links))
    return PollResult(feed, result.status, new=len(links), job_id=job.pk if job else None)


def _new_links(feed: Feed, entries) -> list[str]:
    """Return the links of the entries to import, remembering each entry seen."""
    known = dict(feed.entries.values_list("link", "fingerprint"))
    links = []
    for entry in entries:
        link = (entry.get("link") or "").strip()
        if not link.startswith(("http://", "https://")) or link in links:
            continue
        fingerprint = _fingerprint(entry)
        if known.get(link) == fingerprint:
            continue  # seen as it is
        already = (
            link not in known and Article.objects.filter(source_url=canonical_url(link)).exists()
        )
        FeedEntry.objects.update_or_create(
            feed=feed, link=link[:2000], defaults={"fingerprint": fingerprint}
        )
        if not already:
            links.append(link)
    return links


def _fingerprint(entry) -> str:
    digest = hashlib.sha256()
    present = entry.keys()  # not entry.get("updated"): feedparser would fall back, and warn
    for key in ("id", "title", "updated", "published", "summary"):
        digest.update(str(entry[key] if key in present else "").encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _polled(feed: Feed, now, status: str, new: int) -> PollResult:
    feed.last_polled_at = now
    feed.next_poll_at = now + timedelta(minutes=feed.interval_minutes)
    feed.last_status, feed.last_new = status[:100], new
    feed.last_error, feed.errors_in_a_row = "", 0
    feed.save()
    return PollResult(feed, status, new=new)


def _failed(feed: Feed, now, error: str) -> PollResult:
    feed.errors_in_a_row += 1
    wait = timedelta(minutes=feed.interval_minutes) * 2 ** min(feed.errors_in_a_row, 10)
    feed.last_polled_at = now
    feed.next_poll_at = now + min(wait, MAX_BACKOFF)
    feed.last_status, feed.last_new, feed.last_error = "failed", 0, error
    feed.save()
    logger.info("Polling feed %s failed: %s", feed.url, error)
    return PollResult(feed, "failed", error=error)

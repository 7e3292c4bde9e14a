"""Feeds an editor follows: polled when due, each new entry's page imported as an article."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Feed(models.Model):
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField("feed URL", max_length=2000, unique=True)
    interval_minutes = models.PositiveIntegerField("poll every (minutes)", default=30)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the last poll learnt: the validators for a conditional GET, and how it went.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.CharField(max_length=100, blank=True)  # "12 entries, 3 new", "304"
    last_new = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    errors_in_a_row = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self):
        return self.title or self.url

    def get_absolute_url(self):
        return reverse("articles:feeds")


class FeedEntry(models.Model):
    """An entry a poll has seen: its link, and what it looked like, to spot a changed one."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    link = models.URLField(max_length=2000)
    fingerprint = models.CharField(max_length=64)
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "link"], name="unique_feed_entry_link")
        ]

    def __str__(self):
        return self.link

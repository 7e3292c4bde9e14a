"""Import jobs: a batch imported in the background, item by item, with its progress kept here.

The job's rows are the truth the job page reads: a worker updates the counters and the
heartbeat in the same transaction as each item it stores, so a worker killed between two
items leaves a job whose finished items are all recorded and whose next one is still pending.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", "waiting for confirmation"
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        CANCELLED = "cancelled", "cancelled"

    title = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feed = models.ForeignKey(
        "articles.Feed", on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with every item: a running job whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)  # items stored, unchanged or duplicates
    failed = models.PositiveIntegerField(default=0)
    # Counted since the job (re)started, for its rate and the time left.
    done_since_start = models.PositiveIntegerField(default=0)
    current = models.CharField(max_length=500, blank=True)
    folder = models.CharField(max_length=500, blank=True)  # uploads kept for the worker

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:job", kwargs={"pk": self.pk})

    @property
    def to_do(self) -> int:
        return max(self.total - self.done - self.failed, 0)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100

    @property
    def stalled(self) -> bool:
        """Whether the job is running with no sign of life from its worker (killed)."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        limit = timedelta(seconds=settings.CLAIMLENS_JOB_STALE_SECONDS)
        return timezone.now() - self.heartbeat_at > limit

    @property
    def rate(self) -> float | None:
        """Items a second since the job (re)started, or None before there is one to count."""
        if not self.started_at or not self.done_since_start:
            return None
        end = self.finished_at or self.heartbeat_at or timezone.now()
        seconds = (end - self.started_at).total_seconds()
        return self.done_since_start / seconds if seconds > 0 else None

    @property
    def seconds_left(self) -> int | None:
        rate = self.rate
        if rate is None or self.finished:
            return None
        return round(self.to_do / rate)


class ImportJobItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "to do"
        CREATED = "created", "created"
        UNCHANGED = "unchanged", "unchanged"
        UPDATED = "updated", "updated"
        DUPLICATE = "duplicate", "duplicate"
        FAILED = "failed", "failed"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=1000)
    # How to read it: {"url": ...}, {"path": ..., "member": ...}, {"draft": {...}}
    source = models.JSONField(default=dict)
    choice = models.CharField(max_length=20, blank=True)  # "", "new" or an article id
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True)
    # [{"id": 3, "title": "...", "score": 97}]: the articles it is a (possible) duplicate of.
    duplicates = models.JSONField(default=list, blank=True)
    # One line per further article the item held (a JSON batch inside a zip).
    more = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="unique_job_item_position")
        ]
        indexes = [models.Index(fields=["job", "status", "position"], name="job_item_todo_idx")]

    def __str__(self):
        return f"{self.job_id}#{self.position} {self.label}"

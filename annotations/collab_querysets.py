"""Named reads for the collaboration models (discussion, verdicts, history, feed, moderation)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

PRESENCE_WINDOW = timedelta(seconds=30)


class ReplyQuerySet(models.QuerySet):
    def alive(self):
        """Return replies that are not deleted."""
        return self.filter(deleted_at__isnull=True)

    def on(self, subject):
        """Return the replies on an annotation or a claim, oldest first."""
        from .models import Annotation

        if isinstance(subject, Annotation):
            return self.filter(annotation=subject)
        return self.filter(claim=subject)

    def for_thread(self):
        """Return replies with what a thread shows, in the order they were written."""
        return self.select_related("author", "claim").order_by("created_at", "pk")


class VerdictQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("user", "status")

    def coded(self):
        """Return (claim_id, user_id, status_id) triples: the data agreement is computed on."""
        return self.values_list("claim_id", "user_id", "status_id")


class HistoryEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Return the history of one annotation, claim, label, verdict or reply, newest first."""
        from .history import target_type_of

        return self.filter(target_type=target_type_of(obj), target_id=obj.pk)

    def for_claim(self, claim):
        """Return everything recorded about a claim: its edits, verdicts and appearances."""
        return self.filter(Q(claim=claim) | Q(target_type="claim", target_id=claim.pk))

    def with_related(self):
        return self.select_related("actor").order_by("-id")


class ChangeEventQuerySet(models.QuerySet):
    def after(self, cursor: int, *, article_id=None, claim_id=None):
        """Return the feed of one article (or claim) after `cursor`, in id order."""
        scope = {"article_id": article_id} if article_id is not None else {"claim_id": claim_id}
        return self.filter(id__gt=cursor, **scope).order_by("id")


class PresenceQuerySet(models.QuerySet):
    def recent(self, *, now=None):
        """Return presences seen within the presence window."""
        return self.filter(last_seen__gte=(now or timezone.now()) - PRESENCE_WINDOW)


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def for_queue(self):
        """Return open flags with their subject and its author, oldest first."""
        return (
            self.open()
            .select_related(
                "reporter",
                "annotation__author",
                "annotation__article",
                "reply__author",
                "reply__annotation",
                "reply__claim",
            )
            .order_by("created_at", "pk")
        )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list(self):
        return self.select_related("actor").order_by("-created_at", "-pk")

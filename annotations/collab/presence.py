"""Who has an article open: each open reader page refreshes its presence every few seconds."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from annotations.models import Presence

# A page refreshes its presence at most this often, and counts as gone after the window.
REFRESH_EVERY = timedelta(seconds=10)


def presence_touch(*, user, article_id: int, now: datetime | None = None) -> None:
    """Record that `user` has the article open now: one upsert (INSERT ... ON CONFLICT)."""
    now = now or timezone.now()
    Presence.objects.bulk_create(
        [Presence(user_id=user.pk, article_id=article_id, last_seen=now)],
        update_conflicts=True,
        unique_fields=["article", "user"],
        update_fields=["last_seen"],
    )


def due(last_touch: float | None, *, now: datetime | None = None) -> bool:
    """Return whether a page that last refreshed at `last_touch` (a timestamp) should again."""
    if last_touch is None:
        return True
    now = now or timezone.now()
    return now.timestamp() - last_touch >= REFRESH_EVERY.total_seconds()


def readers(*, article_id: int, exclude_user_id: int | None = None, now=None) -> list[str]:
    """Return the usernames of others who had the article open within the window."""
    qs = Presence.objects.recent(now=now).filter(article_id=article_id)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    return sorted(qs.values_list("user__username", flat=True))

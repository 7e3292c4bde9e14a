"""The periodic job: poll the feeds that are due and resume jobs whose worker died.

django-tasks has no schedule of its own, so the tick enqueues its next run (run_after) when
it ends; schedule_tick() starts the chain, and adds no second one while a tick is waiting.
`make run` calls it through `manage.py feeds poll`, and so does anything that adds a feed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..feeds.models import Feed
from ..feeds.polling import feed_poll, poll_due_feeds
from .running import resume_stale_jobs

logger = logging.getLogger(__name__)


@task()
def tick() -> dict:
    """Poll due feeds, resume lost jobs, and schedule the next tick."""
    try:
        polled = poll_due_feeds()
        resumed = resume_stale_jobs()
    finally:
        schedule_tick(after=settings.CLAIMLENS_TICK_SECONDS)
    return {"feeds": len(polled), "resumed": resumed}


def schedule_tick(*, after: float = 0) -> bool:
    """Enqueue a tick `after` seconds from now, unless one is already waiting; True if it did.

    The running tick is no longer READY, so the one it schedules as it ends is not refused.
    """
    waiting = DBTaskResult.objects.filter(task_path=tick.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    tick.using(run_after=timezone.now() + timedelta(seconds=after)).enqueue()
    return True


@task()
def poll_feed(feed_id: int) -> str:
    """Poll one feed now (the feeds page's "Poll now")."""
    feed = Feed.objects.filter(pk=feed_id).first()
    return feed_poll(feed).status if feed else "no such feed"

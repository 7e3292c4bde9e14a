from django.core.management.base import BaseCommand, CommandError

from articles.feeds.models import Feed
from articles.feeds.polling import feed_poll
from articles.jobs.running import run_job
from articles.jobs.tasks import schedule_tick


class Command(BaseCommand):
    help = "Follow RSS/Atom feeds: add one, list them, or poll them (see README, Feeds)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="follow a feed")
        add.add_argument("url")
        add.add_argument("--title", default="")
        add.add_argument("--interval", type=int, default=30, help="minutes between polls")
        commands.add_parser("list", help="list the feeds and their last poll")
        poll = commands.add_parser(
            "poll", help="start the periodic poll for the workers, or with --now poll here"
        )
        poll.add_argument(
            "--now",
            action="store_true",
            help="poll every active feed now in this process and import its new entries here",
        )

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, url, title, interval, **options):
        if not url.startswith(("http://", "https://")):
            raise CommandError("A feed's URL starts with http:// or https://.")
        feed, created = Feed.objects.get_or_create(
            url=url, defaults={"title": title, "interval_minutes": max(interval, 5)}
        )
        schedule_tick()
        self.stdout.write(f"{'Following' if created else 'Already following'} {feed.url}")

    def _list(self, **options):
        for feed in Feed.objects.all():
            state = "active" if feed.active else "paused"
            last = (
                feed.last_polled_at.isoformat(timespec="minutes")
                if feed.last_polled_at
                else "never"
            )
            result = feed.last_error or feed.last_status or "-"
            self.stdout.write(
                f"{feed.pk}\t{feed.url}\t{state}, every {feed.interval_minutes} min\t"
                f"last poll {last}: {result}"
            )

    def _poll(self, *, now, **options):
        if not now:
            started = schedule_tick()
            self.stdout.write(
                "Feeds are polled by the workers (manage.py db_worker) every minute"
                + ("." if started else "; the periodic poll was already scheduled.")
            )
            return
        results = [feed_poll(feed) for feed in Feed.objects.filter(active=True)]
        for result in results:
            self.stdout.write(f"{result.feed.url}: {result.error or result.status}")
            if result.job_id:
                run_job(result.job_id)
        if not results:
            self.stdout.write("No active feeds.")

"""Load the demo: its accounts, its articles (through the real importer) and their annotations.

The articles in articles/demo go through import_sources(), exactly as `import_articles` and the
admin's import do. The command then sends articles.signals.demo_loaded with the articles and
the accounts: the apps that plug into articles answer it (the annotations app writes the
demo's highlights, comments, claims and replies) and say what they did. Running the command
again adds nothing and never undoes what someone did while trying the demo.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.imports import import_sources, sources_from_path
from articles.models import Article
from articles.signals import demo_loaded

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# (username, role group, is_staff, is_superuser); each password is "claimlens-<username>".
DEMO_USERS = [
    ("reader", "reader", False, False),
    ("annotator", "annotator", False, False),
    ("alice", "annotator", False, False),
    ("bob", "annotator", False, False),
    ("moderator", "moderator", False, False),
    ("editor", "editor", True, False),
    ("admin", "", True, True),
]


def demo_password(username: str) -> str:
    return f"claimlens-{username}"


class Command(BaseCommand):
    help = "Load the demo accounts, articles and what other apps add to them (safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DJANGO_DEBUG off: its accounts have "
                "published passwords."
            )
        with transaction.atomic():
            users = {
                username: ensure_demo_user(
                    username, role, is_staff=is_staff, is_superuser=is_superuser
                )
                for username, role, is_staff, is_superuser in DEMO_USERS
            }
            articles = self.import_articles(imported_by=users["editor"])
            answers = demo_loaded.send(sender=self.__class__, articles=articles, users=users)
        for _receiver, said in answers:
            if said:
                self.stdout.write(said)
        self.stdout.write("\nDemo sign-ins (username / password, role):")
        for username, role, _, is_superuser in DEMO_USERS:
            role = "superuser" if is_superuser else role
            self.stdout.write(f"  {username:<10} / {demo_password(username):<20} {role}")

    def import_articles(self, *, imported_by) -> dict[str, Article]:
        """Import the demo files as any import does; return the articles by file name."""
        report = import_sources(sources=sources_from_path(DEMO_DIR), imported_by=imported_by)
        if report.failed:
            raise CommandError("\n".join(result.line() for result in report.failed))
        by_id = Article.objects.in_bulk(result.article_id for result in report.results)
        articles = {}
        for result in report.results:
            self.stdout.write(result.line())
            articles[result.label.rsplit("/", 1)[-1]] = by_id[result.article_id]
        return articles


def ensure_demo_user(username: str, role: str, *, is_staff: bool, is_superuser: bool):
    """Create a demo account with its published password and role; keep a changed password."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.claimlens.example",
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(demo_password(username))
        user.save(update_fields=["password"])
    elif (user.is_staff, user.is_superuser) != (is_staff, is_superuser):
        # The editor needs the admin to import: a database from an older demo gets it too.
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.save(update_fields=["is_staff", "is_superuser"])
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user

import re
from datetime import UTC, date, datetime
from pathlib import Path

import trafilatura
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.services import article_store, clean_title

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
    help = "Load the demo articles and accounts (safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DJANGO_DEBUG off: its accounts have "
                "published passwords."
            )
        with transaction.atomic():
            for path in sorted(DEMO_DIR.iterdir()):
                self.load_article(path)
            for username, role, is_staff, is_superuser in DEMO_USERS:
                ensure_demo_user(username, role, is_staff=is_staff, is_superuser=is_superuser)
        self.stdout.write("\nDemo sign-ins (username / password, role):")
        for username, role, _, is_superuser in DEMO_USERS:
            role = "superuser" if is_superuser else role
            self.stdout.write(f"  {username:<10} / {demo_password(username):<20} {role}")

    def load_article(self, path: Path) -> None:
        draft = _draft_from_file(path)
        existing = None
        if not draft.get("source_url"):
            # Without a URL to match on, a demo article is the same article if its title is.
            existing = Article.objects.filter(title=clean_title(draft["title"])).first()
        result = article_store(**draft, article=existing)
        self.stdout.write(f"{result.status:>9}: {result.article.title} ({path.name})")


def ensure_demo_user(username: str, role: str, *, is_staff: bool, is_superuser: bool):
    """Create a demo account with its published password; leave an existing one's alone."""
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
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


# --- Stand-in for the importer ------------------------------------------------------------
# TODO(lead): once articles.importers is merged, replace _draft_from_file with the real
# importer's reading of a file; these few lines only cover the three demo files.

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_PHOTO_CREDIT = re.compile(r"\bPhoto(graph)?:\s")


def _draft_from_file(path: Path) -> dict:
    """Return article_store() keyword arguments for a demo .txt, .md or .html file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        title, _, body = text.partition("\n")
        paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
        # The plain-text layout marks a photo caption only by its credit line.
        paragraphs = [p + "\n{: .caption }" if _PHOTO_CREDIT.search(p) else p for p in paragraphs]
        return {"title": title, "body_markdown": "\n\n".join(paragraphs)}
    if path.suffix == ".html":
        text = trafilatura.extract(
            text, output_format="markdown", with_metadata=True, include_comments=False
        )
    meta, body = _front_matter(text)
    # trafilatura repeats the title as a heading; the page shows it already.
    body = re.sub(rf"\A#\s+{re.escape(meta.get('title', ''))}\s*\n", "", body.lstrip())
    published = meta.get("date")
    return {
        "title": meta.get("title", path.stem),
        "subtitle": meta.get("dek") or meta.get("description", ""),
        "byline": meta.get("byline") or meta.get("author", ""),
        "source_name": meta.get("source") or meta.get("sitename", ""),
        "source_url": meta.get("url") or None,
        "published_at": (
            datetime.combine(date.fromisoformat(published[:10]), datetime.min.time(), UTC)
            if published
            else None
        ),
        "body_markdown": body,
    }


def _front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip('"')
    return meta, text[match.end() :]

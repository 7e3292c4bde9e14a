"""Small factory functions with unique defaults for tests."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from articles.importers import parse_text
from articles.services import article_store

_seq = itertools.count(1)


def make_user(*, username: str | None = None, role: str = "annotator", password: str = "pw"):
    """Create a user with the given role (reader, annotator, moderator, editor)."""
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}", email=f"user{n}@example.org", password=password
    )
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


def make_article(*, title: str | None = None, body: str | None = None, **fields):
    """Create an article through the same service the importers use."""
    n = next(_seq)
    result = article_store(
        title=title or f"Article {n}",
        body_markdown=body or f"First paragraph of article {n}.\n\nSecond paragraph {n}.",
        **fields,
    )
    return result.article


def make_staff(*, superuser: bool = False, permissions: tuple[str, ...] = ()):
    """Create a staff user (or superuser) with "app_label.codename" permissions.

    The password is unusable (log in with force_login): hashing one costs a second per user.
    """
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"staff{n}",
        email=f"staff{n}@example.org",
        password=None,
        is_staff=True,
        is_superuser=superuser,
    )
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_seed_article(path, **fields):
    """Store a plain-text article file through the real plain-text parser, as an import would."""
    draft = parse_text(path.read_text(encoding="utf-8"))
    return article_store(title=draft.title, body_markdown=draft.body_markdown, **fields).article

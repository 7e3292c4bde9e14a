"""Small factory functions with unique defaults for tests."""

from __future__ import annotations

import itertools
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.services import article_store

_seq = itertools.count(1)
_CREDIT = re.compile(r"\b(?:[A-Z]{2,}|Photo:.*) / [A-Z]")


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


def make_seed_article(path, **fields):
    """Store a plain-text article file (title line, blank-line paragraphs) as an article.

    A deliberately tiny conversion for tests; the importers own the real one.
    """
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    # A photo caption is the paragraph carrying a credit: "AGENCY / Photographer".
    paragraphs = [p + "\n{: .caption }" if _CREDIT.search(p) else p for p in paragraphs]
    return article_store(title=title, body_markdown="\n\n".join(paragraphs), **fields).article

"""Small factory functions with unique defaults for tests.

Rows the services can make are best made through them (annotation_create, reply_create, ...),
as the tests of those services do. The row factories below store a row as given, for what the
services do not make in one call: a hidden or deleted row, an orphan, hundreds of rows at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.text import slugify

from annotations.models import Annotation, Claim, Label, Notification, Presence, Reply
from articles.importers import parse_text
from articles.services import article_store

_seq = itertools.count(1)


def make_user(
    *, username: str | None = None, role: str = "annotator", password: str = "pw", **fields
):
    """Create a user with the given role (reader, annotator, moderator, editor).

    Other fields (is_staff, is_superuser, is_active) go to the user as given.
    """
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}", email=f"user{n}@example.org", password=password, **fields
    )
    if role:
        user.groups.add(make_group(name=role))
    return user


def make_group(*, name: str | None = None):
    """Return the group called name (a role, or any other), creating it if it is missing."""
    return Group.objects.get_or_create(name=name or f"group {next(_seq)}")[0]


def make_article(*, title: str | None = None, body: str | None = None, **fields):
    """Create an article through the same service the importers use."""
    n = next(_seq)
    result = article_store(
        title=title or f"Article {n}",
        body_markdown=body or f"First paragraph of article {n}.\n\nSecond paragraph {n}.",
        **fields,
    )
    return result.article


def make_staff(
    *, superuser: bool = False, permissions: tuple[str, ...] = (), password: str | None = None
):
    """Create a staff user (or superuser) with "app_label.codename" permissions.

    The password is unusable unless given (log in with force_login): hashing one costs a
    second per user.
    """
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"staff{n}",
        email=f"staff{n}@example.org",
        password=password,
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


def make_label(*, name: str | None = None, slug: str | None = None, **fields) -> Label:
    """Create a label (a tag unless kind says otherwise); the slug follows the name."""
    name = name or f"label {next(_seq)}"
    return Label.objects.create(name=name, slug=slug or slugify(name), **fields)


def make_claim(
    *, title: str | None = None, slug: str | None = None, status: Label | None = None, **fields
) -> Claim:
    """Create a claim, unverified unless a status is given."""
    title = title or f"claim {next(_seq)}"
    status = status or Label.objects.statuses().get(slug="unverified")
    return Claim.objects.create(title=title, slug=slug or slugify(title), status=status, **fields)


def _annotation(*, article, author, exact: str | None, fields: dict) -> Annotation:
    if exact is None:
        exact = " ".join(article.body_text.split()[:3])
    if "start" not in fields and "end" not in fields and exact and exact in article.body_text:
        start = article.body_text.index(exact)
        fields = {"start": start, "end": start + len(exact), **fields}
    return Annotation(article=article, author=author, exact=exact, **fields)


def make_annotation(*, article=None, author=None, exact: str | None = None, **fields):
    """Store an annotation row as given, past the services (for hidden, deleted, orphaned rows).

    Without start and end, a quote found in the article's text is placed where it first occurs.
    """
    annotation = _annotation(
        article=article or make_article(), author=author or make_user(), exact=exact, fields=fields
    )
    annotation.save()
    return annotation


def make_annotations(
    *,
    count: int,
    article=None,
    author=None,
    exact: str | None = None,
    each: Callable[[int], dict] | None = None,
    **fields,
) -> list[Annotation]:
    """Store count annotation rows in one query; each(n) gives the n-th row's own fields."""
    article, author = article or make_article(), author or make_user()
    return Annotation.objects.bulk_create(
        _annotation(
            article=article,
            author=author,
            exact=exact,
            fields={**fields, **(each(n) if each else {})},
        )
        for n in range(count)
    )


def make_reply(*, annotation=None, claim=None, author=None, body: str | None = None, **fields):
    """Store a reply row as given, on annotation or claim (a new annotation if neither)."""
    if annotation is None and claim is None:
        annotation = make_annotation()
    return Reply.objects.create(
        annotation=annotation,
        claim=claim,
        author=author or make_user(),
        body=body or f"Reply {next(_seq)}.",
        **fields,
    )


def make_replies(
    *, count: int, author=None, each: Callable[[int], dict] | None = None, **fields
) -> list[Reply]:
    """Store count reply rows in one query; each(n) gives the n-th row's own fields."""
    author = author or make_user()
    rows = ({**fields, **(each(n) if each else {})} for n in range(count))
    return Reply.objects.bulk_create(
        Reply(author=author, **{"body": f"Reply {next(_seq)}.", **row}) for row in rows
    )


def make_presence(*, user=None, article=None, last_seen=None) -> Presence:
    """Record that user had article open at last_seen (now unless given)."""
    return Presence.objects.create(
        user=user or make_user(),
        article=article or make_article(),
        last_seen=last_seen or timezone.now(),
    )


def make_notification(
    *, recipient=None, kind: str = "reply", text: str | None = None, **fields
) -> Notification:
    """Create an unread notification for recipient."""
    return Notification.objects.create(
        recipient=recipient or make_user(),
        kind=kind,
        text=text or f"Notification {next(_seq)}",
        **fields,
    )

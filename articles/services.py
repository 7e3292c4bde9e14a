"""Writing articles: every import path and edit goes through article_store()."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from .inserting import insert_article
from .models import Article, ArticleRevision
from .rendering import render_markdown_body, strip_tags
from .signals import article_created, article_revised

CREATED, UNCHANGED, UPDATED = "created", "unchanged", "updated"
# What article_store() takes of an article's text and source, by the names an Article (the
# admin's form) and an import's ArticleDraft both give them.
STORED_FIELDS = (
    "title",
    "subtitle",
    "byline",
    "source_name",
    "source_url",
    "published_at",
    "language",
    "body_markdown",
)


@dataclass(frozen=True)
class StoreResult:
    article: Article
    status: str  # created | unchanged | updated


def content_hash(*, title: str, subtitle: str, byline: str, body_text: str) -> str:
    """Return the hash that decides whether an import changes an article."""
    digest = hashlib.sha256()
    for part in (title, subtitle, byline, body_text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def clean_title(value: str) -> str:
    """Return a title as plain text: tags stripped, white space collapsed."""
    return " ".join(strip_tags(value or "").split())


def stored_fields(source) -> dict:
    """Return article_store()'s text and source keywords, read from an article or a draft."""
    return {name: getattr(source, name) for name in STORED_FIELDS}


def article_store(
    *,
    title: str,
    body_markdown: str,
    subtitle: str = "",
    byline: str = "",
    source_name: str = "",
    source_url: str | None = None,
    published_at: datetime | None = None,
    language: str = "",
    imported_by=None,
    article: Article | None = None,
    check_new: Callable[[Article], None] | None = None,
    wait_for_disk: bool = True,
) -> StoreResult:
    """Create an article, or give an existing one (by `article` or source URL) a new revision.

    Identical content is left alone and reported as unchanged. Each path is one transaction.
    `check_new(article)` is called inside the transaction that creates an article, after it is
    stored; whatever it raises undoes the article and is raised again. (An import's near-copy
    check: the caller needs no transaction around this one, whose savepoint cost round trips.)

    `wait_for_disk=False` (an import's item, see commit_without_waiting) lets this call's own
    transaction end without waiting for PostgreSQL to write it to disk.
    """
    title = clean_title(title)
    subtitle = clean_title(subtitle)
    byline = clean_title(byline)
    source_name = clean_title(source_name)
    source_url = (source_url or "").strip() or None
    if not title:
        raise ValueError("the article has no title")
    rendered = render_markdown_body(body_markdown)
    if not rendered.text.strip():
        raise ValueError("the article has no body text")
    content = {
        "title": title,
        "subtitle": subtitle,
        "byline": byline,
        "body_markdown": body_markdown,
        "body_html": rendered.html,
        "body_text": rendered.text,
        "word_count": rendered.word_count,
        "reading_minutes": rendered.reading_minutes,
        "content_hash": content_hash(
            title=title, subtitle=subtitle, byline=byline, body_text=rendered.text
        ),
    }
    details = {
        "source_name": source_name,
        "source_url": source_url,
        "published_at": published_at,
        "language": language,
    }

    quick = not wait_for_disk and _may_commit_without_waiting()
    if article is not None:
        with transaction.atomic():
            if quick:
                commit_without_waiting()
            article = Article.objects.select_for_update().get(pk=article.pk)
            return _revise(article, content, details, imported_by)
    try:
        # Most articles stored are new: insert at once and let the unique source URL say when
        # one is already here, rather than look it up first (a round trip for every new
        # article). A known URL costs a refused insert instead, undone with its transaction
        # (or, inside the caller's transaction, its savepoint).
        with transaction.atomic():
            stored = _create(content, details, imported_by, quick=quick)
            if check_new is not None:
                check_new(stored.article)
            return stored
    except IntegrityError as clash:
        if source_url is None:
            raise
        # The URL is taken, maybe only just now by a concurrent import: revise that article.
        with transaction.atomic():
            if quick:
                commit_without_waiting()
            try:
                article = Article.objects.select_for_update().get(source_url=source_url)
            except Article.DoesNotExist:
                raise clash from None  # the clash was not the URL's
            return _revise(article, content, details, imported_by)


def commit_without_waiting() -> None:
    """Let the current transaction's COMMIT return before PostgreSQL has flushed it to disk.

    An import's item is its own transaction, and on a busy disk the flush (fdatasync) took
    2-8 ms of an HTML page's import. Without the wait, a crash of the database server itself
    can lose the last fraction of a second of committed imports (up to three times
    wal_writer_delay, 200 ms), never part of one: the article, its revision and its
    suggestions are there together or not at all, and the same page imported again is stored
    again. A later transaction that does wait (an import job's own bookkeeping) flushes these
    too. A new article's INSERT carries the setting itself (inserting.insert_article).
    """
    with transaction.get_connection().cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")


def _may_commit_without_waiting() -> bool:
    """Return whether the transaction about to be opened may commit without waiting (above):
    on PostgreSQL, unless CLAIMLENS_IMPORT_WAIT_FOR_DISK, and only if it is a transaction of
    its own (inside a caller's, such as an import job's, the caller's commit decides)."""
    connection = transaction.get_connection()
    return (
        connection.vendor == "postgresql"
        and not settings.CLAIMLENS_IMPORT_WAIT_FOR_DISK
        and not connection.in_atomic_block
    )


def _create(content: dict, details: dict, imported_by, *, quick: bool) -> StoreResult:
    article = Article(
        **content,
        **(details | {"language": details["language"] or "en"}),
        revision_number=1,
        imported_by=imported_by,
    )
    insert_article(article, _revision_of(article, imported_by), quick=quick)
    article_created.send(sender=Article, article=article)
    return StoreResult(article, CREATED)


def _revise(article: Article, content: dict, details: dict, imported_by) -> StoreResult:
    if article.content_hash == content["content_hash"]:
        return StoreResult(article, UNCHANGED)
    previous = article.revisions.filter(number=article.revision_number).first()
    for field, value in content.items():
        setattr(article, field, value)
    # A detail the new text does not give is kept from the article's last one.
    article.source_name = details["source_name"] or article.source_name
    article.source_url = details["source_url"] or article.source_url
    article.published_at = details["published_at"] or article.published_at
    article.language = details["language"] or article.language
    article.revision_number += 1
    article.save()
    revision = _snapshot(article, imported_by)
    article_revised.send(sender=Article, article=article, previous=previous, revision=revision)
    return StoreResult(article, UPDATED)


def _snapshot(article: Article, user) -> ArticleRevision:
    revision = _revision_of(article, user)
    revision.save(force_insert=True)
    return revision


def _revision_of(article: Article, user) -> ArticleRevision:
    """Return the (unsaved) revision that records the article's current text."""
    return ArticleRevision(
        article=article,
        number=article.revision_number,
        title=article.title,
        subtitle=article.subtitle,
        byline=article.byline,
        body_markdown=article.body_markdown,
        body_html=article.body_html,
        body_text=article.body_text,
        content_hash=article.content_hash,
        created_by=user,
    )

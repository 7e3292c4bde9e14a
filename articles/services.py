"""Writing articles: every import path and edit goes through article_store()."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from .models import Article, ArticleRevision
from .rendering import render_markdown_body, strip_tags
from .signals import article_revised

CREATED, UNCHANGED, UPDATED = "created", "unchanged", "updated"


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


@transaction.atomic
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
) -> StoreResult:
    """Create an article, or give an existing one (by `article` or source URL) a new revision.

    Identical content is left alone and reported as unchanged.
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
    digest = content_hash(title=title, subtitle=subtitle, byline=byline, body_text=rendered.text)

    if article is None and source_url:
        try:  # get(), not first(): a unique lookup needs no ORDER BY for PostgreSQL to plan
            article = Article.objects.select_for_update().get(source_url=source_url)
        except Article.DoesNotExist:
            article = None
    elif article is not None:
        article = Article.objects.select_for_update().get(pk=article.pk)

    if article is None:
        article = Article.objects.create(
            title=title,
            subtitle=subtitle,
            byline=byline,
            source_name=source_name,
            source_url=source_url,
            published_at=published_at,
            language=language or "en",
            body_markdown=body_markdown,
            body_html=rendered.html,
            body_text=rendered.text,
            word_count=rendered.word_count,
            reading_minutes=rendered.reading_minutes,
            content_hash=digest,
            revision_number=1,
            imported_by=imported_by,
        )
        _snapshot(article, imported_by)
        return StoreResult(article, CREATED)

    if article.content_hash == digest:
        return StoreResult(article, UNCHANGED)

    previous = article.revisions.filter(number=article.revision_number).first()
    article.title = title
    article.subtitle = subtitle
    article.byline = byline
    article.source_name = source_name or article.source_name
    if source_url:
        article.source_url = source_url
    article.published_at = published_at or article.published_at
    article.language = language or article.language
    article.body_markdown = body_markdown
    article.body_html = rendered.html
    article.body_text = rendered.text
    article.word_count = rendered.word_count
    article.reading_minutes = rendered.reading_minutes
    article.content_hash = digest
    article.revision_number += 1
    article.save()
    revision = _snapshot(article, imported_by)
    article_revised.send(sender=Article, article=article, previous=previous, revision=revision)
    return StoreResult(article, UPDATED)


def _snapshot(article: Article, user) -> ArticleRevision:
    return ArticleRevision.objects.create(
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

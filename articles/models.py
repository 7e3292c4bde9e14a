from django.conf import settings
from django.db import models
from django.urls import reverse

from .querysets import ArticleQuerySet, ArticleRevisionQuerySet


class Article(models.Model):
    """A news article as stored and shown; its current text is also its latest revision."""

    title = models.CharField(max_length=500)
    subtitle = models.TextField("subtitle / dek", blank=True)
    byline = models.CharField(max_length=300, blank=True)
    source_name = models.CharField("publisher", max_length=200, blank=True, db_index=True)
    # NULL, not "", when unknown: several articles may lack a URL, but a known URL is unique.
    source_url = models.URLField(
        "canonical URL", max_length=2000, unique=True, null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True, default="en")

    body_markdown = models.TextField("body (Markdown)")
    # Derived once when the article is written (articles.services), never per request.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveIntegerField(editable=False, default=0)
    content_hash = models.CharField(max_length=64, editable=False, db_index=True, default="")
    revision_number = models.PositiveIntegerField(editable=False, default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_articles",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["-published_at", "-created_at"], name="article_newest_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk})


class ArticleRevision(models.Model):
    """One text of an article; a new one is kept every time the article's content changes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    subtitle = models.TextField(blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body_markdown = models.TextField()
    body_html = models.TextField()
    body_text = models.TextField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return f"{self.article_id} r{self.number}"

    def get_absolute_url(self):
        return reverse("articles:revision", kwargs={"pk": self.article_id, "number": self.number})


# Models of the packages that import in the background and follow feeds (articles.jobs,
# articles.feeds), registered with this app. At the end: they refer to Article by name.
from .feeds.models import Feed, FeedEntry  # noqa: E402
from .jobs.models import ImportJob, ImportJobItem  # noqa: E402

__all__ = ["Article", "ArticleRevision", "Feed", "FeedEntry", "ImportJob", "ImportJobItem"]

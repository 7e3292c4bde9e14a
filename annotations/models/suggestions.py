"""Claim suggestions: the attributed statements found in an article as it is stored.

Found once per revision (annotations.suggestions), so the reader page reads them in one query.
A checker accepts one (it becomes an annotation with a claim) or dismisses it for everyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        """Return the suggestions nobody has accepted or dismissed yet."""
        return self.filter(state=Suggestion.State.OPEN)

    def for_article(self, article):
        """Return an article's open suggestions on its current text, in reading order."""
        return (
            self.open()
            .filter(article=article, revision_number=article.revision_number)
            .order_by("start", "pk")
        )

    def speakers_of(self, article) -> list[str]:
        """Return the full names of the article's speakers, most quoted first."""
        rows = (
            self.filter(article=article, revision_number=article.revision_number)
            .values("speaker_full")
            .annotate(n=models.Count("pk"))
            .order_by("-n", "speaker_full")
        )
        return [row["speaker_full"] for row in rows if row["speaker_full"]]


class Suggestion(models.Model):
    """A quote or reported statement and who made it, anchored like an annotation."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        REPORTED = "reported", "Reported speech"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="claim_suggestions"
    )
    revision_number = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.QUOTE)
    exact = models.TextField()
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    speaker = models.CharField(max_length=200, blank=True)
    speaker_full = models.CharField(max_length=200, blank=True, db_index=True)
    confidence = models.FloatField(default=0.0)
    state = models.CharField(max_length=9, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    annotation = models.ForeignKey(
        "annotations.Annotation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        indexes = [
            models.Index(
                fields=["article", "revision_number", "state"], name="suggestion_article_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker_full or self.speaker}: {self.exact[:60]}"

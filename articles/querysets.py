from django.db import models


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        """Return articles by publication date (import date when unknown), newest first."""
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-created_at", "-pk")

    def for_list(self):
        """Return only the columns the article list shows."""
        return self.only(
            "title",
            "subtitle",
            "source_name",
            "published_at",
            "reading_minutes",
            "created_at",
            "word_count",
        )


class ArticleRevisionQuerySet(models.QuerySet):
    def for_list(self):
        """Return revisions newest first, without their texts, with who made each."""
        return (
            self.defer("body_markdown", "body_html", "body_text")
            .select_related("created_by")
            .order_by("-number")
        )

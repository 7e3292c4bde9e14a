from django.db import models


class ArticleQuerySet(models.QuerySet):
    # The columns the article list shows (search builds its SQL from them too).
    LIST_FIELDS = (
        "title",
        "subtitle",
        "source_name",
        "published_at",
        "reading_minutes",
        "created_at",
        "word_count",
    )

    def newest_first(self):
        """Return articles by publication date (import date when unknown), newest first."""
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-created_at", "-pk")

    def for_list(self):
        """Return only the columns the article list shows."""
        return self.only(*self.LIST_FIELDS)

    def for_reader(self):
        """Return articles with what the reader page shows (the Markdown source is not)."""
        return self.defer("body_markdown")

    def from_source(self, source_name: str | None):
        """Return the articles of one publisher, or all when no publisher is given."""
        return self.filter(source_name=source_name) if source_name else self

    def source_names(self):
        """Return the distinct publisher names, alphabetically."""
        return (
            self.exclude(source_name="")
            .order_by("source_name")
            .values_list("source_name", flat=True)
            .distinct()
        )


class ArticleRevisionQuerySet(models.QuerySet):
    def for_list(self):
        """Return revisions newest first, without their texts, with who made each."""
        return (
            self.defer("body_markdown", "body_html", "body_text")
            .select_related("created_by")
            .order_by("-number")
        )

from django.db import models
from django.db.models import Q


class LabelQuerySet(models.QuerySet):
    def statuses(self):
        return self.filter(kind="status")

    def tags(self):
        return self.filter(kind="tag")


class AnnotationQuerySet(models.QuerySet):
    def alive(self):
        """Return annotations that are not deleted."""
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user):
        """Return the annotations `user` may see: shared ones, and their own private ones."""
        qs = self.alive()
        if user is not None and user.is_authenticated:
            return qs.filter(Q(visibility="shared") | Q(author=user))
        return qs.filter(visibility="shared")

    def orphaned(self):
        """Return annotations whose passage could not be placed on the current revision."""
        return self.filter(anchor="orphan")

    def in_reading_order(self):
        return self.order_by(models.F("start").asc(nulls_first=True), "end", "pk")

    def with_related(self):
        """Return annotations with everything a card shows fetched in a fixed number of queries."""
        return self.select_related("author", "claim", "claim__status", "article").prefetch_related(
            "labels"
        )


class ClaimQuerySet(models.QuerySet):
    def with_counts(self):
        """Return claims annotated with how many live appearances and articles each has."""
        live = Q(appearances__deleted_at__isnull=True)
        return self.select_related("status").annotate(
            appearance_count=models.Count("appearances", filter=live, distinct=True),
            article_count=models.Count("appearances__article", filter=live, distinct=True),
        )

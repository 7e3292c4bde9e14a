from django.db import models
from django.db.models import Q

from .permissions import is_moderator


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
        """Return the annotations `user` may see: shared ones, and their own private ones.

        Annotations a moderator hid are seen only by their author and by moderators.
        """
        qs = self.alive()
        if user is None or not user.is_authenticated:
            return qs.filter(visibility="shared", hidden_at__isnull=True)
        own = Q(author=user)
        if is_moderator(user):
            return qs.filter(Q(visibility="shared") | own)
        return qs.filter(Q(visibility="shared", hidden_at__isnull=True) | own)

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
    def search(self, query: str):
        """Return claims whose title, claimant or rationale contains every word of query."""
        qs = self
        for word in query.split():
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(claimant__icontains=word)
                | Q(rationale__icontains=word)
            )
        return qs

    def with_counts(self):
        """Return claims annotated with how many public appearances and articles each has.

        Only shared, live, unhidden annotations count: a private one must not show in a number.
        """
        live = Q(
            appearances__deleted_at__isnull=True,
            appearances__hidden_at__isnull=True,
            appearances__visibility="shared",
        )
        return self.select_related("status").annotate(
            appearance_count=models.Count("appearances", filter=live, distinct=True),
            article_count=models.Count("appearances__article", filter=live, distinct=True),
        )

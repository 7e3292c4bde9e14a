from django.db import models
from django.db.models import Q

from annotations.core.permissions import is_moderator


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _named_visible_to(qs, user):
    """Return the labels or claims of `qs` whose name `user` may see.

    A name typed only into private annotations (private_to set) is seen by the user it is
    private to alone; any name used on something shared, or made by a moderator, is
    everyone's. Someone else typing the same name gets a name of their own (services).
    """
    if _signed_in(user):
        return qs.filter(Q(private_to__isnull=True) | Q(private_to=user))
    return qs.filter(private_to__isnull=True)


class LabelQuerySet(models.QuerySet):
    def statuses(self):
        return self.filter(kind="status")

    def tags(self):
        return self.filter(kind="tag")

    def visible_to(self, user):
        """Return the labels `user` may see: not those typed only into others' private notes."""
        return _named_visible_to(self, user)


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

    def private_of_others(self, user):
        """Return private annotations (deleted ones too) that `user` did not write."""
        qs = self.filter(visibility="private")
        return qs.exclude(author=user) if _signed_in(user) else qs

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
    def visible_to(self, user):
        """Return the claims `user` may see: not those that only others' private notes name."""
        return _named_visible_to(self, user)

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

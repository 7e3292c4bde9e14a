"""Named reads for the collaboration models (discussion, verdicts, history, feed, moderation)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotations.core.permissions import is_moderator

PRESENCE_WINDOW = timedelta(seconds=30)


def _models(*names: str) -> list[type[models.Model]]:
    # The models import these querysets: they reach the models through the app registry.
    return [apps.get_model("annotations", name) for name in names]


class ReplyQuerySet(models.QuerySet):
    def alive(self):
        """Return replies that are not deleted."""
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user):
        """Return the live replies `user` may read (the rule permissions.can_see asks).

        A reply follows its annotation: none under an annotation `user` may not see. A reply
        a moderator hid is seen only by its author and by moderators.
        """
        (annotation_model,) = _models("Annotation")
        seen = Q(annotation__isnull=True) | Q(
            annotation__in=annotation_model.objects.visible_to(user).values("pk")
        )
        qs = self.alive().filter(seen)
        if user is None or not user.is_authenticated:
            return qs.filter(hidden_at__isnull=True)
        if is_moderator(user):
            return qs
        return qs.filter(Q(hidden_at__isnull=True) | Q(author=user))

    def on(self, subject):
        """Return the replies on an annotation or a claim, oldest first."""
        if subject._meta.model_name == "annotation":
            return self.filter(annotation=subject)
        return self.filter(claim=subject)

    def for_thread(self):
        """Return replies with what a thread shows, in the order they were written."""
        return self.select_related("author", "claim").order_by("created_at", "pk")


class VerdictQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("user", "status")

    def coded(self):
        """Return (claim_id, user_id, status_id) triples: the data agreement is computed on."""
        return self.values_list("claim_id", "user_id", "status_id")


class HistoryEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Return the history of one annotation, claim, label, verdict or reply, newest first."""
        return self.filter(target_type=self.target_type_of(obj), target_id=obj.pk)

    def target_type_of(self, obj) -> str:
        """Return the target_type that names `obj`: its model's name, or "user"."""
        meta = obj._meta
        if meta.label_lower == settings.AUTH_USER_MODEL.lower():
            return self.model.Target.USER
        if meta.app_label == self.model._meta.app_label and meta.model_name in self.model.Target:
            return meta.model_name
        raise TypeError(f"no history for {type(obj).__name__}")

    def for_claim(self, claim):
        """Return everything recorded about a claim: its edits, verdicts and appearances."""
        return self.filter(Q(claim=claim) | Q(target_type="claim", target_id=claim.pk))

    def with_related(self):
        return self.select_related("actor").order_by("-id")

    def visible_to(self, user):
        """Return the entries `user` may read.

        The changes of a private annotation and of the replies under it are its author's
        alone (moderators included), and so is any state of an annotation while it was
        private; a claim's or tag's changes are seen by those who may see it.
        """
        Annotation, Claim, Label, Reply = _models("Annotation", "Claim", "Label", "Reply")
        secret = Annotation.objects.private_of_others(user).values("pk")
        was_private = Q(after__visibility="private") | Q(before__visibility="private")
        if getattr(user, "is_authenticated", False):
            was_private &= Q(target_id__in=Annotation.objects.exclude(author=user).values("pk"))
        on_secret = Reply.objects.filter(annotation__in=secret).values("pk")
        hidden_claims = Claim.objects.exclude(pk__in=Claim.objects.visible_to(user).values("pk"))
        hidden_labels = Label.objects.exclude(pk__in=Label.objects.visible_to(user).values("pk"))
        withheld = self.model.objects.filter(
            Q(target_type="annotation", target_id__in=secret)
            | (Q(target_type="annotation") & was_private)
            | Q(target_type="reply", target_id__in=on_secret)
            | Q(target_type="claim", target_id__in=hidden_claims.values("pk"))
            | Q(claim__in=hidden_claims)
            | Q(target_type="label", target_id__in=hidden_labels.values("pk"))
        )
        return self.exclude(pk__in=withheld.values("pk"))


class ChangeEventQuerySet(models.QuerySet):
    def after(self, cursor: int, *, article_id=None, claim_id=None):
        """Return the feed of one article (or claim) after `cursor`, in id order."""
        scope = {"article_id": article_id} if article_id is not None else {"claim_id": claim_id}
        return self.filter(id__gt=cursor, **scope).order_by("id")


class PresenceQuerySet(models.QuerySet):
    def recent(self, *, now=None):
        """Return presences seen within the presence window."""
        return self.filter(last_seen__gte=(now or timezone.now()) - PRESENCE_WINDOW)


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def shared(self):
        """Return flags on shared content: nobody moderates private notes, claims or replies."""
        Annotation, Reply = _models("Annotation", "Reply")
        private = Annotation.objects.filter(visibility="private").values("pk")
        on_private = Reply.objects.filter(
            Q(annotation__in=private) | Q(claim__private_to__isnull=False)
        ).values("pk")
        return self.exclude(annotation__in=private).exclude(reply__in=on_private)

    def for_queue(self):
        """Return open flags on shared content, with their subject and its author, oldest first."""
        return (
            self.open()
            .shared()
            .select_related(
                "reporter",
                "annotation__author",
                "annotation__article",
                "reply__author",
                "reply__annotation",
                "reply__claim",
            )
            .order_by("created_at", "pk")
        )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list(self):
        return self.select_related("actor").order_by("-created_at", "-pk")

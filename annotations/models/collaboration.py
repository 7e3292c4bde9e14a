"""Working together: discussion, verdicts, history, the change feed, presence, flags, notices."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from annotations.models.collaboration_querysets import (
    ChangeEventQuerySet,
    FlagQuerySet,
    HistoryEntryQuerySet,
    NotificationQuerySet,
    PresenceQuerySet,
    ReplyQuerySet,
    VerdictQuerySet,
)
from annotations.models.core import Written

USER = settings.AUTH_USER_MODEL


class Reply(Written):
    """A message in the discussion of an annotation or of a claim; replies nest by `parent`."""

    annotation = models.ForeignKey(
        "annotations.Annotation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    # Derived when written: sanitised HTML with @mentions linked.
    body_html = models.TextField(editable=False, default="")
    mentions = models.ManyToManyField(USER, blank=True, related_name="mentioned_in")

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"
        indexes = [
            models.Index(fields=["annotation", "created_at"], name="reply_annotation_idx"),
            models.Index(fields=["claim", "created_at"], name="reply_claim_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annotation__isnull=False, claim__isnull=True)
                | models.Q(annotation__isnull=True, claim__isnull=False),
                name="reply_has_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.author} on {self.subject}: {self.body[:40]}"

    def get_absolute_url(self):
        if self.annotation_id:
            url = reverse("collab:annotation-discussion", kwargs={"pk": self.annotation_id})
        else:
            url = reverse("collab:claim-discussion", kwargs={"slug": self.claim.slug})
        return f"{url}#reply-{self.pk}"

    @property
    def subject(self):
        return self.annotation if self.annotation_id else self.claim


class Verdict(models.Model):
    """One collaborator's own judgement of a claim; a user has at most one per claim."""

    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.CASCADE, related_name="verdicts"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="verdicts")
    status = models.ForeignKey(
        "annotations.Label",
        on_delete=models.PROTECT,
        related_name="verdicts",
        limit_choices_to={"kind": "status"},
    )
    reason = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "user"], name="one_verdict_per_user")
        ]

    def __str__(self):
        return f"{self.user}: {self.claim} is {self.status}"


class HistoryEntry(models.Model):
    """One recorded change: who did what to which object, with snapshots before and after."""

    class Target(models.TextChoices):
        ANNOTATION = "annotation", "Annotation"
        CLAIM = "claim", "Claim"
        LABEL = "label", "Label"
        VERDICT = "verdict", "Verdict"
        REPLY = "reply", "Reply"
        SUGGESTION = "suggestion", "Claim suggestion"
        USER = "user", "User"

    target_type = models.CharField(max_length=16, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    target_repr = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="history"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Where the change shows, so an article's or a claim's whole history is one indexed query.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverted_by"
    )

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "history entries"
        indexes = [
            models.Index(fields=["target_type", "target_id", "id"], name="history_target_idx"),
            models.Index(fields=["claim", "id"], name="history_claim_idx"),
            models.Index(fields=["article", "id"], name="history_article_idx"),
        ]

    def __str__(self):
        return f"{self.actor} {self.action} {self.target_type} {self.target_id}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """Return (field, before, after) for each field the change altered (not the version)."""
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if k != "version" and before.get(k) != after.get(k)
        ]


class ChangeEvent(models.Model):
    """A row of the change feed that open pages poll; written in the changing transaction.

    Ids only grow, and for one article (or claim) they are handed out in commit order (see
    annotations.core.changefeed), so "everything after id N" never skips a change.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32)  # "<target>.<action>", e.g. "annotation.created"
    object_id = models.PositiveBigIntegerField()
    annotation_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["article", "id"], name="change_article_idx"),
            models.Index(fields=["claim", "id"], name="change_claim_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.object_id}"


class Presence(models.Model):
    """That a user had an article open at `last_seen`."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()

    objects = PresenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_reader")
        ]
        indexes = [models.Index(fields=["article", "last_seen"], name="presence_recent_idx")]

    def __str__(self):
        return f"{self.user} on {self.article_id} at {self.last_seen:%H:%M:%S}"


class Flag(models.Model):
    """Someone's report that an annotation or a reply needs a moderator's look."""

    annotation = models.ForeignKey(
        "annotations.Annotation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=16, blank=True)  # hidden | dismissed

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annotation__isnull=False, reply__isnull=True)
                | models.Q(annotation__isnull=True, reply__isnull=False),
                name="flag_has_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.reporter}: {self.reason[:40]}"

    @property
    def subject(self):
        return self.annotation if self.annotation_id else self.reply


class Notification(models.Model):
    """Something a user should know about: a reply, a mention, a status change, an assignment."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        MENTION = "mention", "Mention"
        STATUS = "status", "Status change"
        ASSIGNED = "assigned", "Assignment"

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return f"to {self.recipient}: {self.text}"

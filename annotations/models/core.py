"""The kernel's models: labels, claims, evidence, annotations (and Written, their base)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from annotations.models.querysets import AnnotationQuerySet, ClaimQuerySet, LabelQuerySet

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #rrggbb.")


def private_to_field() -> models.ForeignKey:
    """Return the owner of a label or claim name only ever typed into their private annotations.

    Nobody else sees such a name (suggestions, lists, pages) until it is used on something
    shared; someone else typing the same name gets a name of their own (the services'
    tag_get_or_create and claim_get_or_create). Deleting the user deletes it with their
    private annotations, rather than making it public.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def unique_names(field: str, *, shared: str, private: str) -> list[models.UniqueConstraint]:
    """Return the constraints that make `field` unique, ignoring case, among shared names and
    among each user's private ones: someone else's private name must not make a name look
    taken (that would tell it exists)."""
    return [
        models.UniqueConstraint(
            Lower(field), condition=models.Q(private_to__isnull=True), name=shared
        ),
        models.UniqueConstraint(
            Lower(field), "private_to", condition=models.Q(private_to__isnull=False), name=private
        ),
    ]


class Written(models.Model):
    """What someone writes and may edit, delete and have hidden: an annotation or a reply."""

    # Incremented on every edit; an edit that starts from an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Label(models.Model):
    """A managed tag; claim statuses are labels of kind "status"."""

    class Kind(models.TextChoices):
        TAG = "tag", "Tag"
        STATUS = "status", "Claim status"

    name = models.CharField(max_length=64)
    slug = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TAG)
    colour = models.CharField(max_length=7, default="#ffd54f", validators=[hex_colour])
    description = models.TextField(blank=True)
    shortcut = models.CharField(
        max_length=1, blank=True, help_text="One key that applies this label to a selection."
    )
    position = models.PositiveSmallIntegerField(default=100)
    # See private_to_field: set while only this user's private annotations use the name.
    private_to = private_to_field()

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "name"]
        constraints = [
            *unique_names(
                "name", shared="unique_label_name_ci", private="unique_private_label_name_ci"
            ),
            models.UniqueConstraint(
                fields=["shortcut"], condition=~models.Q(shortcut=""), name="unique_label_shortcut"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_status(self):
        return self.kind == self.Kind.STATUS


class Claim(models.Model):
    """A statement someone made, checked once and shown wherever it appears."""

    title = models.CharField(max_length=200, help_text='A short name, e.g. "terrorists claim".')
    slug = models.SlugField(max_length=200, unique=True)

    class ClaimantType(models.TextChoices):
        PERSON = "person", "a person"
        ORGANIZATION = "organization", "an organisation"
        UNKNOWN = "unknown", "not known"

    claimant = models.CharField(max_length=200, blank=True, help_text="Who made the claim.")
    # Set by an editor, never guessed: published ClaimReviews call the claimant a schema.org
    # Person or Organization only when someone said which it is.
    claimant_type = models.CharField(
        max_length=12,
        choices=ClaimantType.choices,
        default=ClaimantType.UNKNOWN,
        help_text="Whether the claimant is a person or an organisation.",
    )
    status = models.ForeignKey(
        Label,
        on_delete=models.PROTECT,
        related_name="claims",
        limit_choices_to={"kind": Label.Kind.STATUS},
    )
    rationale = models.TextField(blank=True, help_text="Why it has this status (Markdown).")
    rationale_html = models.TextField(editable=False, default="")
    # Set when a moderator settles the status; a claim with a final verdict is published.
    status_final_at = models.DateTimeField(null=True, blank=True)
    status_final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # See private_to_field: set while only this user's private annotations use the title.
    private_to = private_to_field()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            *unique_names(
                "title", shared="unique_claim_title_ci", private="unique_private_claim_title_ci"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("annotations:claim-detail", kwargs={"slug": self.slug})


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.title or self.url


class Annotation(Written):
    """A highlight, comment or claim appearance on a passage of an article (or the whole page).

    The passage is held as W3C selectors into the article's canonical plain text: the exact
    quote with up to 32 characters of context on each side (TextQuoteSelector) and its offsets
    (TextPositionSelector). A page note has no passage: empty quote, no offsets.
    """

    class Visibility(models.TextChoices):
        SHARED = "shared", "Shared"
        PRIVATE = "private", "Only me"

    class Anchor(models.TextChoices):
        EXACT = "exact", "At its original position"
        MOVED = "moved", "Moved with the text"
        FUZZY = "fuzzy", "Re-anchored onto changed text"
        ORPHAN = "orphan", "Could not be placed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    # Selectors into article.body_text (at revision `revision_number`).
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    revision_number = models.PositiveIntegerField(default=1)

    note = models.TextField(blank=True)
    note_html = models.TextField(editable=False, default="")
    labels = models.ManyToManyField(Label, blank=True, related_name="annotations")
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="appearances"
    )
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.SHARED
    )

    # How the passage was placed on the current revision, and the quote it had before.
    anchor = models.CharField(max_length=8, choices=Anchor.choices, default=Anchor.EXACT)
    anchor_score = models.FloatField(default=1.0)
    original_exact = models.TextField(blank=True)
    # The last segment of its IRI in the Web Annotation Protocol API when the client that
    # created it asked for one (the Slug header); without one, its number is.
    slug = models.SlugField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["article", "start"], name="annotation_reading_idx"),
            models.Index(fields=["article", "updated_at"], name="annotation_changed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=False, end__gte=models.F("start")),
                name="annotation_span_ordered",
            )
        ]

    def __str__(self):
        return f"{self.author} on {self.article_id}: {self.exact[:40] or '(page note)'}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#annotation-{self.pk}"

    @property
    def is_page_note(self):
        return self.start is None and not self.exact

    @property
    def is_orphan(self):
        return self.anchor == self.Anchor.ORPHAN

"""Where an annotation came from when it was imported or posted with identifiers of its own."""

from django.conf import settings
from django.db import models


def one_per_external_id(name: str) -> models.UniqueConstraint:
    """Return the rule that one id from one source names one row here."""
    return models.UniqueConstraint(
        fields=["format", "external_id"], condition=~models.Q(external_id=""), name=name
    )


class Imported(models.Model):
    """Who made something elsewhere and when, and who brought it here: kept, never shown as ours."""

    creator_name = models.CharField(max_length=200, blank=True)
    creator_iri = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AnnotationOrigin(Imported):
    """What Claimlens knows about an annotation made elsewhere.

    An imported annotation belongs to the person who imported it (they answer for it here);
    its original author, id and date are kept here so that nothing is lost, and exports
    name the original as `via` and keep its `canonical` IRI as the protocol requires.
    """

    class Format(models.TextChoices):
        W3C = "w3c", "W3C Web Annotation"
        HYPOTHESIS = "hypothesis", "Hypothesis"

    annotation = models.OneToOneField(
        "annotations.Annotation", on_delete=models.CASCADE, related_name="origin"
    )
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.W3C)
    original_id = models.CharField(max_length=2000, blank=True)
    canonical = models.CharField(max_length=2000, blank=True)
    # Its id where it came from (a Hypothesis annotation's id): importing it again finds this
    # annotation instead of making a second one.
    external_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["annotation"]
        constraints = [one_per_external_id("unique_annotation_origin_external_id")]

    def __str__(self):
        return f"{self.annotation_id} from {self.original_id or self.format}"


class ReplyOrigin(Imported):
    """What Claimlens knows about a reply imported from elsewhere (a Hypothesis reply).

    As for annotations: the reply belongs to whoever imported it; its original author, id and
    date are kept here, and its id makes importing it again find it.
    """

    reply = models.OneToOneField(
        "annotations.Reply", on_delete=models.CASCADE, related_name="origin"
    )
    format = models.CharField(
        max_length=16,
        choices=AnnotationOrigin.Format.choices,
        default=AnnotationOrigin.Format.HYPOTHESIS,
    )
    external_id = models.CharField(max_length=200)

    class Meta:
        ordering = ["reply"]
        constraints = [one_per_external_id("unique_reply_origin_external_id")]

    def __str__(self):
        return f"reply {self.reply_id} from {self.external_id}"

"""Where an annotation came from when it was imported or posted with identifiers of its own."""

from django.conf import settings
from django.db import models


class AnnotationOrigin(models.Model):
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
    creator_name = models.CharField(max_length=200, blank=True)
    creator_iri = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation"]

    def __str__(self):
        return f"{self.annotation_id} from {self.original_id or self.format}"

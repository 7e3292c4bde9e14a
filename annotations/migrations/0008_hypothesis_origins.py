# Keep the id an annotation or a reply has where it came from (a Hypothesis id), so that
# importing it again finds it instead of making a second one.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_claim_claimant_type"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="annotationorigin",
            name="external_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddConstraint(
            model_name="annotationorigin",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("format", "external_id"),
                name="unique_annotation_origin_external_id",
            ),
        ),
        migrations.CreateModel(
            name="ReplyOrigin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[("w3c", "W3C Web Annotation"), ("hypothesis", "Hypothesis")],
                        default="hypothesis",
                        max_length=16,
                    ),
                ),
                ("external_id", models.CharField(max_length=200)),
                ("creator_name", models.CharField(blank=True, max_length=200)),
                ("creator_iri", models.CharField(blank=True, max_length=2000)),
                ("created", models.DateTimeField(blank=True, null=True)),
                ("imported_at", models.DateTimeField(auto_now_add=True)),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reply",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="origin",
                        to="annotations.reply",
                    ),
                ),
            ],
            options={
                "ordering": ["reply"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("external_id", ""), _negated=True),
                        fields=("format", "external_id"),
                        name="unique_reply_origin_external_id",
                    )
                ],
            },
        ),
    ]

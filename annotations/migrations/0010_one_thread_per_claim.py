"""Move the replies on shared annotations that carry a claim into that claim's discussion.

A claim has one discussion wherever it appears (core.services.replies.thread_subject): what
was said on one of its appearances joins what was said on the claim page. Private notes keep
their own threads. Going back leaves the replies on the claim, where they read the same.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Reply = apps.get_model("annotations", "Reply")
    moved = Reply.objects.filter(
        annotation__isnull=False, annotation__claim__isnull=False, annotation__visibility="shared"
    ).values_list("pk", "annotation__claim_id")
    by_claim: dict[int, list[int]] = {}
    for pk, claim_id in moved.iterator():
        by_claim.setdefault(claim_id, []).append(pk)
    for claim_id, pks in by_claim.items():
        Reply.objects.filter(pk__in=pks).update(annotation=None, claim_id=claim_id)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0009_annotation_slug")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

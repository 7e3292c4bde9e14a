# The name a client of the Web Annotation Protocol API asked for with the Slug header: the last
# segment of the annotation's IRI there.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_hypothesis_origins"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="slug",
            field=models.SlugField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
    ]

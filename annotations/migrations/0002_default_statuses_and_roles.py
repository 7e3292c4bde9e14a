from django.db import migrations


def forwards(apps, schema_editor):
    from annotations.core.defaults import create_defaults

    create_defaults(apps.get_model("annotations", "Label"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

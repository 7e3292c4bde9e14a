"""Let the editor role use the admin to import and edit articles.

Permissions are normally created after migrate (post_migrate), too late for a fresh database:
they are created here first, for every app, from the historical models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"
GRANTS = {
    "article": ("add", "change", "view"),
    "articlerevision": ("view",),
}


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, as historical ones are.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.using(alias).get_or_create(name=EDITOR)
    for model, actions in GRANTS.items():
        editor.permissions.add(
            *Permission.objects.using(alias).filter(
                content_type__app_label="articles",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.using(alias).filter(name=EDITOR).first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.using(alias).filter(
                content_type__app_label="articles",
                codename__in=[f"{a}_{m}" for m, actions in GRANTS.items() for a in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_newest_first_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

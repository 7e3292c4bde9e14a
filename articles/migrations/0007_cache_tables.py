"""Make the database cache tables (settings.CACHES) as part of `migrate`.

The reader's shared cache and the rate-limit counters live in tables that Django only makes with
`manage.py createcachetable`; every command that writes (imports, exports, backups, the demo)
touches the cache, so a database made by `migrate` alone must already hold them.
`createcachetable` skips tables that exist and caches that are not in the database (Redis).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_search_pairs_and_windows")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]

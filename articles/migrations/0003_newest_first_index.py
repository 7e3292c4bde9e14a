"""An index in the list's own order on PostgreSQL, where NULLS LAST must match to be used.

The article list shows undated articles last (published_at DESC NULLS LAST), which the model's
article_newest_idx (DESC, so NULLS FIRST on PostgreSQL) cannot serve: on 100,000 articles the
first page took a full scan and sort. SQLite sorts NULLs last in DESC order anyway.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX article_list_order_idx ON articles_article "
            "(published_at DESC NULLS LAST, created_at DESC, id DESC)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_list_order_idx")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]

"""A PostgreSQL function for search's one hard query: the newest N matches, ranked.

The planner takes testing `search_vector @@ query` row after row (a sequential scan, or the
primary key backwards for ORDER BY id DESC LIMIT n) to be cheap; with a tsvector of a few
thousand lexemes per article (word pairs, migration 0006) it is not: 26 ms for 1,500 articles,
while the GIN index answers in under 1 ms. The planner chose it whenever the index had a pending
list (fresh imports) or the table had no statistics yet. Search used to say so with SET LOCAL in
a transaction of its own (four round trips); a function's SET clause says it for its one query,
and the rank comes back with the ids. The newest ids are sorted alone, and only those rows'
vectors read to rank them: sorting the rows with their vectors (2.5 kB each) took longer than
finding them.
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION articles_newest_matches(query tsquery, wanted integer, source text DEFAULT NULL)
RETURNS TABLE (id bigint, rank real)
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
SET enable_indexscan = off
AS $$
    SELECT a.id, ts_rank(a.search_vector, query) FROM articles_article a
    WHERE a.id = ANY(ARRAY(
        SELECT m.id FROM articles_article m
        WHERE m.search_vector @@ query AND (source IS NULL OR m.source_name = source)
        ORDER BY m.id DESC LIMIT wanted
    ))
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS articles_newest_matches(tsquery, integer, text)"
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_cache_tables")]

    operations = [migrations.RunPython(forwards, backwards)]

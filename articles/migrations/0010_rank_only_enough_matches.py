"""articles_newest_matches ranks a window's matches only if they are enough, when asked.

Search looks for the newest 1,001 matches in the newest window of ids first, then in a wider
one. Ranking reads each match's vector from TOAST (about 7 buffers each): at 100,000 articles
a phrase of three common words ranked the 500 matches of its first window, found too few, and
ranked 1,001 again in the second, the first ranking spent for nothing. With `short_ranked`
false, a window that comes up short returns its ids with no rank (search only counts them).
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION articles_newest_matches(
    query tsquery, wanted integer, source text DEFAULT NULL, short_ranked boolean DEFAULT true
)
RETURNS TABLE (id bigint, rank real)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET enable_seqscan = off
SET enable_indexscan = off
AS $$
DECLARE
    found bigint[] := ARRAY(
        SELECT m.id FROM articles_article m
        WHERE m.search_vector @@ query AND (source IS NULL OR m.source_name = source)
        ORDER BY m.id DESC LIMIT wanted
    );
BEGIN
    IF cardinality(found) < wanted AND NOT short_ranked THEN
        RETURN QUERY SELECT unnest(found), NULL::real;
    ELSE
        RETURN QUERY SELECT a.id, ts_rank(a.search_vector, query)
            FROM articles_article a WHERE a.id = ANY(found);
    END IF;
END
$$
"""
PREVIOUS = """
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
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS articles_newest_matches(tsquery, integer, text)"
        )
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS articles_newest_matches(tsquery, integer, text, boolean)"
        )
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_search_word_triples")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Let PostgreSQL's GIN index answer a phrase of three words by itself, as it does one of two.

A phrase of the commonest words ("said X government") asked for its two pairs and rechecked
every row holding both: at 100,000 articles 9,253 rows, 7,699 of them without the phrase, each
one's 5 kB vector read from TOAST (240 ms). Each article's tsvector now also holds each run of
three adjacent words ('said~dates~govern'), so a three-word phrase is one lexeme, answered by
the index with no recheck, and a longer one asks for its triples, which nearly only its own
rows hold. A body longer than 60,000 characters gets no triples but the lexeme '~long' (a
tsvector holds at most 1 MB, which the triples of a long text of long words would pass), and
queries accept its pairs and a recheck instead: `'a~b~c' | '~long' & 'a~b' & 'b~c' & phrase`.

The vector is stored with lz4, which PostgreSQL reads several times faster than pglz: ranking
reads the vectors of the newest 1,001 matches. SQLite's FTS5 needs none of it.
"""

from django.db import migrations

TRIPLES = """
CREATE FUNCTION claimlens_word_triples(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH w AS (SELECT lexeme, unnest(positions) AS p FROM unnest(vector))
    SELECT coalesce(array_to_tsvector(
        array_agg(DISTINCT a.lexeme || '~' || b.lexeme || '~' || c.lexeme)
    ), '')
    FROM w a JOIN w b ON b.p = a.p + 1 JOIN w c ON c.p = a.p + 2
    WHERE octet_length(a.lexeme) + octet_length(b.lexeme) + octet_length(c.lexeme) < 2040
$$
"""
DOCUMENT = """
CREATE OR REPLACE FUNCTION articles_search_document(title text, body text, id bigint)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(t, 'A') || setweight(b, 'B')
        || claimlens_word_pairs(t) || claimlens_word_pairs(b)
        {triples}
        || array_to_tsvector(ARRAY['~w' || (id / 4096)])
    FROM to_tsvector('english'::regconfig, coalesce(title, '')) t,
         to_tsvector('english'::regconfig, left(coalesce(body, ''), 250000)) b
$$
"""
# The stored vectors are computed anew (a function's new body does not recompute them).
COLUMN = [
    "DROP INDEX IF EXISTS article_search_idx",
    """
    ALTER TABLE articles_article DROP COLUMN search_vector,
    ADD COLUMN search_vector tsvector {compression} GENERATED ALWAYS AS (
        articles_search_document(title, body_text, id)
    ) STORED,
    ALTER COLUMN search_vector SET STORAGE MAIN
    """,
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)",
]


def _lz4(cursor) -> bool:
    """Return whether this PostgreSQL was built with lz4 (it is optional)."""
    cursor.execute(
        "SELECT count(*) FROM pg_settings "
        "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    )
    return cursor.fetchone()[0] == 1


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        compression = "COMPRESSION lz4" if _lz4(cursor) else ""
    schema_editor.execute(TRIPLES)
    triples = (
        "|| claimlens_word_triples(t) || CASE WHEN length(coalesce(body, '')) <= 60000 "
        "THEN claimlens_word_triples(b) ELSE array_to_tsvector(ARRAY['~long']) END"
    )
    schema_editor.execute(DOCUMENT.format(triples=triples))
    for sql in COLUMN:
        schema_editor.execute(sql.format(compression=compression))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DOCUMENT.format(triples=""))
    for sql in COLUMN:
        schema_editor.execute(sql.format(compression=""))
    schema_editor.execute("DROP FUNCTION IF EXISTS claimlens_word_triples(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_newest_matches_function")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Let PostgreSQL's GIN index answer phrase queries and "newest first" windows by itself.

The tsvector gains two kinds of lexemes no typed word can produce (both contain "~"):
- each pair of adjacent words ('govern~minist'): a phrase query also asks for its pairs, so
  the index hands over only rows that hold the phrase's pairs, and the phrase is rechecked on
  those, instead of on every row holding all its words (98,000 of 100,000 for common words);
- the article's window of 4,096 ids ('~w24'): search asks for the newest windows first, so a
  word found in nearly every article is looked up among a few thousand rows inside the index,
  not as a bitmap over the whole table.
claimlens_word_pairs() is kept for the annotations' index too. SQLite's FTS5 needs none of it.
"""

from django.db import migrations

PAIRS = """
CREATE FUNCTION claimlens_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH w AS (SELECT lexeme, unnest(positions) AS p FROM unnest(vector))
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || '~' || b.lexeme)), '')
    FROM w a JOIN w b ON b.p = a.p + 1
$$
"""
DOCUMENT = """
CREATE FUNCTION articles_search_document(title text, body text, id bigint) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(t, 'A') || setweight(b, 'B')
        || claimlens_word_pairs(t) || claimlens_word_pairs(b)
        || array_to_tsvector(ARRAY['~w' || (id / 4096)])
    FROM to_tsvector('english'::regconfig, coalesce(title, '')) t,
         to_tsvector('english'::regconfig, left(coalesce(body, ''), 250000)) b
$$
"""
FORWARDS = [
    PAIRS,
    DOCUMENT,
    "DROP INDEX IF EXISTS article_search_idx",
    """
    ALTER TABLE articles_article DROP COLUMN search_vector,
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        articles_search_document(title, body_text, id)
    ) STORED,
    ALTER COLUMN search_vector SET STORAGE MAIN
    """,
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS article_search_idx",
    """
    ALTER TABLE articles_article DROP COLUMN search_vector,
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, left(coalesce(body_text, ''), 250000)), 'B')
    ) STORED,
    ALTER COLUMN search_vector SET STORAGE MAIN
    """,
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)",
    "DROP FUNCTION IF EXISTS articles_search_document(text, text, bigint)",
    "DROP FUNCTION IF EXISTS claimlens_word_pairs(tsvector)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_import_jobs_and_feeds")]

    operations = [migrations.RunPython(forwards, backwards)]

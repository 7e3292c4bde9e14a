"""Full-text search index, one per database backend; neither is part of the model state.

PostgreSQL: a stored generated tsvector column (title weighted A, body B, English stemming) with
a GIN index, so every write path, bulk_create included, keeps it current.
SQLite: an external-content FTS5 table (porter stemming) kept in sync by triggers.
"""

from django.db import migrations

# A tsvector holds at most 1 MB of lexemes; 250,000 characters (< 1 MB even at 4 bytes each)
# is far longer than any news article, so indexing stops there rather than failing the write.
# Stored in the row (MAIN), not in the TOAST table: search tests and ranks the vector on
# thousands of rows, and fetching each from TOAST made that ~10x slower on 100,000 articles.
# One ALTER TABLE, so that the rewrite which fills the column already stores it that way.
POSTGRES_FORWARDS = [
    """
    ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, left(coalesce(body_text, ''), 250000)), 'B')
    ) STORED,
    ALTER COLUMN search_vector SET STORAGE MAIN
    """,
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        title, body_text, content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title, body_text)
        VALUES (new.id, new.title, new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF title, body_text
    ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
        INSERT INTO articles_article_fts(rowid, title, body_text)
        VALUES (new.id, new.title, new.body_text);
    END
    """,
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]

STATEMENTS = {
    "postgresql": (POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}


def _run(schema_editor, direction):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # Other databases have no full-text index; search falls back to nothing.
    for sql in statements[direction]:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, 0)


def backwards(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

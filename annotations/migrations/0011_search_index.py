"""Full-text indexes of annotations (quote, note, tags) and claims (statement, claimant,
rationale, evidence titles), one per database backend; neither is part of the model state.

What is indexed spans tables (an annotation's tag names, a claim's evidence titles), so the
database keeps it current with triggers, whichever way a row is written:
PostgreSQL: a search_vector column (weights A: note, tags, statement, claimant; B: quote,
rationale; C: evidence titles; plus word pairs for phrases, see articles' migration 0006)
with a GIN index. SQLite: an FTS5 table (porter stemming) per model, keyed by its id.
"""

from django.db import migrations

ANNOTATION_DOCUMENT = """
CREATE FUNCTION annotations_annotation_document(annotation bigint, quote text, note text)
RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(n, 'A') || setweight(t, 'A') || setweight(q, 'B')
        || claimlens_word_pairs(n) || claimlens_word_pairs(q)
    FROM to_tsvector('english'::regconfig, coalesce(note, '')) n,
         to_tsvector('english'::regconfig, coalesce(quote, '')) q,
         to_tsvector('english'::regconfig, coalesce((
            SELECT string_agg(l.name, ' ') FROM annotations_label l
            JOIN annotations_annotation_labels al ON al.label_id = l.id
            WHERE al.annotation_id = annotation), '')) t
$$
"""
CLAIM_DOCUMENT = """
CREATE FUNCTION annotations_claim_document(claim bigint, title text, claimant text,
                                           rationale text)
RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(s, 'A') || setweight(c, 'A') || setweight(r, 'B') || setweight(e, 'C')
        || claimlens_word_pairs(s) || claimlens_word_pairs(r)
    FROM to_tsvector('english'::regconfig, coalesce(title, '')) s,
         to_tsvector('english'::regconfig, coalesce(claimant, '')) c,
         to_tsvector('english'::regconfig, coalesce(rationale, '')) r,
         to_tsvector('english'::regconfig, coalesce((
            SELECT string_agg(title, ' ') FROM annotations_evidence
            WHERE claim_id = claim), '')) e
$$
"""


def _refresh(table: str, document: str, where: str) -> str:
    return f"UPDATE {table} SET search_vector = {document} WHERE {where}"


ANNOTATION_DOC = "annotations_annotation_document(id, exact, note)"
CLAIM_DOC = "annotations_claim_document(id, title, claimant, rationale)"
LABELLED = "id IN (SELECT annotation_id FROM annotations_annotation_labels WHERE label_id = NEW.id)"

POSTGRES_FORWARDS = [
    "ALTER TABLE annotations_annotation ADD COLUMN search_vector tsvector",
    "ALTER TABLE annotations_claim ADD COLUMN search_vector tsvector",
    ANNOTATION_DOCUMENT,
    CLAIM_DOCUMENT,
    """
    CREATE FUNCTION annotations_annotation_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := annotations_annotation_document(NEW.id, NEW.exact, NEW.note);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER annotations_annotation_search BEFORE INSERT OR UPDATE OF exact, note
    ON annotations_annotation FOR EACH ROW EXECUTE FUNCTION annotations_annotation_search()
    """,
    f"""
    CREATE FUNCTION annotations_annotation_tags_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            {_refresh("annotations_annotation", ANNOTATION_DOC, "id = OLD.annotation_id")};
        ELSE
            {_refresh("annotations_annotation", ANNOTATION_DOC, "id = NEW.annotation_id")};
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER annotations_annotation_tags_search AFTER INSERT OR DELETE
    ON annotations_annotation_labels
    FOR EACH ROW EXECUTE FUNCTION annotations_annotation_tags_search()
    """,
    f"""
    CREATE FUNCTION annotations_label_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_refresh("annotations_annotation", ANNOTATION_DOC, LABELLED)};
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER annotations_label_search AFTER UPDATE OF name ON annotations_label
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION annotations_label_search()
    """,
    """
    CREATE FUNCTION annotations_claim_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := annotations_claim_document(
            NEW.id, NEW.title, NEW.claimant, NEW.rationale);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER annotations_claim_search
    BEFORE INSERT OR UPDATE OF title, claimant, rationale ON annotations_claim
    FOR EACH ROW EXECUTE FUNCTION annotations_claim_search()
    """,
    f"""
    CREATE FUNCTION annotations_evidence_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            {_refresh("annotations_claim", CLAIM_DOC, "id = OLD.claim_id")};
        ELSE
            {_refresh("annotations_claim", CLAIM_DOC, "id = NEW.claim_id")};
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER annotations_evidence_search AFTER INSERT OR DELETE OR UPDATE OF title
    ON annotations_evidence FOR EACH ROW EXECUTE FUNCTION annotations_evidence_search()
    """,
    _refresh("annotations_annotation", ANNOTATION_DOC, "TRUE"),
    _refresh("annotations_claim", CLAIM_DOC, "TRUE"),
    "CREATE INDEX annotation_search_idx ON annotations_annotation USING gin (search_vector)",
    "CREATE INDEX claim_search_idx ON annotations_claim USING gin (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS annotations_evidence_search ON annotations_evidence",
    "DROP TRIGGER IF EXISTS annotations_claim_search ON annotations_claim",
    "DROP TRIGGER IF EXISTS annotations_label_search ON annotations_label",
    "DROP TRIGGER IF EXISTS annotations_annotation_tags_search ON annotations_annotation_labels",
    "DROP TRIGGER IF EXISTS annotations_annotation_search ON annotations_annotation",
    "DROP FUNCTION IF EXISTS annotations_evidence_search()",
    "DROP FUNCTION IF EXISTS annotations_claim_search()",
    "DROP FUNCTION IF EXISTS annotations_label_search()",
    "DROP FUNCTION IF EXISTS annotations_annotation_tags_search()",
    "DROP FUNCTION IF EXISTS annotations_annotation_search()",
    "DROP FUNCTION IF EXISTS annotations_claim_document(bigint, text, text, text)",
    "DROP FUNCTION IF EXISTS annotations_annotation_document(bigint, text, text)",
    "ALTER TABLE annotations_claim DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS search_vector",
]

TAGS = (
    "(SELECT group_concat(l.name, ' ') FROM annotations_label l "
    "JOIN annotations_annotation_labels al ON al.label_id = l.id WHERE al.annotation_id = {})"
)
EVIDENCE = "(SELECT group_concat(title, ' ') FROM annotations_evidence WHERE claim_id = {})"
PUT_ANNOTATION = (
    "INSERT INTO annotations_annotation_fts(rowid, quote, note, tags) "
    f"VALUES (new.id, new.exact, new.note, {TAGS.format('new.id')})"
)
PUT_CLAIM = (
    "INSERT INTO annotations_claim_fts(rowid, statement, claimant, rationale, evidence) "
    f"VALUES (new.id, new.title, new.claimant, new.rationale, {EVIDENCE.format('new.id')})"
)
FTS_OPTIONS = "tokenize='porter unicode61 remove_diacritics 2'"

SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE annotations_annotation_fts USING fts5(quote, note, tags, {FTS_OPTIONS})",
    "CREATE VIRTUAL TABLE annotations_claim_fts USING fts5("
    f"statement, claimant, rationale, evidence, {FTS_OPTIONS})",
    f"""
    CREATE TRIGGER annotations_annotation_fts_insert AFTER INSERT ON annotations_annotation
    BEGIN {PUT_ANNOTATION}; END
    """,
    f"""
    CREATE TRIGGER annotations_annotation_fts_update AFTER UPDATE OF exact, note
    ON annotations_annotation BEGIN
        DELETE FROM annotations_annotation_fts WHERE rowid = old.id; {PUT_ANNOTATION};
    END
    """,
    """
    CREATE TRIGGER annotations_annotation_fts_delete AFTER DELETE ON annotations_annotation
    BEGIN DELETE FROM annotations_annotation_fts WHERE rowid = old.id; END
    """,
    f"""
    CREATE TRIGGER annotations_annotation_tags_fts_insert AFTER INSERT
    ON annotations_annotation_labels BEGIN
        UPDATE annotations_annotation_fts SET tags = {TAGS.format("new.annotation_id")}
        WHERE rowid = new.annotation_id;
    END
    """,
    f"""
    CREATE TRIGGER annotations_annotation_tags_fts_delete AFTER DELETE
    ON annotations_annotation_labels BEGIN
        UPDATE annotations_annotation_fts SET tags = {TAGS.format("old.annotation_id")}
        WHERE rowid = old.annotation_id;
    END
    """,
    f"""
    CREATE TRIGGER annotations_label_fts_update AFTER UPDATE OF name ON annotations_label
    BEGIN
        UPDATE annotations_annotation_fts SET tags = {TAGS.format("annotations_annotation_fts.rowid")}
        WHERE rowid IN (SELECT annotation_id FROM annotations_annotation_labels
                        WHERE label_id = new.id);
    END
    """,
    f"""
    CREATE TRIGGER annotations_claim_fts_insert AFTER INSERT ON annotations_claim
    BEGIN {PUT_CLAIM}; END
    """,
    f"""
    CREATE TRIGGER annotations_claim_fts_update AFTER UPDATE OF title, claimant, rationale
    ON annotations_claim BEGIN
        DELETE FROM annotations_claim_fts WHERE rowid = old.id; {PUT_CLAIM};
    END
    """,
    """
    CREATE TRIGGER annotations_claim_fts_delete AFTER DELETE ON annotations_claim
    BEGIN DELETE FROM annotations_claim_fts WHERE rowid = old.id; END
    """,
    *(
        f"""
        CREATE TRIGGER annotations_evidence_fts_{event.split()[0].lower()}
        AFTER {event} ON annotations_evidence BEGIN
            UPDATE annotations_claim_fts SET evidence = {EVIDENCE.format(f"{row}.claim_id")}
            WHERE rowid = {row}.claim_id;
        END
        """
        for event, row in (("INSERT", "new"), ("DELETE", "old"), ("UPDATE OF title", "new"))
    ),
    "INSERT INTO annotations_annotation_fts(rowid, quote, note, tags) "
    f"SELECT id, exact, note, {TAGS.format('annotations_annotation.id')} "
    "FROM annotations_annotation",
    "INSERT INTO annotations_claim_fts(rowid, statement, claimant, rationale, evidence) "
    f"SELECT id, title, claimant, rationale, {EVIDENCE.format('annotations_claim.id')} "
    "FROM annotations_claim",
]
SQLITE_BACKWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "annotations_evidence_fts_update",
            "annotations_evidence_fts_delete",
            "annotations_evidence_fts_insert",
            "annotations_claim_fts_delete",
            "annotations_claim_fts_update",
            "annotations_claim_fts_insert",
            "annotations_label_fts_update",
            "annotations_annotation_tags_fts_delete",
            "annotations_annotation_tags_fts_insert",
            "annotations_annotation_fts_delete",
            "annotations_annotation_fts_update",
            "annotations_annotation_fts_insert",
        )
    ),
    "DROP TABLE IF EXISTS annotations_claim_fts",
    "DROP TABLE IF EXISTS annotations_annotation_fts",
]

STATEMENTS = {
    "postgresql": (POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}


def _run(schema_editor, direction):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # Other databases have no full-text index; search finds nothing there.
    for sql in statements[direction]:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, 0)


def backwards(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0010_one_thread_per_claim"),
        ("articles", "0006_search_pairs_and_windows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

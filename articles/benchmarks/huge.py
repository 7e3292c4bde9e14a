"""Seed a million articles on PostgreSQL with COPY, for `manage.py bench --huge`.

bulk_create makes a Python object and an INSERT row per article and the Markdown-free generator
writes every sentence anew: about an hour for 1,000,000. Here the articles are drawn from a
pool of generated paragraphs (same Zipf vocabulary, so the words' frequencies are those of the
normal bench) and streamed with COPY; the search index is built once at the end instead of
being updated row by row.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from datetime import UTC, datetime, timedelta

from django.db import connection

from ..rendering import WORDS_PER_MINUTE
from ..services import STORED_FIELDS
from .seeding import SOURCES, TextGenerator, prerendered_body

POOL = 20_000  # distinct paragraphs; an article takes 4 to 9 of them
COLUMNS = (
    *STORED_FIELDS,
    "body_html",
    "body_text",
    "word_count",
    "reading_minutes",
    "content_hash",
    "revision_number",
    "created_at",
    "updated_at",
)
STREAMS = 2  # COPY connections in parallel (the machine's cores)
# Built after the load: one sort instead of a million incremental inserts into the index.
INDEXES = ("article_search_idx", "article_list_order_idx")


def copy_articles(count: int, *, generator: TextGenerator, progress=None) -> None:
    """Insert `count` generated articles with COPY, then rebuild the search and list indexes."""
    if connection.vendor != "postgresql":
        raise RuntimeError("--huge seeds with PostgreSQL's COPY: set DATABASE_URL")
    rng = generator.rng
    paragraphs = [generator.paragraph() for _ in range(POOL)]
    titles = [generator.title() for _ in range(POOL)]
    start = datetime(2000, 1, 1, tzinfo=UTC)
    now = datetime.now(tz=UTC)
    with connection.cursor() as cursor:
        definitions = _index_definitions(cursor)
        for name in definitions:
            cursor.execute(f"DROP INDEX {name}")
    started = time.perf_counter()
    # Each row's tsvector (words, pairs, triples) is computed by the server as it is copied:
    # that, not Python, is the cost, so the rows go to STREAMS connections, one server
    # process each. They are made here, in one thread, so the text is the same every time.
    # (Inside a transaction, other connections would wait for its locks: one stream, its own.)
    shared = connection.in_atomic_block
    queues = [queue.Queue(maxsize=2_000) for _ in range(1 if shared else STREAMS)]
    streams = [_Stream(rows, connection.connection if shared else None) for rows in queues]
    for stream in streams:
        stream.start()
    for n in range(count):
        chosen = rng.sample(paragraphs, rng.randint(4, 9))
        html, text = prerendered_body(chosen)
        words = text.count(" ") + len(chosen)
        title = titles[n % POOL] if n % 7 else generator.title()
        queues[n % len(queues)].put(
            (
                title,
                "",
                "",
                SOURCES[n % len(SOURCES)],
                f"https://bench.example/huge/{n}",
                start + timedelta(minutes=7 * n),
                "en",
                text,
                html,
                text,
                words,
                max(1, math.ceil(words / WORDS_PER_MINUTE)),
                f"{n:064x}",
                1,
                now,
                now,
            )
        )
        if progress and n and n % 100_000 == 0:
            progress(f"{n:,} rows made, {time.perf_counter() - started:.0f} s")
    for rows in queues:
        rows.put(None)
    for stream in streams:
        stream.join()
        if stream.error:
            raise stream.error
    if progress:
        progress(f"{count:,} rows copied, {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for definition in definitions.values():
            cursor.execute(definition)
        if progress:
            progress(f"indexes rebuilt, {time.perf_counter() - started:.0f} s")
        if not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE articles_article")
        else:
            cursor.execute("ANALYZE articles_article")


def _index_definitions(cursor) -> dict[str, str]:
    """Return the CREATE INDEX statements of the indexes rebuilt after the load."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE tablename = 'articles_article' AND indexname = ANY(%s)",
        [list(INDEXES)],
    )
    return dict(cursor.fetchall())


class _Stream(threading.Thread):
    """One COPY on a connection of its own, fed rows through a queue until it gets None."""

    def __init__(self, rows: queue.Queue, raw=None):
        super().__init__(daemon=True)
        self.rows, self.shared = rows, raw
        self.error: BaseException | None = None

    def run(self) -> None:
        raw = self.shared or connection.get_new_connection(connection.get_connection_params())
        sql = f"COPY articles_article ({', '.join(COLUMNS)}) FROM STDIN"
        try:
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                while (row := self.rows.get()) is not None:
                    copy.write_row(row)
            if not self.shared:
                raw.commit()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self.error = error
            while self.rows.get() is not None:  # let the producer finish
                pass
        finally:
            if not self.shared:
                raw.close()

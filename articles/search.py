"""Full-text search over articles' titles and bodies: ranked, with highlighted snippets.

One entry point, search_articles(), on either database. The index itself is made by migration
0002 and kept current by the database (a generated column on PostgreSQL, triggers on SQLite),
so every write path, bulk_create included, keeps it in step without any hook.
"""

from __future__ import annotations

import html
import re

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .querysets import ArticleQuerySet
from .search_syntax import fts5_query, rechecked, with_word_pairs

# with_word_pairs and fts5_query live in search_syntax; they are still imported from here.
__all__ = ["fts5_query", "full_text_query", "highlight", "search_articles", "with_word_pairs"]

# Private-use characters stand in for <mark> until the snippet has been escaped.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)
MAX_QUERY_LENGTH = 200
MAX_RESULTS = 1000
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0  # SQLite bm25; PostgreSQL uses weights A and B


class SearchResults:
    """The ranked matches of one query; Paginator slices it and only that page is fetched.

    At most MAX_RESULTS are offered, and `capped` says there were more. On PostgreSQL the
    ranking considers the MAX_RESULTS most recently added matches (all of them when there are
    fewer), so that a word found in most of a large collection still answers in milliseconds.
    """

    def __init__(self, query: str, *, source: str | None = None):
        self.query = " ".join(query.split())[:MAX_QUERY_LENGTH]
        self.source = source or None
        self._capped = False
        self._count: int | None = None
        self._ranked: list[tuple[int, float]] | None = None
        self.last_candidates: tuple[str, list] | None = None  # PostgreSQL: the last SQL run

    def count(self) -> int:
        if self._count is None:
            found = _backend().count(self) if self.query else 0
            self._capped = found > MAX_RESULTS
            self._count = min(found, MAX_RESULTS)
        return self._count

    @property
    def capped(self) -> bool:
        """Return whether more than MAX_RESULTS articles matched."""
        self.count()
        return self._capped

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            page = self[index : index + 1]
            if not page:
                raise IndexError(index)
            return page[0]
        start = index.start or 0
        stop = MAX_RESULTS if index.stop is None else min(index.stop, MAX_RESULTS)
        if not self.query or stop <= start:
            return []
        return _backend().page(self, start, stop - start)

    def __iter__(self):
        return iter(self[:])


def search_articles(query: str, *, source: str | None = None) -> SearchResults:
    """Return the articles matching `query`, best first, each with .rank and .snippet."""
    return SearchResults(query, source=source)


def full_text_query(query: str) -> str:
    """Return `query` in the configured database's own full-text syntax ("" finds nothing).

    The one translation every index uses (articles here, annotations and claims in their app):
    on PostgreSQL a tsquery (websearch_to_tsquery, its phrases asking for their word pairs:
    one query), on SQLite an FTS5 expression (fts5_query, no query).
    """
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {PostgresSearch.TSQUERY}::text", [query])
            return with_word_pairs(cursor.fetchone()[0])
    return fts5_query(query)


def best_matches_sql(queries: list[str], *, each: int) -> tuple[str, list]:
    """Return (sql, params) selecting the ids of the `each` best matches of every query.

    For a subquery (pk__in=RawSQL(...)): one round trip for several searches, ranked as
    search_articles ranks them (PostgreSQL: among the newest MAX_RESULTS + 1 matches), with
    no snippets. The queries are plain words, all required; "" finds nothing.
    """
    parts, params = [], []
    for query in queries:
        query = " ".join(query.split())[:MAX_QUERY_LENGTH]
        if connection.vendor == "postgresql" and query:
            parts.append(
                "SELECT id FROM (SELECT id FROM articles_newest_matches("  # noqa: S608
                f"{PostgresSearch.TSQUERY}, %s) ORDER BY rank DESC, id DESC LIMIT %s) p"
            )
            params += [query, MAX_RESULTS + 1, each]
        elif connection.vendor == "sqlite" and fts5_query(query):
            table = SqliteSearch.TABLE
            parts.append(
                f"SELECT id FROM (SELECT a.id {SqliteSearch.FROM} WHERE {table} MATCH %s "  # noqa: S608
                f"ORDER BY bm25({table}, %s, %s), a.published_at IS NULL, "
                "a.published_at DESC, a.id DESC LIMIT %s)"
            )
            params += [fts5_query(query), TITLE_WEIGHT, BODY_WEIGHT, each]
    if not parts:
        return "SELECT id FROM articles_article WHERE 1 = 0", []
    return " UNION ".join(parts), params


def highlight(raw: str) -> SafeString:
    """Return a snippet escaped as HTML, its START/STOP-marked terms wrapped in <mark>."""
    escaped = html.escape(raw, quote=False)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped).replace(START, "").replace(STOP, "")
    return mark_safe(marked)  # noqa: S308 - everything but our own <mark> is escaped above


def _backend():
    if connection.vendor == "postgresql":
        return PostgresSearch
    if connection.vendor == "sqlite":
        return SqliteSearch
    raise NotImplementedError(f"no full-text search on {connection.vendor}")


def _list_columns(alias: str) -> str:
    """Return the SELECT list of the columns the article list shows."""
    names = ["id", *ArticleQuerySet.LIST_FIELDS]
    return ", ".join(f"{alias}.{connection.ops.quote_name(name)}" for name in names)


class PostgresSearch:
    """websearch_to_tsquery (English stemming) on the GIN-indexed search_vector column."""

    TSQUERY = "websearch_to_tsquery('english', %s)"
    QUERY = f"WITH q AS (SELECT {TSQUERY} AS q)"
    # The query's stemmed lexemes, leaving out excluded ones, to find the first match.
    TERMS = (
        "terms AS (SELECT coalesce(array_agg(m[2]), '{}') AS t FROM q, "
        "regexp_matches(querytree(q.q), '(!?)''((?:[^'']|'''')+)''', 'g') m WHERE m[1] = '')"
    )
    # Where the first of them occurs; a stem may end differently in the text ("studi" for
    # "study"), so its last letter is not required.
    FIRST_MATCH = (
        "coalesce((SELECT min(nullif(strpos(lower(a.body_text), "
        "CASE WHEN length(t) > 4 THEN left(t, -1) ELSE t END), 0)) FROM unnest(terms.t) t), 1)"
    )
    # ts_headline parses all the text it is given, which costs more than the search itself;
    # so it gets a window around the first match (starting at a word) instead of the body.
    WINDOW = (
        f"CASE WHEN {FIRST_MATCH} > 120 "
        f"THEN regexp_replace(substr(a.body_text, {FIRST_MATCH} - 120, 480), '^\\S*\\s+', '') "
        "ELSE left(a.body_text, 480) END"
    )
    HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12"

    # Candidates are sought among the newest articles first: a word found in most articles
    # then touches a few thousand rows, not all of them. Each article's tsvector names its
    # window of WINDOW_IDS ids (migration 0006), so the GIN index itself narrows to a window.
    FIRST_WINDOW = 4_000
    # A query the index cannot answer alone (a phrase operator left: a stop word inside, or
    # four words and more) has every row it hands over rechecked, the vector read from TOAST;
    # "said of the government" holds in most articles, so the newest window alone is enough.
    FIRST_WINDOW_RECHECKED = 1_000
    WINDOW_IDS = 4_096
    # What articles_newest_matches runs (with enable_seqscan and enable_indexscan off), to
    # show its plan: the function's own EXPLAIN is one line.
    CANDIDATES = (
        "SELECT a.id, ts_rank(a.search_vector, %s::tsquery) FROM articles_article a "
        "WHERE a.id = ANY(ARRAY(SELECT m.id FROM articles_article m "
        "WHERE m.search_vector @@ %s::tsquery AND (%s::text IS NULL OR m.source_name = %s) "
        "ORDER BY m.id DESC LIMIT %s))"
    )

    @classmethod
    def ranked(cls, results: SearchResults) -> list[tuple[int, float]]:
        """Return (id, rank) of up to MAX_RESULTS + 1 matches, best first; computed once.

        The candidates are the MAX_RESULTS + 1 most recently added matches, sought in the
        newest FIRST_WINDOW ids, then in a window sized by how often the first one matched,
        then everywhere (three tries at most), by articles_newest_matches (migrations 0008,
        0010), which ranks them too (the last try's only) and only ever lets the GIN index
        find them: a search is two to
        four round trips, and no transaction.
        """
        if results._ranked is not None:
            return results._ranked
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {cls.TSQUERY}::text, min(id), max(id) FROM articles_article",  # noqa: S608
                [results.query],
            )
            tsquery, first, last = cursor.fetchone()
            tsquery = with_word_pairs(tsquery, pair_alone=True, triples=True)
            if not tsquery or last is None:
                results._ranked = []
                return results._ranked
            wanted = MAX_RESULTS + 1
            window = cls.FIRST_WINDOW_RECHECKED if rechecked(tsquery) else cls.FIRST_WINDOW
            tries = 0
            while True:
                floor = last - window if last - window > first else 0
                query, source = cls._in_window(tsquery, floor, last), results.source
                # A window that comes up short is only counted: its ranks would be wasted.
                cursor.execute(
                    "SELECT id, rank FROM articles_newest_matches(%s::tsquery, %s, %s, %s) "
                    "ORDER BY rank DESC, id DESC",
                    [query, wanted, source, query == tsquery],
                )
                ranked = cursor.fetchall()
                explained = [query, query, source, source, wanted]
                results.last_candidates = (cls.CANDIDATES, explained)  # for EXPLAIN
                tries += 1
                if len(ranked) >= wanted or query == tsquery:  # enough, or all were sought
                    break
                # Enough room, at the rate this window matched, with half as much to spare;
                # the third try is everywhere, so a search is never more than five queries.
                # The rate is over the ids the windows named hold, from the first id of the
                # oldest (up to 4,095 more than `window` asked for, which once made the second
                # try too small nearly every time, and the third look at everything).
                searched = last - floor // cls.WINDOW_IDS * cls.WINDOW_IDS + 1
                window = last
                if ranked and tries < 2:
                    window = int(searched * wanted / len(ranked) * 1.5)
        results._ranked = ranked
        return results._ranked

    @classmethod
    def _in_window(cls, tsquery: str, floor: int, last: int) -> str:
        """Return tsquery limited to the windows holding ids floor..last (all ids: unlimited).

        Past half the table a window saves nothing: the words are rare enough by then.
        """
        if floor == 0 or (last - floor) > last // 2:
            return tsquery
        windows = range(floor // cls.WINDOW_IDS, last // cls.WINDOW_IDS + 1)
        named = " | ".join(f"'~w{n}'" for n in windows)
        return f"({tsquery}) & ({named})"

    @classmethod
    def count(cls, results: SearchResults) -> int:
        return len(cls.ranked(results))

    @classmethod
    def page(cls, results: SearchResults, offset: int, limit: int) -> list[Article]:
        ranked = cls.ranked(results)[offset : offset + limit]
        if not ranked:
            return []
        sql = (
            f"{cls.QUERY}, {cls.TERMS} SELECT {_list_columns('a')}, "  # noqa: S608 - ditto
            f"ts_headline('english', {cls.WINDOW}, q.q, %s) AS raw_snippet "
            "FROM articles_article a, q, terms WHERE a.id = ANY(%s)"
        )
        params = [results.query, cls.HEADLINE_OPTIONS, [pk for pk, _ in ranked]]
        articles = {article.pk: article for article in Article.objects.raw(sql, params)}
        page = []
        for pk, rank in ranked:
            article = articles[pk]
            article.rank = rank
            article.snippet = highlight(article.raw_snippet)
            page.append(article)
        return page


class SqliteSearch:
    """FTS5 with the porter stemmer, ranked by bm25 with the title weighted up."""

    TABLE = "articles_article_fts"
    FROM = f"FROM {TABLE} JOIN articles_article a ON a.id = {TABLE}.rowid"

    @classmethod
    def _where(cls, results: SearchResults) -> tuple[str, list] | None:
        match = fts5_query(results.query)
        if not match:
            return None
        if results.source:
            return f"{cls.TABLE} MATCH %s AND a.source_name = %s", [match, results.source]
        return f"{cls.TABLE} MATCH %s", [match]

    @classmethod
    def count(cls, results: SearchResults) -> int:
        where = cls._where(results)
        if where is None:
            return 0
        sql = f"SELECT count(*) FROM (SELECT 1 {cls.FROM} WHERE {where[0]} LIMIT %s)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*where[1], MAX_RESULTS + 1])
            return cursor.fetchone()[0]

    @classmethod
    def page(cls, results: SearchResults, offset: int, limit: int) -> list[Article]:
        where = cls._where(results)
        if where is None:
            return []
        # Rank first, then make snippets for the page only: SQLite would otherwise compute
        # snippet() for every match before sorting.
        sql = (
            f"SELECT {_list_columns('a')}, r.score, "  # noqa: S608 - values are params
            f"snippet({cls.TABLE}, 1, %s, %s, ' … ', 24) AS raw_snippet FROM ("
            f"SELECT a.id, bm25({cls.TABLE}, %s, %s) AS score, a.published_at {cls.FROM} "
            f"WHERE {where[0]} ORDER BY score, a.published_at IS NULL, a.published_at DESC, "
            "a.id DESC LIMIT %s OFFSET %s) r "
            f"JOIN {cls.TABLE} ON {cls.TABLE}.rowid = r.id JOIN articles_article a ON a.id = r.id "
            f"WHERE {cls.TABLE} MATCH %s "
            "ORDER BY r.score, r.published_at IS NULL, r.published_at DESC, r.id DESC"
        )
        params = [START, STOP, TITLE_WEIGHT, BODY_WEIGHT, *where[1], limit, offset, where[1][0]]
        page = list(Article.objects.raw(sql, params))
        for article in page:
            article.rank = -article.score  # bm25 is lower for better matches
            article.snippet = highlight(article.raw_snippet)
        return page

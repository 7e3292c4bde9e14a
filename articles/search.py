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
        self.capped = False
        self._count: int | None = None
        self._ranked: list[tuple[int, float]] | None = None

    def count(self) -> int:
        if self._count is None:
            found = _backend().count(self) if self.query else 0
            self.capped = found > MAX_RESULTS
            self._count = min(found, MAX_RESULTS)
        return self._count

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
    FIRST_MATCH = (
        "coalesce((SELECT min(nullif(strpos(lower(a.body_text), t), 0)) FROM unnest(terms.t) t), 1)"
    )
    # ts_headline parses all the text it is given, which costs more than the search itself;
    # so it gets a window around the first match (starting at a word) instead of the body.
    WINDOW = (
        f"CASE WHEN {FIRST_MATCH} > 120 "
        f"THEN regexp_replace(substr(a.body_text, {FIRST_MATCH} - 120, 480), '^\\S*\\s+', '') "
        "ELSE left(a.body_text, 480) END"
    )
    HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12"

    @classmethod
    def ranked(cls, results: SearchResults) -> list[tuple[int, float]]:
        """Return (id, rank) of up to MAX_RESULTS + 1 matches, best first; one query, kept.

        The tsquery is written out, not shared through a CTE, so that the planner sees how
        common its words are: a rare word is looked up in the GIN index, a common one is
        checked on the newest articles until enough match.
        """
        if results._ranked is None:
            source = "AND source_name = %s" if results.source else ""
            sql = (
                f"SELECT id, ts_rank(search_vector, {cls.TSQUERY}) AS rank "  # noqa: S608 - params
                "FROM (SELECT id, search_vector FROM articles_article "
                f"WHERE search_vector @@ {cls.TSQUERY} {source} "
                "ORDER BY id DESC LIMIT %s) AS candidates ORDER BY rank DESC, id DESC"
            )
            params = [results.query, results.query, *([results.source] if results.source else [])]
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, MAX_RESULTS + 1])
                results._ranked = cursor.fetchall()
        return results._ranked

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
        sql = (
            f"SELECT {_list_columns('a')}, bm25({cls.TABLE}, %s, %s) AS score, "  # noqa: S608
            f"snippet({cls.TABLE}, 1, %s, %s, ' … ', 24) AS raw_snippet "
            f"{cls.FROM} WHERE {where[0]} "
            "ORDER BY score, a.published_at IS NULL, a.published_at DESC, a.id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [TITLE_WEIGHT, BODY_WEIGHT, START, STOP, *where[1], limit, offset]
        page = list(Article.objects.raw(sql, params))
        for article in page:
            article.rank = -article.score  # bm25 is lower for better matches
            article.snippet = highlight(article.raw_snippet)
        return page


_FTS_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """Translate a web-search style query into FTS5 syntax that can never be malformed.

    Like PostgreSQL's websearch_to_tsquery: words are all required, "quoted words" form a
    phrase, `or` between two terms accepts either, a leading `-` excludes a term. Everything
    else (FTS5 operators, column filters, stray quotes and brackets) is taken as plain words.
    """
    required: list[str] = []
    excluded: list[str] = []
    pending_or = False
    for match in _FTS_TERM.finditer(query):
        negated, phrase, bare = match.groups()
        if bare is not None:
            negated = "-" if bare.startswith("-") else ""
            if bare.lower() == "or" and required:
                pending_or = True
                continue
        words = _WORD.findall(phrase if phrase is not None else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            excluded.append(term)
        elif pending_or:
            required[-1] = f"{required[-1]} OR {term}"
            pending_or = False
        else:
            required.append(term)
    if not required:
        return ""
    positive = " AND ".join(f"({term})" for term in required)
    return " NOT ".join([positive, *excluded]) if excluded else positive

"""Full-text search over articles' titles and bodies: ranked, with highlighted snippets.

One entry point, search_articles(), on either database. The index itself is made by migration
0002 and kept current by the database (a generated column on PostgreSQL, triggers on SQLite),
so every write path, bulk_create included, keeps it in step without any hook.
"""

from __future__ import annotations

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F
from django.utils.safestring import SafeString, mark_safe

from .models import Article

# Private-use characters stand in for <mark> until the snippet has been escaped.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)
MAX_QUERY_LENGTH = 200
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0  # SQLite bm25; PostgreSQL uses weights A and B


class SearchResults:
    """The ranked matches of one query; Paginator slices it and only that page is fetched."""

    def __init__(self, query: str, *, source: str | None = None):
        self.query = " ".join(query.split())[:MAX_QUERY_LENGTH]
        self.source = source or None
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = _backend().count(self) if self.query else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            page = self[index : index + 1]
            if not page:
                raise IndexError(index)
            return page[0]
        start, stop = index.start or 0, index.stop
        if not self.query or (stop is not None and stop <= start):
            return []
        return _backend().page(self, start, None if stop is None else stop - start)

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


class _SearchVectorColumn(Expression):
    """The generated search_vector column, which the model does not declare."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{connection.ops.quote_name(Article._meta.db_table)}.search_vector", []


class PostgresSearch:
    @staticmethod
    def queryset(results: SearchResults):
        query = SearchQuery(results.query, search_type="websearch", config="english")
        # alias(), not annotate(): the vector is matched in the index, never fetched.
        articles = Article.objects.for_list().alias(search=_SearchVectorColumn())
        articles = articles.filter(search=query)
        if results.source:
            articles = articles.filter(source_name=results.source)
        return articles, query

    @classmethod
    def count(cls, results: SearchResults) -> int:
        return cls.queryset(results)[0].count()

    @classmethod
    def page(cls, results: SearchResults, offset: int, limit: int | None) -> list[Article]:
        articles, query = cls.queryset(results)
        articles = articles.annotate(
            rank=SearchRank(_SearchVectorColumn(), query),
            # PostgreSQL computes this costly function after the LIMIT, for one page only.
            raw_snippet=SearchHeadline(
                "body_text",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        ).order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")
        page = list(articles[offset : None if limit is None else offset + limit])
        for article in page:
            article.snippet = highlight(article.raw_snippet)
        return page


class SqliteSearch:
    TABLE = "articles_article_fts"

    @classmethod
    def _where(cls, results: SearchResults) -> tuple[str, list] | None:
        match = fts5_query(results.query)
        if not match:
            return None
        sql = f"{cls.TABLE} MATCH %s"  # noqa: S608 - constant table name, values are params
        params = [match]
        if results.source:
            sql += " AND a.source_name = %s"
            params.append(results.source)
        return sql, params

    @classmethod
    def count(cls, results: SearchResults) -> int:
        where = cls._where(results)
        if where is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {cls.TABLE} JOIN articles_article a "  # noqa: S608
                f"ON a.id = {cls.TABLE}.rowid WHERE {where[0]}",
                where[1],
            )
            return cursor.fetchone()[0]

    @classmethod
    def page(cls, results: SearchResults, offset: int, limit: int | None) -> list[Article]:
        where = cls._where(results)
        if where is None:
            return []
        sql = (
            f"SELECT a.id, bm25({cls.TABLE}, %s, %s) AS score, "  # noqa: S608
            f"snippet({cls.TABLE}, 1, %s, %s, ' … ', 24) "
            f"FROM {cls.TABLE} JOIN articles_article a ON a.id = {cls.TABLE}.rowid "
            f"WHERE {where[0]} "
            "ORDER BY score, a.published_at IS NULL, a.published_at DESC, a.id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [TITLE_WEIGHT, BODY_WEIGHT, START, STOP, *where[1], limit or -1, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        articles = Article.objects.for_list().in_bulk([pk for pk, _, _ in rows])
        page = []
        for pk, score, snippet in rows:
            article = articles[pk]
            article.rank = -score  # bm25 is lower for better matches
            article.snippet = highlight(snippet)
            page.append(article)
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

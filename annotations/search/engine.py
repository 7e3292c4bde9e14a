"""Full-text search over annotations (quote, note, tags) and claims (statement, claimant,
rationale, evidence titles), with the engine the articles use (articles.search).

The indexes are migration 0011's: a trigger-kept tsvector with a GIN index on PostgreSQL, FTS5
tables on SQLite. A query is translated once (full_text_query); each kind then narrows a
queryset that already says who may see what (visible_to) and the page's filters. Only the
newest MAX_RESULTS matches are ranked, so a word found everywhere costs the same as a rare one,
and every list is a fixed number of queries (a count, a page, its prefetches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL

from articles.search import MAX_RESULTS, START, STOP, highlight


@dataclass(frozen=True)
class Index:
    """One model's full-text index: its table, FTS5 table, and the texts snippets show."""

    table: str
    fts_table: str
    weights: tuple[float, ...]  # bm25's, one per FTS5 column; PostgreSQL's are in the vector
    snippets: tuple[tuple[str, int, str], ...]  # (name, FTS5 column, PostgreSQL text)


ANNOTATIONS = Index(
    table="annotations_annotation",
    fts_table="annotations_annotation_fts",
    weights=(1.0, 4.0, 4.0),  # quote, note, tags
    snippets=(
        ("quote", 0, "annotations_annotation.exact"),
        ("note", 1, "annotations_annotation.note"),
    ),
)
CLAIMS = Index(
    table="annotations_claim",
    fts_table="annotations_claim_fts",
    weights=(4.0, 4.0, 1.0, 0.5),  # statement, claimant, rationale, evidence
    snippets=(
        ("statement", 0, "annotations_claim.title"),
        ("claimant", 1, "annotations_claim.claimant"),
        ("rationale", 2, "annotations_claim.rationale"),
        (
            "evidence",
            3,
            "coalesce((SELECT string_agg(e.title, ' · ') FROM annotations_evidence e "
            "WHERE e.claim_id = annotations_claim.id), '')",
        ),
    ),
)
_PAIR = re.compile(r"'(?:[^']|'')*~(?:[^']|'')*' & ")
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12"


def matching(queryset: QuerySet, index: Index, prepared: str) -> QuerySet:
    """Return the newest MAX_RESULTS rows of queryset that match, with rank and raw snippets.

    `prepared` is articles.search.full_text_query's translation ("" matches nothing).
    """
    if not prepared:
        nothing = {f"raw_{name}": Value("") for name, _, _ in index.snippets}
        return queryset.none().annotate(rank=Value(0.0), **nothing)
    found = queryset.filter(_match(index, prepared))
    candidates = found.order_by("-pk").values("pk")[:MAX_RESULTS]
    ranked = queryset.model._default_manager.filter(pk__in=candidates)
    return ranked.annotate(rank=_rank(index, prepared), **_snippets(index, prepared))


def dress(rows, index: Index) -> list:
    """Turn each row's raw snippets into safe HTML, marked where the query matched."""
    for row in rows:
        for name, _, _ in index.snippets:
            raw = getattr(row, f"raw_{name}") or ""
            setattr(row, f"{name}_snippet", highlight(raw) if START in raw else None)
    return rows


def _sql(sql: str, params: list, field) -> RawSQL:
    """Return SQL written here: the names in it are this module's, every value a parameter."""
    return RawSQL(sql, params, output_field=field)  # noqa: S611


def _match(index: Index, prepared: str):
    if connection.vendor == "postgresql":
        sql = f"{index.table}.search_vector @@ %s::tsquery"
        return _sql(sql, [prepared], BooleanField())
    if connection.vendor == "sqlite":
        fts = index.fts_table
        sql = f"{index.table}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"  # noqa: S608
        return _sql(sql, [prepared], BooleanField())
    return _sql("1 = 0", [], BooleanField())


def _rank(index: Index, prepared: str) -> RawSQL:
    if connection.vendor == "postgresql":
        sql = f"ts_rank({index.table}.search_vector, %s::tsquery)"
        return _sql(sql, [prepared], FloatField())
    # bm25 is lower for better matches; negated, higher is better on both databases.
    weights = ", ".join(str(weight) for weight in index.weights)
    sql = (
        f"(SELECT -bm25({index.fts_table}, {weights}) FROM {index.fts_table} "  # noqa: S608
        f"WHERE {index.fts_table} MATCH %s AND rowid = {index.table}.id)"
    )
    return _sql(sql, [prepared], FloatField())


def _snippets(index: Index, prepared: str) -> dict[str, RawSQL]:
    snippets = {}
    for name, column, text in index.snippets:
        if connection.vendor == "postgresql":
            sql = f"ts_headline('english', {text}, %s::tsquery, %s)"
            # The word pairs are in the index only: ts_headline looks for the words.
            params = [_PAIR.sub("", prepared), HEADLINE_OPTIONS]
        else:
            sql = (
                f"(SELECT snippet({index.fts_table}, {column}, %s, %s, ' … ', 24) "  # noqa: S608
                f"FROM {index.fts_table} WHERE {index.fts_table} MATCH %s "
                f"AND rowid = {index.table}.id)"
            )
            params = [START, STOP, prepared]
        snippets[f"raw_{name}"] = _sql(sql, params, TextField())
    return snippets

"""A new article and its first revision, inserted in one statement (PostgreSQL) or two.

An import creates both in its own transaction. On PostgreSQL each statement is a round trip
to the server, which under load waits for the server's process to be scheduled: one statement
(a data-modifying WITH) saves one, and it also carries the transaction's setting not to wait
for the disk at commit (services.commit_without_waiting) instead of a SET of its own. SQLite,
in the same process, has neither round trips nor WITH ... INSERT: two plain saves.

The rows are written as Model.save() writes them (Django's own insert compiler: every field's
pre_save, auto_now included, and its database value), but, as with bulk_create, no pre_save or
post_save signal is sent: the article's own signal, article_created, is what is listened to.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery

from .models import Article, ArticleRevision

# What the revision's article_id is in the one statement: the id the article's INSERT
# returned, read after the setting (if any) is made, so that both are done once, in order.
_NEW_ARTICLE_ID = "(SELECT new_article.id FROM new_article{quick})"
_QUICK = "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)), "


def insert_article(article: Article, revision: ArticleRevision, *, quick: bool = False) -> None:
    """Insert a new `article` and its first `revision` (its article set by this), as save() does.

    With `quick` (PostgreSQL), the transaction commits without waiting for the disk.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":  # `quick` is PostgreSQL's alone
        article.save(force_insert=True)
        revision.article = article
        revision.save(force_insert=True)
        return
    article_sql, article_params = _insert_sql(article, [Article._meta.pk], connection)
    new_article_id = _NEW_ARTICLE_ID.format(quick=", quick" if quick else "")  # constants only
    revision.article_id = RawSQL(new_article_id, ())  # noqa: S611
    revision_field = ArticleRevision._meta.get_field("article")
    revision_sql, revision_params = _insert_sql(
        revision, [ArticleRevision._meta.pk, revision_field], connection
    )
    sql = (_QUICK if quick else "WITH ") + f"new_article AS ({article_sql}) {revision_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*article_params, *revision_params])
        revision_id, article_id = cursor.fetchone()
    for obj, pk in ((article, article_id), (revision, revision_id)):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    revision.article = article


def _insert_sql(obj, returning: list, connection) -> tuple[str, tuple]:
    """Return (sql, params) of the INSERT that save() would run for `obj`, RETURNING these."""
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key and not f.generated]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = returning
    ((sql, params),) = compiler.as_sql()
    return sql, tuple(params)

"""article_store() against the real database: a known source URL, inside and outside a transaction.

A new article is inserted without looking its URL up first; when the unique URL refuses the
insert, the article that holds it is revised instead. These tests guard that path.
"""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from articles.models import Article, ArticleRevision
from articles.services import CREATED, UNCHANGED, UPDATED, article_store

URL = "https://harbourledger.example/news/2024/05/dredging"


def store(body: str):
    return article_store(title="Dredging resumes", body_markdown=body, source_url=URL)


def revision_numbers() -> list[int]:
    return list(ArticleRevision.objects.order_by("number").values_list("number", flat=True))


@pytest.mark.django_db
def test_a_known_url_inside_a_transaction_leaves_that_transaction_usable():
    """On PostgreSQL the refused insert must be undone to its savepoint, not abort the caller."""
    with transaction.atomic():
        first = store("The dredger arrived on Monday.")
        again = store("The dredger arrived on Monday.")
        changed = store("The dredger arrived on Tuesday.")
        assert [first.status, again.status, changed.status] == [CREATED, UNCHANGED, UPDATED]
        assert again.article.pk == changed.article.pk == first.article.pk
        assert Article.objects.count() == 1  # would fail in an aborted transaction
    assert revision_numbers() == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_known_url_outside_a_transaction_is_revised_not_duplicated():
    first = store("The dredger arrived on Monday.")
    again = store("The dredger arrived on Monday.")
    changed = store("The dredger arrived on Tuesday.")
    assert [first.status, again.status, changed.status] == [CREATED, UNCHANGED, UPDATED]
    assert Article.objects.get().body_text == "The dredger arrived on Tuesday."
    assert revision_numbers() == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_clash_that_is_not_the_urls_is_raised_and_saves_nothing():
    ghost = get_user_model()(pk=999_999)  # an importer who no longer exists
    with pytest.raises(IntegrityError):
        article_store(
            title="Dredging resumes",
            body_markdown="The dredger arrived on Monday.",
            source_url=URL,
            imported_by=ghost,
        )
    assert (Article.objects.count(), ArticleRevision.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_url_stored_meanwhile_by_another_import_becomes_a_new_revision():
    """The other import commits while this one waits on the URL: this one revises its article.

    On PostgreSQL the other import holds its transaction open until this one is seen waiting
    for the URL's index entry. SQLite runs one writer at a time, so there the two run in turn.
    """
    if connection.vendor == "postgresql":
        other, stored, waited = {}, threading.Event(), threading.Event()
        thread = threading.Thread(target=_store_until_waited_on, args=(other, stored, waited))
        thread.start()
        assert stored.wait(timeout=30) and "result" in other, "the other import failed"
        mine = store("The dredger arrived on Tuesday.")
        thread.join(timeout=30)
        assert waited.is_set(), "this import never waited for the other's URL"
        other = other["result"]
    else:
        other = store("The dredger arrived on Monday.")
        mine = store("The dredger arrived on Tuesday.")
    assert other.status == CREATED
    assert mine.status == UPDATED
    assert mine.article.pk == other.article.pk
    assert revision_numbers() == [1, 2]


def _store_until_waited_on(other: dict, stored: threading.Event, waited: threading.Event):
    """Store an article in a transaction kept open until some other writer waits on it."""
    try:
        with transaction.atomic():
            other["result"] = store("The dredger arrived on Monday.")
            stored.set()
            deadline = time.monotonic() + 20
            while not waited.is_set() and time.monotonic() < deadline:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                    if cursor.fetchone()[0]:
                        waited.set()
                time.sleep(0.01)
    finally:
        stored.set()
        connection.close()  # the thread's own connection


@pytest.mark.django_db
def test_a_new_article_and_its_revision_are_written_as_save_writes_them():
    """insert_article writes both rows in one statement on PostgreSQL, through Django's insert
    compiler: what is read back is exactly the instances returned, field by field."""
    editor = get_user_model().objects.create_user(username="editor")
    stored = article_store(
        title="Dredging resumes",
        subtitle="At last",
        byline="A. Reporter",
        body_markdown="The dredger *arrived* on Monday.",
        source_url=URL,
        language="",
        imported_by=editor,
    )
    assert stored.status == CREATED
    article = stored.article
    assert not article._state.adding and article.pk
    assert (article.language, article.revision_number) == ("en", 1)  # defaults filled in
    assert article.created_at and article.updated_at  # auto_now_add, auto_now
    (revision,) = ArticleRevision.objects.filter(article=article)
    assert (revision.number, revision.created_by) == (1, editor) and revision.created_at
    again = Article.objects.get(pk=article.pk)
    for field in Article._meta.concrete_fields:
        assert getattr(again, field.attname) == getattr(article, field.attname), field.name
    for name in ("title", "subtitle", "byline", "body_markdown", "body_html", "body_text"):
        assert getattr(revision, name) == getattr(article, name), name
    assert revision.content_hash == article.content_hash
    assert article.revisions.get().pk == revision.pk

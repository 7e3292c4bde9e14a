import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.importers import ArticleDraft, html_pages
from articles.imports import (
    UNEXPECTED,
    ImportSource,
    import_items,
    import_sources,
    read_sources,
    source_from_text,
    source_from_url,
    sources_from_path,
    validate_draft,
)
from articles.models import Article
from articles.signals import article_created
from tests.factories import make_article

from .conftest import FIXTURES, counts, fixture_bytes

pytestmark = pytest.mark.django_db

MOORING_URL = "https://harbourledger.example/news/2024/05/mooring-charges"


def source(name):
    return ImportSource(name, data=fixture_bytes(name))


def test_importing_creates_then_reports_unchanged():
    first = import_sources(sources=[source("harbour-council.md"), source("gravel-road.txt")])
    assert [r.status for r in first.results] == ["created", "created"]
    assert counts() == (2, 2)
    again = import_sources(sources=[source("harbour-council.md"), source("gravel-road.txt")])
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    assert [r.article_id for r in again.results] == [r.article_id for r in first.results]
    assert counts() == (2, 2)


def test_changed_content_for_the_same_url_is_a_new_revision():
    import_sources(sources=[source("harbour-council.md")])
    changed = fixture_bytes("harbour-council.md").replace(b"by a quarter", b"by a third")
    report = import_sources(sources=[ImportSource("harbour-council.md", data=changed)])
    (result,) = report.results
    assert result.status == "updated"
    article = Article.objects.get(source_url=MOORING_URL)
    assert article.revision_number == 2
    assert "by a third" in article.body_text
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]
    assert "by a quarter" in article.revisions.get(number=1).body_text


def test_an_article_can_be_given_the_content_of_a_file():
    article = make_article(title="Placeholder")
    report = import_sources(sources=[source("gravel-road.txt")], article=article)
    assert report.results[0].status == "updated"
    article.refresh_from_db()
    assert article.title.startswith("Residents say “enough”")
    assert article.revisions.count() == 2


def test_an_article_takes_only_one_item():
    article = make_article()
    report = import_sources(
        sources=[source("gravel-road.txt"), source("harbour-council.md")], article=article
    )
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert "only one item can update article" in report.results[0].reason
    assert counts() == (1, 1)


def test_an_article_cannot_take_another_articles_url():
    other = make_article(source_url=MOORING_URL)
    target = make_article()
    (result,) = import_sources(sources=[source("harbour-council.md")], article=target).results
    assert result.status == "failed"
    assert result.reason == f"its source URL belongs to another article (id {other.pk})"


def test_each_item_is_all_or_nothing():
    """An item that fails while being stored leaves no article and no revision behind.

    It fails once its row and its revision are written (in one statement on PostgreSQL), as
    the receivers of article_created (the claim suggestions) work in the same transaction.
    """

    def failing_receiver(sender, article, **kwargs):
        assert article.pk and article.revisions.count() == 1  # both written by now
        if article.title == "Breaks after its revision":
            raise RuntimeError("disk full")

    article_created.connect(failing_receiver, dispatch_uid="test.all_or_nothing")
    try:
        report = import_sources(
            sources=[
                source_from_text("# Fine one\n\nText one.", format="md"),
                source_from_text("# Breaks after its revision\n\nText two.", format="md"),
                source_from_text("", format="md"),
                source_from_text("# Fine two\n\nText three.", format="md"),
            ]
        )
    finally:
        article_created.disconnect(dispatch_uid="test.all_or_nothing")
    assert [r.status for r in report.results] == ["created", "failed", "failed", "created"]
    assert report.results[1].reason == UNEXPECTED
    assert report.results[2].reason == "the file is empty"
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Fine one", "Fine two"]
    assert counts() == (2, 2)


def test_a_dry_run_reports_what_would_happen_and_saves_nothing():
    existing = make_article(source_url=MOORING_URL, title="Old", body="Old text.")
    changed_twice = fixture_bytes("harbour-council.md").replace(b"by a quarter", b"by half")
    report = import_sources(
        sources=[
            source("gravel-road.txt"),
            source("harbour-council.md"),
            ImportSource("again.md", data=changed_twice),
            source("no-article.html"),
        ],
        dry_run=True,
    )
    assert [(r.status, r.article_id) for r in report.results] == [
        ("created", None),
        ("updated", existing.pk),
        ("updated", existing.pk),  # the batch's own earlier item is taken into account
        ("failed", None),
    ]
    assert report.summary() == (
        "Dry run, nothing saved: 1 created, 0 unchanged, 2 updated, 1 failed."
    )
    assert counts() == (1, 1)
    existing.refresh_from_db()
    assert existing.title == "Old"


@pytest.mark.parametrize("name", ["hostile.md", "hostile-page.html"])
def test_import_sanitises_bodies_and_titles(name):
    (result,) = import_sources(sources=[source(name)]).results
    article = Article.objects.get(pk=result.article_id)
    lowered = article.body_html.lower()
    for forbidden in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "<iframe"):
        assert forbidden not in lowered
    assert "<" not in article.title and "alert" not in article.title
    assert article.body_text  # the text around the removed markup is kept


def test_hostile_markdown_title_keeps_only_its_words():
    (result,) = import_sources(sources=[source("hostile.md")]).results
    assert result.title == "Council accounts published"


def test_validation_explains_what_is_wrong():
    long_first_line = ("A sentence that runs on and on. " * 20 + "\n\nBody.").encode()
    report = import_sources(
        sources=[
            ImportSource("long.txt", data=long_first_line),
            source_from_text("---\ntitle: T\nurl: ftp://files.example/a\n---\nBody.", format="md"),
            source_from_text("---\ntitle: T\n---\n<script>only()</script>", format="md"),
        ]
    )
    reasons = [r.reason for r in report.results]
    assert reasons[0].startswith("the title is 639 characters long, more than 500")
    assert reasons[1] == "the source URL 'ftp://files.example/a' is not an http(s) URL"
    assert reasons[2] == "the article has no body text"
    assert counts() == (0, 0)


def test_validation_fits_long_metadata_instead_of_failing():
    draft = validate_draft(
        ArticleDraft(
            title=" A  <b>title</b> ",
            body_markdown="Body.",
            byline="Reporter " * 60,
            language="not a language!",
        )
    )
    assert draft.title == "A title"
    assert len(draft.byline) <= 300 and draft.byline.endswith("…")
    assert draft.language == ""


def test_a_url_is_fetched_and_imported(web_server):
    (result,) = import_sources(sources=[source_from_url(f"{web_server}/article.html")]).results
    assert result.status == "created"
    article = Article.objects.get(pk=result.article_id)
    # The page's canonical URL, not where it happened to be served from.
    assert article.source_url == "https://harbourledger.example/news/2024/03/tidewater-ferry-fares"
    assert article.byline == "Miriam Okonjo"


def test_a_plain_text_url_keeps_its_address(web_server):
    (result,) = import_sources(sources=[source_from_url(f"{web_server}/notes.txt")]).results
    assert Article.objects.get(pk=result.article_id).source_url == f"{web_server}/notes.txt"


def test_a_url_that_fails_is_reported_by_its_address(web_server):
    url = f"{web_server}/image.png"
    (result,) = import_sources(sources=[source_from_url(url)]).results
    assert result.line() == (
        f"failed: {url}: this is not a web page or text (its content type is image/png)"
    )


def test_an_unexpected_parser_error_is_reported_not_raised(monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(html_pages.trafilatura, "bare_extraction", explode)
    (result,) = import_sources(sources=[source("tidewater-ferry.html")]).results
    assert (result.status, result.reason) == ("failed", UNEXPECTED)
    assert "KeyError" in caplog.text  # the traceback is in the log, for the admins


def test_folders_are_walked_for_article_files(tmp_path):
    (tmp_path / "nested" / ".hidden").mkdir(parents=True)
    (tmp_path / "a.md").write_bytes(fixture_bytes("harbour-council.md"))
    (tmp_path / "nested" / "b.txt").write_bytes(fixture_bytes("gravel-road.txt"))
    (tmp_path / "nested" / ".hidden" / "c.txt").write_text("Hidden\n\nNot imported.")
    (tmp_path / "nested" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".notes.txt").write_text("Hidden\n\nNot imported.")
    names = [s.name for s in sources_from_path(tmp_path)]
    assert names == [str(tmp_path / "a.md"), str(tmp_path / "nested" / "b.txt")]


def test_an_empty_folder_is_reported(tmp_path):
    (only,) = sources_from_path(tmp_path)
    assert only.error == "the folder holds no .txt, .md, .html, .json or .zip files"


def test_every_fixture_imports():
    paths = [p for p in sorted(FIXTURES.iterdir()) if p.name != "no-article.html"]
    report = import_sources(sources=[ImportSource(p.name, data=p.read_bytes()) for p in paths])
    assert not report.failed, [r.line() for r in report.failed]


def test_a_body_nested_deeper_than_parsers_go_is_flattened_with_every_word():
    deep = source_from_text("# Title\n\n" + "- " * 3000 + "x", format="md")
    report = import_sources(sources=[deep])
    assert not report.results[0].failed
    assert Article.objects.get().body_text.endswith("- - x")


def test_an_unexpected_validation_error_is_reported_not_raised(monkeypatch):
    def explode(body_markdown):
        raise MemoryError

    monkeypatch.setattr("articles.imports.checking.render_markdown_body", explode)
    (result,) = import_sources(sources=[source("gravel-road.txt")]).results
    assert (result.status, result.reason) == ("failed", UNEXPECTED)


def test_files_are_read_only_when_the_batch_is_read(tmp_path):
    path = tmp_path / "later.md"
    path.write_bytes(fixture_bytes("harbour-council.md"))
    (found,) = sources_from_path(path)
    assert found.data is None
    path.unlink()
    (result,) = import_sources(sources=[found]).results
    assert result.line() == f"failed: {path}: there is no such file or folder"


@pytest.mark.django_db(transaction=True)
def test_a_new_article_is_stored_in_one_transaction_without_a_savepoint():
    """Its row, its first revision, its claim suggestions (the annotations app's receiver: one
    INSERT, as the article is new) and the look for copies: nothing else, no savepoint.

    (Each statement is a round trip to a database server; under load each costs milliseconds.)
    """
    make_article(title="Already here", body="Ferry fares rise along the harbour.")
    (item,) = read_sources([source("tidewater-ferry.html")])
    with CaptureQueriesContext(connection) as queries:
        (result,) = import_items(items=[item]).results
    assert result.status == "created"
    statements = [query["sql"] for query in queries.captured_queries]
    words = [sql.split()[0].upper() for sql in statements]
    assert not any(word in ("SAVEPOINT", "RELEASE", "ROLLBACK") for word in words)
    work = [sql for sql in statements if sql.split()[0].upper() not in ("BEGIN", "COMMIT")]
    if connection.vendor == "postgresql":
        # The article and its revision in one statement (waiting for the disk, by default).
        both = work.pop(0)
        assert both.startswith("WITH new_article AS (INSERT INTO")
        assert 'new_article AS (INSERT INTO "articles_article"' in both
        assert ') INSERT INTO "articles_articlerevision"' in both
    else:
        assert [sql.split()[0] + " " + sql.split()[2].strip('"') for sql in work[:2]] == [
            "INSERT articles_article",
            "INSERT articles_articlerevision",
        ]
        work = work[2:]
    assert work[0].startswith('INSERT INTO "annotations_suggestion"')
    assert work[1].startswith("SELECT") and len(work) == 2


def _synchronous_commit(store) -> str:
    """Return PostgreSQL's synchronous_commit inside the transaction that `store()` creates an
    article in, and check that it ends with that transaction ("" on SQLite, which has none)."""
    seen = []

    def look(sender, article, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                seen.append(cursor.fetchone()[0])
        else:
            seen.append("")

    article_created.connect(look, dispatch_uid="test.synchronous_commit")
    try:
        with CaptureQueriesContext(connection) as queries:
            store()
    finally:
        article_created.disconnect(dispatch_uid="test.synchronous_commit")
    statements = [query["sql"] for query in queries.captured_queries]
    quick = any(
        "SET LOCAL synchronous_commit TO off" in sql
        or "set_config('synchronous_commit', 'off', true)" in sql
        for sql in statements
    )
    assert seen and quick == (seen[0] == "off")  # the setting comes from that statement alone
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"  # SET LOCAL: that transaction's only
    return seen[0]


@pytest.mark.django_db(transaction=True)
def test_an_imported_item_commits_without_waiting_for_the_disk_only_when_asked(settings):
    """By default an import waits for the disk like every write; CLAIMLENS_IMPORT_WAIT_FOR_DISK
    off makes an import's own transaction (PostgreSQL: synchronous_commit off) not wait, but
    never an edit or an item inside a caller's transaction (a job's)."""
    quick = "off" if connection.vendor == "postgresql" else ""
    waits = "on" if connection.vendor == "postgresql" else ""

    def import_one(name):
        return lambda: import_sources(sources=[source_from_text(f"{name}\n\nThe ferry is late.")])

    assert _synchronous_commit(import_one("Durable")) == waits
    settings.CLAIMLENS_IMPORT_WAIT_FOR_DISK = False
    assert _synchronous_commit(import_one("Imported")) == quick
    assert (
        _synchronous_commit(lambda: services.article_store(title="Edited", body_markdown="Hi."))
        == waits
    )

    def in_a_job():
        with transaction.atomic():
            import_one("In a job")()

    assert _synchronous_commit(in_a_job) == waits

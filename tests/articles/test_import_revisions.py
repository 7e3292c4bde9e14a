"""Re-importing an article makes a revision of it; a near copy under another URL is a duplicate.

An item revises an article when it has its URL; without a URL, when it has its content or its
title and source name; or when the person importing chose that article (admin preview, command).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from articles.imports import NEW, ImportSource, import_items, import_sources, read_sources
from articles.models import Article
from tests.factories import make_article

from .admin_import_page import confirm, preview, rows, upload
from .conftest import counts, fixture_bytes
from .test_import_command import run

pytestmark = pytest.mark.django_db

GRAVEL = fixture_bytes("gravel-road.txt")
GRAVEL_TITLE = "Residents say “enough” as gravel trucks return to Millbrook Lane"
CORRECTED = GRAVEL.replace(b"forty-one lorries", b"thirty-nine lorries")
HARBOUR = fixture_bytes("harbour-council.md")
HARBOUR_URL = b"https://harbourledger.example/news/2024/05/mooring-charges"
# The same story syndicated under another address, one figure changed.
MIRROR = HARBOUR.replace(HARBOUR_URL, b"https://mirror.example/mooring").replace(
    b"by a quarter", b"by a third"
)


def txt(name, data):
    return ImportSource(name, data=data)


# --- Matching an item to the article it revises --------------------------------------------


def test_a_corrected_txt_without_url_is_a_revision_of_its_article():
    (first,) = import_sources(sources=[txt("gravel-road.txt", GRAVEL)]).results
    (again,) = import_sources(sources=[txt("gravel-road-v2.txt", CORRECTED)]).results
    assert (again.status, again.article_id, again.match) == (
        "updated",
        first.article_id,
        "title and source",
    )
    assert again.line() == (
        f"updated: {GRAVEL_TITLE} (id {first.article_id}), matched by its title and source"
    )
    assert counts() == (1, 2)


def test_an_item_without_url_is_matched_in_one_query():
    """Its identical article, else those of its title and source: one look-up, whichever it
    finds (an unchanged item then ends there; a changed one goes on to be stored)."""
    (first,) = import_sources(sources=[txt("gravel-road.txt", GRAVEL)]).results
    for data, status in ((GRAVEL, "unchanged"), (CORRECTED, "updated")):
        (item,) = read_sources([txt("gravel-road.txt", data)])
        with CaptureQueriesContext(connection) as queries:
            (result,) = import_items(items=[item]).results
        assert (result.status, result.article_id) == (status, first.article_id)
        statements = [query["sql"] for query in queries.captured_queries]
        lookups = [
            sql
            for sql in statements
            if sql.startswith("SELECT") and ('"content_hash" =' in sql or '"title" =' in sql)
        ]
        assert len(lookups) == 1 and '"source_name" =' in lookups[0]
    article = Article.objects.get()
    assert "thirty-nine lorries" in article.body_text
    assert "forty-one lorries" in article.revisions.get(number=1).body_text


def test_the_same_title_under_another_source_is_a_new_article():
    make_article(title=GRAVEL_TITLE, source_name="The Millbrook Gazette")
    (result,) = import_sources(sources=[txt("gravel-road.txt", GRAVEL)]).results
    assert result.status == "created"
    assert counts() == (2, 2)


def test_several_articles_with_that_title_and_source_ask_for_a_choice():
    one = make_article(title=GRAVEL_TITLE)
    two = make_article(title=GRAVEL_TITLE)
    (result,) = import_sources(sources=[txt("gravel-road.txt", CORRECTED)]).results
    assert result.status == "failed"
    assert f"articles {one.pk}, {two.pk} all have this title and source" in result.reason
    assert [c.article_id for c in result.choices] == [one.pk, two.pk]
    assert counts() == (2, 2)
    # Choosing one of them makes the item its revision.
    items = read_sources([txt("gravel-road.txt", CORRECTED)])
    (chosen,) = import_items(items=items, choices=[two.pk]).results
    assert (chosen.status, chosen.article_id) == ("updated", two.pk)
    two.refresh_from_db()
    assert (two.revision_number, "thirty-nine lorries" in two.body_text) == (2, True)


def test_choosing_new_keeps_the_article_apart():
    import_sources(sources=[txt("gravel-road.txt", GRAVEL)])
    items = read_sources([txt("gravel-road-v2.txt", CORRECTED)])
    (result,) = import_items(items=items, choices=[NEW]).results
    assert result.status == "created"
    assert counts() == (2, 2)


def test_choosing_new_for_a_url_that_is_taken_says_whose_it_is():
    (first,) = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results
    changed = HARBOUR.replace(b"by a quarter", b"by a third")
    items = read_sources([txt("harbour-council.md", changed)])
    (result,) = import_items(items=items, choices=[NEW]).results
    assert result.status == "failed"
    assert result.reason == (
        f"its source URL belongs to article {first.article_id}, so it can only be a new "
        "revision of that article"
    )
    assert counts() == (1, 1)


def test_choosing_an_article_that_is_gone_is_explained():
    items = read_sources([txt("gravel-road.txt", GRAVEL)])
    (result,) = import_items(items=items, choices=[987654]).results
    assert (result.status, result.reason) == (
        "failed",
        "there is no article with id 987654 to revise",
    )


# --- Possible duplicates -------------------------------------------------------------------


def test_a_near_copy_under_another_url_is_a_duplicate_and_not_imported():
    (original,) = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results
    import_sources(sources=[txt("gravel-road.txt", GRAVEL)])  # unrelated: never flagged
    (mirror,) = import_sources(sources=[txt("mirror.md", MIRROR)]).results
    assert (mirror.status, mirror.article_id) == ("duplicate", None)
    assert [d.article_id for d in mirror.duplicates] == [original.article_id]
    (duplicate,) = mirror.duplicates
    assert 90 <= duplicate.score < 100
    assert mirror.line() == (
        f"duplicate: mirror.md: not imported, duplicate of article {original.article_id} "
        f"“{original.title}” ({duplicate.score} % alike)"
    )
    assert counts() == (2, 2)  # nothing of the copy was kept
    assert not Article.objects.filter(source_url="https://mirror.example/mooring").exists()


def test_a_duplicate_can_still_be_imported_as_a_separate_article_or_a_revision():
    (original,) = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results
    (separate,) = import_items(
        items=read_sources([txt("mirror.md", MIRROR)]), choices=[NEW]
    ).results
    assert separate.status == "created" and separate.article_id != original.article_id
    assert (
        Article.objects.get(pk=separate.article_id).source_url == "https://mirror.example/mooring"
    )
    assert counts() == (2, 2)
    # Imported again as it is, it is a revision of its own (it has that URL now).
    (again,) = import_sources(sources=[txt("mirror.md", MIRROR)]).results
    assert (again.status, again.article_id) == ("unchanged", separate.article_id)


def test_the_same_story_under_a_tracking_url_is_the_same_article():
    (original,) = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results
    tracked = HARBOUR.replace(
        HARBOUR_URL,
        HARBOUR_URL.replace(b"https://harbourledger", b"HTTPS://HarbourLedger")
        + b"?utm_source=newsletter&utm_medium=email#comments",
    )
    (again,) = import_sources(sources=[txt("harbour-newsletter.md", tracked)]).results
    assert (again.status, again.article_id) == ("unchanged", original.article_id)
    assert counts() == (1, 1)
    assert Article.objects.get().source_url == HARBOUR_URL.decode()


def test_a_different_article_is_not_a_duplicate():
    import_sources(sources=[txt("harbour-council.md", HARBOUR)])
    (result,) = import_sources(sources=[txt("gravel-road.txt", GRAVEL)]).results
    assert result.duplicates == ()
    assert result.line() == f"created: {GRAVEL_TITLE} (id {result.article_id})"


def test_a_dry_run_flags_a_copy_elsewhere_in_the_same_batch_without_a_dead_id():
    report = import_sources(
        sources=[txt("harbour-council.md", HARBOUR), txt("mirror.md", MIRROR)], dry_run=True
    )
    first, second = report.results
    assert (first.status, second.status) == ("created", "duplicate")
    (duplicate,) = second.duplicates
    assert duplicate.article_id is None
    assert "not imported, duplicate of another item of this batch" in second.line()
    assert report.summary() == (
        "Dry run, nothing saved: 1 created, 0 unchanged, 0 updated, 1 duplicate, 0 failed."
    )
    assert counts() == (0, 0)


# --- The admin preview ---------------------------------------------------------------------


def cells(response, column):
    page = lxml_html.fromstring(response.content.decode())
    table = page.get_element_by_id("import-items")
    return [
        " ".join(row[column].text_content().split())
        for row in table.iter("tr")
        if row.getparent().tag == "tbody"
    ]


def test_the_preview_says_which_article_an_item_revises_and_which_it_duplicates(admin_client):
    original = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results[0]
    import_sources(sources=[txt("gravel-road.txt", GRAVEL)])
    response = preview(
        admin_client,
        files=[upload("gravel-road-v2.txt", CORRECTED), upload("mirror.md", MIRROR)],
    )
    assert rows(response) == [("gravel-road-v2.txt", "updated"), ("mirror.md", "duplicate")]
    notes = cells(response, 5)
    gravel_id = Article.objects.get(title=GRAVEL_TITLE).pk
    assert notes[0] == f"Revision of article {gravel_id}, matched by its title and source."
    assert notes[1].startswith(
        f"Not imported: duplicate of article {original.article_id} “{original.title}” ("
    )
    assert notes[1].endswith("To keep it anyway, import it as a separate article.")
    assert counts() == (2, 2)  # a preview saves nothing
    page = lxml_html.fromstring(response.content)
    (link,) = page.xpath("//table[@id='import-items']//tbody/tr[2]//a/@href")
    assert link == reverse("admin:articles_article_change", args=[original.article_id])
    # It may be imported as a separate article, or as a revision of the one it copies.
    options = page.xpath("//select[@name='choice-1']/option")
    assert [o.get("value") for o in options] == ["", "new", str(original.article_id)]
    assert options[1].text == "A separate article"
    assert page.xpath("//select[@name='choice-1']/@form") == ["import-confirm"]
    assert page.get_element_by_id("import-confirm").tag == "form"
    assert "1 duplicate of articles already here will be left out" in response.content.decode()


def test_a_duplicate_is_left_out_unless_imported_as_a_separate_article(admin_client):
    import_sources(sources=[txt("harbour-council.md", HARBOUR)])
    response = preview(admin_client, files=[upload("mirror.md", MIRROR)])
    assert 'value="Import as chosen"' in response.content.decode()
    result = confirm(admin_client, response)
    assert rows(result) == [("mirror.md", "duplicate")]
    assert counts() == (1, 1)
    response = preview(admin_client, files=[upload("mirror.md", MIRROR)])
    result = admin_client.post(
        reverse("admin:articles_article_import"),
        {"confirm": "Import", "token": response.context["token"], "choice-0": "new"},
    )
    assert rows(result) == [("mirror.md", "created")]
    assert counts() == (2, 2)


def test_the_choice_made_in_the_preview_is_what_is_imported(admin_client):
    original = import_sources(sources=[txt("harbour-council.md", HARBOUR)]).results[0]
    response = preview(admin_client, files=[upload("mirror.md", MIRROR)])
    token = response.context["token"]
    result = admin_client.post(
        reverse("admin:articles_article_import"),
        {"confirm": "Import", "token": token, "choice-0": str(original.article_id)},
    )
    assert rows(result) == [("mirror.md", "updated")]
    assert counts() == (1, 2)
    article = Article.objects.get()
    assert "by a third" in article.body_text


def test_a_forged_choice_is_ignored(admin_client):
    stranger = make_article(title="Not offered")
    response = preview(admin_client, files=[upload("gravel-road.txt", GRAVEL)])
    result = admin_client.post(
        reverse("admin:articles_article_import"),
        {"confirm": "Import", "token": response.context["token"], "choice-0": str(stranger.pk)},
    )
    assert rows(result) == [("gravel-road.txt", "created")]
    stranger.refresh_from_db()
    assert stranger.revision_number == 1


def test_an_ambiguous_item_can_be_resolved_in_the_preview(admin_client):
    one = make_article(title=GRAVEL_TITLE)
    two = make_article(title=GRAVEL_TITLE)
    response = preview(admin_client, files=[upload("gravel-road.txt", CORRECTED)])
    (row,) = rows(response)
    assert row[1].startswith(f"failed: articles {one.pk}, {two.pk} all have this title")
    assert 'value="Import as chosen"' in response.content.decode()
    result = admin_client.post(
        reverse("admin:articles_article_import"),
        {"confirm": "Import", "token": response.context["token"], "choice-0": str(one.pk)},
    )
    assert rows(result) == [("gravel-road.txt", "updated")]
    one.refresh_from_db()
    assert one.revision_number == 2


def test_the_preview_still_works_with_a_plain_confirm(admin_client):
    import_sources(sources=[txt("gravel-road.txt", GRAVEL)])
    response = preview(admin_client, files=[upload("gravel-road-v2.txt", CORRECTED)])
    result = confirm(admin_client, response)
    assert rows(result) == [("gravel-road-v2.txt", "updated")]
    assert counts() == (1, 2)


# --- The command ---------------------------------------------------------------------------


def test_the_command_revises_a_corrected_txt_and_leaves_out_a_duplicate(tmp_path):
    (tmp_path / "gravel-road.txt").write_bytes(GRAVEL)
    (tmp_path / "harbour.md").write_bytes(HARBOUR)
    run(tmp_path)
    gravel = Article.objects.get(title=GRAVEL_TITLE)
    harbour = Article.objects.exclude(pk=gravel.pk).get()
    corrected = tmp_path / "v2"
    corrected.mkdir()
    (corrected / "gravel-road.txt").write_bytes(CORRECTED)
    (corrected / "mirror.md").write_bytes(MIRROR)
    output, failed = run(corrected)
    assert not failed
    lines = output.splitlines()
    assert lines[0] == f"updated: {GRAVEL_TITLE} (id {gravel.pk}), matched by its title and source"
    assert lines[1].startswith(f"duplicate: {corrected / 'mirror.md'}: not imported, ")
    assert f"duplicate of article {harbour.pk} “{harbour.title}” (" in lines[1]
    assert lines[2] == "0 created, 0 unchanged, 1 updated, 1 duplicate, 0 failed."
    output, failed = run(corrected / "mirror.md", "--as-new")  # a separate article after all
    assert not failed and output.startswith("created: Harbour council delays vote")


def test_the_command_can_keep_a_same_titled_file_as_a_new_article(tmp_path):
    (tmp_path / "gravel-road.txt").write_bytes(GRAVEL)
    run(tmp_path)
    (tmp_path / "gravel-road.txt").write_bytes(CORRECTED)
    output, failed = run(tmp_path, "--as-new")
    assert not failed
    assert output.startswith(f"created: {GRAVEL_TITLE}")
    assert counts() == (2, 2)
    output, failed = run(tmp_path, "--as-new", "--article", "1")
    assert failed
    assert "Give either --article or --as-new, not both." in output

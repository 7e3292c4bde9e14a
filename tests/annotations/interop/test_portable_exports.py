"""A W3C export names each article by its original URL, so it imports into any Claimlens.

Article ids and the site's address differ from one database to another: an annotation must
find its own article there by what the export says of it (original URL, title, reader URL),
or be refused with the reason, and never land on another article.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from annotations.core.services import annotation_create
from annotations.interop.imports import import_annotations
from annotations.interop.webannotation import Urls
from annotations.models import Annotation, Claim, Label
from articles.imports import import_sources, sources_from_path
from articles.management.commands.load_demo import DEMO_DIR
from articles.models import Article
from tests.annotations.interop.conftest import SEED_SOURCE_URL, at, passage, validate
from tests.factories import make_article, make_seed_article, make_user

pytestmark = pytest.mark.django_db
ONE, TWO = "https://one.example", "https://two.example"


def restart_article_ids():
    """Make the next article get id 1 again (the table must be empty), on any database."""
    assert not Article.objects.exists()
    statements = connection.ops.sequence_reset_by_name_sql(
        no_style(), [{"table": Article._meta.db_table, "column": "id"}]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def landed():
    """Return what every annotation says and where it is, articles told apart by content."""
    rows = []
    for a in Annotation.objects.alive().select_related("article", "author", "claim__status"):
        rows.append(
            {
                "article": (a.article.title, a.article.source_url),
                "passage": (a.exact, a.start, a.end),
                "in_text": a.article.body_text[a.start : a.end] if a.exact else "",
                "note": a.note,
                "tags": sorted(label.name for label in a.labels.all()),
                "claim": (a.claim.title, a.claim.status.name) if a.claim else None,
                "visibility": a.visibility,
                "author": a.author.username,
            }
        )
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def export(tmp_path, settings, base, *args, name="export.jsonld"):
    settings.CLAIMLENS_BASE_URL = base
    path = tmp_path / name
    call_command("export_annotations", "--format", "jsonld", "--include-private", "-o", str(path))
    return path


def import_file(path, settings, base, *args):
    """Run the import command under base; return its error message or None."""
    settings.CLAIMLENS_BASE_URL = base
    try:
        call_command("import_annotations", str(path), *args)
    except CommandError as exc:
        return str(exc)
    return None


def empty_the_database():
    Annotation.objects.all().delete()
    Claim.objects.all().delete()
    Label.objects.tags().delete()
    Article.objects.all().delete()


@pytest.mark.parametrize("base", [ONE, TWO], ids=["same-address", "another-address"])
def test_demo_round_trip_into_shifted_ids(tmp_path, settings, capsys, base):
    settings.DEBUG = True  # load_demo refuses to run without it
    restart_article_ids()
    call_command("load_demo")
    before = landed()
    assert len(before) == 11
    # The demo has an article without an original URL, and a note on a whole article.
    assert Article.objects.filter(source_url__isnull=True).exists()
    assert any(not row["passage"][0] for row in before)
    old_ids = dict(Article.objects.values_list("title", "pk"))
    path = export(tmp_path, settings, ONE)

    # Another database: the same articles, imported in another order after one more.
    empty_the_database()
    restart_article_ids()
    decoy = make_article(title="Decoy", body="Nothing any demo annotation quotes.")
    import_sources(sources=list(reversed(sources_from_path(DEMO_DIR))))
    new_ids = dict(Article.objects.values_list("title", "pk"))
    # Every article's old reader URL now names another article.
    assert all(new_ids[title] != pk and pk in new_ids.values() for title, pk in old_ids.items())
    capsys.readouterr()

    assert import_file(path, settings, base, "--user", "admin", "--keep-authors") is None
    assert "Imported 11 of 11 annotations." in capsys.readouterr().out
    after = landed()
    assert after == before
    assert all(row["in_text"] == row["passage"][0] for row in after)
    assert not decoy.annotations.exists()


@pytest.fixture
def articles(seed_path):
    """The seed article (it has an original URL), one without, and notes on both."""
    restart_article_ids()
    seed_article = make_seed_article(seed_path, source_url=SEED_SOURCE_URL)
    plain = make_article(
        title="A council statement", body="The council met on Monday.\n\nIt voted to wait."
    )
    author = make_user(username="ana", role="annotator")
    made = {
        "passage": annotation_create(
            article=seed_article,
            author=author,
            note="why?",
            **at(seed_article, passage(seed_article, 2, 0, 8)),
        ),
        "page_note": annotation_create(article=seed_article, author=author, note="Compare."),
        "plain_passage": annotation_create(
            article=plain, author=author, tags="timing", **at(plain, "It voted to wait")
        ),
        "plain_page_note": annotation_create(article=plain, author=author, note="Which council?"),
    }
    return {"seed": seed_article, "plain": plain, "annotations": made}


def test_export_names_the_original_url_and_keeps_the_reader_url(articles, tmp_path, settings):
    path = export(tmp_path, settings, ONE)
    doc = json.loads(path.read_text(encoding="utf-8"))
    seed, plain = articles["seed"], articles["plain"]
    targets = {
        (item["body"][0]["value"] if "body" in item else "highlight"): item["target"]
        for item in doc["first"]["items"]
    }
    seed_resource = {
        "id": seed.source_url,
        "type": "Text",
        "format": "text/html",
        "schema:name": seed.title,
    }
    assert targets["why?"]["source"] == seed_resource
    assert targets["why?"]["scope"] == f"{ONE}/articles/{seed.pk}/"
    assert targets["Compare."] == {
        "type": "SpecificResource",
        "source": seed_resource,
        "scope": f"{ONE}/articles/{seed.pk}/",
    }
    # Without an original URL, the reader URL is the article's name, with its title.
    plain_resource = {
        "id": f"{ONE}/articles/{plain.pk}/",
        "type": "Text",
        "format": "text/html",
        "schema:name": plain.title,
    }
    assert targets["timing"]["source"] == plain_resource and "scope" not in targets["timing"]
    assert targets["Which council?"] == plain_resource
    validate(
        tmp_path,
        {"collection": doc} | {f"item-{i}": item for i, item in enumerate(doc["first"]["items"])},
    )


def test_article_without_source_url_is_matched_by_this_instances_url(articles, tmp_path, settings):
    plain = articles["plain"]
    path = export(tmp_path, settings, ONE)
    Annotation.objects.all().delete()
    # Another article with the same title: only the reader URL tells the two apart.
    twin = make_article(title=plain.title, body="The council met on Monday.\n\nIt voted to wait.")

    assert import_file(path, settings, ONE, "--user", "ana") is None

    on_plain = Annotation.objects.filter(article=plain)
    assert sorted(on_plain.values_list("exact", "note")) == [
        ("", "Which council?"),
        ("It voted to wait", ""),
    ]
    assert not twin.annotations.exists()
    assert Annotation.objects.count() == 4

    # A file from another tool that names the article by its reader URL alone is placed by
    # its quote, which must be in the article as it is.
    reader = f"{ONE}/articles/{plain.pk}/"
    user = make_user(username="imogen", role="editor")
    report = import_annotations(
        json.dumps(
            [
                w3c(reader, {"type": "TextQuoteSelector", "exact": "The council met"}),
                w3c(reader, {"type": "TextQuoteSelector", "exact": "The council meets"}),
            ]
        ),
        user=user,
        urls=Urls(ONE),
    )
    placed, refused = report.results
    assert placed.annotation.article == plain and placed.annotation.exact == "The council met"
    assert not refused.ok and "That passage is not in the article" in refused.reason
    assert "found by its reader URL" in refused.reason


def test_page_note_whose_article_is_missing_is_refused(articles, tmp_path, settings, capsys):
    seed, plain = articles["seed"], articles["plain"]
    path = export(tmp_path, settings, ONE)

    # Another database where the same ids hold other articles, one of them with the quote.
    empty_the_database()
    restart_article_ids()
    other = make_article(
        title="A syndicated copy",
        body=seed.body_text,
        source_url="https://wire.example/copy",
    )
    another = make_article(title="Another statement", body="It voted to wait. Then it met.")
    assert (other.pk, another.pk) == (seed.pk, plain.pk)
    capsys.readouterr()

    error = import_file(path, settings, ONE, "--user", "ana")

    assert error == "Imported 0 of 4 annotations. 4 could not be imported."
    assert not Annotation.objects.exists()
    err = capsys.readouterr().err
    elsewhere = f"{ONE}/articles/{seed.pk}/ is “A syndicated copy” here, from "
    assert (
        err.count(f"{elsewhere}https://wire.example/copy, not the article at {SEED_SOURCE_URL}")
        == 2
    )
    retitled = f"{ONE}/articles/{plain.pk}/ is “Another statement” here, not “A council statement”"
    assert err.count(retitled) == 2

    # Under another address nothing names an article here at all.
    error = import_file(path, settings, TWO, "--user", "ana")
    assert error == "Imported 0 of 4 annotations. 4 could not be imported."
    assert not Annotation.objects.exists()
    assert "its article (“A council statement”) is not in Claimlens" in capsys.readouterr().err


def test_a_page_note_named_by_reader_url_alone_is_refused(articles, settings):
    plain = articles["plain"]
    note = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "bodyValue": "About the whole piece",
        "target": f"{ONE}/articles/{plain.pk}/",
    }
    user = make_user(username="imogen", role="editor")
    (result,) = import_annotations(json.dumps(note), user=user, urls=Urls(ONE)).results
    assert not result.ok
    assert result.reason.startswith("a note on the whole article on ")
    assert "gives no title or original URL" in result.reason
    assert Annotation.objects.count() == 4  # the fixture's


def test_an_approximate_quote_needs_an_article_known_to_be_its_own(articles, settings):
    seed = articles["seed"]
    words = passage(seed, 3, 0, 9)
    letter = next(i for i, c in enumerate(words) if i > 10 and c.isalpha())
    typo = words[:letter] + words[letter].swapcase() + words[letter + 1 :]
    assert typo != words and typo not in seed.body_text
    user = make_user(username="imogen", role="editor")
    by_original = w3c(seed.source_url, {"type": "TextQuoteSelector", "exact": typo})
    by_reader = w3c(f"{ONE}/articles/{seed.pk}/", {"type": "TextQuoteSelector", "exact": typo})
    report = import_annotations(json.dumps([by_original, by_reader]), user=user, urls=Urls(ONE))
    placed, refused = report.results
    assert placed.annotation.article == seed and placed.annotation.exact == words
    assert not refused.ok and "found by its reader URL" in refused.reason


def w3c(source, selector):
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "target": {"source": source, "selector": [selector]},
    }

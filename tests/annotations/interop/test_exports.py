"""Exports: W3C JSON-LD, CSV, Markdown and a standalone HTML page, from the command and the web."""

import csv
import io
import json

import markdown
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from annotations.core.services import annotation_create
from tests.annotations.interop.conftest import ODD_NOTE, at, passage, validate
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def export(tmp_path, *args):
    out = tmp_path / "export.out"
    call_command("export_annotations", *args, "-o", str(out))
    return out.read_text(encoding="utf-8")


def test_jsonld_export_of_everything_is_a_valid_collection(annotated, tmp_path, settings):
    settings.CLAIMLENS_BASE_URL = "https://claimlens.example"
    doc = json.loads(export(tmp_path, "--format", "jsonld"))
    assert doc["type"] == "AnnotationCollection"
    assert doc["id"] == "https://claimlens.example/exports/annotations.jsonld"
    items = doc["first"]["items"]
    # Shared annotations only: the command exports as nobody in particular.
    assert doc["total"] == len(items) == 5
    assert all(
        item["id"].startswith("https://claimlens.example/api/annotations/") for item in items
    )
    validate(
        tmp_path,
        {"collection": doc, "page": {"@context": doc["@context"], **doc["first"]}}
        | {f"item-{i}": item for i, item in enumerate(items)},
    )


def test_include_private_and_one_article(annotated, seed_article, annotator, tmp_path):
    other = make_article()
    annotation_create(article=other, author=annotator, exact="First paragraph")
    everything = json.loads(export(tmp_path, "--include-private"))
    assert everything["total"] == 7
    one = json.loads(export(tmp_path, "--article", str(seed_article.pk), "--include-private"))
    assert one["total"] == 6
    assert one["label"] == f"Annotations on “{seed_article.title}”"
    assert {
        json.dumps(i["target"]).count(f"/articles/{seed_article.pk}/")
        for i in one["first"]["items"]
    } == {1}


def test_csv_export(annotated, seed_article, annotator, tmp_path):
    annotation_create(
        article=seed_article,
        author=annotator,
        note='=HYPERLINK("http://evil.example","click")',
        tags="+cmd, -dash, @at",
        **at(seed_article, passage(seed_article, 5, 0, 3)),
    )
    raw = tmp_path / "e.csv"
    call_command("export_annotations", "--format", "csv", "--include-private", "-o", str(raw))
    data = raw.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so that Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "created",
        "author",
        "article",
        "URL",
        "type",
        "quote",
        "note",
        "tags",
        "claim",
        "status",
    ]
    assert len(rows) == 7
    kinds = {row["type"] for row in rows}
    assert kinds == {"highlight", "comment", "claim", "page note"}
    claim = next(r for r in rows if r["type"] == "claim")
    assert (claim["claim"], claim["status"], claim["tags"]) == (
        "shoot without warning order",
        "needs context",
        "official",
    )
    assert (
        claim["URL"]
        == f"http://127.0.0.1:8000/articles/{seed_article.pk}/#annotation-{annotated['claim'].pk}"
    )
    assert claim["article"] == seed_article.title
    odd = next(r for r in rows if r["note"].startswith("Odd"))
    assert odd["note"] == ODD_NOTE  # multi-line, quotes and all, survives
    formula = next(r for r in rows if "click" in r["note"])
    assert formula["note"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert formula["tags"].startswith("'")  # "+cmd, ..." would run as a formula too
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_markdown_export_reads_in_order(annotated, seed_article, tmp_path):
    text = export(tmp_path, "--format", "md", "--article", str(seed_article.pk))
    lines = text.splitlines()
    assert lines[0] == f"# {seed_article.title}"
    quotes = [line[2:] for line in lines if line.startswith("> ")]
    in_text = [seed_article.body_text.index(q) for q in quotes]
    assert in_text == sorted(in_text) and len(quotes) == 4
    assert "Which order? **Source** needed." in text
    assert "Tags: `context`, `quote`" in text
    assert "Claim: **shoot without warning order** (needs context)" in text
    assert text.index("*Note on the whole article*") < text.index("> ")
    assert "Odd:" not in text  # private


def test_markdown_neutralises_raw_html_in_notes(annotated, seed_article, tmp_path):
    text = export(tmp_path, "--format", "md", "--include-private")
    assert "<script>" not in text
    rendered = markdown.markdown(text)
    assert "<script>" not in rendered and "&lt;script&gt;alert" in rendered


def test_html_export_is_a_standalone_page_with_marks_and_notes(annotated, seed_article, tmp_path):
    page = export(
        tmp_path, "--format", "html", "--article", str(seed_article.pk), "--include-private"
    )
    assert page.startswith("<!doctype html>") and "<style>" in page
    assert "<link" not in page and "<script" not in page.lower()
    tree = lxml_html.fromstring(page)
    marks = tree.xpath("//mark")
    marked = "".join(m.text_content() for m in marks)
    for name in ("highlight", "comment", "claim", "tags", "private"):
        assert annotated[name].exact.split()[-1] in marked
    assert tree.xpath("//mark[@class='claim']")
    notes = tree.xpath("//section[@class='notes']/ol/li")
    assert len(notes) == 6
    refs = tree.xpath("//sup/a/@href")
    assert len(refs) == 5 and all(ref.startswith("#note-") for ref in refs)
    # Marking changes no text: each block still holds exactly its slice of the article's text.
    for sup in tree.xpath("//div[@class='article-body']//sup"):
        sup.drop_tree()
    blocks = tree.xpath("//div[@class='article-body']//*[@data-start]")
    assert len(blocks) == seed_article.body_text.count("\n\n") + 1
    for block in blocks:
        start = int(block.get("data-start"))
        text = block.text_content()
        assert seed_article.body_text[start : start + len(text)] == text
    # User text is escaped or sanitised: the odd note's markup does not become elements.
    odd = next(li for li in notes if "Odd:" in li.text_content())
    assert not odd.xpath(".//script") and "alert('x')" not in page.split("<main>")[0]
    assert odd.xpath(".//b")  # allowed inline markup from the sanitised note
    assert "<script>alert" not in page


def test_web_export_page_and_downloads(client, annotated, seed_article, annotator):
    page = client.get(f"/exports/?article={seed_article.pk}")
    assert page.status_code == 200
    hrefs = lxml_html.fromstring(page.content).xpath("//nav[@class='export-buttons']//a/@href")
    assert hrefs == [
        f"/exports/articles/{seed_article.pk}/annotations.{fmt}"
        for fmt in ("jsonld", "csv", "md", "html")
    ]
    for href, content_type in zip(
        hrefs, ["application/ld+json", "text/csv", "text/markdown", "text/html"], strict=True
    ):
        response = client.get(href)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    anonymous = json.loads(client.get(hrefs[0]).content)
    assert anonymous["total"] == 5
    assert anonymous["id"] == f"http://testserver{hrefs[0]}"
    client.force_login(annotator)
    mine = json.loads(client.get(hrefs[0]).content)
    assert mine["total"] == 6
    assert json.loads(client.get("/exports/annotations.jsonld").content)["total"] == 6
    assert client.get("/exports/").status_code == 200
    assert client.get("/exports/annotations.xls").status_code == 404
    assert client.get("/exports/articles/999999/annotations.csv").status_code == 404


def test_export_download_query_count_is_constant(
    client, seed_article, annotator, django_assert_max_num_queries
):
    def make(count):
        for i in range(count):
            annotation_create(
                article=seed_article,
                author=annotator,
                note=f"n{i}",
                tags=f"t{i % 3}, false: c{i % 2}",
                **at(seed_article, passage(seed_article, 1 + i % 5, i % 4, 3)),
            )

    url = f"/exports/articles/{seed_article.pk}/annotations.html"
    make(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(10)
    # Guards the export against an N+1 on authors, labels, claims or statuses.
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200

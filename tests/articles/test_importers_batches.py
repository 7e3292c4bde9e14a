"""JSON batches and zip archives: each entry read and named, every trick refused."""

import io
import json
import re
import stat
import zipfile

import pytest

from articles.importers import decode_text, parse_file, parse_json, read_zip
from articles.importers.batches import _read_member

from .conftest import MB, fixture_bytes, make_zip, rendered, zip_bomb

# --- JSON batches -------------------------------------------------------------------------------


def test_json_batch_reads_each_entry():
    first, second, third = parse_json(decode_text(fixture_bytes("batch.json")))
    assert first.title == "Library extends opening hours over the winter"
    assert (first.byline, first.source_name) == ("Sana Qureshi", "Upland Courier")
    assert first.source_url == "https://uplandcourier.example/local/library-hours"
    assert first.published_at.isoformat() == "2023-11-20T08:00:00+00:00"
    assert second.title == "Allotment waiting list falls below one hundred"
    assert second.byline == "Ben Adeyemi, Carys Moss"
    # A plain-text body joins its lines like a plain-text file.
    assert "in Crestholm. The parish council" in rendered(second).text
    assert third.title == "Bus shelter repaired after storm"  # from the Markdown heading
    assert "#" not in third.body_markdown


def test_json_accepts_an_articles_key_or_a_single_object():
    batch = json.dumps({"articles": [{"title": "One", "body_markdown": "Text."}]})
    assert [draft.title for draft in parse_json(batch)] == ["One"]
    assert parse_json('{"title": "Solo", "text": "Body."}')[0].title == "Solo"


def test_json_html_bodies_are_taken_as_markup():
    (draft,) = parse_json('[{"title": "T", "body": "<p>One</p><p>Two</p>", "format": "html"}]')
    assert rendered(draft).text == "One\n\nTwo"


def test_json_bad_entries_are_named_by_position():
    items = parse_file(
        "batch.json",
        b'[{"title": "Fine", "body": "Text."}, 7, {"title": "No body"},'
        b' {"title": ["x"], "body": "y"}, {"title": "T", "body": "b", "date": "soon"},'
        b' {"title": "T", "body": "b", "format": "docx"}]',
    )
    assert [(item.label, item.error.split(" (")[0]) for item in items] == [
        ("batch.json item 1", ""),
        ("batch.json item 2", "each entry must be an object with a title and a body"),
        ("batch.json item 3", "the entry has no body"),
        ("batch.json item 4", "the field 'title' must be a string"),
        ("batch.json item 5", "the date 'soon' is not a date; write it as YYYY-MM-DD"),
        ("batch.json item 6", "unknown body format 'docx'"),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'[{"title": "x",', "not valid JSON (Expecting"),
        (b'"just a string"', "must be a list of article objects"),
        (b"[]", "the JSON batch is empty"),
    ],
)
def test_json_problems_are_explained(data, reason):
    (item,) = parse_file("batch.json", data)
    assert item.draft is None
    assert reason in item.error


# --- Zip archives -------------------------------------------------------------------------------


def test_zip_members_are_read_by_extension_and_named():
    archive = make_zip(
        {
            "notes/gravel-road.txt": fixture_bytes("gravel-road.txt"),
            "harbour-council.md": fixture_bytes("harbour-council.md"),
            "pages/tidewater.htm": fixture_bytes("tidewater-ferry.html"),
            "batch.json": fixture_bytes("batch.json"),
            "images/ferry.jpg": b"\xff\xd8\xff\xe0" + bytes(100),
            ".DS_Store": b"\x00\x00",
            "__MACOSX/._gravel-road.txt": b"\x00\x05",
        }
    )
    items = parse_file("bundle.zip", archive)
    assert [(item.label, bool(item.draft)) for item in items] == [
        ("bundle.zip/notes/gravel-road.txt", True),
        ("bundle.zip/harbour-council.md", True),
        ("bundle.zip/pages/tidewater.htm", True),
        ("bundle.zip/batch.json item 1", True),
        ("bundle.zip/batch.json item 2", True),
        ("bundle.zip/batch.json item 3", True),
    ]


def test_a_zip_bomb_is_refused_by_its_declared_size():
    bomb = zip_bomb()
    assert len(bomb) < 1 * MB  # 200 MB of zeros compress to a few hundred KB
    (item,) = parse_file("bomb.zip", bomb)
    assert item.label == "bomb.zip"
    assert item.error == "the archive would expand to 200.0 MB, more than the 50.0 MB limit"


def test_a_zip_whose_members_together_are_too_big_is_refused(settings):
    settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES = 1 * MB
    archive = make_zip({f"part{n}.txt": b"Title\n\n" + b"a " * 150_000 for n in range(4)})
    (item,) = parse_file("parts.zip", archive)
    assert "would expand to 1.1 MB, more than the 1.0 MB limit" in item.error


def test_a_member_bigger_than_one_article_may_be_fails_alone(settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 1 * MB
    archive = make_zip(
        {"big.txt": b"Title\n\n" + b"word " * (2 * MB // 5), "fine.md": b"# Fine\n\nText."}
    )
    big, fine = parse_file("mixed.zip", archive)
    assert (big.label, big.error) == ("mixed.zip/big.txt", "it is 2.0 MB, more than 1.0 MB")
    assert fine.draft.title == "Fine"


def test_too_many_zip_members_are_refused(settings):
    settings.CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS = 3
    (item,) = parse_file("many.zip", make_zip({f"{n}.md": b"# T\n\nx" for n in range(4)}))
    assert item.error == "the archive has 4 entries, more than 3"


def test_zip_members_that_lie_about_their_size_fail():
    archive = bytearray(make_zip({"liar.txt": b"Title\n\n" + bytes(MB)}))
    # Declare 10 bytes (local header offset 22, central directory offset 24 in its entry).
    real = (7 + MB).to_bytes(4, "little")
    for at in [m.start() for m in re.finditer(re.escape(real), bytes(archive))]:
        archive[at : at + 4] = (10).to_bytes(4, "little")
    (item,) = parse_file("liar.zip", bytes(archive))
    assert item.label == "liar.zip/liar.txt"
    assert "cannot be read from the archive" in item.error


def test_reading_a_member_stops_at_the_limit_whatever_it_declared():
    archive = zipfile.ZipFile(io.BytesIO(make_zip({"a.txt": bytes(300_000)})))
    assert _read_member(archive, archive.getinfo("a.txt"), limit=100_000) is None
    assert len(_read_member(archive, archive.getinfo("a.txt"), limit=300_000)) == 300_000


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../escape.txt", "unsafe"),
        ("/etc/cron.d/job.txt", "unsafe"),
        ("C:/Windows/win.txt", "unsafe"),
        ("nested/inner.zip", "zip archives inside zip archives are not imported"),
    ],
)
def test_zip_path_tricks_and_nesting_are_refused(name, reason):
    archive = make_zip({name: b"# T\n\nText.", "ok.md": b"# Ok\n\nText."})
    items = parse_file("tricks.zip", archive)
    assert items[0].label == f"tricks.zip/{name}"
    assert reason in items[0].error
    assert items[1].draft.title == "Ok"


def test_zip_symlinks_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    (item,) = parse_file("links.zip", buffer.getvalue())
    assert item.error == "symbolic links are not imported"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 this is not really a zip", "this is not a valid zip archive"),
        (make_zip({"photo.jpg": b"\xff\xd8"}), "holds no .txt, .md, .html or .json files"),
    ],
)
def test_unusable_zips_are_explained(data, reason):
    (item,) = parse_file("x.zip", data)
    assert reason in item.error


def test_read_zip_returns_members_in_order():
    members = read_zip(make_zip({"b.txt": "B\n\nb", "a.txt": "A\n\na"}))
    assert [name for name, _ in members] == ["b.txt", "a.txt"]

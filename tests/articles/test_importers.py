import io
import json
import re
import stat
import unicodedata
import zipfile

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from articles.importers import (
    ImportFailed,
    decode_text,
    detect_format,
    escape_markdown,
    is_caption,
    parse_file,
    parse_html,
    parse_json,
    parse_markdown,
    parse_text,
    read_zip,
)
from articles.importers.batches import _read_member
from articles.importers.drafts import _control_count
from articles.importers.html_pages import _promote_captions
from articles.rendering import render_markdown_body

from .conftest import FIXTURES, MB, fixture_bytes, make_zip, zip_bomb


def rendered(draft):
    return render_markdown_body(draft.body_markdown)


def captions(html):
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    return [p.text_content() for p in tree.iter("p") if p.get("class") == "caption"]


def paragraphs(html):
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    return [p.text_content() for p in tree.iter("p") if not p.get("class")]


def words(text):
    return set(re.findall(r"\w+", (text or "").casefold()))


# --- Plain text: the seed article ---------------------------------------------------------------


@pytest.fixture
def seed_draft(seed_path):
    return parse_text(decode_text(seed_path.read_bytes()))


def test_seed_title_is_the_first_line_exactly(seed_draft):
    assert seed_draft.title == (
        "Human Rights Watch asked to “immediately” annul the order of the President of "
        "Kazakhstan to “shoot to kill”"
    )


def test_seed_photo_captions_are_captions_not_paragraphs(seed_draft):
    body = rendered(seed_draft)
    found = captions(body.html)
    assert len(found) == 3
    assert any("Pavel Mikheyev" in caption for caption in found)
    assert any("Abduaziz MADYAROV" in caption for caption in found)
    assert not any("Pavel Mikheyev" in p or "MADYAROV" in p for p in paragraphs(body.html))
    # The short image label belongs to its caption; it is not a paragraph of its own.
    assert any(c.startswith("protests in Kazakhstan Protesters") for c in found)
    assert "protests in Kazakhstan" not in paragraphs(body.html)


def test_seed_video_still_caption_given_twice_is_kept_once(seed_draft):
    body = rendered(seed_draft)
    video = [c for c in captions(body.html) if "Handout via REUTERS" in c]
    assert len(video) == 1
    assert video[0].endswith("(INTERIOR MINISTRY OF KAZAKHSTAN /)")
    assert body.text.count("Protesters confront law enforcement") == 1


def test_seed_keeps_its_curly_quotes_and_source_line(seed_path, seed_draft):
    source = seed_path.read_text()
    body = rendered(seed_draft)
    story, related = source.split("(With information from Europa Press)")
    for mark in "“”’‘":
        in_title = seed_draft.title.count(mark)
        assert body.text.count(mark) == story.count(mark) - in_title, mark
    assert body.text.endswith("(With information from Europa Press)")
    assert '"' not in body.text  # nothing was straightened


def test_seed_related_headlines_after_the_story_are_dropped(seed_draft):
    text = rendered(seed_draft).text
    for headline in (
        "The brutal order of the President",
        "Crisis in Kazakhstan: the great game",
        "Former head of Kazakhstan’s intelligence agency",
    ):
        assert headline not in text


def test_seed_body_paragraphs_are_kept_whole(seed_path, seed_draft):
    body_paragraphs = paragraphs(rendered(seed_draft).html)
    blocks = [" ".join(b.split()) for b in seed_path.read_text().split("\n\n") if b.strip()]
    kept = [b for b in blocks if b in body_paragraphs]
    # The rest are the title, three captions and three related headlines.
    assert len(kept) == len(blocks) - 1 - 3 - 3
    assert len(body_paragraphs) == len(kept)


# --- Plain text: our own fixtures ---------------------------------------------------------------


def test_plain_text_byline_captions_and_source_line():
    draft = parse_text(decode_text(fixture_bytes("gravel-road.txt")))
    body = rendered(draft)
    assert draft.title == "Residents say “enough” as gravel trucks return to Millbrook Lane"
    assert draft.byline == "Hannah Stroud"
    found = captions(body.html)
    assert [c.split(" ", 3)[:3] for c in found] == [
        ["Heavy", "goods", "vehicles"],
        ["lorries", "in", "Millbrook"],
        ["A", "lorry", "reverses"],
    ]
    assert body.text.count("A lorry reverses into the quarry entrance") == 1
    # Mentioning an agency in a sentence does not make a caption.
    assert any(p.startswith("The quarry operator told Reuters") for p in paragraphs(body.html))
    assert body.text.endswith("(With reporting from the Valley Desk)")
    assert "Quarry expansion plan" not in body.text
    assert "Parish councils ask" not in body.text


def test_plain_text_joins_lines_of_a_paragraph_with_a_space():
    body = rendered(parse_text(decode_text(fixture_bytes("gravel-road.txt"))))
    assert "three weeks after the parish council was told the quarry’s" in body.text


def test_related_headlines_after_blank_lines_go_without_a_source_line():
    body = rendered(parse_text(decode_text(fixture_bytes("quarry-notes.txt"))))
    assert "Inquiry resumes next Tuesday" not in body.text
    assert "Lorry counts to be published" not in body.text
    assert captions(body.html) == [
        "An aerial view of the quarry taken by a drone on March 1, 2025. Getty Images"
    ]


def test_plain_text_markdown_characters_stay_literal():
    body = rendered(parse_text(decode_text(fixture_bytes("quarry-notes.txt"))))
    assert (
        "# is how one resident wrote her placard, with *stars* and _underscores_ and "
        "<b>tags</b> that should stay as written -- exactly... as typed." in body.text
    )
    assert "1. The first witness" in body.text
    for tag in ("<h1", "<ol", "<em", "<b>", "<strong"):
        assert tag not in body.html


def test_a_headline_like_last_line_is_kept_without_a_gap_or_source_line():
    body = rendered(parse_text("Title\n\nA first paragraph here.\n\nA closing line without a stop"))
    assert body.text.endswith("A closing line without a stop")


def test_plain_text_with_only_a_title_has_no_body():
    assert parse_text("Only a title\n\n").body_markdown == ""


@pytest.mark.parametrize(
    "text",
    [
        "Smoke rises over the port on May 2, 2024. REUTERS/Jane Roe",
        "A man waves a flag outside parliament. (AP Photo/John Smith)",
        "The stadium at dusk. Photograph: Ana Silva/Getty Images",
        "Firefighters tackle the blaze. EPA-EFE/MARIO CRUZ",
        "Rescuers search the rubble. Presidential Press Office/Handout via REUTERS",
        "Ships wait outside the harbour. (Photo by Liam Burke / AFP)",
        "A view of the bridge at night. Photo: Liam Burke",
        "Crowds gather in the square, 2022. REUTERS / Jo Bloggs ( JO BLOGGS /)",
    ],
)
def test_captions_are_recognised_by_their_credit(text):
    assert is_caption(text)


@pytest.mark.parametrize(
    "text",
    [
        "The minister told Reuters on Tuesday that the talks would continue.",
        "AFP reported that the talks had stalled, according to two officials.",
        "He said he had spoken to AP.",
        "Photo opportunities were limited during the visit.",
        "Prices rose by a fifth, the agency said",
        "“We will appeal,” she told AFP.",
    ],
)
def test_sentences_mentioning_agencies_are_not_captions(text):
    assert not is_caption(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")),
        min_size=1,
        max_size=80,
    ).filter(str.strip)
)
def test_escaped_text_renders_as_itself(text):
    text = " ".join(text.split())
    assert render_markdown_body(escape_markdown(text)).text == text


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_front_matter_fills_the_metadata():
    draft = parse_markdown(decode_text(fixture_bytes("harbour-council.md")))
    assert draft.title == "Harbour council delays vote on mooring charges"
    assert draft.subtitle == "Boat owners packed the chamber for a two-hour debate."
    assert draft.byline == "Idris Penhaligon"
    assert draft.source_name == "The Harbour Ledger"
    assert draft.source_url == "https://harbourledger.example/news/2024/05/mooring-charges"
    assert draft.published_at.isoformat() == "2024-05-09T00:00:00+00:00"
    assert draft.language == "en-GB"
    body = rendered(draft)
    assert "<h1" not in body.html  # the heading repeating the title is not body text
    assert "<h2" in body.html and "<blockquote>" in body.html and "<ul>" in body.html
    assert captions(body.html) == [
        "A harbour launch passes the east pontoon at high tide. Photo: Lowenna Trask"
    ]


def test_markdown_title_falls_back_to_the_first_heading():
    draft = parse_markdown("Intro line.\n\n# The real title\n\nBody text.\n\n# A later heading\n")
    assert draft.title == "The real title"
    assert "The real title" not in draft.body_markdown
    assert "# A later heading" in draft.body_markdown


def test_markdown_heading_different_from_front_matter_title_stays():
    draft = parse_markdown("---\ntitle: Given\n---\n# Section one\n\nText.")
    assert draft.title == "Given"
    assert "# Section one" in draft.body_markdown


def test_a_leading_thematic_break_is_not_front_matter():
    draft = parse_markdown("---\n\n# Title here\n\nText.\n\n---\n\nMore.")
    assert draft.title == "Title here"


def test_markdown_aliases_and_lists_in_front_matter():
    draft = parse_markdown(
        "---\nheadline: 'Quoted'\nauthors:\n  - Ann Lee\n  - Bo Chan\nsource: Paper\n"
        "published: 2024-01-02T10:30:00+01:00\nlink: https://x.example/a\n---\nText."
    )
    assert (draft.title, draft.byline, draft.source_name) == ("Quoted", "Ann Lee, Bo Chan", "Paper")
    assert draft.published_at.isoformat() == "2024-01-02T10:30:00+01:00"
    assert draft.source_url == "https://x.example/a"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Just text, no heading.", "no title"),
        ("---\ntitle: T\ndate: last Tuesday\n---\nText.", "is not a date"),
        ("---\ntitle: T\nthis line is wrong\n---\nText.", "front matter line 3"),
    ],
)
def test_markdown_problems_are_explained(text, reason):
    with pytest.raises(ImportFailed, match=reason):
        parse_markdown(text)


# --- HTML pages ---------------------------------------------------------------------------------

HTML_PAGES = {
    "tidewater-ferry.html": {
        "title": "Tidewater ferry fares to double next spring, council papers show",
        "subtitle": (
            "Commuters who cross the estuary every day face the steepest rise in twenty years."
        ),
        "byline": "Miriam Okonjo",
        "source_name": "The Harbour Ledger",
        "source_url": "https://harbourledger.example/news/2024/03/tidewater-ferry-fares",
        "date": "2024-03-14",
        "boilerplate": [
            "cookies",
            "Accept all",
            "Subscribe today",
            "Weather",
            "Morning Tide newsletter",
            "Sign me up",
            "More from the Ledger",
            "Swing bridge closure",
            "All rights reserved",
            "Privacy policy",
        ],
    },
    "orchard-drought.html": {
        "title": "Valley orchards ration water as reservoir falls to record low",
        "subtitle": "",
        "byline": "Tomás Aldana",
        "source_name": "Upland Courier",
        "source_url": "",
        "date": "2023-08-02",
        "boilerplate": [
            "cookies",
            "Log in",
            "Obituaries",
            "Share this article",
            "Courier Daily",
            "unsubscribe",
            "Most read",
            "tractor stolen",
            "Advertisement",
            "Fellside Newspapers",
        ],
    },
    "lighthouse-museum.html": {
        "title": "Keepers’ logbooks go on show as lighthouse museum reopens",
        "subtitle": "",
        "byline": "Ruth Halloran",
        "source_name": "Coastline Weekly",
        "source_url": "https://coastlineweekly.example/culture/lighthouse-museum-reopens",
        "date": "2022-05-21",
        "boilerplate": [
            "142 partners",
            "More options",
            "Food and drink",
            "Search Coastline",
            "Weekend Coastline newsletter",
            "Read next",
            "Pier theatre",
            "Work for us",
            "maritime history",
        ],
    },
}


def page_captions(name):
    """Return the caption texts a fixture page marks up (figcaption or a caption class)."""
    tree = lxml_html.document_fromstring(fixture_bytes(name).decode())
    found = tree.xpath("//figcaption | //*[contains(@class, 'caption')]")
    return [" ".join(el.text_content().split()) for el in found]


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_metadata(name):
    expected = HTML_PAGES[name]
    draft = parse_html(fixture_bytes(name).decode())
    assert draft.title == expected["title"]
    assert draft.subtitle == expected["subtitle"]
    assert draft.byline == expected["byline"]
    assert draft.source_name == expected["source_name"]
    assert draft.source_url == expected["source_url"]
    assert draft.published_at.date().isoformat() == expected["date"]
    assert draft.language.startswith("en")


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_keeps_at_least_trafilatura_default_text_and_no_more_boilerplate(name):
    html = fixture_bytes(name).decode()
    draft = parse_html(html)
    body = rendered(draft)
    ours = words(" ".join([draft.title, draft.subtitle, body.text]))
    default = words(trafilatura.extract(html))
    assert default <= ours, default - ours
    # Whatever we keep beyond trafilatura's default is the photo captions (and the title, which
    # the default leaves out when the headline sits outside the article's container).
    assert ours - default <= words(" ".join([draft.title, *page_captions(name)]))
    for phrase in HTML_PAGES[name]["boilerplate"]:
        assert phrase.casefold() not in body.text.casefold(), phrase


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_structure_survives(name):
    body = rendered(parse_html(fixture_bytes(name).decode()))
    assert "<h2" in body.html
    assert "<blockquote>" in body.html
    assert captions(body.html), "figure captions render as captions"
    assert all(
        any(" ".join(c.split()) in f for f in page_captions(name)) for c in captions(body.html)
    )
    assert "<h1" not in body.html  # the headline is the title, not body text


@pytest.mark.parametrize(
    ("css_class", "is_caption"),
    [
        ("caption", True),
        ("photo caption credit", True),
        ("wp-caption", True),
        ("caption-text", True),
        ("\tcaption\n", True),
        ("captions", False),
        ("subcaption", False),
        ("Caption", False),
        ("lede", False),
    ],
)
def test_a_caption_class_marks_a_caption(css_class, is_caption):
    tree = lxml_html.document_fromstring(
        f'<html><body><div><span class="{css_class}">Boats at dawn</span></div></body></html>'
    )
    assert _promote_captions(tree) == ({"boats at dawn"} if is_caption else set())


def test_html_page_without_an_article_is_refused():
    with pytest.raises(ImportFailed, match="no article text was found"):
        parse_html(fixture_bytes("no-article.html").decode())


def test_html_that_is_not_a_page_is_refused():
    with pytest.raises(ImportFailed):
        parse_html("<html></html>")


def test_html_links_are_made_absolute_and_scripts_dropped():
    draft = parse_html(fixture_bytes("hostile-page.html").decode(), url="https://pier.example/a")
    assert 'href="https://pier.example/map"' in draft.body_markdown
    assert "javascript" not in draft.body_markdown
    assert "alert" not in draft.body_markdown
    assert draft.source_url == "https://pier.example/a"


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


# --- Detecting and decoding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.TXT", b"# looks like md", "txt"),  # the extension wins
        ("a.markdown", b"x", "md"),
        ("a.htm", b"x", "html"),
        ("a.json", b"x", "json"),
        ("a.zip", b"x", "zip"),
        ("upload", b"PK\x03\x04rest", "zip"),
        ("upload", b'  [{"title": 1}]', "json"),
        ("upload", b"<!DOCTYPE html><html>", "html"),
        ("upload", b"Title\n\n<p>an inline paragraph</p>", "html"),
        ("upload", b"---\ntitle: x\n---\n", "md"),
        ("upload", b"# Heading\n\ntext", "md"),
        ("upload", b"A plain title\n\nA paragraph.", "txt"),
    ],
)
def test_detect_format(name, data, expected):
    assert detect_format(name, data) == expected


def test_format_can_be_forced():
    (item,) = parse_file("notes.txt", b"# Heading title\n\nBody.", format="md")
    assert item.draft.title == "Heading title"
    (item,) = parse_file("notes.txt", b"# Heading title\n\nBody.")
    assert item.draft.title == "# Heading title"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\t\n", "the file is empty"),
        (b"Title\x00\x00\x01binary", "binary file, not text (it contains NUL bytes)"),
        (b"Caf\xe9 au lait\n\nText", "not valid UTF-8 text (byte 0xe9 at offset 3)"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 10, "looks like a binary file"),
    ],
)
def test_decode_refuses_what_is_not_text(data, reason):
    with pytest.raises(ImportFailed, match=re.escape(reason)):
        decode_text(data)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0, max_codepoint=0xA0),  # C0, DEL and C1 among them
            st.characters(exclude_categories=("Cs",)),
        ),
        max_size=200,
    )
)
def test_control_characters_are_counted_as_unicode_defines_them(text):
    """The byte-level count agrees with Unicode's Cc category (less tab, newlines, form feed)."""
    expected = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text)
    assert _control_count(text) == expected


def test_decode_normalises_newlines_and_drops_the_bom():
    assert decode_text(b"\xef\xbb\xbfTitle\r\n\r\nBody\rMore") == "Title\n\nBody\nMore"


def test_decode_uses_a_declared_charset():
    assert decode_text("Café".encode("latin-1"), encoding="ISO-8859-1") == "Café"
    assert decode_text(b"Plain", encoding="no-such-codec") == "Plain"


def test_every_fixture_parses():
    for path in sorted(FIXTURES.iterdir()):
        if path.name in ("no-article.html",):
            continue
        items = parse_file(path.name, path.read_bytes())
        assert items and all(item.draft for item in items), path.name


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    page = fixture_bytes("tidewater-ferry.html").split(b"\n", 1)[1]
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + page
    (item,) = parse_file("ferry.xhtml", data)
    assert item.draft.title.startswith("Tidewater ferry fares")


def test_an_html_file_in_its_declared_charset_is_read():
    page = fixture_bytes("lighthouse-museum.html").decode().replace("’", "'")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = page.replace("Dr Leonie Vass", "Dr Léonie Vass")
    (item,) = parse_file("museum.html", page.encode("cp1252"))
    assert "Dr Léonie Vass" in rendered(item.draft).text
    # A text file has no such declaration to fall back on.
    (item,) = parse_file("notes.txt", "Café\n\nText.".encode("cp1252"))
    assert "not valid UTF-8" in item.error


def test_json_nested_too_deeply_is_refused():
    (item,) = parse_file("deep.json", b"[" * 100_000)
    assert item.error == "the JSON is nested too deeply to be an article batch"


def test_utf16_with_a_byte_order_mark_is_read():
    assert decode_text("Título\n\nTexto.".encode("utf-16")) == "Título\n\nTexto."

"""Plain-text and Markdown files become drafts: the seed article, our own fixtures, front matter."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.importers import (
    ImportFailed,
    decode_text,
    escape_markdown,
    is_caption,
    parse_markdown,
    parse_text,
)
from articles.rendering import render_markdown_body

from .conftest import captions, fixture_bytes, paragraphs, rendered

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
@example("a ~~struck~~ word and ~one~ tilde")
@example("- [ ] not a task | nor a table")
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

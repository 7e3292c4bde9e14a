"""Detecting a file's format and decoding its bytes into text."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, decode_text, detect_format, parse_file
from articles.importers.drafts import _control_count

from .conftest import FIXTURES, fixture_bytes, rendered

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

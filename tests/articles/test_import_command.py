import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.factories import make_article

from .conftest import MB, counts, fixture_bytes, make_zip, zip_bomb

pytestmark = pytest.mark.django_db

SEED_TITLE = (
    "Human Rights Watch asked to “immediately” annul the order of the President of "
    "Kazakhstan to “shoot to kill”"
)


def run(*args):
    """Run the command; return (stdout, failed) where failed says it exited non-zero."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue() + f"CommandError: {error}\n", True
    return out.getvalue(), False


# --- The seed article ---------------------------------------------------------------------------


def test_seed_imports_with_its_title_captions_and_without_related_headlines(seed_path):
    output, failed = run(seed_path)
    article = Article.objects.get()
    assert not failed
    assert output.splitlines()[0] == f"created: {SEED_TITLE} (id {article.pk})"
    assert article.title == SEED_TITLE
    html = article.body_html
    for credit in ("Pavel Mikheyev", "Abduaziz MADYAROV"):
        start = html.index(credit)
        paragraph = html[html.rindex("<p", 0, start) : start]
        assert paragraph.startswith('<p class="caption"'), credit
    assert "“shoot to kill”" in article.body_text
    assert "“essential”" in article.body_text
    assert "(With information from Europa Press)" in article.body_text
    for headline in (
        "The brutal order of the President",
        "Crisis in Kazakhstan: the great game",
        "Former head of Kazakhstan’s intelligence agency",
    ):
        assert headline not in article.body_text


def test_seed_imported_again_is_unchanged(seed_path):
    run(seed_path)
    article = Article.objects.get()
    output, failed = run(seed_path)
    assert not failed
    assert output.splitlines() == [
        f"unchanged: {SEED_TITLE} (id {article.pk})",
        "0 created, 1 unchanged, 0 updated, 0 failed.",
    ]
    assert counts() == (1, 1)


# --- Formats and options ------------------------------------------------------------------------


def test_a_folder_of_every_format_is_walked_with_a_progress_bar(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    (tmp_path / "notes.txt").write_bytes(fixture_bytes("gravel-road.txt"))
    (tmp_path / "council.markdown").write_bytes(fixture_bytes("harbour-council.md"))
    (tmp_path / "pages" / "ferry.htm").write_bytes(fixture_bytes("tidewater-ferry.html"))
    (tmp_path / "batch.json").write_bytes(fixture_bytes("batch.json"))
    (tmp_path / "bundle.zip").write_bytes(
        make_zip({"museum.html": fixture_bytes("lighthouse-museum.html")})
    )
    output, failed = run(tmp_path)
    assert not failed
    assert output.count("created: ") == 7
    assert output.splitlines()[-1] == "7 created, 0 unchanged, 0 updated, 0 failed."
    assert "Importing" in capsys.readouterr().err  # tqdm's bar, on stderr
    assert counts() == (7, 7)


def test_a_single_item_gets_no_progress_bar(capsys, tmp_path):
    (tmp_path / "one.md").write_bytes(fixture_bytes("harbour-council.md"))
    run(tmp_path / "one.md")
    assert "Importing" not in capsys.readouterr().err


def test_format_overrides_detection(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("# A Markdown title\n\nWith *emphasis*.")
    run(path, "--format", "md")
    article = Article.objects.get()
    assert article.title == "A Markdown title"
    assert "<em>emphasis</em>" in article.body_html


def test_dry_run_reports_and_saves_nothing(tmp_path):
    make_article(
        source_url="https://harbourledger.example/news/2024/05/mooring-charges", title="Old"
    )
    (tmp_path / "a.md").write_bytes(fixture_bytes("harbour-council.md"))
    (tmp_path / "b.txt").write_bytes(fixture_bytes("gravel-road.txt"))
    output, failed = run(tmp_path, "--dry-run")
    assert not failed
    lines = output.splitlines()
    assert lines[0] == "Dry run: nothing will be saved."
    assert lines[1].startswith("updated: Harbour council delays vote")
    assert lines[2] == "created: Residents say “enough” as gravel trucks return to Millbrook Lane"
    assert lines[3] == "Dry run, nothing saved: 1 created, 0 unchanged, 1 updated, 0 failed."
    assert counts() == (1, 1)


def test_article_option_makes_a_new_revision(tmp_path):
    article = make_article(title="To be replaced")
    path = tmp_path / "new.txt"
    path.write_bytes(fixture_bytes("gravel-road.txt"))
    output, failed = run(path, "--article", article.pk)
    assert not failed
    assert output.startswith("updated: Residents say “enough”")
    article.refresh_from_db()
    assert (article.revision_number, article.revisions.count()) == (2, 2)


def test_article_option_must_name_an_article(tmp_path):
    path = tmp_path / "new.txt"
    path.write_bytes(fixture_bytes("gravel-road.txt"))
    with pytest.raises(CommandError, match="There is no article with id 999"):
        call_command("import_articles", str(path), "--article", "999", stdout=StringIO())


def test_a_url_is_imported(web_server):
    output, failed = run(f"{web_server}/article.html")
    assert not failed
    assert output.startswith("created: Tidewater ferry fares to double next spring")


def test_good_items_are_imported_even_when_others_fail(tmp_path):
    (tmp_path / "good.md").write_bytes(fixture_bytes("harbour-council.md"))
    (tmp_path / "empty.txt").write_bytes(b"")
    output, failed = run(tmp_path)
    assert failed
    assert f"failed: {tmp_path / 'empty.txt'}: the file is empty" in output
    assert "1 created, 0 unchanged, 0 updated, 1 failed." in output
    assert "CommandError: 1 of 2 items failed." in output
    assert counts() == (1, 1)


# --- Bad input: a reason per item, exit status 1, nothing saved, no traceback -------------------


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES = {
    "empty.txt": (b"", "the file is empty"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "this is a binary file"),
    "latin1.txt": (
        "Café\n\nCrème brûlée.".encode("latin-1"),
        "this is not valid UTF-8 text (byte 0xe9 at offset 3)",
    ),
    "menu.html": (fixture_bytes("no-article.html"), "no article text was found in this page"),
    "bomb.zip": (zip_bomb(), "the archive would expand to 200.0 MB, more than the 50.0 MB"),
    "broken.json": (b'[{"title": "T", "body": ', "this is not valid JSON"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_fail_with_a_reason_and_save_nothing(tmp_path, capsys, name):
    data, reason = BAD_FILES[name]
    path = write(tmp_path, name, data)
    output, failed = run(path)
    assert failed
    assert f"failed: {path}: {reason}" in output
    assert "Traceback" not in output + capsys.readouterr().err
    assert counts() == (0, 0)


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path, settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 1 * MB
    path = write(tmp_path, "long.txt", b"Title\n\n" + b"word " * (2 * MB // 5))
    output, failed = run(path)
    assert failed
    assert f"failed: {path}: the file is 2.0 MB, more than the 1.0 MB limit" in output
    assert counts() == (0, 0)


def test_a_50_mb_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(50 * MB)  # sparse: costs no disk, and the command must not read it
    started = time.monotonic()
    output, failed = run(path)
    assert failed
    assert f"failed: {path}: the file is 50.0 MB, more than the 10.0 MB limit" in output
    assert time.monotonic() - started < 2
    assert counts() == (0, 0)


def test_a_missing_path_and_a_device_are_refused(tmp_path):
    output, failed = run(tmp_path / "nope.txt", os.devnull)
    assert failed
    assert f"failed: {tmp_path / 'nope.txt'}: there is no such file or folder" in output
    assert f"failed: {os.devnull}: it is not a regular file" in output


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https URLs can be imported (this one has file:)"),
        ("ftp://ftp.example.org/a.txt", "only http and https URLs can be imported"),
        ("http://10.0.0.1/article", "10.0.0.1 resolves to a private address (10.0.0.1)"),
        (
            "http://169.254.169.254/latest/",
            "169.254.169.254 resolves to a link-local address (169.254.169.254)",
        ),
        ("http://127.0.0.1:9/article", "127.0.0.1 resolves to a loopback address (127.0.0.1)"),
    ],
)
def test_refused_urls_fail_with_a_reason(url, reason, capsys):
    output, failed = run(url)
    assert failed
    assert f"failed: {url}: {reason}" in output
    assert "Traceback" not in output + capsys.readouterr().err
    assert counts() == (0, 0)


def test_a_url_that_times_out_fails_with_a_reason(web_server, settings):
    settings.CLAIMLENS_FETCH_TIMEOUT = 0.5
    output, failed = run(f"{web_server}/slow")
    assert failed
    assert f"failed: {web_server}/slow: the server did not answer within 0.5 seconds" in output
    assert counts() == (0, 0)


def test_a_redirect_to_a_private_address_fails(web_server):
    output, failed = run(f"{web_server}/redirect-private")
    assert failed
    assert "resolves to a private address (10.0.0.1), which is not fetched" in output

"""Importing through the admin: who may, preview then confirm, and bad input explained."""

import re

import pytest
from django.urls import reverse

from articles.admin import PENDING_IMPORT
from articles.models import Article
from tests.factories import make_article, make_staff, make_user

from .admin_import_page import CHANGELIST_URL, IMPORT_URL, confirm, preview, rows, upload
from .conftest import MB, counts, fixture_bytes, make_zip, zip_bomb

pytestmark = pytest.mark.django_db

SEED_TITLE = (
    "Human Rights Watch asked to “immediately” annul the order of the President of "
    "Kazakhstan to “shoot to kill”"
)


# --- Who may import -----------------------------------------------------------------------------


def test_the_changelist_has_an_import_button(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        make_article()
    # Guards the changelist against a query per article (imported_by is joined, not fetched).
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST_URL)
    assert response.status_code == 200
    assert f'href="{IMPORT_URL}"' in response.content.decode()
    assert "Import articles" in response.content.decode()


def test_the_import_page_has_the_admin_look_and_a_multiple_file_input(admin_client):
    response = admin_client.get(IMPORT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="site-name"' in html and 'class="breadcrumbs"' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    assert 'name="text_format"' in html and 'name="urls"' in html


def test_anonymous_visitors_and_non_staff_users_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user(role="editor"))  # may import elsewhere, but not a staff member
    response = client.post(IMPORT_URL, {"preview": "1", "text": "Title\n\nBody."})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert counts() == (0, 0)


def test_staff_without_add_permission_are_refused(client):
    client.force_login(make_staff(permissions=("articles.view_article",)))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"preview": "1", "text": "Title\n\nBody."}).status_code == 403
    changelist = client.get(CHANGELIST_URL).content.decode()
    assert "Import articles" not in changelist
    assert counts() == (0, 0)


def test_staff_with_add_permission_may_import(client):
    client.force_login(make_staff(permissions=("articles.add_article", "articles.view_article")))
    assert client.get(IMPORT_URL).status_code == 200
    assert "Import articles" in client.get(CHANGELIST_URL).content.decode()


def test_a_staff_editor_imports_and_edits_through_the_admin(client):
    # The editor group's permissions come from a data migration, not from the test.
    editor = make_user(role="editor", is_staff=True)
    client.force_login(editor)

    assert client.get(reverse("admin:index")).status_code == 200
    assert "Import articles" in client.get(CHANGELIST_URL).content.decode()
    assert client.get(IMPORT_URL).status_code == 200
    response = preview(client, text="Editor's title\n\nA body the editor pasted.")
    assert rows(response) == [("pasted text", "created")]
    assert counts() == (0, 0)
    confirm(client, response)

    article = Article.objects.get()
    assert (article.title, article.imported_by) == ("Editor's title", editor)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.get(change_url).status_code == 200
    assert editor.has_perm("articles.view_articlerevision")
    assert not editor.has_perm("articles.delete_article")


# --- Preview, then confirm ----------------------------------------------------------------------


def test_seed_preview_saves_nothing_and_confirm_imports_it(admin_client, seed_path):
    response = preview(admin_client, files=[upload(seed_path.name, seed_path.read_bytes())])
    html = response.content.decode()
    assert rows(response) == [(seed_path.name, "created")]
    assert SEED_TITLE in html
    assert counts() == (0, 0)
    assert 'value="Import 1 article"' in html

    result = confirm(admin_client, response)
    article = Article.objects.get()
    assert article.title == SEED_TITLE
    assert article.imported_by.is_superuser
    assert re.search(r'<p class="caption"[^>]*>[^<]*Pavel Mikheyev', article.body_html)
    assert re.search(r'<p class="caption"[^>]*>[^<]*Abduaziz MADYAROV', article.body_html)
    assert "(With information from Europa Press)" in article.body_text
    assert "Crisis in Kazakhstan: the great game" not in article.body_text
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert f'href="{change_url}"' in result.content.decode()

    again = preview(admin_client, files=[upload(seed_path.name, seed_path.read_bytes())])
    assert rows(again) == [(seed_path.name, "unchanged")]
    confirm(admin_client, again)
    assert counts() == (1, 1)


def test_several_files_and_a_zip_at_once(admin_client):
    archive = make_zip(
        {
            "museum.html": fixture_bytes("lighthouse-museum.html"),
            "x/batch.json": fixture_bytes("batch.json"),
        }
    )
    response = preview(
        admin_client,
        files=[
            upload("council.md", fixture_bytes("harbour-council.md")),
            upload("ferry.html", fixture_bytes("tidewater-ferry.html")),
            upload("bundle.zip", archive),
        ],
    )
    assert [item for item, _ in rows(response)] == [
        "council.md",
        "ferry.html",
        "bundle.zip/museum.html",
        "bundle.zip/x/batch.json item 1",
        "bundle.zip/x/batch.json item 2",
        "bundle.zip/x/batch.json item 3",
    ]
    assert "The Harbour Ledger" in response.content.decode()  # the source column
    confirm(admin_client, response)
    assert counts() == (6, 6)


def test_pasted_text_in_a_chosen_format(admin_client):
    response = preview(admin_client, text="# Pasted title\n\nSome *pasted* text.", text_format="md")
    assert rows(response) == [("pasted text", "created")]
    confirm(admin_client, response)
    article = Article.objects.get()
    assert article.title == "Pasted title"
    assert "<em>pasted</em>" in article.body_html


def test_a_url_is_fetched_for_the_preview(admin_client, web_server):
    response = preview(admin_client, urls=f"{web_server}/article.html")
    assert rows(response) == [(f"{web_server}/article.html", "created")]
    confirm(admin_client, response)
    assert Article.objects.get().byline == "Miriam Okonjo"


def test_the_preview_cannot_be_confirmed_twice(admin_client):
    response = preview(admin_client, text="Title\n\nBody text.")
    confirm(admin_client, response)
    again = admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    assert again.status_code == 302
    followed = admin_client.get(again["Location"])
    assert "That preview has expired or was already imported." in followed.content.decode()
    assert counts() == (1, 1)


def test_a_forged_token_imports_nothing(admin_client):
    preview(admin_client, text="Title\n\nBody text.")
    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": "forged"})
    assert response.status_code == 302
    assert counts() == (0, 0)
    assert PENDING_IMPORT in admin_client.session  # the real preview is still waiting


def test_an_empty_form_asks_for_something(admin_client):
    response = preview(admin_client)
    assert "Choose files, paste an article, or give a web address." in response.content.decode()
    assert "preview" not in response.context or not response.context.get("preview")


def test_a_batch_too_big_for_the_session_is_sent_to_the_command(admin_client, settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 3000
    body = "Title {}\n\n" + "word " * 500
    response = preview(
        admin_client,
        files=[
            upload("a.txt", body.format("A").encode()),
            upload("b.txt", body.format("B").encode()),
        ],
    )
    assert response.context["token"] is None
    assert "too large to import from the admin" in response.content.decode()
    assert PENDING_IMPORT not in admin_client.session


def test_failed_items_are_shown_and_left_out(admin_client):
    response = preview(
        admin_client,
        files=[upload("good.md", fixture_bytes("harbour-council.md")), upload("empty.txt", b"")],
    )
    assert rows(response) == [("good.md", "created"), ("empty.txt", "failed: the file is empty")]
    assert "1 failed item will be left out." in response.content.decode()
    result = confirm(admin_client, response)
    assert rows(result) == [("good.md", "created"), ("empty.txt", "failed: the file is empty")]
    assert counts() == (1, 1)


# --- Bad input never answers 500 and saves nothing ----------------------------------------------


BAD_UPLOADS = {
    "empty.txt": (b"", "the file is empty"),
    "photo.png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "this is a binary file"),
    "latin1.md": ("# Café\n\nCrème.".encode("latin-1"), "this is not valid UTF-8 text"),
    "menu.html": (fixture_bytes("no-article.html"), "no article text was found in this page"),
    "bomb.zip": (zip_bomb(), "the archive would expand to 200.0 MB, more than the 50.0 MB limit"),
}


@pytest.mark.parametrize("name", BAD_UPLOADS)
def test_bad_uploads_are_explained_per_item(admin_client, name):
    data, reason = BAD_UPLOADS[name]
    response = preview(admin_client, files=[upload(name, data)])
    (row,) = rows(response)
    assert row[0] == name
    assert row[1].startswith(f"failed: {reason}")
    assert "Nothing in this batch can be imported" in response.content.decode()
    assert not response.context["importable"]
    assert counts() == (0, 0)


def test_an_oversized_upload_is_refused(admin_client, settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 1 * MB
    response = preview(
        admin_client, files=[upload("long.txt", b"T\n\n" + b"word " * (2 * MB // 5))]
    )
    assert rows(response) == [
        ("long.txt", "failed: the file is 2.0 MB, more than the 1.0 MB limit")
    ]
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https URLs can be imported"),
        ("ftp://ftp.example.org/a.txt", "only http and https URLs can be imported"),
        ("http://10.0.0.1/", "10.0.0.1 resolves to a private address"),
    ],
)
def test_refused_urls_are_explained(admin_client, url, reason):
    response = preview(admin_client, urls=url)
    ((item, status),) = rows(response)
    assert item == url
    assert status.startswith(f"failed: {reason}")
    assert counts() == (0, 0)


def test_a_url_that_times_out_is_explained(admin_client, web_server, settings):
    settings.CLAIMLENS_FETCH_TIMEOUT = 0.5
    response = preview(admin_client, urls=f"{web_server}/slow")
    assert rows(response) == [
        (f"{web_server}/slow", "failed: the server did not answer within 0.5 seconds")
    ]

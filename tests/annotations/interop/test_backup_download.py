"""The admin's backup download for editors, and what dumping costs in queries."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.collab import discussion
from annotations.core import services
from annotations.interop.backup import dump_claimwork
from annotations.interop.webannotation import Urls
from articles.models import Article
from articles.services import article_store
from tests.annotations.interop.backups import (
    THERE,
    load_the_demo,
    quote_in,
    user,
)
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db


def test_editors_download_a_backup_from_the_claims_list(client, settings):
    settings.CLAIMLENS_BASE_URL = THERE
    editor = make_staff()
    editor.groups.add(Group.objects.get(name="editor"))
    others = make_user(username="ora")
    article = make_article_with_notes(editor, others)
    client.force_login(editor)

    # Editors read the claims' list (read only) to find the button there.
    page = client.get("/admin/annotations/claim/")
    assert page.status_code == 200 and b"/admin/annotations/claim/backup/" in page.content
    assert b"Claims" in client.get("/admin/").content
    response = client.get("/admin/annotations/claim/backup/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Content-Disposition"].startswith('attachment; filename="claimwork-')
    doc = json.loads(response.content)
    assert doc["complete"] is False and doc["site"] == "http://testserver"
    notes = {item["body"][0]["value"] for item in doc["annotations"]["first"]["items"]}
    # Someone else's private note stays out, as on every page; the editor's own is in.
    assert notes == {"Shared by Ora.", "Mine, private."}
    assert all("email" not in person for person in doc["users"])
    assert article.source_url in {a["sourceUrl"] for a in doc["articles"]}


def make_article_with_notes(editor, other):
    article = article_store(
        title="Backups", body_markdown="One two three four.", source_url="https://b.example/1"
    ).article
    for author, note, visibility in (
        (other, "Shared by Ora.", "shared"),
        (other, "Ora's, private.", "private"),
        (editor, "Mine, private.", "private"),
    ):
        services.annotation_create(article=article, author=author, note=note, visibility=visibility)
    return article


@pytest.mark.parametrize("role", ["moderator", "annotator"])
def test_only_editors_may_download_a_backup(client, role):
    staff = make_staff()
    staff.groups.add(Group.objects.get(name=role))
    client.force_login(staff)
    assert client.get("/admin/annotations/claim/backup/").status_code == 403


def test_dumping_costs_the_same_queries_however_many_annotations(settings, tmp_path):
    """Guards the dump against a query per row: only published claims cost their own."""
    load_the_demo(settings)
    urls = Urls(THERE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dump_claimwork(urls=urls)
        return len(captured)

    before = queries()
    article = Article.objects.get(source_url__isnull=True)
    for word in ("Harwick", "council", "water", "April", "residents"):
        note = services.annotation_create(
            article=article, author=user("bob"), tags="extra", **quote_in(article, word)
        )
        discussion.reply_create(author=user("alice"), body="And?", annotation=note)
    assert queries() == before

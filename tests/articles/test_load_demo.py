from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.management.commands.load_demo import DEMO_DIR, DEMO_USERS, _draft_from_file
from articles.models import Article
from articles.search import search_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development_settings(settings):
    # The test runner turns DEBUG off; load_demo only runs in development.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_files_cover_each_importer_format():
    assert sorted(p.suffix for p in DEMO_DIR.iterdir()) == [".html", ".md", ".txt"]


def test_load_demo_is_idempotent_and_prints_sign_ins():
    first = load_demo()
    second = load_demo()

    assert Article.objects.count() == 3
    assert first.count("created:") == 3
    assert second.count("unchanged:") == 3
    for username, *_ in DEMO_USERS:
        assert f"{username:<10} / claimlens-{username}" in second


def test_demo_accounts_have_their_roles_and_passwords():
    load_demo()
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}

    for username, role, is_staff, is_superuser in DEMO_USERS:
        user = users[username]
        assert user.check_password(f"claimlens-{username}")
        assert [g.name for g in user.groups.all()] == ([role] if role else [])
        assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser)
    assert users["editor"].is_staff


def test_demo_articles_keep_metadata_captions_and_quotes():
    load_demo()

    md = Article.objects.get(source_url__contains="meridian-post")
    assert md.byline == "Priya Raman"
    assert md.source_name == "The Meridian Post"
    assert md.published_at.date().isoformat() == "2025-05-18"
    assert md.subtitle.startswith("Rights groups and organisers dispute")
    assert 'class="caption"' in md.body_html

    html = Article.objects.get(source_url__contains="eastmere-courier")
    assert html.title.startswith("Study links evening screen time")
    assert html.byline == "Oliver Grant"
    assert html.source_name == "Eastmere Courier"
    assert "Accept all" not in html.body_text  # the cookie banner, navigation and footer go
    assert "Most read" not in html.body_text
    assert "said the study’s lead author, Dr Hannah Kowalski" in html.body_text

    txt = Article.objects.get(title__startswith="Harwick council")
    assert txt.body_html.startswith('<p class="caption"')
    assert "Photo: Jane Doe / Example Agency" in txt.body_text


def test_demo_articles_are_searchable():
    load_demo()

    assert [a.title for a in search_articles("leakage")][0].startswith("Harwick council")


def test_front_matter_parsing_of_the_markdown_demo():
    draft = _draft_from_file(DEMO_DIR / "northgate-protest-statement.md")

    assert draft["title"].startswith("Interior minister says police")
    assert not draft["body_markdown"].startswith("---")


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published passwords"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()

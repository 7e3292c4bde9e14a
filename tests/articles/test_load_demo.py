from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.demo import CROWD_SIZE, DEMO_ANNOTATIONS, FOREIGN_FUNDING, SCREENS
from annotations.interop.claimreview import claimreview_json
from annotations.models import Annotation, Claim, Evidence, HistoryEntry, Reply, Verdict
from annotations.receivers import annotate_demo
from articles.management.commands.load_demo import DEMO_DIR, DEMO_USERS
from articles.models import Article, ArticleRevision
from articles.search import search_articles
from articles.signals import demo_loaded
from tests.factories import make_user

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


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            ArticleRevision,
            Annotation,
            Claim,
            Evidence,
            Reply,
            Verdict,
            HistoryEntry,
        )
    }


def test_load_demo_is_idempotent_and_prints_sign_ins():
    first = load_demo()
    after_first = counts()
    second = load_demo()

    assert counts() == after_first, "a second run adds nothing"
    assert after_first["Article"] == 3
    assert after_first["Annotation"] == len(DEMO_ANNOTATIONS)
    assert first.count("created:") == 3
    assert "annotated:" in first
    assert second.count("unchanged:") == 3
    assert "annotated:" not in second
    for username, *_ in DEMO_USERS:
        assert f"{username:<10} / claimlens-{username}" in second


def test_demo_articles_go_through_the_importer():
    load_demo()

    editor = get_user_model().objects.get(username="editor")
    assert set(Article.objects.values_list("imported_by", flat=True)) == {editor.pk}
    assert ArticleRevision.objects.filter(number=1).count() == 3


def test_load_demo_leaves_what_people_did_with_the_demo_alone():
    load_demo()
    Annotation.objects.filter(author__username="annotator").delete()
    Verdict.objects.filter(user__username="bob").delete()

    load_demo()

    assert not Annotation.objects.filter(author__username="annotator").exists()
    assert not Verdict.objects.filter(user__username="bob").exists()


def test_demo_annotations_show_highlights_comments_tags_and_a_thread():
    load_demo()
    annotations = Annotation.objects.prefetch_related("labels").select_related("author")

    quotes = [a for a in annotations if a.exact]
    assert all(a.article.body_text[a.start : a.end] == a.exact for a in quotes)
    assert any(a.is_page_note for a in annotations)
    assert any(a.visibility == Annotation.Visibility.PRIVATE for a in annotations)
    assert {label.name for a in annotations for label in a.labels.all()} >= {
        "figures",
        "caveat",
        "use of force",
    }
    assert len({a.author.username for a in annotations}) >= 4
    # A reply to a claim's passage joins the claim's one discussion.
    thread = Reply.objects.filter(claim__title=FOREIGN_FUNDING).order_by("pk")
    assert [r.author.username for r in thread] == ["bob", "alice"]
    assert thread[1].parent_id == thread[0].pk
    assert thread[0].mentions.filter(username="alice").exists()


def test_demo_claims_have_statuses_evidence_verdicts_and_a_published_review():
    load_demo()
    claims = {c.title: c for c in Claim.objects.select_related("status")}

    assert {title: c.status.slug for title, c in claims.items()} == {
        FOREIGN_FUNDING: "unverified",
        CROWD_SIZE: "false",
        SCREENS: "misleading",
    }
    crowd = claims[CROWD_SIZE]
    assert crowd.rationale_html.startswith("<p>The organisers counted")
    assert crowd.evidence.count() == 2
    assert dict(crowd.verdicts.values_list("user__username", "status__slug")) == {
        "alice": "false",
        "bob": "disputed",
    }
    assert claimreview_json(crowd) is None, "no final verdict, nothing published"

    review = claimreview_json(claims[SCREENS])
    assert review["reviewRating"]["alternateName"] == "misleading"
    assert review["itemReviewed"]["author"]["name"] == "Screen-Free Evenings"
    assert review["itemReviewed"]["appearance"][0]["publisher"]["name"] == "Eastmere Courier"
    assert claims[SCREENS].verdicts.count() == 2


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


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published passwords"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_load_demo_gives_an_older_demo_editor_the_admin():
    make_user(username="editor", role="")

    load_demo()

    assert get_user_model().objects.get(username="editor").is_staff


def test_load_demo_loads_accounts_and_articles_with_no_app_answering_it():
    # The articles app stands alone: without the annotations app's receiver the demo is
    # still its accounts and articles, and says nothing of annotations.
    assert demo_loaded.disconnect(dispatch_uid="annotations.annotate_demo")
    try:
        out = load_demo()
    finally:
        demo_loaded.connect(annotate_demo, dispatch_uid="annotations.annotate_demo")

    assert Article.objects.count() == 3
    assert get_user_model().objects.filter(username="alice").exists()
    assert not Annotation.objects.exists()
    assert "annotated:" not in out
    assert "alice      / claimlens-alice" in out

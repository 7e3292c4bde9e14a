import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations.core.services import annotation_create
from annotations.models import Annotation
from annotations.revisions.services import annotation_reattach
from articles.services import article_store
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said the marchers were armed and trained criminals.\n\n"
    "Witnesses said the marchers were peaceful.\n\n"
    "Officials gave no figures."
)
REVISED = "The minister said the marchers were armed.\n\nOfficials gave no figures at all."


@pytest.fixture
def orphan():
    """An annotation whose passage a revision removed."""
    article = make_article(title="Marchers", body=BODY)
    quote = "Witnesses said the marchers were peaceful"
    start = article.body_text.index(quote)
    annotation = annotation_create(
        article=article, author=make_user(), exact=quote, start=start, end=start + len(quote)
    )
    article_store(title="Marchers", body_markdown=REVISED, article=article)
    annotation.refresh_from_db()
    assert annotation.anchor == "orphan"
    return annotation


def test_reattach_is_recorded_and_reaches_open_readers(orphan):
    from annotations.models import ChangeEvent, HistoryEntry

    chosen = selection(orphan, "the marchers were armed")
    annotation_reattach(annotation=orphan, user=orphan.author, **chosen)
    entry = HistoryEntry.objects.filter(target_type="annotation", target_id=orphan.pk).first()
    assert entry.action == "reattached" and entry.actor == orphan.author
    assert (entry.before["start"], entry.after["start"]) == (None, chosen["start"])
    assert ChangeEvent.objects.filter(
        article=orphan.article, kind="annotation.reattached", annotation_id=orphan.pk
    ).exists()


def selection(annotation, quote):
    text = annotation.article.body_text
    start = text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


def test_reattach_places_the_orphan_and_keeps_its_old_quote(orphan):
    old_quote = orphan.exact
    chosen = selection(orphan, "the marchers were armed")
    annotation = annotation_reattach(annotation=orphan, user=orphan.author, **chosen)
    assert (annotation.start, annotation.end) == (chosen["start"], chosen["end"])
    assert annotation.exact == "the marchers were armed"
    assert (annotation.anchor, annotation.anchor_score) == ("exact", 1.0)
    assert annotation.original_exact == old_quote
    assert annotation.prefix == "The minister said "
    assert annotation.revision_number == 2
    assert annotation.version == 2


def test_reattach_is_strict_and_checks_permission(orphan):
    with pytest.raises(ValidationError, match="not in the article"):
        annotation_reattach(annotation=orphan, user=orphan.author, exact="the marchers were armd")
    with pytest.raises(PermissionDenied):
        annotation_reattach(
            annotation=orphan, user=make_user(), **selection(orphan, "the marchers were armed")
        )
    moderated = annotation_reattach(
        annotation=orphan,
        user=make_user(role="moderator"),
        **selection(orphan, "Officials gave no figures"),
    )
    assert moderated.anchor == "exact"


def test_view_refuses_others_with_403(client, orphan):
    client.force_login(make_user())
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    response = client.post(url, selection(orphan, "the marchers were armed"))
    assert response.status_code == 403
    orphan.refresh_from_db()
    assert orphan.anchor == "orphan"


def test_view_needs_a_signed_in_user(client, orphan):
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    response = client.post(url, selection(orphan, "the marchers were armed"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(url).status_code in {302, 405}


def test_plain_post_reattaches_and_redirects_back(client, orphan):
    client.force_login(orphan.author)
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    back = orphan.article.get_absolute_url() + "?from=orphans"
    response = client.post(url, {**selection(orphan, "the marchers were armed"), "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    orphan.refresh_from_db()
    assert (orphan.anchor, orphan.exact) == ("exact", "the marchers were armed")


def test_plain_post_never_redirects_off_site(client, orphan):
    client.force_login(orphan.author)
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    data = {**selection(orphan, "the marchers were armed"), "next": "https://evil.example/"}
    response = client.post(url, data)
    assert response["Location"] == orphan.article.get_absolute_url()


def test_htmx_post_returns_the_orphans_fragment(client, orphan, django_assert_max_num_queries):
    other = make_annotation(
        article=orphan.article, author=orphan.author, exact="gone too", anchor="orphan"
    )
    client.force_login(orphan.author)
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    data = selection(orphan, "the marchers were armed")
    # Guards the htmx re-attach: session, user, annotation, role, savepoint, update, re-read,
    # release, then the orphans left with authors and labels, not queries per orphan. 16, not
    # 10, since the re-attach is recorded: the locked snapshot and the one after (each with
    # its labels), the history entry and its feed event (with, on PostgreSQL, its advisory
    # lock); still one of each per re-attach.
    with django_assert_max_num_queries(16):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="orphans"' in html
    assert f'id="orphan-{orphan.pk}"' not in html  # no longer an orphan
    assert f'id="orphan-{other.pk}"' in html
    assert "annotation:reattached" in response["HX-Trigger"]


def test_htmx_post_of_a_missing_passage_shows_the_error_in_the_fragment(client, orphan):
    client.force_login(orphan.author)
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    response = client.post(url, {"exact": "not in the text"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="orphan-{orphan.pk}"' in html
    assert "not in the article" in html
    assert "HX-Trigger" not in response
    orphan.refresh_from_db()
    assert orphan.anchor == "orphan"


def test_htmx_post_aimed_at_a_badge_returns_the_badge(client, orphan):
    client.force_login(orphan.author)
    url = reverse("annotations:annotation-reattach", kwargs={"pk": orphan.pk})
    response = client.post(
        url,
        selection(orphan, "the marchers were armed"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"anchor-{orphan.pk}",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="anchor" id="anchor-{orphan.pk}">')
    assert "Witnesses said the marchers were peaceful" in html  # the original quote


def test_orphans_include_offers_reattach_only_to_author_and_moderators(orphan):
    from django.template.loader import render_to_string

    orphans = Annotation.objects.orphaned().with_related()
    for user, offered in (
        (orphan.author, True),
        (make_user(role="moderator"), True),
        (make_user(), False),
    ):
        html = render_to_string(
            "annotations/reader/includes/_orphans.html", {"orphans": orphans, "user": user}
        )
        assert ("Re-attach" in html) is offered
        assert "Witnesses said the marchers were peaceful" in html


def test_badge_escapes_the_old_quote():
    from django.template.loader import render_to_string

    annotation = Annotation(
        pk=7, exact="new text", original_exact="<script>alert(1)</script>", anchor="fuzzy"
    )
    annotation.anchor_score = 0.871
    html = render_to_string(
        "annotations/reader/includes/_anchor_badge.html", {"annotation": annotation}
    )
    assert "re-anchored (87%)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html

"""The reader page with annotations: painting, cards, visibility, filters and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from annotations.benchmarks.reading import bulk_annotate
from annotations.collab.discussion import reply_create
from annotations.core.painting import Span, unpaint
from annotations.core.services import annotation_create, annotation_hide
from annotations.models import Annotation, ChangeEvent
from annotations.reader.reading import PANEL_PAGE_SIZE, page
from tests.annotations.core.painted_html import runs_of
from tests.factories import make_annotations, make_article, make_seed_article, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were *peaceful* and unarmed."
)


def annotate(article, author, quote, **kwargs):
    start = article.body_text.index(quote)
    return annotation_create(
        article=article, author=author, exact=quote, start=start, end=start + len(quote), **kwargs
    )


def card_ids(response) -> list[int]:
    """Return the ids of the cards in the response, in order."""
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'<li class="card[^"]*" id="card-(\d+)"', html)]


def marks_for(html: str, annotation) -> list[str]:
    """Return the texts of the marks on annotation's passage in the page's body."""
    body = lxml_html.fromstring(html).get_element_by_id("article-body")
    span = Span(annotation.pk, annotation.start, annotation.end)
    return [mark.text_content() for mark in runs_of(body, span)]


def test_reader_paints_the_claim_in_its_status_colour_and_lists_the_card(client, seed_path):
    article = make_seed_article(seed_path)
    quote = "armed and trained criminals, both nationals and foreigners"
    annotation = annotate(article, make_user(), quote, tags="unverified: terrorists claim")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert marks_for(html, annotation) == [quote]
    mark = re.search(r"<mark [^>]*>", html).group(0)
    assert 'class="hl hl-status-unverified"' in mark and "style=" not in mark
    assert mark.endswith(f" id=annotation-{annotation.pk}>")  # (ids need no quotes)
    # The colour comes from the labels' stylesheet the page links.
    colours = re.search(r'<link rel="stylesheet" id="label-colours" href="([^"]+)"', html)
    sheet = client.get(colours.group(1).replace("&amp;", "&"))
    assert "mark.hl.hl-status-unverified{--hl:#f2c94c}" in sheet.content.decode()
    assert card_ids(response) == [annotation.pk]
    assert f'id="card-{annotation.pk}"' in html and "terrorists claim" in html


def test_reader_body_without_marks_is_the_stored_html(client):
    article = make_article(body=BODY)
    annotate(article, make_user(), "marchers were armed")
    annotate(article, make_user(), "armed and trained")
    painted = str(client.get(article.get_absolute_url()).context["painted_html"])
    assert painted != article.body_html
    assert unpaint(painted) == article.body_html


def test_orphans_and_page_notes_are_listed_but_not_painted(client):
    article = make_article(body=BODY)
    author = make_user()
    note = annotation_create(article=article, author=author, note="About the whole piece.")
    orphan = annotate(article, author, "peaceful")
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphan")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<mark" not in str(response.context["painted_html"])
    # Page notes come first in reading order; both have a card and a fragment target.
    assert card_ids(response) == [note.pk, orphan.pk]
    assert f'<span class="card-anchor" id="annotation-{note.pk}">' in html
    assert "This passage is no longer in the article." in html


def test_private_annotations_are_seen_only_by_their_author(client):
    article = make_article(body=BODY)
    author = make_user()
    private = annotate(article, author, "peaceful", visibility="private", note="my hunch")
    url = article.get_absolute_url()
    for viewer in (None, make_user(), make_user(role="moderator")):
        if viewer:
            client.force_login(viewer)
        response = client.get(url)
        assert card_ids(response) == []
        assert "my hunch" not in response.content.decode()
        assert "<mark" not in str(response.context["painted_html"])
    client.force_login(author)
    response = client.get(url)
    assert card_ids(response) == [private.pk]
    assert "hl-private" in str(response.context["painted_html"])


def test_hidden_annotations_are_seen_by_their_author_and_moderators_only(client):
    article = make_article(body=BODY)
    author = make_user()
    moderator = make_user(role="moderator")
    annotation = annotate(article, author, "peaceful")
    annotation_hide(annotation=annotation, user=moderator)
    url = article.get_absolute_url()
    assert card_ids(client.get(url)) == []
    client.force_login(make_user())
    assert card_ids(client.get(url)) == []
    for viewer in (author, moderator):
        client.force_login(viewer)
        response = client.get(url)
        assert card_ids(response) == [annotation.pk]
        assert "Hidden by a moderator" in response.content.decode()


def test_overlapping_and_cross_paragraph_highlights_on_the_page(client):
    article = make_article(body=BODY)
    author = make_user()
    across = annotate(article, author, "on Friday.\n\nWitnesses said")
    inner = annotate(article, author, "Friday")
    html = client.get(article.get_absolute_url()).content.decode()
    assert marks_for(html, across) == ["on ", "Friday", ".", "Witnesses said"]
    assert marks_for(html, inner) == ["Friday"]
    # Where they overlap, the mark names the innermost, whose card a click opens.
    assert re.search(
        rf'<mark class="hl hl-plain hl-overlap" data-annotation-id={inner.pk}[ >][^>]*>Friday<',
        html,
    )


def test_filters_narrow_cards_and_highlights(client):
    article = make_article(body=BODY)
    alice, bob = make_user(username="alice"), make_user(username="bob")
    claim = annotate(article, alice, "armed and trained criminals", tags="unverified: terrorists")
    tagged = annotate(article, bob, "peaceful", tags="witness")
    plain = annotate(article, bob, "unarmed")
    url = article.get_absolute_url()
    assert card_ids(client.get(url)) == [claim.pk, tagged.pk, plain.pk]
    assert card_ids(client.get(url, {"by_status": "unverified"})) == [claim.pk]
    assert card_ids(client.get(url, {"by_label": "witness"})) == [tagged.pk]
    response = client.get(url, {"by_author": "bob"})
    assert card_ids(response) == [tagged.pk, plain.pk]
    painted = str(response.context["painted_html"])
    assert f"annotation-{claim.pk}" not in painted and f"annotation-{plain.pk}" in painted
    assert "2 of 3 shown" in response.content.decode()


def test_panel_htmx_returns_cards_and_the_body_out_of_band(client, django_assert_max_num_queries):
    article = make_article(body=BODY)
    annotate(article, make_user(), "peaceful", tags="witness")
    # Guards the filter/page endpoint: fixed queries whatever the number of annotations. 8, not
    # 6, since the panel shows live updates: the feed's cursor and the cards' reply counts.
    with django_assert_max_num_queries(8):
        response = client.get(
            f"/articles/{article.pk}/annotations/", {"by_label": "witness"}, HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="reader-cards"')
    assert '<div id="article-body" hx-swap-oob="innerHTML">' in html
    assert "<html" not in html
    plain = client.get(f"/articles/{article.pk}/annotations/", {"by_label": "witness"})
    assert (
        plain.status_code == 302 and plain.url == f"{article.get_absolute_url()}?by_label=witness"
    )


def test_panel_pages_and_finds_the_page_around_an_annotation(client):
    article = make_article(body=BODY)
    author = make_user()
    make_annotations(count=PANEL_PAGE_SIZE + 5, article=article, author=author, exact="marchers")
    last = Annotation.objects.order_by("pk").last()
    first_page = client.get(article.get_absolute_url())
    assert len(card_ids(first_page)) == PANEL_PAGE_SIZE
    assert "Later →" in first_page.content.decode()
    around = client.get(
        f"/articles/{article.pk}/annotations/", {"around": last.pk}, HTTP_HX_REQUEST="true"
    )
    assert card_ids(around)[-1] == last.pk and len(card_ids(around)) == 5


def test_the_panels_pager_keeps_the_filters_with_and_without_javascript(client):
    article = make_article(body=BODY)
    author = make_user(username="pager-author")
    make_annotations(count=PANEL_PAGE_SIZE + 5, article=article, author=author, exact="marchers")
    html = client.get(article.get_absolute_url(), {"by_author": author.username}).content.decode()
    pager = re.search(r'<nav class="pager" aria-label="More annotations">.*?</nav>', html, re.S)
    later = pager.group(0)
    # The page itself without JavaScript; htmx fetches the panel alone, under the same filters.
    assert 'href="?by_author=pager-author&amp;page=2"' in later
    assert (
        f'hx-get="/articles/{article.pk}/annotations/?by_author=pager-author&amp;page=2"' in later
    )
    second = client.get(article.get_absolute_url(), {"by_author": author.username, "page": 2})
    assert len(card_ids(second)) == 5


def reader_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_reader_queries_do_not_grow_with_annotations(client, seed_path, signed_in):
    """1,000 annotations cost the same number of queries as one."""
    author = make_user()
    if signed_in:
        client.force_login(author)
    one = make_seed_article(seed_path)
    many = make_article(title="Same text", body=one.body_markdown)
    # The benchmark's data: overlapping passages, tags, claims with statuses, private ones.
    bulk_annotate(one, author, 1)
    bulk_annotate(many, author, 1000)
    assert Annotation.objects.filter(article=many).count() == 1000
    single = reader_queries(client, one.get_absolute_url())
    thousand = reader_queries(client, many.get_absolute_url())
    assert single == thousand
    assert thousand <= 12


def test_reading_requires_sign_in_when_the_setting_is_on(client, settings):
    article = make_article(body=BODY)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200  # anonymous reading is the default
    settings.CLAIMLENS_REQUIRE_LOGIN = True
    for path in (url, "/claims/", "/articles/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(f"/accounts/login/?next={path}")
    assert client.get("/accounts/login/").status_code == 200
    client.force_login(make_user(role="reader"))
    assert client.get(url).status_code == 200


def test_tag_suggestions_complete_statuses_tags_and_claims(client, django_assert_max_num_queries):
    article = make_article(body=BODY)
    annotate(article, make_user(), "peaceful", tags="witness, unverified: terrorists claim")
    # Guards the autocomplete: statuses, tags and claims in three queries at most.
    with django_assert_max_num_queries(3):
        response = client.get(
            "/annotations/suggest/", {"tags": "wit", "list": "s-1"}, HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert html.startswith('<datalist id="s-1">')
    assert '<option value="witness">' in html
    options = lambda raw: re.findall(r'value="([^"]*)"', client.get(  # noqa: E731
        "/annotations/suggest/", {"tags": raw}).content.decode())  # fmt: skip
    assert "unverified: " in options("unv")
    assert options("unverified: terr") == ["unverified: terrorists claim"]
    assert options("false: terr") == ["false: terrorists claim"]
    assert "witness, unverified: terrorists claim" in options("witness, terr")


def test_stale_hidden_at_does_not_leak_through_visible_to(client):
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotate(article, author, "peaceful")
    Annotation.objects.filter(pk=annotation.pk).update(hidden_at=timezone.now())
    assert not Annotation.objects.visible_to(make_user()).exists()
    assert Annotation.objects.visible_to(author).count() == 1


# --- working together in the reader ----------------------------------------------------------


def test_reader_carries_the_live_poller_presence_exports_and_orphans(client):
    article = make_article(body=BODY)
    annotate(article, make_user(), "peaceful")
    cursor = ChangeEvent.objects.filter(article=article).order_by("-id").first().pk
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="live-article-{article.pk}"' in html and f"?after={cursor}" in html
    assert 'hx-trigger="claimlens:changed from:body' in html  # the cards listen to it
    assert f'href="/exports/articles/{article.pk}/annotations.jsonld"' in html
    assert 'id="orphans"' in html
    assert f'id="presence-{article.pk}"' not in html  # nobody to announce
    client.force_login(make_user())
    assert f'id="presence-{article.pk}"' in client.get(article.get_absolute_url()).content.decode()


def test_the_feed_cursor_is_read_before_the_annotations(client, monkeypatch):
    """A change landing between the two reads is shown and fetched again, never missed."""
    article = make_article(body=BODY)
    author = make_user()
    read_state = page.reader_state
    landed = []

    def cursor_then_a_change(*args):
        state = read_state(*args)
        landed.append(annotate(article, author, "peaceful"))
        return state

    monkeypatch.setattr(page, "reader_state", cursor_then_a_change)
    response = client.get(article.get_absolute_url())
    assert card_ids(response) == [landed[0].pk]
    assert response.context["cursor"] < ChangeEvent.objects.filter(article=article).get().pk


def test_a_live_refresh_keeps_cards_being_edited_and_may_leave_the_body(
    client, django_assert_max_num_queries
):
    article = make_article(body=BODY)
    author = make_user()
    editing, other = annotate(article, author, "armed"), annotate(article, author, "peaceful")
    url = f"/articles/{article.pk}/annotations/"
    # Guards the live refresh: the same queries as the panel's, whatever is being edited.
    with django_assert_max_num_queries(8):
        response = client.get(
            url, {"editing": f"{editing.pk},junk", "paint": "0"}, HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert f'<li class="card" id="card-{editing.pk}" hx-preserve></li>' in html
    assert f'<li class="card" id="card-{other.pk}" data-annotation-id' in " ".join(html.split())
    assert "hx-swap-oob" not in html  # the body is left as the reader has it
    painted = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="article-body" hx-swap-oob="innerHTML">' in painted


def test_cards_link_to_their_discussion_history_and_a_flag(client):
    article = make_article(body=BODY)
    author, reader = make_user(), make_user(role="reader")
    annotation = annotate(article, author, "peaceful")
    for body in ("One", "Two"):
        reply_create(author=make_user(), body=body, annotation=annotation)
    url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert f'href="/annotations/{annotation.pk}/discussion/">2 replies</a>' in html
    assert f'href="/annotations/{annotation.pk}/history/"' in html
    assert "/flag/" not in html  # anonymous visitors cannot flag
    client.force_login(reader)
    flag = f"/annotations/{annotation.pk}/flag/?next=/articles/{article.pk}/%23annotation-"
    assert flag in client.get(url).content.decode()
    client.force_login(author)
    assert "/flag/" not in client.get(url).content.decode()  # nobody flags their own


def test_flagging_from_a_card_without_javascript_comes_back_to_the_passage(client):
    article = make_article(body=BODY)
    annotation = annotate(article, make_user(), "peaceful")
    client.force_login(make_user(role="reader"))
    back = f"/articles/{article.pk}/#annotation-{annotation.pk}"
    form = client.get(f"/annotations/{annotation.pk}/flag/", {"next": back})
    assert f'value="{back}"' in form.content.decode()
    response = client.post(f"/annotations/{annotation.pk}/flag/", {"reason": "Rude", "next": back})
    assert response.status_code == 302 and response.url == back


def test_orphans_are_listed_with_a_reattach_form_for_their_author_in_fixed_queries(client):
    article = make_article(body=BODY)
    author = make_user()

    def orphan():
        annotation = annotate(article, author, "peaceful", note="lost", tags="witness")
        Annotation.objects.filter(pk=annotation.pk).update(anchor="orphan", start=None, end=None)
        return annotation

    first = orphan()
    client.force_login(author)
    one = reader_queries(client, article.get_absolute_url())
    for _ in range(20):
        orphan()
    assert reader_queries(client, article.get_absolute_url()) == one
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="orphan"') == 21
    assert f'action="/annotations/{first.pk}/reattach/"' in html
    client.force_login(make_user())
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="orphan"') == 21 and "/reattach/" not in html


def test_the_colours_stylesheet_names_a_private_tag_to_its_owner_alone(client):
    """Private tags' names are their owner's: the stylesheet of colours is per reader."""
    article = make_article(body=BODY)
    owner = make_user(username="owner")
    annotate(article, owner, "marchers", tags="ottosecret", visibility="private")
    annotate(article, owner, "Witnesses", tags="witness")
    for reader, sees in ((None, False), (make_user(username="other"), False), (owner, True)):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        html = client.get(article.get_absolute_url()).content.decode()
        href = re.search(r'<link rel="stylesheet" id="label-colours" href="([^"]+)"', html)
        sheet = client.get(href.group(1).replace("&amp;", "&"))
        assert ("hl-tag-ottosecret" in sheet.content.decode()) is sees
        assert "hl-tag-witness" in sheet.content.decode()
        # Asked by its current version, it is kept; the signed-in reader's by their browser only.
        scope = "public" if reader is None else "private"
        assert sheet["Cache-Control"].startswith(f"{scope}, max-age=")

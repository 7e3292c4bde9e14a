"""A new revision is a recorded change: history for each moved annotation, events for readers.

And a selection saved from a page that still shows the earlier text is carried onto the new one,
or refused with a reason the page shows.
"""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations.collab import revert
from annotations.core import changefeed
from annotations.core.services import annotation_create, annotation_delete
from annotations.models import Annotation, ChangeEvent, HistoryEntry
from annotations.revisions.services import REANCHORED
from articles.imports import ImportSource, import_sources
from articles.models import Article
from articles.services import article_store
from tests.factories import make_article, make_staff, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FIRST = (
    "The minister said the marchers were armed and trained criminals.\n\n"
    "Witnesses said the marchers were peaceful and unarmed.\n\n"
    "Officials gave no figures for the dead."
)
# A paragraph added at the top moves everything; one sentence is reworded, one is gone.
SECOND = (
    "Updated at noon with the ministry's statement.\n\n"
    "The minister said the marchers were armed and trained criminals.\n\n"
    "Witnesses said the marchers were peacefull and unarmed.\n\n"
    "The ministry later apologised."
)


def on(text, quote):
    start = text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


def annotate(article, author, quote, **fields):
    return annotation_create(
        article=article, author=author, **on(article.body_text, quote), **fields
    )


def revise(article, body, user=None):
    return article_store(
        title=article.title, body_markdown=body, article=article, imported_by=user
    ).article


# --- history and change feed ---------------------------------------------------------------


def test_each_moved_annotation_gets_a_history_entry_naming_who_revised():
    article = make_article(body=FIRST)
    author, editor = make_user(), make_staff()
    moved = annotate(article, author, "armed and trained criminals")
    fuzzy = annotate(article, author, "the marchers were peaceful and unarmed")
    orphan = annotate(article, author, "gave no figures")
    note = annotation_create(article=article, author=author, note="On the whole article.")
    revise(article, SECOND, user=editor)
    entries = {e.target_id: e for e in HistoryEntry.objects.filter(action=REANCHORED)}
    assert set(entries) == {moved.pk, fuzzy.pk, orphan.pk}  # the page note did not move
    entry = entries[moved.pk]
    assert entry.actor == editor
    assert entry.article_id == article.pk
    assert entry.before == {
        "exact": "armed and trained criminals",
        "start": FIRST.index("armed and"),
        "end": FIRST.index("armed and") + len("armed and trained criminals"),
        "anchor": "exact",
        "revision": 1,
    }
    assert entry.after["start"] == SECOND.index("armed and")
    assert (entry.after["anchor"], entry.after["revision"]) == ("moved", 2)
    assert entries[fuzzy.pk].after["exact"] == "the marchers were peacefull and unarmed"
    assert entries[orphan.pk].after == {
        "exact": "gave no figures",
        "start": None,
        "end": None,
        "anchor": "orphan",
        "revision": 2,
    }
    assert not HistoryEntry.objects.filter(target_id=note.pk, action=REANCHORED).exists()
    # The history page names the change, and a revert of it is refused with a reason.
    assert REANCHORED in revert.UNREVERTABLE
    with pytest.raises(ValidationError, match="A new text of the article moved it"):
        revert.revert(entry=entry, user=make_user(role="moderator"))


def test_the_feed_says_the_article_was_revised_then_which_shared_annotations_moved():
    article = make_article(body=FIRST)
    author = make_user()
    shared = annotate(article, author, "armed and trained criminals", tags="unverified: armed")
    private = annotate(article, author, "marchers were peaceful", visibility="private")
    deleted = annotate(article, author, "gave no")
    annotation_delete(annotation=deleted, user=author)
    cursor = changefeed.cursor_for(article=article)
    revise(article, SECOND)
    events = list(
        ChangeEvent.objects.filter(article=article, id__gt=cursor).values_list(
            "kind", "object_id", "annotation_id", "claim_id"
        )
    )
    shared.refresh_from_db()
    assert events == [
        ("article.revised", article.pk, None, None),
        ("annotation.reanchored", shared.pk, shared.pk, shared.claim_id),
    ]
    assert shared.claim_id is not None
    # Private and deleted annotations moved too, and their history says so.
    assert (
        HistoryEntry.objects.filter(
            action="reanchored", target_id__in=[private.pk, deleted.pk]
        ).count()
        == 2
    )


def test_a_revision_that_moves_nothing_still_tells_readers(client):
    article = make_article(body=FIRST)
    cursor = changefeed.cursor_for(article=article)
    revise(article, FIRST + "\n\nA paragraph added at the end.")
    url = reverse("collab:article-changes", args=[article.pk])
    response = client.get(url, {"after": cursor}, **HTMX)
    assert response.status_code == 200
    payload = json.loads(response["HX-Trigger"])["claimlens:changed"]
    assert [e["kind"] for e in payload["events"]] == ["article.revised"]
    assert payload["annotations"] == []


def test_an_import_of_a_corrected_file_moves_annotations_through_the_services():
    body = "Gravel lorries returned.\n\nResidents counted forty-one lorries before noon."
    import_sources(sources=[ImportSource("road.txt", data=f"Gravel\n\n{body}".encode())])
    article = Article.objects.get()
    annotation = annotate(article, make_user(), "forty-one lorries")
    corrected = body.replace("Gravel lorries returned.", "Gravel lorries came back on Monday.")
    (result,) = import_sources(
        sources=[ImportSource("road-v2.txt", data=f"Gravel\n\n{corrected}".encode())]
    ).results
    assert result.status == "updated"
    annotation.refresh_from_db()
    assert (annotation.anchor, annotation.revision_number) == ("moved", 2)
    text = Article.objects.get().body_text
    assert text[annotation.start : annotation.end] == "forty-one lorries"
    assert ChangeEvent.objects.filter(kind="annotation.reanchored", object_id=annotation.pk)
    assert HistoryEntry.objects.filter(action="reanchored", target_id=annotation.pk).count() == 1


# --- the reader page -----------------------------------------------------------------------


def test_the_reader_page_carries_its_revision_and_a_hidden_notice(client):
    article = revise(make_article(body=FIRST), SECOND)
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<span id="article-revision" hidden data-revision="2">', html)
    notice = re.search(r'<p class="article-updated" id="article-updated"[^>]*>', html).group(0)
    assert " hidden" in notice
    assert reverse("articles:revision-list", args=[article.pk]) in html


def test_a_panel_refresh_brings_the_new_body_and_its_revision(client):
    article = make_article(body=FIRST)
    revise(article, SECOND)
    response = client.get(reverse("annotations:panel", args=[article.pk]), **HTMX)
    html = response.content.decode()
    assert '<div id="article-body" hx-swap-oob="innerHTML">' in html
    assert "Updated at noon" in html
    assert '<span id="article-revision" hidden data-revision="2" hx-swap-oob="true">' in html


# --- saving a selection made on the earlier text -------------------------------------------


def post_selection(client, article, selectors, **extra):
    data = {"note": "", "tags": "", "visibility": "shared", **selectors, **extra}
    return client.post(reverse("annotations:create", args=[article.pk]), data, **HTMX)


@pytest.fixture
def annotator_client(client):
    client.force_login(make_user())
    return client


def stale(quote):
    """Return the selectors a page showing FIRST sends for `quote`, with their context."""
    selectors = on(FIRST, quote)
    start, end = selectors["start"], selectors["end"]
    return {
        **selectors,
        "prefix": FIRST[max(0, start - 32) : start],
        "suffix": FIRST[end : end + 32],
    }


def test_a_selection_on_the_earlier_text_lands_on_the_same_words(annotator_client):
    article = make_article(body=FIRST)
    article = revise(article, SECOND)
    # "the marchers were" is in both paragraphs: the offsets and context pick the first.
    quote = "the marchers were armed"
    response = post_selection(annotator_client, article, stale(quote), revision="1")
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert article.body_text[annotation.start : annotation.end] == quote
    assert annotation.start == SECOND.index(quote)
    assert (annotation.anchor, annotation.revision_number) == ("exact", 2)


def test_a_selection_of_reworded_words_is_carried_as_a_close_match(annotator_client):
    article = revise(make_article(body=FIRST), SECOND)
    quote = "the marchers were peaceful and unarmed"
    response = post_selection(annotator_client, article, stale(quote), revision="1")
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert annotation.exact == "the marchers were peacefull and unarmed"
    assert (annotation.anchor, annotation.original_exact) == ("fuzzy", quote)
    assert article.body_text[annotation.start : annotation.end] == annotation.exact


def test_a_selection_of_removed_words_is_refused_with_a_reason_the_page_shows(annotator_client):
    article = revise(make_article(body=FIRST), SECOND)
    response = post_selection(
        annotator_client, article, stale("no figures for the dead"), revision="1"
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#composer"
    html = response.content.decode()
    assert '<div class="form-errors" role="alert">' in html
    assert "The article was updated while you were reading (it is now at revision 2)" in html
    assert Annotation.objects.count() == 0


def test_a_selection_on_the_current_text_is_saved_as_usual(annotator_client):
    article = revise(make_article(body=FIRST), SECOND)
    quote = "The ministry later apologised"
    selectors = on(SECOND, quote)
    response = post_selection(annotator_client, article, selectors, revision="2")
    assert response.status_code == 200
    assert Annotation.objects.get().start == selectors["start"]


def test_an_unknown_revision_is_taken_as_the_current_text(annotator_client):
    article = revise(make_article(body=FIRST), SECOND)
    quote = "The ministry later apologised"
    response = post_selection(annotator_client, article, on(SECOND, quote), revision="99")
    assert response.status_code == 200
    assert Annotation.objects.get().exact == quote

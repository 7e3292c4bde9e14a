"""An article updated by an import while someone reads it, in Chromium.

The page is open when a corrected file is imported (the import runs here, beside the live
server, as the command or the admin would): the reader says the article was updated, shows
the new text without a reload, and a selection saved then lands on the right words, whether it
was made on the new text or on the old one still on screen.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from annotations.core.defaults import create_defaults
from annotations.models import Annotation, Label
from articles.imports import ImportSource, import_sources
from articles.models import Article
from tests.browser.reader_page import assert_no_reload, open_reader, posted_selectors, select
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The poller asks every 2 s; allow a few polls for the notice and the new body.
LIVE_MS = 6000

ORIGINAL = (
    "Harbour flood barrier delayed\n\n"
    "The council said the barrier would open in May.\n\n"
    "Engineers found cracks in two of the gates last week.\n\n"
    "Repairs will cost four million pounds."
)
# The correction adds a paragraph on top (every offset moves) and drops the last sentence.
CORRECTED = (
    "Harbour flood barrier delayed\n\n"
    "Correction: an earlier version of this article gave the wrong month.\n\n"
    "The council said the barrier would open in June.\n\n"
    "Engineers found cracks in two of the gates last week."
)
QUOTE = "cracks in two of the gates"


@pytest.fixture(autouse=True)
def statuses(transactional_db):
    create_defaults(Label, Group)  # transactional tests flush what the data migration made


def import_text(name, text):
    (result,) = import_sources(sources=[ImportSource(name, data=text.encode())]).results
    return result


@pytest.fixture
def article():
    assert import_text("barrier.txt", ORIGINAL).status == "created"
    return Article.objects.get()


def highlight(page):
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    return posted_selectors(page, lambda: page.click("#selection-toolbar [data-action=highlight]"))


def test_an_import_updates_the_open_reader_and_a_new_selection_lands_right(
    make_page, live_server, article
):
    page = make_page(user=make_user(username="alice"))
    open_reader(page, live_server, article)
    body = page.locator("#article-body")
    expect(body).to_contain_text("open in May")
    expect(page.locator("#article-updated")).to_be_hidden()

    # A corrected .txt of the same article (same title, no URL) is imported meanwhile.
    assert import_text("barrier-corrected.txt", CORRECTED).status == "updated"
    assert Article.objects.count() == 1

    notice = page.locator("#article-updated")
    expect(notice).to_be_visible(timeout=LIVE_MS)
    expect(notice).to_contain_text("This article was updated while you were reading")
    expect(body).to_contain_text("Correction: an earlier version", timeout=LIVE_MS)
    expect(body).to_contain_text("open in June")
    expect(body).not_to_contain_text("four million pounds")
    assert_no_reload(page)

    select(page, QUOTE)
    sent = highlight(page)
    assert sent["revision"] == "2"
    mark = page.locator("#article-body mark[data-annotation-id]")
    expect(mark).to_have_text(QUOTE)
    annotation = Annotation.objects.get()
    text = Article.objects.get().body_text
    assert annotation.exact == QUOTE
    assert (annotation.start, annotation.end) == (text.index(QUOTE), text.index(QUOTE) + len(QUOTE))
    assert annotation.revision_number == 2


def test_a_selection_made_on_the_old_text_is_carried_onto_the_new_one(
    make_page, live_server, article
):
    page = make_page(user=make_user(username="bob"))
    open_reader(page, live_server, article)
    old_start = article.body_text.index(QUOTE)
    select(page, QUOTE)  # selected on the old text; the page holds its body while selecting
    page.wait_for_selector("#selection-toolbar:not([hidden])")

    import_text("barrier-corrected.txt", CORRECTED)
    expect(page.locator("#article-updated")).to_be_visible(timeout=LIVE_MS)
    expect(page.locator("#article-body")).to_contain_text("open in May")  # still the old text

    sent = highlight(page)
    assert (sent["revision"], int(sent["start"])) == ("1", old_start)
    text = Article.objects.get().body_text
    expect(page.locator("#article-body mark[data-annotation-id]")).to_have_text(QUOTE)
    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.start) == (QUOTE, text.index(QUOTE))
    assert text.index(QUOTE) != old_start
    # The save brought the new text along with the highlight.
    expect(page.locator("#article-body")).to_contain_text("open in June")
    assert page.locator("#article-revision").get_attribute("data-revision") == "2"
    assert_no_reload(page)


def test_a_selection_of_words_the_update_removed_says_why_it_was_not_saved(
    make_page, live_server, article
):
    page = make_page(user=make_user(username="carol"))
    open_reader(page, live_server, article)
    select(page, "four million pounds")
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    import_text("barrier-corrected.txt", CORRECTED)
    expect(page.locator("#article-updated")).to_be_visible(timeout=LIVE_MS)

    page.click("#selection-toolbar [data-action=highlight]")
    reason = "The article was updated while you were reading"
    errors = page.locator("#composer-shell.is-open #composer .form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text(reason)
    expect(page.locator(".reader-notice")).to_contain_text(reason)
    assert Annotation.objects.count() == 0

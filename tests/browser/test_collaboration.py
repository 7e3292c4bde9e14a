"""Two people in two browsers on the real reader: live updates, replies, verdicts, conflicts.

Each person has their own browser context (own cookies). A `window` marker set when a page
opens proves it was never reloaded: everything the other person did arrived through the poller
(collab/includes/_live.html) and the fragments listening to it.
"""

import time

import pytest
from playwright.sync_api import expect

from annotations.core.services import (
    annotation_create,
    annotation_delete,
    annotation_hide,
    annotation_update,
)
from annotations.models import Annotation
from tests.annotations.collab.conftest import BODY, make_article, make_user
from tests.browser.reader_page import QUOTE, select
from tests.factories import make_seed_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The poller asks every 2 s; a change must show within 3 s of being saved.
LIVE_WITHIN_MS = 3000


def open_page(page, url):
    page.goto(url)
    page.evaluate("window.__noReload = 'still here'")


def assert_not_reloaded(page):
    assert page.evaluate("window.__noReload") == "still here"


def seen_within(locator, started: float, **expectation):
    """Wait for locator to be visible (or to contain text) and return the seconds it took."""
    if "text" in expectation:
        expect(locator).to_contain_text(expectation["text"], timeout=LIVE_WITHIN_MS)
    else:
        expect(locator).to_be_visible(timeout=LIVE_WITHIN_MS)
    return time.monotonic() - started


def test_two_annotators_work_on_one_claim_in_the_reader(live_server, make_page, seed_path):
    alice, bob = make_user(username="alice"), make_user(username="bob")
    article = make_seed_article(seed_path)
    reader_url = live_server.url + article.get_absolute_url()
    page_b = make_page(user=bob)
    open_page(page_b, reader_url)  # Bob is already reading when Alice annotates
    page_a = make_page(user=alice)
    open_page(page_a, reader_url)
    expect(page_a.locator("#annotations .presence")).to_contain_text("bob")

    # Alice marks a claim the way a reader does: select, Claim, type the quick tag, Enter.
    select(page_a, QUOTE)
    page_a.wait_for_selector("#selection-toolbar:not([hidden])")
    page_a.click("#selection-toolbar [data-action=claim]")
    page_a.keyboard.type("unverified: terrorists claim")
    page_a.keyboard.press("Enter")
    expect(page_a.locator(".card", has_text="terrorists claim")).to_be_visible()
    annotation = Annotation.objects.get(article=article)
    saved = time.monotonic()

    # Bob sees the highlight and the card appear without reloading.
    took = seen_within(page_b.locator(f"#card-{annotation.pk}"), saved, text="terrorists claim")
    assert took < LIVE_WITHIN_MS / 1000
    mark = page_b.locator(f'#article-body mark[data-annotation-id="{annotation.pk}"]')
    expect(mark).to_have_text(QUOTE)
    assert "hl-status-unverified" in mark.get_attribute("class")
    assert_not_reloaded(page_b)

    # Alice opens the claim's page beside the article and gives her verdict there.
    claim_url = live_server.url + annotation.claim.get_absolute_url()
    claim_a = make_page(user=alice)
    open_page(claim_a, claim_url)
    pk = annotation.claim_id
    claim_a.select_option(f"#verdict-status-{pk}", label="verified")
    claim_a.fill(f"#verdict-reason-{pk}", "The ministry said so")
    claim_a.click("text=Record my verdict")
    expect(claim_a.locator(f"#verdict-tally-{pk}")).to_contain_text("alice")

    # Bob replies in the claim's one discussion from its card: Alice's card counts it without
    # a reload.
    page_b.locator(f"#card-{annotation.pk}").get_by_role("link", name="Claim’s discussion").click()
    page_b.fill("#reply-body", "The witnesses say otherwise, @alice.")
    page_b.click("text=Post reply")
    expect(page_b.locator("#thread")).to_contain_text("The witnesses say otherwise")
    replied = time.monotonic()
    card = page_a.locator(f"#card-{annotation.pk}")
    took = seen_within(card.locator(".card-desk summary"), replied, text="1 reply")
    assert took < LIVE_WITHIN_MS / 1000

    # Bob disagrees on the claim's page: Alice's open claim page shows it in the tally.
    page_b.goto(claim_url)
    page_b.select_option(f"#verdict-status-{pk}", label="false")
    page_b.fill(f"#verdict-reason-{pk}", "Video shows flowers")
    page_b.click("text=Record my verdict")
    expect(page_b.locator(f"#verdict-tally-{pk}")).to_contain_text("collaborators disagree")
    judged = time.monotonic()
    tally = claim_a.locator(f"#verdict-tally-{pk}")
    assert seen_within(tally, judged, text="Video shows flowers") < LIVE_WITHIN_MS / 1000
    expect(tally).to_contain_text("collaborators disagree")
    assert_not_reloaded(page_a)
    assert_not_reloaded(claim_a)
    # The reply is one click away, with the mention linked to Alice's page.
    card.locator(".card-replies").click()
    expect(page_a.locator("#thread a[href='/people/alice/']")).to_be_visible()


def test_two_editors_of_one_note_in_the_reader_neither_text_is_lost(live_server, make_page):
    alice, bob = make_user(username="alice"), make_user(username="bob", role="moderator")
    article = make_article(body=BODY)
    annotation = annotation_create(
        article=article, author=alice, exact="peaceful", note="Witnesses said it was peaceful."
    )
    url = live_server.url + article.get_absolute_url()
    page_a, page_b = make_page(user=alice), make_page(user=bob)
    for page in (page_a, page_b):
        open_page(page, url)
        page.locator(f"#card-{annotation.pk}").get_by_role("link", name="Edit", exact=True).click()
    editor = f"#note-{annotation.pk}"
    page_b.fill(editor, "Witnesses said it was peaceful and orderly.")
    page_a.fill(editor, "Several witnesses said it was peaceful.")
    page_b.locator(editor).focus()

    # Alice's save reaches Bob's page while he is still typing: the panel is fetched again,
    # but his open editor is kept as it is, focus and all.
    refresh = f"/articles/{article.pk}/annotations/?"
    with page_b.expect_request(
        lambda r: refresh in r.url and f"editing={annotation.pk}" in r.url,
        timeout=LIVE_WITHIN_MS,
    ):
        page_a.locator(f"#card-{annotation.pk}").get_by_role("button", name="Save").click()
    expect(page_a.locator(f"#card-{annotation.pk} .card-note")).to_have_text(
        "Several witnesses said it was peaceful."
    )
    page_b.wait_for_load_state("networkidle")
    expect(page_b.locator(editor)).to_have_value("Witnesses said it was peaceful and orderly.")
    assert page_b.evaluate("document.activeElement.id") == f"note-{annotation.pk}"

    # Bob saves from the old version: the conflict view, both texts, a clean merge offered.
    page_b.locator(f"#card-{annotation.pk}").get_by_role("button", name="Save").click()
    conflict = page_b.locator(f"#card-{annotation.pk} .conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("[data-side=theirs]")).to_have_text(
        "Several witnesses said it was peaceful."
    )
    expect(conflict.locator("[data-side=mine]")).to_have_text(
        "Witnesses said it was peaceful and orderly."
    )
    expect(conflict.locator(".saved-by")).to_have_text("alice")
    saved_text = Annotation.objects.get(pk=annotation.pk).note
    assert saved_text == "Several witnesses said it was peaceful."  # Bob's save changed nothing
    merged = conflict.locator("textarea[name=note]:visible")
    expect(merged).to_have_value("Several witnesses said it was peaceful and orderly.")
    page_b.click("text=Save the merge")
    expect(page_b.locator(f"#card-{annotation.pk} .card-note")).to_have_text(
        "Several witnesses said it was peaceful and orderly."
    )
    stored = Annotation.objects.get(pk=annotation.pk)
    assert (stored.note, stored.version) == (
        "Several witnesses said it was peaceful and orderly.",
        3,
    )
    # And Alice's page catches up with the merge on its own.
    expect(page_a.locator(f"#card-{annotation.pk} .card-note")).to_have_text(
        stored.note, timeout=LIVE_WITHIN_MS
    )
    assert_not_reloaded(page_a)
    assert_not_reloaded(page_b)


def test_edits_hides_and_deletes_reach_an_open_reader_without_moving_it(
    live_server, make_page, seed_path
):
    alice, moderator = make_user(username="alice"), make_user(role="moderator")
    reader = make_user(username="carol", role="reader")
    article = make_seed_article(seed_path)
    edited = annotation_create(article=article, author=alice, exact="Khabar 24", note="first")
    hidden = annotation_create(article=article, author=alice, exact=QUOTE, note="rude")
    deleted = annotation_create(article=article, author=alice, exact="Stupidity", note="gone")
    page = make_page(user=reader, viewport={"width": 1280, "height": 700})
    open_page(page, live_server.url + article.get_absolute_url())
    page.evaluate("window.scrollTo(0, 600)")

    annotation_update(annotation=edited, user=alice, version=1, note="**changed**")
    expect(page.locator(f"#card-{edited.pk} .card-note strong")).to_have_text(
        "changed", timeout=LIVE_WITHIN_MS
    )
    annotation_hide(annotation=hidden, user=moderator)
    expect(page.locator(f"#card-{hidden.pk}")).to_have_count(0, timeout=LIVE_WITHIN_MS)
    expect(page.locator(f"#article-body #annotation-{hidden.pk}")).to_have_count(0)

    # A change that lands while the reader is selecting text leaves the selection alone; the
    # body is repainted once the selection is over.
    select(page, "the antiterrorist operation continues")
    annotation_delete(annotation=deleted, user=alice)
    expect(page.locator(f"#card-{deleted.pk}")).to_have_count(0, timeout=LIVE_WITHIN_MS)
    assert page.evaluate("window.getSelection().toString()") == (
        "the antiterrorist operation continues"
    )
    assert page.locator(f'mark[data-annotation-id="{deleted.pk}"]').count() == 1
    page.evaluate("window.getSelection().removeAllRanges()")
    expect(page.locator(f"#article-body #annotation-{deleted.pk}")).to_have_count(0)

    assert page.evaluate("window.scrollY") == 600
    assert_not_reloaded(page)


def test_a_selection_ended_as_a_held_refresh_lands_still_gets_the_body_repainted(
    live_server, make_page, seed_path
):
    """htmx wires the new panel up only when it settles: a selection ending in between must
    not leave the body showing a deleted highlight."""
    alice, reader = make_user(username="alice"), make_user(username="carol", role="reader")
    article = make_seed_article(seed_path)
    deleted = annotation_create(article=article, author=alice, exact="Stupidity", note="gone")
    page = make_page(user=reader)
    open_page(page, live_server.url + article.get_absolute_url())
    select(page, "the antiterrorist operation continues")
    # The moment the held refresh is swapped in, before it settles, the selection ends.
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterSwap", function once(event) {
             if (event.detail.elt.id !== "reader-cards") return;
             document.body.removeEventListener("htmx:afterSwap", once);
             window.getSelection().removeAllRanges();
           })"""
    )
    annotation_delete(annotation=deleted, user=alice)
    expect(page.locator(f"#card-{deleted.pk}")).to_have_count(0, timeout=LIVE_WITHIN_MS)
    expect(page.locator(f"#article-body #annotation-{deleted.pk}")).to_have_count(0)


def test_an_editor_opened_while_a_refresh_is_on_its_way_survives_it(live_server, make_page):
    alice, bob = make_user(username="alice"), make_user(username="bob")
    article = make_article(body=BODY)
    changed = annotation_create(article=article, author=alice, exact="armed", note="first")
    mine = annotation_create(article=article, author=bob, exact="peaceful", note="mine")
    page = make_page(user=bob)
    open_page(page, live_server.url + article.get_absolute_url())
    slow = []

    def delay_the_first_refresh(route):
        if not slow:  # hold the answer back while Bob opens his editor
            slow.append(route.request.url)
            page.wait_for_timeout(1500)
        route.continue_()

    page.route(f"**/articles/{article.pk}/annotations/?*", delay_the_first_refresh)
    with page.expect_request(lambda r: "/annotations/?" in r.url, timeout=LIVE_WITHIN_MS):
        annotation_update(annotation=changed, user=alice, version=1, note="second")
    page.locator(f"#card-{mine.pk}").get_by_role("link", name="Edit", exact=True).click()
    page.fill(f"#note-{mine.pk}", "Typed while the refresh was on its way")

    expect(page.locator(f"#card-{changed.pk} .card-note")).to_have_text("second")
    expect(page.locator(f"#note-{mine.pk}")).to_have_value("Typed while the refresh was on its way")
    assert f"editing={mine.pk}" not in slow[0]  # the held answer did not know of the editor
    assert_not_reloaded(page)

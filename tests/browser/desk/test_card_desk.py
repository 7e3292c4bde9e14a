"""Point 2: the card is the desk: status, claimant, verdicts, evidence and the claim's one
discussion in the reader's card, updated live in other windows and on the claim page."""

from __future__ import annotations

import pytest

from annotations.models import Reply
from tests.browser.reader_page import open_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_MS = 3_000  # what "live" promises: another window shows a change within 3 s


def open_desk(page, live_server, article, annotation):
    open_reader(page, live_server, article)
    card = page.locator(f"#card-{annotation.pk}")
    card.locator("details.card-desk > summary").click()
    card.locator(".desk").wait_for()
    return card


def test_a_claims_card_shows_its_status_claimant_and_counts(make_page, live_server, alice, claimed):
    page = make_page(user=alice)
    open_reader(page, live_server, claimed.article)
    card = page.locator(f"#card-{claimed.pk}")
    assert card.locator(".status-pill").text_content().strip() == "unverified"
    assert "Claimed by Interior ministry" in card.inner_text()
    assert "0 verdicts · 0 evidence · 0 replies" in card.locator(".card-desk summary").inner_text()


def test_a_reply_on_the_card_is_in_the_claims_one_thread(make_page, live_server, alice, claimed):
    page = make_page(user=alice)
    card = open_desk(page, live_server, claimed.article, claimed)
    card.get_by_label("Add to the discussion").fill("Where is @bob's source for this?")
    card.get_by_role("button", name="Post reply").click()
    card.locator(".reply").get_by_text("Where is").wait_for()
    reply = Reply.objects.get()
    assert reply.claim_id == claimed.claim_id and reply.annotation_id is None
    page.goto(f"{live_server.url}{claimed.claim.get_absolute_url()}")
    assert "Where is @bob" in page.locator("#discussion").inner_text()


def test_verdict_and_evidence_in_a_card_reach_another_window_and_the_claim_page(
    make_page, live_server, alice, bob, moderator, claimed
):
    mine = make_page(user=alice)
    theirs = make_page(user=bob)
    claim_page = make_page(user=moderator)
    card = open_desk(mine, live_server, claimed.article, claimed)
    other = open_desk(theirs, live_server, claimed.article, claimed)
    claim_page.goto(f"{live_server.url}{claimed.claim.get_absolute_url()}")

    card.get_by_label("Give your verdict").select_option(label="false")
    card.get_by_role("button", name="Record my verdict").click()
    card.locator(".verdict-list").get_by_text("alice").wait_for()
    card.get_by_label("Link").fill("https://example.org/ministry-statement")
    card.get_by_label("Title").fill("The ministry's statement")
    card.get_by_role("button", name="Add evidence").click()
    card.locator(".evidence-list").get_by_text("The ministry's statement").wait_for()

    for where in (other, claim_page.locator("main")):
        where.locator(".verdict-list").get_by_text("alice").wait_for(timeout=LIVE_MS)
        where.locator(".evidence-list").get_by_text("The ministry's statement").wait_for(
            timeout=LIVE_MS
        )


def test_a_moderator_settles_in_the_card_and_the_claim_page_header_follows(
    make_page, live_server, moderator, alice, claimed
):
    desk_page = make_page(user=moderator)
    claim_page = make_page(user=alice)
    card = open_desk(desk_page, live_server, claimed.article, claimed)
    claim_page.goto(f"{live_server.url}{claimed.claim.get_absolute_url()}")
    header = claim_page.locator("#claim-fields")
    assert "unverified" in header.inner_text()

    card.get_by_label("Final status").select_option(label="false")
    card.get_by_role("button", name="Set final status").click()
    # The card's own claim line, the painted passage and the claim page's header all follow.
    card.locator(".status-pill").get_by_text("false").wait_for(timeout=LIVE_MS)
    card.locator(".badge-final").wait_for(timeout=LIVE_MS)
    desk_page.locator(f"mark#annotation-{claimed.pk}.hl-status-false").wait_for(timeout=LIVE_MS)
    header.locator(".chip-status-name").get_by_text("false").wait_for(timeout=LIVE_MS)

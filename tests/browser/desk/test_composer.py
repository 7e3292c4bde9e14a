"""Point 1: the claim composer makes a claim with its statement, status and claimant."""

from __future__ import annotations

import pytest

from annotations.core.services import annotation_create
from annotations.models import Annotation
from tests.browser.conftest import login
from tests.browser.reader_page import QUOTE, assert_no_reload, open_reader, select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_composer_makes_a_claim_with_a_claimant_and_a_status(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    page.locator("#selection-toolbar").get_by_role("button", name="Claim").click()
    statement = page.get_by_label("Claim statement")
    assert statement.is_visible() and statement.input_value() == QUOTE  # from the passage
    assert page.evaluate("document.activeElement.name") == "claim_title"
    statement.fill("Armed criminals, nationals and foreigners, were behind it")
    statuses = page.locator(".status-choice label")
    assert statuses.count() == 7  # every status, each with its meaning
    assert "Checked and contradicted by evidence." in statuses.nth(2).inner_text()
    page.locator(".status-choice").get_by_text("misleading", exact=True).click()
    page.get_by_label("Claimant").fill("The interior ministry")
    page.locator("#composer").get_by_role("button", name="Save").click()
    annotation = _wait_for_one(page)
    card = page.locator(f"#card-{annotation.pk}")
    card.locator(".status-pill").get_by_text("misleading").wait_for()
    assert "Claimed by The interior ministry" in card.inner_text()
    claim = annotation.claim
    assert claim.title == "Armed criminals, nationals and foreigners, were behind it"
    assert claim.status.slug == "misleading" and claim.claimant == "The interior ministry"
    # Drawn as a claim in the body: its colour and a marker that is not colour alone.
    mark = page.locator(f"mark#annotation-{annotation.pk}")
    assert "hl-status-misleading" in mark.get_attribute("class")
    marker = mark.evaluate("m => getComputedStyle(m, '::before').content")
    assert marker == '"!"'
    assert_no_reload(page)


def test_the_composer_links_an_existing_claim_offered_as_you_type(page, live_server, alice, seed):
    first = annotation_create(
        article=seed, author=alice, exact="Khabar 24", tags="false: broadcaster lies"
    )
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    page.locator("#selection-toolbar").wait_for()
    page.keyboard.press("k")  # the Claim key opens the same form
    link = page.get_by_label("Or link to an existing claim")
    link.press_sequentially("broadc")
    page.locator('#claim-matches option[value="broadcaster lies"]').wait_for(state="attached")
    link.fill("broadcaster lies")
    page.locator("#composer").get_by_role("button", name="Save").click()
    page.locator(".card").nth(1).wait_for()
    made = Annotation.objects.exclude(pk=first.pk).get()
    assert made.claim_id == first.claim_id
    assert made.claim.status.slug == "false"  # a linked claim keeps its status


def test_the_quick_syntax_still_makes_a_claim(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    page.locator("#selection-toolbar").get_by_role("button", name="Comment").click()
    page.get_by_label("Tags").fill("unverified: terrorists claim")
    page.locator("#composer").get_by_role("button", name="Save").click()
    annotation = _wait_for_one(page)
    assert annotation.claim.title == "terrorists claim"
    assert annotation.claim.status.slug == "unverified"


def test_the_composer_keeps_its_save_button_in_the_window(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    # A passage at the foot of the window: the composer opens under it, then moves up.
    words = page.evaluate(
        """() => {
          const blocks = [...document.querySelectorAll('#article-body [data-start]')];
          const low = blocks.find(b => b.getBoundingClientRect().top > innerHeight * 0.8);
          low.scrollIntoView({block: 'end'});
          return low.textContent.trim().split(/\\s+/).slice(0, 3).join(' ');
        }"""
    )
    select(page, words)
    page.locator("#selection-toolbar").get_by_role("button", name="Claim").click()
    save = page.locator("#composer").get_by_role("button", name="Save")
    box = save.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    assert box["y"] >= 0


def _wait_for_one(page) -> Annotation:
    page.locator("#annotation-list .card[data-annotation-id]").first.wait_for()
    return Annotation.objects.select_related("claim__status").get()

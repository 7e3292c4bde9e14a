"""The desk's pictures for the README: reader, card, composer, search and queues, light and dark,
desktop and phone. DESK_SHOTS=docs/screenshots writes them where the README shows them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from annotations.collab import discussion, verdicts
from annotations.core.services import annotation_create, evidence_add, status_by_name
from tests.browser.reader_page import QUOTE, select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("DESK_SHOTS") or tempfile.mkdtemp(prefix="desk-shots-"))
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


def _work(seed, alice, bob, moderator):
    claim = annotation_create(
        article=seed,
        author=bob,
        exact="Khabar 24",
        tags="disputed: state media framing",
        claimant="Khabar 24",
    )
    annotation_create(article=seed, author=alice, exact="shoot to kill", note="The order itself.")
    annotation_create(article=seed, author=bob, exact="Human Rights Watch", tags="source")
    settled = annotation_create(
        article=seed,
        author=alice,
        exact="criminals and murderers",
        tags="misleading: protesters were criminals",
        claimant="President Tokayev",
    )
    verdicts.verdict_record(claim=settled.claim, user=alice, status=status_by_name("misleading"))
    verdicts.verdict_record(claim=settled.claim, user=bob, status=status_by_name("false"))
    evidence_add(claim=settled.claim, user=bob, url="https://www.hrw.org/", title="HRW report")
    discussion.reply_create(
        author=bob, body="Video from Almaty shows unarmed crowds, @alice.", claim=settled.claim
    )
    discussion.reply_create(author=alice, body="Agreed: misleading at best.", claim=settled.claim)
    return claim, settled


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots(make_page, live_server, alice, bob, moderator, seed, scheme, size):
    claim, settled = _work(seed, alice, bob, moderator)
    phone = size == "phone"
    extra = {"is_mobile": True, "has_touch": True} if phone else {}
    page = make_page(user=moderator, color_scheme=scheme, viewport=SIZES[size], **extra)
    name = f"{size}-{scheme}"
    page.goto(live_server.url + seed.get_absolute_url())
    page.locator(f"mark#annotation-{settled.pk}").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"reader-{name}.png")

    # The card, with its desk open.
    if phone:
        page.locator(f"mark#annotation-{settled.pk}").tap()
    card = page.locator(f"#card-{settled.pk}")
    card.locator("details.card-desk > summary").click()
    card.locator(".desk .verdict-list").wait_for()
    if not phone:
        card.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"card-{name}.png")
    page.keyboard.press("Escape")

    # The composer, making a claim.
    page.goto(live_server.url + seed.get_absolute_url())
    select(page, QUOTE, pointer="touch" if phone else "mouse")
    page.locator("#selection-toolbar").get_by_role("button", name="Claim").click()
    page.get_by_label("Claimant").fill("Interior ministry")
    page.screenshot(path=SHOTS / f"composer-{name}.png")

    page.goto(live_server.url + reverse("annotations:search") + "?q=criminals")
    page.locator("#search-claims li.search-hit").first.wait_for()
    page.screenshot(path=SHOTS / f"search-{name}.png")

    page.goto(live_server.url + reverse("collab:queues"))
    page.locator("#queue-settle").wait_for()
    page.screenshot(path=SHOTS / f"queues-{name}.png")
    for what in ("reader", "card", "composer", "search", "queues"):
        assert (SHOTS / f"{what}-{name}.png").stat().st_size > 10_000

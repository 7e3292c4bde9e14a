"""The panel shows its cards a page at a time: later pages load in place, or as pages without JS."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.core.services import annotation_create
from annotations.models import Annotation
from annotations.reader.reading import PANEL_PAGE_SIZE
from tests.browser.conftest import login
from tests.browser.reader_page import assert_no_reload, open_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MORE = 5


def annotate_words(article, author, count: int) -> list[Annotation]:
    """Highlight `count` different long words, apart from one another; return them in order."""
    seen = set()
    for match in re.finditer(r"\b[a-z]{9,}\b", article.body_text):
        if match.group() in seen:
            continue
        seen.add(match.group())
        annotation_create(
            article=article,
            author=author,
            exact=match.group(),
            start=match.start(),
            end=match.end(),
        )
        if len(seen) == count:
            break
    return list(Annotation.objects.filter(article=article).in_reading_order())


def test_later_cards_load_in_place_and_their_passages_still_answer(page, live_server, alice, seed):
    order = annotate_words(seed, alice, PANEL_PAGE_SIZE + MORE)
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    cards = page.locator("#annotation-list > li.card")
    expect(cards).to_have_count(PANEL_PAGE_SIZE)

    page.locator("#reader-cards .pager").get_by_role("link", name="Later →").click()
    expect(cards).to_have_count(MORE)
    shown = cards.evaluate_all("cs => cs.map(c => +c.dataset.annotationId)")
    assert shown == [a.pk for a in order[PANEL_PAGE_SIZE:]]
    assert_no_reload(page)  # the panel alone came, through htmx

    # A card of the later page flashes its passage (found from where the card says it is).
    later = order[PANEL_PAGE_SIZE + 2]
    page.locator(f"#card-{later.pk} .card-meta").click()
    expect(page.locator("#article-body mark.flash")).to_have_text([later.exact])

    # A highlight whose card is on the first page brings that page back, its card focused.
    first = order[0]
    page.locator(f"#article-body mark#annotation-{first.pk}").click()
    expect(page.locator(f"#card-{first.pk}")).to_be_focused()
    expect(cards).to_have_count(PANEL_PAGE_SIZE)
    assert_no_reload(page)


def test_later_cards_are_a_link_away_without_javascript(make_page, live_server, alice, seed):
    order = annotate_words(seed, alice, PANEL_PAGE_SIZE + MORE)
    page = make_page(java_script_enabled=False)
    page.goto(live_server.url + seed.get_absolute_url())
    page.locator("#reader-cards .pager").get_by_role("link", name="Later →").click()
    page.wait_for_load_state()
    assert page.url.endswith("?page=2")
    cards = page.locator("#annotation-list > li.card")
    assert cards.evaluate_all("cs => cs.map(c => +c.dataset.annotationId)") == [
        a.pk for a in order[PANEL_PAGE_SIZE:]
    ]
    # Each card's quote still links to its passage in the body.
    later = order[-1]
    page.locator(f"#card-{later.pk} .card-quote a").click()
    assert page.url.endswith(f"?page=2#annotation-{later.pk}")
    assert page.locator(f"#article-body mark#annotation-{later.pk}").inner_text() == later.exact

"""Selecting text makes highlights and claims in place: across paragraphs, overlapping, orphans."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.core.services import annotation_create
from annotations.models import Annotation
from tests.browser.conftest import login
from tests.browser.reader_page import (
    BACKGROUND_JS,
    QUOTE,
    assert_no_reload,
    open_reader,
    posted_selectors,
    select,
)
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_from_a_selection_in_the_status_colour_without_reload(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    page.wait_for_selector("#selection-toolbar:not([hidden])")

    page.click("#selection-toolbar [data-action=claim]")
    # The claim form's statement, holding the passage selected: the quick syntax replaces it.
    assert page.evaluate("document.activeElement.id") == "composer-claim-title"
    page.keyboard.type("unverified: terrorists claim")
    sent = posted_selectors(page, lambda: page.keyboard.press("Enter"))

    # The browser's offsets agree with the server's plain text, character for character.
    start = seed.body_text.index(QUOTE)
    assert (sent["exact"], int(sent["start"]), int(sent["end"])) == (
        QUOTE, start, start + len(QUOTE),
    )  # fmt: skip
    assert seed.body_text[start - 32 : start] == sent["prefix"]
    assert seed.body_text[start + len(QUOTE) :][:32] == sent["suffix"]

    card = page.locator(".card", has_text="terrorists claim")
    card.wait_for()
    mark = page.locator("#article-body mark.hl-status-unverified")
    assert mark.inner_text() == QUOTE
    r, g, b, alpha = mark.evaluate(BACKGROUND_JS)
    assert [round(r), round(g), round(b)] == [0xF2, 0xC9, 0x4C]  # unverified's colour
    assert 0.2 < alpha < 0.7
    assert_no_reload(page)
    assert page.locator("#selection-toolbar").is_hidden()

    page.reload()
    assert page.locator("#article-body mark.hl-status-unverified").inner_text() == QUOTE
    assert page.locator(".card", has_text="terrorists claim").count() == 1
    annotation = Annotation.objects.get()
    assert (annotation.claim.title, annotation.claim.status.slug) == (
        "terrorists claim",
        "unverified",
    )


def test_selection_across_two_paragraphs_with_the_highlight_key(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    first_end = "hundreds of people have been arrested."
    second_start = "HRW recalled that"
    select(page, first_end, second_start)
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    sent = posted_selectors(page, lambda: page.keyboard.press("h"))

    start = seed.body_text.index(first_end)
    end = seed.body_text.index(second_start) + len(second_start)
    assert (int(sent["start"]), int(sent["end"])) == (start, end)
    assert sent["exact"] == seed.body_text[start:end] and "\n\n" in sent["exact"]

    page.locator(".card", has_text="hundreds of people").wait_for()
    pk = Annotation.objects.get().pk
    runs = page.locator(f'#article-body mark[data-annotation-id="{pk}"]')
    assert runs.all_inner_texts() == [first_end, second_start]
    blocks = runs.evaluate_all("ms => ms.map(m => m.closest('[data-start]').id)")
    assert len(set(blocks)) == 2  # one run in each paragraph, none across them
    assert_no_reload(page)


def test_two_overlapping_highlights(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    for quote in ("security forces and the Army to shoot", "shoot to kill without warning"):
        select(page, quote)
        page.wait_for_selector("#selection-toolbar:not([hidden])")
        page.click("#selection-toolbar [data-action=highlight]")
        page.locator(".card", has_text=quote).wait_for()
    first, second = Annotation.objects.order_by("pk")
    for annotation in (first, second):
        assert seed.body_text[annotation.start : annotation.end] == annotation.exact
    # Where they overlap, the mark is the innermost's (the shorter, the second).
    both = page.locator(f'mark.hl-overlap[data-annotation-id="{second.pk}"]')
    assert both.inner_text() == "shoot"
    alone = page.locator(f'mark[data-annotation-id="{first.pk}"]')
    overlap = both.evaluate(BACKGROUND_JS)
    assert overlap[3] > alone.evaluate(BACKGROUND_JS)[3]  # overlaps are a stronger shade
    # Clicking a highlight focuses its card; clicking a card flashes its passage.
    alone.first.click()
    assert page.evaluate("document.activeElement.id") == f"card-{first.pk}"
    page.locator(f"#card-{second.pk} .card-meta").click()
    flashed = page.locator("#article-body mark.flash")
    expect(flashed).to_have_text(["shoot", " to kill without warning"])
    expect(flashed).to_have_count(0, timeout=5000)
    # The first's passage is found by where it is, the overlap (the second's mark) too.
    page.locator(f"#card-{first.pk} .card-meta").click()
    expect(flashed).to_have_text(["security forces and the Army to ", "shoot"])
    assert_no_reload(page)


def test_a_new_claim_joins_the_cards_shown_in_reading_order(page, live_server, alice, seed):
    """Saving answers with one card and one repainted paragraph; the panel stays as it was."""
    before = annotation_create(
        article=seed, author=alice, exact="Khabar 24", tags="unverified: broadcast claim"
    )
    after = annotation_create(
        article=seed, author=alice, exact="HRW recalled that", tags="unverified: recall claim"
    )
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    page.evaluate("document.getElementById('reader-cards').dataset.probe = 'kept'")
    select(page, QUOTE)
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    page.click("#selection-toolbar [data-action=claim]")
    page.keyboard.type("unverified: terrorists claim")
    sent = posted_selectors(page, lambda: page.keyboard.press("Enter"))
    assert sent["shown"] == f"{before.pk},{after.pk}"

    page.locator(".card", has_text="terrorists claim").wait_for()
    new = Annotation.objects.latest("pk")
    order = page.eval_on_selector_all(
        "#annotation-list > li", "cards => cards.map(c => c.dataset.annotationId)"
    )
    assert order == [str(before.pk), str(new.pk), str(after.pk)]
    assert page.evaluate("document.getElementById('reader-cards').dataset.probe") == "kept"
    assert page.locator("#annotations-count").inner_text() == "3 annotations"
    mark = page.locator(f'#article-body mark[data-annotation-id="{new.pk}"]')
    assert mark.inner_text() == QUOTE and "hl-status-unverified" in mark.get_attribute("class")
    assert page.locator("#article-body [hx-swap-oob]").count() == 0
    duplicates = page.evaluate(
        "(() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.filter((id, i) => ids.indexOf(id) !== i); })()"
    )
    assert duplicates == []
    painted = page.inner_html("#article-body")
    assert_no_reload(page)

    page.reload()
    assert page.inner_html("#article-body") == painted  # as the server paints it whole
    order = page.eval_on_selector_all(
        "#annotation-list > li", "cards => cards.map(c => c.dataset.annotationId)"
    )
    assert order == [str(before.pk), str(new.pk), str(after.pk)]


def test_offsets_count_characters_beyond_the_basic_plane(page, live_server, alice):
    article = make_article(body="Before 🙂 and 𝒳 here.\n\nThen *the quote* we want.")
    login(page, live_server, alice)
    open_reader(page, live_server, article)
    select(page, "the quote we")
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    sent = posted_selectors(page, lambda: page.keyboard.press("h"))
    start = article.body_text.index("the quote we")  # Python counts code points
    assert (int(sent["start"]), sent["exact"]) == (start, "the quote we")
    page.locator(".card", has_text="the quote we").wait_for()


def test_an_orphan_is_reattached_to_the_passage_selected_in_the_article(
    page, live_server, alice, seed
):
    orphan = annotation_create(article=seed, author=alice, exact="Khabar 24", note="Lost")
    # As a revision leaves it: the passage is gone, the annotation keeps its old quote.
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphan", start=None, end=None)
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    form = page.locator(f"#orphan-{orphan.pk} form[data-reattach]")
    assert page.locator(f'mark[data-annotation-id="{orphan.pk}"]').count() == 0

    select(page, QUOTE)  # the reader's selection fills the orphan's form
    expect_value = form.locator("textarea[name=exact]")
    page.wait_for_function("el => el.value.length > 0", arg=expect_value.element_handle())
    assert expect_value.input_value() == QUOTE
    start = seed.body_text.index(QUOTE)
    assert form.locator("input[name=start]").input_value() == str(start)
    form.get_by_role("button", name="Re-attach").click()

    mark = page.locator(f'#article-body mark[data-annotation-id="{orphan.pk}"]')
    mark.wait_for()
    assert mark.inner_text() == QUOTE
    assert page.locator(f"#orphan-{orphan.pk}").count() == 0
    page.locator(f"#card-{orphan.pk} .anchor-original").wait_for()  # the old quote, kept
    orphan.refresh_from_db()
    assert (orphan.anchor, orphan.start, orphan.original_exact) == ("exact", start, "Khabar 24")
    assert_no_reload(page)

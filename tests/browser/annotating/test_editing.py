"""Editing in place: notes inline, delete and undo, shortcuts, links, pages without JavaScript."""

from __future__ import annotations

import pytest

from annotations.core.services import annotation_create, label_create
from annotations.models import Annotation
from tests.browser.conftest import login
from tests.browser.reader_page import BACKGROUND_JS, QUOTE, assert_no_reload, open_reader, select
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_a_note_inline(page, live_server, alice, seed):
    annotation = annotation_create(article=seed, author=alice, exact="Khabar 24", note="first")
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    card = page.locator(f"#card-{annotation.pk}")
    card.get_by_role("link", name="Edit", exact=True).click()
    note = page.locator(f"#note-{annotation.pk}")
    note.fill("A **state** broadcaster.")
    page.locator(f"#card-{annotation.pk}").get_by_role("button", name="Save").click()
    page.locator(f"#card-{annotation.pk} .card-note strong").wait_for()
    assert page.locator(f"#card-{annotation.pk} .card-note").inner_text() == "A state broadcaster."
    annotation.refresh_from_db()
    assert annotation.note == "A **state** broadcaster."
    assert_no_reload(page)


def test_a_claim_edited_in_its_card_comes_back_as_the_readers_card(page, live_server, alice, seed):
    # The claims page answers with a redirect to the reader's card: htmx follows it (still an
    # htmx request) and swaps in the card and the body painted in the new status's colour.
    annotation = annotation_create(
        article=seed, author=alice, exact="Khabar 24", tags="unverified: state broadcaster"
    )
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    card = page.locator(f"#card-{annotation.pk}")
    card.locator("details.card-more > summary").click()
    card.get_by_role("link", name="Edit claim").click()
    card.locator("select[name=status]").select_option(label="verified")
    card.get_by_role("button", name="Save claim").click()
    page.locator(f'mark.hl-status-verified[data-annotation-id="{annotation.pk}"]').wait_for()
    assert card.locator(".status-pill").text_content().strip() == "verified"
    assert page.locator("header.site-header").count() == 1  # a card, not a page, came back
    assert_no_reload(page)


def test_delete_and_undo(page, live_server, alice, seed):
    annotation = annotation_create(article=seed, author=alice, exact="Khabar 24")
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    mark = page.locator(f'mark[data-annotation-id="{annotation.pk}"]')
    assert mark.count() == 1
    page.locator(f"#card-{annotation.pk}").get_by_role("button", name="Delete").click()
    page.get_by_text("Deleted.").wait_for()
    assert mark.count() == 0
    page.locator(f"#card-{annotation.pk}").get_by_role("button", name="Undo").click()
    page.locator(f"#card-{annotation.pk} .card-quote").wait_for()
    assert mark.count() == 1
    annotation.refresh_from_db()
    assert annotation.deleted_at is None
    assert_no_reload(page)


def test_someone_else_cannot_edit_and_a_forged_post_is_refused(page, live_server, alice, seed):
    annotation = annotation_create(article=seed, author=alice, exact="Khabar 24", note="mine")
    bob = make_user(username="bob")
    login(page, live_server, bob)
    open_reader(page, live_server, seed)
    card = page.locator(f"#card-{annotation.pk}")
    assert card.inner_text().startswith("Khabar 24")
    assert card.locator(".card-actions").count() == 0  # no edit controls for bob
    status = page.evaluate(
        """async (pk) => {
            const headers = JSON.parse(document.body.getAttribute("hx-headers"));
            const body = new URLSearchParams({note: "forged", visibility: "shared", version: "1"});
            const url = `/annotations/${pk}/edit/`;
            const response = await fetch(url, {method: "POST", headers, body});
            return response.status;
        }""",
        annotation.pk,
    )
    assert status == 403
    annotation.refresh_from_db()
    assert annotation.note == "mine"


def test_label_shortcut_key_tags_the_selection_and_highlights_can_be_hidden(
    page, live_server, alice, seed
):
    label_create(
        user=make_user(role="moderator"), name="loaded words", colour="#c2185b", shortcut="l"
    )
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    assert "l</kbd> loaded words" in page.locator(".annotations-hint").inner_html()
    select(page, "Stupidity")
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    page.keyboard.press("l")
    page.locator(".card .chip", has_text="loaded words").wait_for()
    mark = page.locator("#article-body mark.hl-tag-loaded-words")
    assert mark.inner_text() == "Stupidity"
    assert [round(c) for c in mark.evaluate(BACKGROUND_JS)[:3]] == [0xC2, 0x18, 0x5B]

    page.get_by_role("button", name="Hide highlights").click()
    assert "highlights-off" in page.evaluate("document.body.className")
    # No background at all, once the short fade is over.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('mark.hl')).backgroundColor"
        " === 'rgba(0, 0, 0, 0)'"
    )
    page.reload()  # the choice is remembered
    assert (
        page.get_by_role("button", name="Show highlights").get_attribute("aria-pressed") == "true"
    )
    page.get_by_role("button", name="Show highlights").click()
    assert "highlights-off" not in page.evaluate("document.body.className")


def test_claim_page_links_to_the_passage_which_flashes(page, live_server, alice, seed):
    annotation = annotation_create(
        article=seed, author=alice, exact=QUOTE, tags="unverified: terrorists claim"
    )
    page.goto(f"{live_server.url}/claims/terrorists-claim/")
    page.locator(".passage a").click()
    page.wait_for_url(f"**/articles/{seed.pk}/#annotation-{annotation.pk}")
    mark = page.locator(f"#annotation-{annotation.pk}")
    assert mark.evaluate("m => m.matches(':target')")
    assert mark.evaluate("m => getComputedStyle(m).animationName") == "an-flash"
    page.wait_for_selector(f"#card-{annotation.pk}.flash")  # the JS fallback flashes its card


def test_without_javascript_the_forms_post_whole_pages(browser, live_server, alice, seed):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, alice)
    page.goto(f"{live_server.url}{seed.get_absolute_url()}")
    page.fill("#composer-exact", "Khabar 24")
    page.fill("#tags-new", "misleading: state portal claim")
    page.click("#composer button[type=submit]")
    annotation = Annotation.objects.get()
    assert page.url.endswith(f"{seed.get_absolute_url()}#annotation-{annotation.pk}")
    assert page.locator(".messages").inner_text() == "Annotation saved."
    assert page.locator("#article-body mark.hl-status-misleading").inner_text() == "Khabar 24"
    page.locator(f"#card-{annotation.pk}").get_by_role("link", name="Edit", exact=True).click()
    page.fill(f"#note-{annotation.pk}", "Edited without JavaScript")
    page.get_by_role("button", name="Save").click()
    assert page.locator(f"#card-{annotation.pk} .card-note").inner_text() == (
        "Edited without JavaScript"
    )
    context.close()

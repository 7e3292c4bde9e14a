"""Point 5: everyone can work: the keyboard alone, a phone, a reader's private notes, and no
axe-core violation of any impact on the reader, claim, search, queue and import pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.browser.desk.conftest import CLAIMED, axe_violations
from tests.browser.reader_page import QUOTE, open_reader, select
from tests.factories import make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_keyboard_alone_annotates_a_passage(make_page, live_server, alice, seed):
    page = make_page(user=alice)
    open_reader(page, live_server, seed)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")  # to the content
    page.keyboard.press("s")  # choose a passage: the first sentence in view is selected
    page.wait_for_function("getSelection().toString().length > 0")
    first = page.evaluate("getSelection().toString()")
    page.keyboard.press("ArrowDown")  # the next sentence
    page.keyboard.press("Shift+ArrowRight")  # and the one after it
    chosen = page.evaluate("getSelection().toString()")
    assert chosen != first and len(chosen) > 20
    page.keyboard.press("Enter")  # hand it to the toolbar, whose first button has the focus
    assert page.evaluate("document.activeElement.dataset.action") == "highlight"
    page.keyboard.press("ArrowRight")  # Comment
    page.keyboard.press("Enter")
    page.keyboard.type("Said by the ministry, with no source.")
    page.keyboard.press("Tab")  # past "Mark it as a claim"
    page.keyboard.press("Tab")  # to the tags
    page.keyboard.type("sourcing")
    page.locator("#composer").get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.locator("#annotation-list .card").first.wait_for()
    annotation = Annotation.objects.get()
    assert annotation.note == "Said by the ministry, with no source."
    assert [label.name for label in annotation.labels.all()] == ["sourcing"]
    assert " ".join(annotation.exact.split()) == " ".join(chosen.split())


def test_highlights_are_focusable_and_announced(make_page, live_server, alice, claimed):
    page = make_page(user=alice)
    open_reader(page, live_server, claimed.article)
    mark = page.locator(f"mark#annotation-{claimed.pk}")
    assert mark.get_attribute("tabindex") == "0"
    assert mark.get_attribute("aria-label").startswith(f"Claim, unverified: {CLAIMED}")
    mark.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement.id === 'card-{claimed.pk}'")


def test_on_a_phone_a_tapped_highlight_shows_its_card_where_you_are(
    make_page, live_server, alice, claimed
):
    page = make_page(user=alice, viewport=PHONE, is_mobile=True, has_touch=True)
    open_reader(page, live_server, claimed.article)
    mark = page.locator(f"mark#annotation-{claimed.pk}")
    mark.scroll_into_view_if_needed()
    before = page.evaluate("scrollY")
    mark.tap()
    card = page.locator(f"#card-{claimed.pk}.is-sheet")
    card.wait_for()
    assert abs(page.evaluate("scrollY") - before) < 5  # no jump to the panel
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] + 1
    assert card.get_by_role("button", name="Close this card").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(".card.is-sheet").count() == 0


def test_on_a_phone_the_composer_is_a_sheet_with_save_in_view(make_page, live_server, alice, seed):
    page = make_page(user=alice, viewport=PHONE, is_mobile=True, has_touch=True)
    open_reader(page, live_server, seed)
    select(page, QUOTE, pointer="touch")
    page.locator("#selection-toolbar").get_by_role("button", name="Claim").tap()
    shell = page.locator("#composer-shell.is-sheet")
    shell.wait_for()
    save = page.locator("#composer").get_by_role("button", name="Save")
    box = save.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    save.tap()
    page.locator("#annotation-list .card").first.wait_for(state="attached")
    assert Annotation.objects.get().claim.title == QUOTE


def test_a_reader_keeps_private_highlights(make_page, live_server, seed):
    reader = make_user(role="reader")
    page = make_page(user=reader)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    toolbar = page.locator("#selection-toolbar")
    assert toolbar.get_by_role("button", name="Claim").count() == 0  # claims are shared work
    toolbar.get_by_role("button", name="Highlight").click()
    page.locator("#annotation-list .card.is-private").wait_for()
    annotation = Annotation.objects.get()
    assert annotation.author == reader and annotation.visibility == "private"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_desks_pages(make_page, live_server, moderator, claimed, scheme):
    editor = make_staff(permissions=("articles.add_article", "articles.view_article"))
    pages = {
        "reader": (moderator, claimed.article.get_absolute_url()),
        "claim": (moderator, claimed.claim.get_absolute_url()),
        "queues": (moderator, reverse("collab:queues")),
        "import": (editor, reverse("admin:articles_article_import")),
        "search": (moderator, reverse("annotations:search") + "?q=criminals"),
    }
    found = {}
    for name, (user, url) in pages.items():
        page = make_page(user=user, color_scheme=scheme)
        page.goto(live_server.url + url)
        if name == "reader":  # the card's desk open, as it is worked in
            page.locator(f"#card-{claimed.pk} details.card-desk > summary").click()
            page.locator(f"#card-{claimed.pk} .desk").wait_for()
        found[name] = axe_violations(page)
    assert found == {name: [] for name in pages}

"""Annotating in Chromium: selecting text, the toolbar, inline editing, two users."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth.models import Group

from annotations.defaults import create_defaults
from annotations.models import Annotation, Label
from annotations.services import annotation_create, label_create
from tests.browser.conftest import login
from tests.factories import make_article, make_seed_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "armed and trained criminals, both nationals and foreigners"
SHOTS = Path(os.environ.get("SHOTS_DIR", Path(tempfile.gettempdir()) / "shots-annotate"))

# Select from the start of `start_text` to the end of `end_text` (searched from there on), as a
# user would: a Range over the text nodes, then the pointer is released.
SELECT_JS = """
([startText, endText, pointerType]) => {
  const root = document.getElementById("article-body");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, all.length]);
    all += n.data;
  }
  const s = all.indexOf(startText);
  if (s < 0) throw new Error("not in the page: " + startText);
  const e = all.indexOf(endText, s) + endText.length;
  const at = (pos, isEnd) => {
    for (const [n, off] of nodes) {
      const end = off + n.data.length;
      if (isEnd ? pos > off && pos <= end : pos >= off && pos < end) return [n, pos - off];
    }
  };
  document.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true, pointerType}));
  const range = document.createRange();
  range.setStart(...at(s, false));
  range.setEnd(...at(e, true));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  if (pointerType !== "touch") {
    document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true, pointerType}));
  }
  const rect = range.getBoundingClientRect();
  return {top: rect.top + scrollY, bottom: rect.bottom + scrollY};
}
"""

# The computed background of an element as [r, g, b, alpha] (0-255 and 0-1).
BACKGROUND_JS = """
(element) => {
  const value = getComputedStyle(element).backgroundColor;
  const n = value.match(/[\\d.]+/g).map(Number);
  const scale = value.startsWith("color(") ? 255 : 1;
  return [n[0] * scale, n[1] * scale, n[2] * scale, n.length > 3 ? n[3] : 1];
}
"""


@pytest.fixture(autouse=True)
def statuses(transactional_db):
    # Transactional tests flush the tables the data migration filled.
    create_defaults(Label, Group)


@pytest.fixture
def alice():
    return make_user(username="alice")


@pytest.fixture
def seed(seed_path):
    return make_seed_article(seed_path)


def select(page, start_text, end_text=None, pointer="mouse"):
    return page.evaluate(SELECT_JS, [start_text, end_text or start_text, pointer])


def posted_selectors(page, action):
    """Run action and return the form fields of the annotation-creating POST it sends."""
    with page.expect_request(lambda r: r.method == "POST" and "/annotations/new/" in r.url) as req:
        action()
    return dict(parse_qsl(req.value.post_data, keep_blank_values=True))


def open_reader(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.evaluate("window.__noReload = 'still here'")


def assert_no_reload(page):
    assert page.evaluate("window.__noReload") == "still here"


def test_claim_from_a_selection_in_the_status_colour_without_reload(page, live_server, alice, seed):
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    select(page, QUOTE)
    page.wait_for_selector("#selection-toolbar:not([hidden])")

    page.click("#selection-toolbar [data-action=claim]")
    assert page.evaluate("document.activeElement.id") == "tags-new"
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
    runs = page.locator(f'#article-body mark[data-annotations~="{pk}"]')
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
    both = page.locator(f'mark[data-annotations="{first.pk} {second.pk}"]')
    assert both.inner_text() == "shoot"
    assert "hl-overlap" in both.get_attribute("class")
    alone = page.locator(f'mark[data-annotations="{first.pk}"]').evaluate(BACKGROUND_JS)
    overlap = both.evaluate(BACKGROUND_JS)
    assert overlap[3] > alone[3]  # overlaps are a stronger shade
    # Clicking a highlight focuses its card; clicking a card flashes its passage.
    page.locator(f'mark[data-annotations="{first.pk}"]').first.click()
    assert page.evaluate("document.activeElement.id") == f"card-{first.pk}"
    page.locator(f"#card-{second.pk} .card-meta").click()
    page.wait_for_selector(f'mark.flash[data-annotations~="{second.pk}"]')
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
    mark = page.locator(f'#article-body mark[data-annotations="{new.pk}"]')
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


def test_delete_and_undo(page, live_server, alice, seed):
    annotation = annotation_create(article=seed, author=alice, exact="Khabar 24")
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    mark = page.locator(f'mark[data-annotations~="{annotation.pk}"]')
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
    assert page.locator(f'mark[data-annotations~="{orphan.pk}"]').count() == 0

    select(page, QUOTE)  # the reader's selection fills the orphan's form
    expect_value = form.locator("textarea[name=exact]")
    page.wait_for_function("el => el.value.length > 0", arg=expect_value.element_handle())
    assert expect_value.input_value() == QUOTE
    start = seed.body_text.index(QUOTE)
    assert form.locator("input[name=start]").input_value() == str(start)
    form.get_by_role("button", name="Re-attach").click()

    mark = page.locator(f'#article-body mark[data-annotations~="{orphan.pk}"]')
    mark.wait_for()
    assert mark.inner_text() == QUOTE
    assert page.locator(f"#orphan-{orphan.pk}").count() == 0
    page.locator(f"#card-{orphan.pk} .anchor-original").wait_for()  # the old quote, kept
    orphan.refresh_from_db()
    assert (orphan.anchor, orphan.start, orphan.original_exact) == ("exact", start, "Khabar 24")
    assert_no_reload(page)


# --- looking at it -----------------------------------------------------------------------------


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


READABILITY_JS = """
() => Array.from(document.querySelectorAll("#article-body mark.hl")).map((mark) => {
  const parse = (value) => {
    const n = value.match(/[\\d.]+/g).map(Number);
    const scale = value.startsWith("color(") ? 255 : 1;
    return [n[0] * scale, n[1] * scale, n[2] * scale, n.length > 3 ? n[3] : 1];
  };
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const bg = parse(getComputedStyle(mark).backgroundColor);
  const text = parse(getComputedStyle(mark).color);
  const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3]));
  // A transparent page shows the browser's canvas: white, or #121212 in dark mode.
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  const base = page[3] === 0 ? (dark ? [18, 18, 18] : [255, 255, 255]) : page;
  return {cls: mark.className, bg: over(bg, base), text: text.slice(0, 3)};
})
"""


def annotate_every_status(article, author):
    text = article.body_text
    words = re.findall(r"\b\w{6,}\b", text)
    used = set()
    annotations = []
    for status in Label.objects.statuses():
        word = next(w for w in words if w not in used)
        used.add(word)
        annotations.append(
            annotation_create(
                article=article, author=author, exact=word, tags=f"{status.name}: {word} claim"
            )
        )
    return annotations


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlights_are_readable_and_look_right(browser, live_server, alice, seed, scheme):
    """Save screenshots to look at, and check text on every status colour stays readable."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    annotate_every_status(seed, alice)
    annotation_create(
        article=seed, author=alice, exact="security forces and the Army to shoot", tags="context"
    )
    annotation_create(
        article=seed, author=alice, exact="shoot to kill without warning",
        tags="verified: shoot-to-kill order", note="Said in a televised speech.",
    )  # fmt: skip
    annotation_create(article=seed, author=alice, exact=QUOTE, tags="unverified: terrorists claim")
    annotation_create(article=seed, author=alice, note="Compare with the ministry's statement.")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    page.screenshot(path=SHOTS / f"reader-{scheme}.png")
    page.locator("mark.hl-status-unverified").first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"reader-{scheme}-claims.png")
    select(page, "Is it possible to negotiate with criminals and murderers?")
    page.click("#selection-toolbar [data-action=claim]")
    page.keyboard.type("fal")
    page.screenshot(path=SHOTS / f"composer-{scheme}.png")
    page.goto(f"{live_server.url}/claims/")
    page.screenshot(path=SHOTS / f"claims-{scheme}.png")
    page.goto(f"{live_server.url}/claims/terrorists-claim/")
    page.screenshot(path=SHOTS / f"claim-{scheme}.png", full_page=True)

    page.goto(f"{live_server.url}{seed.get_absolute_url()}")
    for mark in page.evaluate(READABILITY_JS):
        ratio = contrast(mark["bg"], mark["text"])
        assert ratio >= 4.5, f"{mark['cls']} text contrast {ratio:.2f} in {scheme}"
    context.close()


def test_phone_touch_selection_puts_the_toolbar_below(browser, live_server, alice, seed):
    SHOTS.mkdir(parents=True, exist_ok=True)
    annotation_create(article=seed, author=alice, exact=QUOTE, tags="unverified: terrorists claim")
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    login(page, live_server, alice)
    open_reader(page, live_server, seed)
    page.locator("mark.hl").first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "phone-reader.png")
    selected = select(page, "the antiterrorist operation continues", pointer="touch")
    toolbar = page.locator("#selection-toolbar")
    toolbar.wait_for(state="visible")
    box = toolbar.bounding_box()
    scroll = page.evaluate("scrollY")
    assert box["y"] + scroll >= selected["bottom"]  # below, clear of the system's own menu
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=SHOTS / "phone-toolbar.png")
    page.click("#selection-toolbar [data-action=claim]")
    sheet = page.locator("#composer-shell")
    assert "is-sheet" in sheet.get_attribute("class")
    page.keyboard.type("disputed: antiterrorist operation")
    page.screenshot(path=SHOTS / "phone-composer.png")
    page.keyboard.press("Enter")
    page.locator(".card", has_text="antiterrorist operation").wait_for()
    assert_no_reload(page)
    page.screenshot(path=SHOTS / "phone-after.png", full_page=False)
    context.close()

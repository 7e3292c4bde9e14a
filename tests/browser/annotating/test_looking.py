"""How highlights look: readable in light and dark, and the toolbar on a phone."""

from __future__ import annotations

import re

import pytest

from annotations.core.services import annotation_create
from annotations.models import Label
from tests.browser.conftest import login
from tests.browser.reader_page import QUOTE, SHOTS, assert_no_reload, open_reader, select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

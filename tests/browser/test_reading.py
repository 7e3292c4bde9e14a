import re

import pytest
from django.urls import reverse

from tests.factories import make_article, make_seed_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Width of the article body in characters of the body font ("0"s, as CSS's ch unit).
MEASURE_JS = """() => {
  const body = document.querySelector('.article-body');
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;width:1ch';
  body.appendChild(probe);
  const ch = probe.getBoundingClientRect().width;
  probe.remove();
  return body.getBoundingClientRect().width / ch;
}"""


# Average characters on a full line of a paragraph (its last line may be short, so skip it).
CHARS_PER_LINE_JS = """p => {
  const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
  const lines = Math.round(p.getBoundingClientRect().height / lineHeight);
  const words = p.textContent.split(' ');
  let best = 0;
  for (let n = 1; n <= words.length; n++) {
    const probe = p.cloneNode();
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
    probe.textContent = words.slice(0, n).join(' ');
    p.parentNode.appendChild(probe);
    const fits = probe.getBoundingClientRect().width <= p.clientWidth;
    probe.remove();
    if (!fits) break;
    best = probe.textContent.length;
  }
  return lines > 1 ? best : p.textContent.length;
}"""


@pytest.fixture
def seed_article(seed_path):
    return make_seed_article(seed_path, source_name="Seed Wire", byline="A. Reporter")


def first_paragraph(article) -> str:
    return article.body_text.split("\n\n")[1]


def test_reader_page_is_readable_with_javascript_off(live_server, make_page, seed_article):
    page = make_page(java_script_enabled=False)

    page.goto(live_server.url + seed_article.get_absolute_url())

    assert page.locator("h1").inner_text() == seed_article.title
    body = page.locator(f'.article-body[data-article-id="{seed_article.pk}"]')
    assert body.is_visible()
    paragraph = body.locator("p:not(.caption)").first
    assert paragraph.is_visible()
    assert paragraph.inner_text() == first_paragraph(seed_article)
    assert body.locator("p.caption").first.is_visible()


def test_reader_page_keeps_a_comfortable_measure(live_server, page, seed_article):
    page.goto(live_server.url + seed_article.get_absolute_url())

    assert 60 <= page.evaluate(MEASURE_JS) <= 72
    paragraph = page.locator(".article-body p:not(.caption)").first
    assert 62 <= paragraph.evaluate(CHARS_PER_LINE_JS) <= 78
    line_height = page.locator(".article-body p:not(.caption)").first.evaluate(
        "p => parseFloat(getComputedStyle(p).lineHeight) / parseFloat(getComputedStyle(p).fontSize)"
    )
    assert 1.5 <= line_height <= 1.7


def test_caption_is_set_apart_from_the_text(live_server, page, seed_article):
    page.goto(live_server.url + seed_article.get_absolute_url())

    style = "el => [getComputedStyle(el).fontSize, getComputedStyle(el).color]"
    caption = page.locator(".article-body p.caption").first.evaluate(style)
    text = page.locator(".article-body p:not(.caption)").first.evaluate(style)
    assert float(caption[0][:-2]) < float(text[0][:-2])
    assert caption[1] != text[1]


def test_reader_page_fits_a_phone(live_server, make_page, seed_article):
    page = make_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)

    page.goto(live_server.url + seed_article.get_absolute_url())

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    title_box = page.locator("h1").bounding_box()
    assert title_box["x"] >= 8
    assert title_box["x"] + title_box["width"] <= PHONE["width"] - 8
    assert page.locator(".article-body p").first.is_visible()


def test_dark_theme_follows_the_system_setting(live_server, make_page, seed_article):
    backgrounds = {}
    for scheme in ("light", "dark"):
        page = make_page(color_scheme=scheme)
        page.goto(live_server.url + seed_article.get_absolute_url())
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")

    def luminance(rgb: str) -> float:
        red, green, blue = (int(v) for v in re.findall(r"\d+", rgb)[:3])
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    assert luminance(backgrounds["light"]) > 200
    assert luminance(backgrounds["dark"]) < 50


def test_search_box_updates_results_as_you_type(live_server, page, seed_article):
    make_article(title="Harbour reopens", body="The harbour reopened on Monday.")
    page.goto(live_server.url + reverse("articles:list"))
    assert page.locator(".article-row").count() == 2

    page.locator("#search-q").fill("shoot to kill")

    page.wait_for_url(re.compile(r"\?q=shoot"))
    rows = page.locator(".article-row")
    rows.first.wait_for()
    assert rows.count() == 1
    assert rows.first.locator("mark").count() >= 1
    assert page.locator("h1").inner_text() == "Articles"  # the page was not replaced


def test_make_page_can_sign_a_user_in(live_server, make_page):
    user = make_user(username="alice")
    anonymous, signed_in = make_page(), make_page(user=user)

    for page in (anonymous, signed_in):
        page.goto(live_server.url + reverse("articles:list"))

    assert signed_in.locator(".who").inner_text() == "alice"
    assert anonymous.locator(".who").count() == 0
    assert anonymous.get_by_role("link", name="Sign in").is_visible()


def test_the_header_folds_into_a_menu_on_a_phone(live_server, make_page, seed_article):
    user = make_user(username="alice", role="moderator")
    phone = make_page(user=user, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(live_server.url + seed_article.get_absolute_url())

    links = phone.locator(".site-nav")
    assert not links.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] < 80  # one row: the name and the menu button
    phone.get_by_text("Menu", exact=True).click()
    for name in ("Articles", "Claims", "Queues", "Moderation", "Exports", "API tokens"):
        assert phone.get_by_role("link", name=name, exact=True).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = make_page(user=user)
    desk.goto(live_server.url + seed_article.get_absolute_url())
    assert desk.get_by_role("link", name="Moderation").is_visible()  # no menu to open
    assert not desk.get_by_role("link", name="API tokens").is_visible()  # under "Data"
    desk.get_by_text("Data", exact=True).click()
    assert desk.get_by_role("link", name="API tokens").is_visible()

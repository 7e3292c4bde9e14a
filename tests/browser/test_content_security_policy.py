"""The pages under the Content-Security-Policy in Chromium: nothing is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from annotations.core.defaults import create_defaults
from annotations.core.services import annotation_create
from annotations.models import Annotation, Label
from tests.browser.conftest import login
from tests.browser.reader_page import QUOTE, posted_selectors, select
from tests.factories import make_seed_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page (Playwright injects it outside the page's CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture(autouse=True)
def statuses(transactional_db):
    create_defaults(Label, Group)


def watch(page):
    """Record CSP violations and console errors of the page; return the list they go to."""
    problems = []

    def on_console(message):
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # Claimlens has no icon: the browser's guess at one is not the page's doing
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            problems.append(f"console {message.type}: {message.text}")

    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def violations(page):
    return page.evaluate("window.__violations")


def test_reading_and_annotating_break_no_rule_of_the_policy(page, live_server, seed_path):
    alice = make_user(username="alice")
    seed = make_seed_article(seed_path)
    annotation_create(article=seed, author=alice, exact="Khabar 24", note="A **broadcaster**.")
    problems = watch(page)
    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'" and "unsafe" not in policy["script-src"]
    login(page, live_server, alice)

    # The reader page, with its highlights, cards and chips in their colours.
    page.goto(f"{live_server.url}{seed.get_absolute_url()}")
    page.locator("#article-body mark").first.wait_for()
    assert page.evaluate("typeof htmx") == "object"  # the scripts ran
    # htmx added no <style> of its own (it would need 'unsafe-inline').
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    # Annotating: select, claim it from the toolbar, the card comes in by htmx.
    select(page, QUOTE)
    page.wait_for_selector("#selection-toolbar:not([hidden])")
    page.click("#selection-toolbar [data-action=claim]")
    page.keyboard.type("unverified: terrorists claim")
    posted_selectors(page, lambda: page.keyboard.press("Enter"))
    page.locator(".card", has_text="terrorists claim").wait_for()
    page.locator("#article-body mark.hl-status-unverified").wait_for()
    assert Annotation.objects.count() == 2

    # Inline editing of a note, swapped in by htmx.
    card = page.locator(".card", has_text="broadcaster")
    card.get_by_role("link", name="Edit", exact=True).click()
    card.get_by_role("button", name="Save").wait_for()
    card.get_by_role("button", name="Save").click()
    card.locator(".card-note strong").wait_for()

    # The claim page (it carries a JSON-LD block) and the tokens page (select-on-focus).
    claim = Annotation.objects.exclude(claim=None).get().claim
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    page.get_by_role("heading", name="terrorists claim").first.wait_for()
    page.goto(f"{live_server.url}/settings/tokens/")
    page.fill("input[name=name]", "sync")
    page.click("form.token-form button[type=submit]")
    field = page.locator("input[data-select-on-focus]")
    field.focus()
    assert page.evaluate("getSelection().toString() || document.activeElement.selectionEnd") != 0

    assert violations(page) == []
    assert problems == [], "\n".join(problems)

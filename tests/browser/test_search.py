"""Issue #15, point 3 in Chromium: find an annotation by its note and a claim by its claimant."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python
import pytest
from django.contrib.auth.models import Group

from annotations.core.defaults import create_defaults
from annotations.core.services import annotation_create
from annotations.models import Claim, Label
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")


def axe_violations(page) -> list[str]:
    """Run axe-core on the whole page (evaluated over DevTools, so the CSP allows it)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [f"{v['id']}: {v['help']}" for v in json.loads(result)["violations"]]


def test_search_finds_a_note_and_a_claimant_without_axe_violations(live_server, make_page):
    create_defaults(Label, Group)  # transactional tests flush what the data migration filled
    checker = make_user(username="checker", role="annotator")
    article = make_article(title="Harbour levy", body="The levy doubles next spring, said Olsen.")
    quote = "The levy doubles"
    annotation_create(
        article=article,
        author=checker,
        exact=quote,
        start=0,
        end=len(quote),
        note="Compare with the cormorant survey.",
        tags="unverified: levy doubles",
    )
    Claim.objects.filter(title="levy doubles").update(claimant="Harbourmaster Ingeborg Olsen")
    page = make_page(user=checker)

    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("search").first.get_by_label("Search articles, annotations and claims").fill(
        "cormorant"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=cormorant")
    hits = page.locator("#search-annotations li.search-hit")
    assert hits.count() == 1
    assert "cormorant" in hits.first.locator("mark").inner_text().lower()
    assert "Harbour levy" in hits.first.inner_text()
    assert axe_violations(page) == []
    # The filters are one line high, as the search box is (a select once stretched to 12rem).
    box = page.locator("#id_q").bounding_box()["height"]
    for name in ("kind", "status", "sort"):
        assert page.locator(f"select[name={name}]").bounding_box()["height"] <= 1.5 * box

    # Typing in the page's own box updates the results in place (htmx), then by claimant.
    page.locator("#id_q").fill("ingeborg")
    claim = page.locator("#search-claims li.search-hit")
    claim.first.wait_for()
    assert "Ingeborg" in claim.first.locator("mark").inner_text()
    assert page.locator("#search-annotations li.search-hit").count() == 0
    assert "q=ingeborg" in page.url
    page.locator("select[name=kind]").select_option("claims")
    page.wait_for_url("**kind=claims**")
    assert page.locator("#search-claims li.search-hit").count() == 1
    assert page.locator("#search-articles").count() == 0
    assert axe_violations(page) == []
    claim.first.get_by_role("link").click()
    page.wait_for_url("**/claims/levy-doubles/")

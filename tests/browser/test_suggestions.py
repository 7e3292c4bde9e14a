"""Issue #16 in Chromium: accept the seed's "shoot to kill" suggestion, then find it elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python
import pytest
from django.contrib.auth.models import Group

from annotations.core.defaults import create_defaults
from annotations.models import Claim, Label
from tests.factories import make_article, make_seed_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "shoot to kill without warning"
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")


def axe_violations(page, selector: str) -> list[str]:
    """Run axe-core on part of the page (evaluated over DevTools, so the CSP allows it)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (s) => JSON.stringify(await axe.run(document.querySelector(s)))", selector
    )
    return [f"{v['id']}: {v['help']}" for v in json.loads(result)["violations"]]


def test_accept_the_seeds_suggestion_and_add_another_outlets_report(
    live_server, make_page, seed_path
):
    create_defaults(Label, Group)  # transactional tests flush what the data migration filled
    checker = make_user(username="checker", password="pw", role="annotator")
    seed = make_seed_article(seed_path)
    other = make_article(
        title="Another outlet on Kazakhstan",
        body="The president spoke on television.\n\n"
        "“I have ordered the security forces and the Army to shoot to kill without warning,” "
        "Kassym-Jomart Tokayev said.",
    )
    page = make_page(user=checker)
    page.goto(f"{live_server.url}/articles/{seed.pk}/")
    panel = page.locator("#suggestions")
    item = panel.locator("li.suggestion", has_text=WORDS)
    assert "Kasim Jomart Tokayev" in item.inner_text()
    assert axe_violations(page, "#suggestions") == []
    # Each suggested passage is marked in the body, and the marks hide and come back.
    marks = "() => CSS.highlights.get('claim-suggestion')?.size ?? 0"
    shown = panel.locator("li.suggestion").count()
    assert page.evaluate(marks) == shown
    marked = page.evaluate(
        "() => [...CSS.highlights.get('claim-suggestion')].map((r) => r.toString())"
    )
    assert any(WORDS in text for text in marked)
    panel.get_by_role("button", name="Hide markers").click()
    assert page.evaluate(marks) == 0
    panel.get_by_role("button", name="Show markers").click()
    assert page.evaluate(marks) == shown

    item.get_by_role("button", name="Accept as claim").click()
    page.wait_for_url("**/edit/**")
    assert page.locator("input[name=claimant]").input_value() == "Kasim Jomart Tokayev"
    claim = Claim.objects.get(claimant="Kasim Jomart Tokayev")
    assert WORDS in claim.title and claim.status.slug == "unverified"

    page.goto(f"{live_server.url}/claims/{claim.slug}/where-else/")
    passage = page.locator("li.where-passage", has_text="Another outlet on Kazakhstan")
    assert WORDS in passage.inner_text()
    passage.get_by_role("button", name="Add as an appearance").click()
    page.wait_for_url(f"**/articles/{other.pk}/**")
    assert claim.appearances.filter(article=other).count() == 1
    assert claim.appearances.filter(article=seed).count() == 1

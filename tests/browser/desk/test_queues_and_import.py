"""Points 4 and 6: what waits for me, counted in the header and kept live; editors' import."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.collab import verdicts
from annotations.core.services import status_by_name
from articles.models import Article
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = """Harbour fees to double, council says

The council said on Monday that mooring fees would double next year.

Boats moored in the old harbour at dawn. REUTERS / Ann Lee

Fishers said the rise would end the fleet."""


def test_queues_list_my_work_and_count_it_live_in_the_header(
    make_page, live_server, bob, moderator, alice, claimed
):
    page = make_page(user=moderator)
    page.goto(live_server.url + reverse("collab:queues"))
    needs = page.locator("#queue-verdict")
    assert "criminals did it" in needs.inner_text()
    assert page.locator("#queue-badge .queue-count").inner_text() == "1"
    # Two verdicts later the claim waits for settlement, and the header says so, live.
    verdicts.verdict_record(claim=claimed.claim, user=alice, status=status_by_name("false"))
    verdicts.verdict_record(claim=claimed.claim, user=bob, status=status_by_name("false"))
    page.locator("#queue-settle").get_by_text("criminals did it").wait_for(timeout=20_000)
    page.locator("#queue-badge .queue-count").get_by_text("2").wait_for(timeout=25_000)
    verdicts.verdict_record(claim=claimed.claim, user=moderator, status=status_by_name("false"))
    needs.get_by_text("No claim waits for your verdict.").wait_for(timeout=20_000)


def test_an_editor_imports_from_the_menu_and_reaches_the_reader(make_page, live_server):
    editor = make_staff(permissions=("articles.add_article", "articles.view_article"))
    page = make_page(user=editor)
    page.goto(live_server.url + reverse("articles:list"))
    page.locator(".site-nav").get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Or paste an article").fill(ARTICLE)
    page.get_by_role("button", name="Preview").click()
    shown = page.locator("#import-as-read")
    assert shown.locator(".reader-title").inner_text() == "Harbour fees to double, council says"
    assert "Boats moored" in shown.locator(".caption").inner_text()  # a caption, as read
    page.get_by_role("button", name="Import 1 article").click()
    page.locator("#import-results").get_by_role(
        "link", name="Harbour fees to double, council says", exact=True
    ).click()
    article = Article.objects.get()
    assert page.url == live_server.url + article.get_absolute_url()
    assert page.locator("h1.reader-title").inner_text() == article.title

"""A write the server refuses for load says so in the reader, with when to try again."""

import pytest
from django.core.cache import caches

from annotations.models import Annotation
from tests.factories import make_seed_article, make_user

from .reader_page import open_reader, select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seed(seed_path):
    return make_seed_article(seed_path)


@pytest.fixture
def one_write_an_hour(settings):
    settings.CLAIMLENS_WRITE_RATE_USER = "1/h"
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def test_a_throttled_highlight_says_nothing_was_saved_and_when_to_retry(
    make_page, live_server, seed, one_write_an_hour
):
    alice = make_user(username="alice")
    page = make_page(user=alice)
    open_reader(page, live_server, seed)
    for quote in ("security forces and the Army to shoot", "shoot to kill without warning"):
        # The first highlight's answer repaints the body and clears the selection: wait for
        # it to be painted before selecting again, or the repaint hides the toolbar mid-click.
        select(page, quote)
        page.wait_for_selector("#selection-toolbar:not([hidden])")
        with page.expect_response(lambda r: "/annotations/new/" in r.url) as answer:
            page.click("#selection-toolbar [data-action=highlight]")
        if answer.value.ok:
            page.wait_for_selector("mark[data-annotation-id]")
            page.wait_for_selector("#selection-toolbar[hidden]", state="attached")
    assert answer.value.status == 429
    notice = page.locator(".reader-notice")
    notice.wait_for(state="visible")
    assert notice.inner_text().startswith("Too many changes at once: nothing was saved.")
    assert "Try again in " in notice.inner_text()
    assert Annotation.objects.count() == 1

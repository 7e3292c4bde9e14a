"""Playwright fixtures: Debian's Chromium, one browser per session, fresh pages per test.

    def test_something(live_server, page):              # a page with default settings
    def test_dark(live_server, make_page):
        page = make_page(color_scheme="dark", viewport={"width": 390, "height": 844})
    def test_two_users(live_server, make_page):
        alice, bob = make_page(user=alice_user), make_page(user=bob_user)  # signed in

Pages of a failed test are saved as test-artifacts/<test name>-<n>.png.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM would refuse to run
# beside it, though each call here is synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Return a headless Chromium shared by the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def make_page(browser, request):
    """Return a factory of pages, each in its own context (own cookies), closed after the test.

    Keyword arguments go to browser.new_context() (viewport, color_scheme,
    java_script_enabled, ...); user= signs that user in (needs the live_server fixture).
    """
    contexts = []

    def make(*, user=None, **context_args):
        context_args.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**context_args)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            live_server = request.getfixturevalue("live_server")
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        pages = [page for context in contexts for page in context.pages]
        for n, page in enumerate(pages, 1):
            with contextlib.suppress(PlaywrightError):  # a crashed page has nothing to show
                page.screenshot(path=ARTIFACTS / f"{name}-{n}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    """Return a fresh page at desktop size with JavaScript on."""
    return make_page()


def login(page, live_server, user, password="pw"):
    """Sign user in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")  # not the header's search form
    page.wait_for_load_state()

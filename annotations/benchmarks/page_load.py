"""What the reader bench measures beyond server time: the browser's load, and a profile.

- dom_content_loaded: the server's time for the page (cold) plus headless Chromium's
  (Playwright, Debian's /usr/bin/chromium) from navigation to DOMContentLoaded on those bytes:
  parsing, styling and the deferred scripts; static files come from the app's finders.
- profiled: cProfile of one request, its top functions by cumulative time.
"""

from __future__ import annotations

import cProfile
import io
import mimetypes
import os
import pstats
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connections

try:  # the browser tests' dependency: without it, the bench skips the browser's figure
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DCL_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return nav.domContentLoadedEventEnd - nav.startTime;
}"""


def dom_content_loaded(client, url: str, *, runs: int, before: Callable[[], None]) -> list[float]:
    """Return, per run, the milliseconds to DOMContentLoaded: the server's, then the browser's.

    Each run forgets what is cached (`before`), asks the server for the page (timed, in this
    greenlet: Django's connection is kept to this one), then lets Chromium load those bytes
    and its static files; its other requests (polls) are refused. Empty when Chromium or
    Playwright is missing.
    """
    if sync_playwright is None or not CHROMIUM.exists():
        return []
    # Playwright's sync API runs an event loop in this thread; every ORM call here is
    # synchronous all the same.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    origin = "http://testserver"
    page_response = {}
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: _answer(route, origin + url, page_response))
            page = context.new_page()
            for _ in range(runs):
                before()
                started = time.perf_counter()
                page_response["response"] = client.get(url)
                server = (time.perf_counter() - started) * 1000
                page.goto(origin + url, wait_until="domcontentloaded")
                timings.append(server + page.evaluate(DCL_JS))
                page.goto("about:blank")
        finally:
            # Inside Playwright's sync API the code runs in a greenlet, where Django keeps a
            # connection of its own: close it, or the bench could not drop its database.
            connections.close_all()
            browser.close()
    return timings


def _answer(route, page_url: str, page_response: dict) -> None:
    """Answer one of the browser's requests: the page fetched, static files from disk."""
    request = route.request
    if request.url == page_url and request.method == "GET":
        response = page_response["response"]
        headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status_code, body=response.content, headers=headers)
        return
    path = request.url.partition("//")[2].partition("/")[2]
    if not path.startswith("static/"):
        route.abort()  # the page's polls and presence pings: not what is measured
        return
    found = finders.find(path[len("static/") :].split("?")[0])
    if not found:
        route.fulfill(status=404, body="")
        return
    kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
    route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)


def profiled(call: Callable[[], object], top: int = 30) -> str:
    """Return one call's profile: the project's functions by cumulative time, then by own time."""
    profile = cProfile.Profile()
    profile.enable()
    call()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    # strip_dirs() leaves file names only; these are the reader's and painting's modules.
    ours = r"(page|building|rows|shared|painting|colours|views|reader_hooks|querysets|pages)\.py"
    stats.sort_stats("cumulative").print_stats(ours, top)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()

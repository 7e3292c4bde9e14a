"""The web-platform-tests annotation-protocol server page, run from another origin in Chromium.

The page (shared/conformance/annotation-protocol, snapshot of w3c/web-platform-tests) is served
by a plain HTTP server on another origin than the live server, as any client site would be, and
exercises the API across origins: CORS preflights, exposed headers, and everything the protocol
asks of containers and annotations. Two things are added to it, as its README allows: the
requests carry an API token (cookies never cross origins here), and the annotation it posts
targets one of our articles instead of www.example.com (our published constraint). The requests
go one at a time: the test database (SQLite in memory, shared cache) locks whole tables between
the live server's threads, where a real database lets the page's parallel requests through.
"""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotations.core.services import annotation_create
from annotations.interop.tokens import token_create
from config.settings import api_cors
from tests.conftest import shared_path
from tests.factories import make_seed_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUITE = shared_path("conformance", "annotation-protocol")
PAGE = "/annotation-protocol/server/server-manual.html"
PASS = 0
# What fails by design, with the reason. HTTPS: the test servers are plain HTTP on loopback.
# PUT: the page changes the target and sends no If-Match; both are refused by our published
# rules (/api/constraints#if-match and #put), so that no edit is overwritten blindly.
EXPECTED_FAILURES = {
    "Annotation server SHOULD use HTTPS rather than HTTP",
    "Annotation update must be done with the PUT method",
}
# The page GETs the container's `first` as if it were always an address; ours is the embedded
# page the protocol's own example shows (§4.2), so those checks, not awaited by their tests,
# throw after them. What they meant to check is asserted below on the embedded page itself.
KNOWN_HARNESS_ERRORS = {
    "Unhandled rejection: Cannot use 'in' operator to search for 'next' in null",
    "Unhandled rejection: Cannot use 'in' operator to search for 'partOf' in null",
}
# The page sends requests with XMLHttpRequest: add the token, and aim its new annotation at
# our article (the README's allowance), nothing else.
CLIENT = """
(() => {
  const api = %(api)s, token = %(token)s, target = %(target)s;
  const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  let queue = Promise.resolve();
  // Counted so the test can wait for the last request: one still on the live server when the
  // test ends would write into the next test's database after the flush.
  window.apiPending = 0;
  window.apiIdleSince = performance.now();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.toApi = new URL(url, location.href).origin === api;
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!this.toApi) {
      return send.call(this, body);
    }
    this.setRequestHeader("Authorization", "Bearer " + token);
    if (typeof body === "string") {
      body = body.split('"http://www.example.com/index.html"').join(JSON.stringify(target));
    }
    window.apiPending += 1;
    queue = queue.then(() => new Promise((done) => {
      this.addEventListener("loadend", () => {
        window.apiPending -= 1;
        window.apiIdleSince = performance.now();
        done();
      });
      send.call(this, body);
    }));
  };
})();
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def page_origin():
    """Serve the suite from another origin: 127.0.0.1 on a port of its own."""
    handler = functools.partial(_Quiet, directory=str(SUITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def protocol_world(settings, seed_path, page_origin):
    """An article with five annotations on pages of two, and the page's origin allowed."""
    for name, value in api_cors([page_origin]).items():
        setattr(settings, name, value)
    settings.CLAIMLENS_API_CORS_ORIGINS = [page_origin]
    settings.CLAIMLENS_API_PAGE_SIZE = 2
    article = make_seed_article(seed_path)
    author = make_user(username="wpt", role="annotator")
    notes = [annotation_create(article=article, author=author, note=f"Note {n}") for n in range(5)]
    return article, notes[0], token_create(user=author, name="wpt")[1]


def run_suite(page, live_server, page_origin, protocol_world) -> tuple[list[dict], dict]:
    article, annotation, token = protocol_world
    api = live_server.url
    container = f"{api}/api/articles/{article.pk}/annotations/"
    script = CLIENT % {
        "api": json.dumps(api),
        "token": json.dumps(token),
        "target": json.dumps(f"{api}{article.get_absolute_url()}"),
    }
    page.add_init_script(script)
    page.goto(page_origin + PAGE)
    page.evaluate(
        "() => add_completion_callback((tests, status) => { window.results = {"
        " tests: tests.map(t => ({name: t.name, status: t.status, message: t.message})),"
        " status: {status: status.status, message: status.message}}; })"
    )
    page.fill("#uri", container)
    page.fill("#annotation", f"{container}{annotation.pk}")
    page.click("#endpoint-submit-button")
    page.wait_for_function("() => window.results !== undefined", timeout=30_000)
    results = page.evaluate("() => window.results")
    # The harness completes before the checks it does not await; let their requests finish.
    page.wait_for_function(
        "() => window.apiPending === 0 && performance.now() - window.apiIdleSince > 500"
    )
    return results["tests"], results["status"]


def level(name: str) -> str:
    return "MUST" if "must" in name.lower() else "SHOULD"


def test_the_wpt_protocol_page_passes_from_another_origin(
    page, live_server, page_origin, protocol_world
):
    tests, harness = run_suite(page, live_server, page_origin, protocol_world)
    table = "\n".join(
        f"{'PASS' if t['status'] == PASS else 'FAIL'} {level(t['name']):6} {t['name']}"
        + (f" ({t['message']})" if t["status"] != PASS else "")
        for t in tests
    )
    counts = {
        kind: (
            sum(1 for t in tests if level(t["name"]) == kind and t["status"] == PASS),
            sum(1 for t in tests if level(t["name"]) == kind),
        )
        for kind in ("MUST", "SHOULD")
    }
    print(table, *(f"{k}: {n} of {m} pass" for k, (n, m) in counts.items()), sep="\n")  # noqa: T201
    assert harness["status"] == 0 or harness["message"] in KNOWN_HARNESS_ERRORS, harness
    assert len(tests) == 45, table
    failed = {t["name"] for t in tests if t["status"] != PASS}
    assert failed == EXPECTED_FAILURES, table
    embedded_first_page_links_on(page, live_server, protocol_world[0])


def embedded_first_page_links_on(page, live_server, article):
    """Check, across origins too, what the page meant to check on the first page."""
    container = f"{live_server.url}/api/articles/{article.pk}/annotations/"
    first = page.evaluate("async (url) => (await (await fetch(url)).json()).first", container)
    assert first["partOf"]["id"] == container and first["next"] == f"{container}?page=1"

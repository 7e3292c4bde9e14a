"""Fixtures for the import tests: sample files, zips, a real HTTP server on loopback, and
reading what an importer made of a file."""

import io
import re
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from articles.models import Article, ArticleRevision
from articles.rendering import render_markdown_body
from tests.factories import make_staff

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MB = 1024 * 1024


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def make_zip(members: dict[str, bytes | str]) -> bytes:
    """Return a deflated zip archive holding `members` (name -> content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """Return a zip of a few hundred KB whose one member expands to 200 MB of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.txt", "w") as member,
    ):
        for _ in range(200):
            member.write(bytes(MB))
    return buffer.getvalue()


def counts() -> tuple[int, int]:
    """Return how many articles and revisions there are."""
    return Article.objects.count(), ArticleRevision.objects.count()


@pytest.fixture
def admin_client(client):
    """Return the test client signed in as a superuser (whose password is never hashed)."""
    client.force_login(make_staff(superuser=True))
    return client


def rendered(draft):
    return render_markdown_body(draft.body_markdown)


def captions(html):
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    return [p.text_content() for p in tree.iter("p") if p.get("class") == "caption"]


def paragraphs(html):
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    return [p.text_content() for p in tree.iter("p") if not p.get("class")]


def words(text):
    return set(re.findall(r"\w+", (text or "").casefold()))


class _Handler(BaseHTTPRequestHandler):
    """Serves the routes tests need: pages, redirects, slow, huge and binary answers."""

    stop: threading.Event

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name == "Content-Length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        try:
            route = self.path.split("?")[0]
            if route == "/article.html":
                self._send(200, fixture_bytes("tidewater-ferry.html"))
            elif route == "/lighthouse":
                self._send(200, fixture_bytes("lighthouse-museum.html"))
            elif route == "/no-article.html":
                self._send(200, fixture_bytes("no-article.html"))
            elif route == "/notes.txt":
                self._send(200, fixture_bytes("gravel-road.txt"), "text/plain; charset=utf-8")
            elif route == "/host":
                body = f"<html><body><p>{self.headers['Host']}</p></body></html>".encode()
                self._send(200, body)
            elif route == "/redirect":
                self._send(302, headers=[("Location", "/article.html")])
            elif route == "/redirect-private":
                self._send(302, headers=[("Location", "http://10.0.0.1/admin")])
            elif route == "/redirect-metadata":
                self._send(302, headers=[("Location", "http://169.254.169.254/latest/")])
            elif route == "/redirect-file":
                self._send(302, headers=[("Location", "file:///etc/passwd")])
            elif route == "/loop":
                self._send(302, headers=[("Location", "/loop")])
            elif route == "/slow":
                self.stop.wait(5)
                self._send(200, b"<p>too late</p>")
            elif route == "/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(1000):
                    if self.stop.wait(0.1):
                        break
                    self.wfile.write(b"x")
                    self.wfile.flush()
            elif route == "/big":  # no Content-Length: only counting can stop it
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(32):
                    self.wfile.write(b"<p>" + b"a" * (64 * 1024) + b"</p>")
            elif route == "/big-declared":
                self._send(200, b"<p>" + b"a" * (2 * MB) + b"</p>")
            elif route == "/image.png":
                self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image/png")
            elif route == "/binary":  # claims to be HTML but is not text
                self._send(200, b"\x00\x01\x02\xff" * 100)
            else:
                self._send(404, b"not here")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first, as the timeout tests intend


@pytest.fixture
def web_server(settings):
    """Run a real HTTP server on 127.0.0.1 and allow fetching from loopback; yield its URL."""
    settings.CLAIMLENS_FETCH_ALLOW_PRIVATE = True
    stop = threading.Event()
    handler = type("Handler", (_Handler,), {"stop": stop})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    stop.set()
    server.shutdown()
    server.server_close()

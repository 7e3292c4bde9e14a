"""A small news site on loopback (stories, a feed with ETags) and a real worker process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]


def story_html(n: int, version: int = 1) -> bytes:
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Harbour story number {n}"
        f"</h1><p>The council met on day {n} to discuss mooring fees for the {n}th time, and "
        f"version {version} of this report says the vote was {'held' if version > 1 else 'put off'}"
        f" after a long debate about the fishing fleet and the ferry timetable.</p><p>Residents "
        f"of ward {n} asked for a public meeting before any new charge is set.</p>"
        f"</article></body></html>"
    ).encode()


class Site:
    """What the server serves; tests change it while it runs."""

    def __init__(self):
        self.delay = 0.0
        self.versions: dict[int, int] = {}
        self.feed_entries: list[dict] = []
        self.feed_etag = '"v1"'
        self.requests: list[tuple[str, str]] = []  # (path, If-None-Match)
        self.url = ""

    def feed_xml(self) -> bytes:
        items = "".join(
            f"<item><title>{e['title']}</title><link>{e['link']}</link><guid>{e['link']}</guid>"
            f"<pubDate>{e.get('date', 'Mon, 01 Dec 2026 10:00:00 GMT')}</pubDate>"
            f"<description>{e.get('summary', '')}</description></item>"
            for e in self.feed_entries
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Ledger</title>'
            f"<link>{self.url}/</link><description>News</description>{items}</channel></rss>"
        ).encode()


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def _send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            site.requests.append((self.path, self.headers.get("If-None-Match", "")))
            if self.path.startswith(("/story/", "/copy/")):  # a copy: another site's URL
                n = int(self.path.split("?")[0].rsplit("/", 1)[1])
                time.sleep(site.delay)
                self._send(200, story_html(n, site.versions.get(n, 1)))
            elif self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == site.feed_etag:
                    self._send(304)
                else:
                    self._send(
                        200, site.feed_xml(), "application/rss+xml",
                        headers=[("ETag", site.feed_etag)],
                    )  # fmt: skip
            elif self.path == "/broken.xml":
                self._send(500, b"oops")
            else:
                self._send(404, b"not here")

    return Handler


@pytest.fixture
def news_site(settings):
    settings.CLAIMLENS_FETCH_ALLOW_PRIVATE = True
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.url = f"http://127.0.0.1:{server.server_port}"
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def editor():
    return make_user(username="ed", role="editor", is_staff=True)


class WorkerDatabase:
    """The test database as a worker process sees it.

    PostgreSQL: the worker connects to the test database itself. SQLite's test database lives
    in this process's memory, so it is copied to a file for the workers and copied back after.
    """

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "worker.sqlite3"
        settings = connection.settings_dict
        if self.sqlite:
            self.url = f"sqlite:///{self.file}"
        else:
            self.url = (
                f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            )

    def share(self):
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def take_back(self):
        if self.sqlite:
            source = sqlite3.connect(self.file)
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()

    def job_counts(self, job_id: int) -> tuple[str, int, int]:
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                return db.execute(
                    "SELECT status, done, failed FROM articles_importjob WHERE id = ?", (job_id,)
                ).fetchone()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, done, failed FROM articles_importjob WHERE id = %s", [job_id]
            )
            return cursor.fetchone()

    def start_worker(self, site_url: str = "") -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "CLAIMLENS_FETCH_ALLOW_PRIVATE": "1",
            "DJANGO_DEBUG": "1",
        }
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1",
             "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip


@pytest.fixture
def worker_db(transactional_db, tmp_path):
    return WorkerDatabase(tmp_path)


def wait_for(check, timeout: float = 60, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still not true after {timeout} s: {check}")

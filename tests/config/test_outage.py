"""A database outage answers 503 with Retry-After, and the next request reconnects.

Each outage here is real: the default alias is served by a fresh connection to a database
that cannot be reached (a closed port on PostgreSQL, a file in a missing folder on SQLite),
or whose server dropped the connection; the views are the project's own.
"""

import contextlib
import json
import socket
import sqlite3

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from config.outage import RETRY_AFTER_SECONDS, server_error
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    """Return a loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def default_database(**changes):
    """Serve the default alias from a new connection with these settings changed."""
    original = connections["default"]
    replacement = original.__class__({**original.settings_dict, **changes}, alias="default")
    connections._connections.default = replacement
    try:
        yield replacement, original
    finally:
        # Closed by hand: Django ignores close() on a connection to an in-memory database.
        if replacement.connection is not None:
            with contextlib.suppress(Exception):
                replacement.connection.close()
        connections._connections.default = original


def unreachable(tmp_path) -> dict:
    """Return settings for the default database that point where no database answers."""
    if connections["default"].vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": str(closed_port())}
    return {"NAME": str(tmp_path / "gone" / "db.sqlite3")}


@pytest.fixture
def writer():
    """A signed-in client whose writes may fail before any view (the write limits read the
    user in a middleware): Django then answers through handler500 and reports the exception
    to the test client, which must not raise it."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user())
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"


def assert_page(response):
    assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Claimlens is briefly unavailable</h1>" in html
    assert f"Try again in {RETRY_AFTER_SECONDS} seconds" in html
    assert "Traceback" not in html and "OperationalError" not in html


def assert_problem(response):
    assert_unavailable(response)
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 503
    assert body["title"] == "Service Unavailable"
    assert "Try again" in body["detail"]


def test_pages_answer_503_html_while_the_database_is_down(client, tmp_path):
    article = make_article()
    pages = [
        reverse("articles:list"),
        reverse("articles:list") + "?q=protest",
        reverse("articles:detail", args=[article.pk]),
        reverse("annotations:claim-list"),
    ]
    with default_database(**unreachable(tmp_path)):
        for url in pages:
            assert_page(client.get(url))


def test_htmx_poll_answers_503_while_the_database_is_down(client, tmp_path):
    """The reader's poller keeps polling on an error (it swaps nothing): it must get a 503."""
    article = make_article()
    url = reverse("collab:article-changes", args=[article.pk])
    with default_database(**unreachable(tmp_path)):
        response = client.get(url, {"after": 0}, HTTP_HX_REQUEST="true")
    assert_page(response)


def test_api_answers_503_problem_json_while_the_database_is_down(writer, tmp_path):
    article = make_article()
    client = writer
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "bodyValue": "written during the outage",
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "a"}},
    }
    with default_database(**unreachable(tmp_path)):
        listing = client.get(reverse("api:annotations"))
        created = client.post(
            reverse("api:article-annotations", args=[article.pk]),
            json.dumps(body),
            content_type="application/json",
        )
    assert_problem(listing)
    assert_problem(created)


def test_a_signed_in_write_answers_503_while_the_database_is_down(writer, tmp_path):
    article = make_article()
    client = writer
    url = reverse("annotations:create", args=[article.pk])
    with default_database(**unreachable(tmp_path)):
        response = client.post(url, {"exact": "a", "note": "lost?"})
    assert_page(response)


def test_an_outage_outside_a_view_answers_503_too(settings, tmp_path):
    """The sign-in check runs in a middleware, before any view: handler500 answers there."""
    settings.CLAIMLENS_REQUIRE_LOGIN = True
    # Django reports an exception outside a view to the test client, which would raise it.
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # read from the database
    with default_database(**unreachable(tmp_path)):
        response = client.get(reverse("articles:list"))
    assert_page(response)


def test_other_errors_outside_a_view_stay_500(rf: RequestFactory):
    try:
        raise ValueError("not the database")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def _outage(connection, original, tmp_path) -> None:
    """Take the database away from under a working connection."""
    if connection.vendor == "postgresql":
        # The server ends the connection, as a restart does; Django is not told.
        with original.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )
    else:
        # SQLite has no server to lose: the connection goes, and the next finds no file.
        connection.connection.close()
        connection.connection = None
        connection.settings_dict["NAME"] = str(tmp_path / "gone" / "db.sqlite3")


def _back(connection, original, tmp_path) -> None:
    """Make the database reachable again (a PostgreSQL server never went away)."""
    if connection.vendor == "sqlite":
        (tmp_path / "gone").mkdir()
        with contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as copy:
            original.ensure_connection()
            original.connection.backup(copy)


def test_the_next_request_reconnects_after_an_outage(client, tmp_path):
    """No worker restart: the connection the outage broke is dropped, the next one works."""
    url = reverse("articles:list")
    make_article(title="Still here after the outage")
    with default_database() as (connection, original):
        assert client.get(url).status_code == 200
        _outage(connection, original, tmp_path)
        assert_page(client.get(url))
        assert connection.connection is None
        _back(connection, original, tmp_path)
        response = client.get(url)
    assert response.status_code == 200
    assert "Still here after the outage" in response.content.decode()

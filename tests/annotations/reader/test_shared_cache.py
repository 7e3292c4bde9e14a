"""The reader page from the shared cache: never stale, never someone else's private note, cheap.

Each test runs against the database cache and against Redis: CLAIMLENS_TEST_REDIS_URL (by
default redis://127.0.0.1:6379/15), or, when nothing answers there and the variable is not
set, a throwaway redis-server this module starts on a free loopback port (`make test`
installs Redis where it can). Never skipped: without Redis the Redis half fails, saying why.
"""

import os
import pickle
import re
import shutil
import socket
import subprocess
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from annotations.core.services import (
    annotation_create,
    annotation_delete,
    annotation_hide,
    annotation_update,
    claim_set_status,
    label_update,
)
from annotations.core.services.replies import reply_create
from annotations.models import Annotation, Label
from annotations.reader.reading import View, reader_context
from tests.factories import make_article, make_user

REDIS_URL = os.environ.get("CLAIMLENS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were *peaceful* and unarmed, and the square was calm."
)


def _redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """Return a Redis that answers: the configured one, or one started here for this module."""
    if _redis_answers(REDIS_URL):
        yield REDIS_URL
        return
    if "CLAIMLENS_TEST_REDIS_URL" in os.environ:
        pytest.fail(f"CLAIMLENS_TEST_REDIS_URL is set but nothing answers at {REDIS_URL}")
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "redis-server is missing: `make test` installs it as root (apt install redis-server)"
        )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the system's redis-server, loopback, no files
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/15"
    try:
        deadline = time.monotonic() + 10
        while not _redis_answers(url):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"the redis-server started on port {port} did not answer")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """Make the default cache the database's or Redis, empty."""
    if request.param == "redis":
        # Keys of this run only: another process may use the same Redis.
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "claimlens_cache",
        }
    settings.CACHES = {**settings.CACHES, "default": backend}
    if request.param == "database":
        call_command("createcachetable", "default", verbosity=0)  # if CI made none for it
    clear_cache()
    yield request.param
    clear_cache()


def clear_cache() -> None:
    """Empty the cache of this run's entries.

    On Redis, only this process's keys: clear() would empty the whole database, under the
    feet of the other test workers sharing it.
    """
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        keys = client.keys(f"{cache.key_prefix}:*")
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


def stored_entries(backend: str) -> int:
    """Return how many entries the shared cache holds."""
    if backend == "redis":
        return len(cache._cache.get_client().keys(f"{cache.key_prefix}:*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM claimlens_cache")
        return cursor.fetchone()[0]


def annotate(article, author, quote, **kwargs):
    start = article.body_text.index(quote)
    return annotation_create(
        article=article, author=author, exact=quote, start=start, end=start + len(quote), **kwargs
    )


def shown(client, article) -> str:
    """Return the painted body and the panel's cards as served (form tokens blanked)."""
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('id="article-body"') : html.index("</article>")]
    cards = html[html.index('id="reader-cards"') : html.index('id="orphans"')]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body + cards)


def assert_fresh(client, article) -> str:
    """Assert the page served now is the page computed without the cache; return it."""
    served = shown(client, article)
    clear_cache()
    assert shown(client, article) == served
    return served


@pytest.fixture
def scene():
    article = make_article(body=BODY)
    author = make_user()
    moderator = make_user(role="moderator")
    first = annotate(article, author, "armed and trained", note="Which witnesses?")
    return article, author, moderator, first


def _changes(article, author, moderator, first):
    """Yield (what changed, do it): every kind of change the reader page shows."""
    yield "a new annotation", lambda: annotate(article, author, "peaceful", note="new")
    yield (
        "an edited note",
        lambda: annotation_update(
            annotation=Annotation.objects.get(pk=first.pk), user=author, version=1, note="edited"
        ),
    )
    claim = annotate(article, author, "unarmed", tags="unverified: they were unarmed").claim
    yield (
        "a claim's status",
        lambda: claim_set_status(
            claim=claim, status=Label.objects.get(slug="false"), user=moderator
        ),
    )
    yield (
        "a reply",
        lambda: reply_create(
            author=moderator, body="Source?", annotation=Annotation.objects.get(pk=first.pk)
        ),
    )
    yield (
        "a label's colour",
        lambda: label_update(
            label=Label.objects.get(slug="false"), user=moderator, name="False", colour="#123456"
        ),
    )
    yield (
        "a hidden annotation",
        lambda: annotation_hide(annotation=Annotation.objects.get(pk=first.pk), user=moderator),
    )
    yield (
        "a deleted annotation",
        lambda: annotation_delete(annotation=Annotation.objects.get(exact="peaceful"), user=author),
    )


@pytest.mark.django_db(transaction=True)
def test_a_change_is_never_served_stale(client, shared_cache, scene):
    """After every kind of change, readers get the page computed afresh, not the stored one."""
    article, author, moderator, first = scene
    readers = {"anonymous": None, "reader": make_user(role="reader"), "moderator": moderator}
    for what, change in _changes(article, author, moderator, first):
        before = {}
        for name, user in readers.items():
            client.logout() if user is None else client.force_login(user)
            before[name] = shown(client, article)  # stored now
        change()
        for name, user in readers.items():
            client.logout() if user is None else client.force_login(user)
            after = assert_fresh(client, article)
            assert after != before[name], f"{what}: {name} got the page from before"


@pytest.mark.django_db
def test_a_users_private_annotations_never_enter_the_cache(client, shared_cache, scene):
    """The author's private note is shown to them alone, and never stored for anyone."""
    article, author, _, _ = scene
    client.get(article.get_absolute_url())  # anonymous: stores the shared view
    private = annotate(article, author, "peaceful", note="my own doubt", visibility="private")
    stored = stored_entries(shared_cache)

    client.force_login(author)
    assert "my own doubt" in client.get(article.get_absolute_url()).content.decode()
    assert stored_entries(shared_cache) == stored  # computed for them, stored nowhere

    for other in (None, make_user(role="reader"), make_user(role="moderator")):
        client.logout() if other is None else client.force_login(other)
        html = client.get(article.get_absolute_url()).content.decode()
        assert "my own doubt" not in html
        assert f'id="card-{private.pk}"' not in html and f"annotation-{private.pk}" not in html


@pytest.mark.django_db
def test_readers_who_see_the_same_share_one_entry_and_moderators_their_own(
    client, shared_cache, scene
):
    article, author, moderator, first = scene
    annotation_hide(annotation=first, user=moderator)
    client.get(article.get_absolute_url())
    stored = stored_entries(shared_cache)
    client.force_login(make_user(role="reader"))
    assert f'id="card-{first.pk}"' not in client.get(article.get_absolute_url()).content.decode()
    # The anonymous reader's view and cards served; only this reader's own page is new
    # (articles.pages: a signed-in page names its reader).
    assert stored_entries(shared_cache) == stored + 1
    client.force_login(moderator)
    assert f'id="card-{first.pk}"' in client.get(article.get_absolute_url()).content.decode()
    assert stored_entries(shared_cache) > stored  # the moderators' own
    # The author of the hidden annotation still sees it: their page is their own.
    client.force_login(author)
    assert f'id="card-{first.pk}"' in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "reader", "moderator"])
def test_a_hit_costs_only_the_cursor_and_whose_page_it_is(
    shared_cache, scene, who, django_assert_num_queries
):
    """A hit asks the database one question (the cursor, and for a signed-in reader whether
    they have private or hidden annotations there), plus their roles, plus the cache's own
    read when the cache is the database: never the annotations."""
    article, author, moderator, _ = scene
    users = {"anonymous": None, "reader": make_user(role="reader"), "moderator": moderator}

    def context():
        request = RequestFactory().get(article.get_absolute_url())
        user = users[who]
        if user is None:
            request.user = AnonymousUser()
        else:
            request.user = get_user_model().objects.get(pk=user.pk)
        return reader_context(request, article)

    missed = context()
    cache_reads = 1 if shared_cache == "database" else 0
    # A signed-in reader: fetching the user and their roles (the session's work in a view).
    user_queries = 0 if who == "anonymous" else 2
    with django_assert_num_queries(1 + cache_reads + user_queries):
        hit = context()
    assert hit["painted_html"] == missed["painted_html"]
    assert [a.pk for a in hit["annotations"]] == [a.pk for a in missed["annotations"]]


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_only_makes_pages_slower(client, settings, scene):
    """With the cache down, the page is computed afresh: the same page, not an error."""
    article, author, _, first = scene
    expected = shown(client, article)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
    }
    assert shown(client, article) == expected
    client.force_login(author)
    assert f'id="card-{first.pk}"' in client.get(article.get_absolute_url()).content.decode()


def test_a_view_is_kept_with_its_body_compressed():
    """A painted body of a megabyte is a tenth of it to send to the cache and store."""
    paragraph = '<p data-start="0"><mark class="hl hl-plain">{}</mark> and more</p>'
    html = format_html_join("", paragraph, [("words",)] * 5000)
    view = View(html, frozenset({1}), [1], 1, {}, [], [], ["ann"], [], token="t")
    kept = pickle.dumps(view)
    back = pickle.loads(kept)  # noqa: S301 - our own bytes
    assert back == view and isinstance(back.html, SafeString)
    assert len(kept) * 10 < len(html)
    # A body that is not a SafeString (nothing painted it) comes back as a plain str: the
    # cache never makes text safe that was not.
    plain = pickle.loads(pickle.dumps(View("<b>x</b>", frozenset(), [], 0, {}, [], [], [], [])))  # noqa: S301
    assert type(plain.html) is str

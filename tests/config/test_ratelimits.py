"""Write rate limits: 429 with Retry-After past the per-user or per-address rate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from annotations.interop.tokens import token_create
from annotations.interop.webannotation import ANNO_CONTEXT, MEDIA_TYPE
from annotations.models import Annotation, ApiToken
from config.ratelimits import client_ip
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

TOKENS = "/settings/tokens/"


@pytest.fixture
def low_limits(settings):
    """Three writes an hour per user, five per address, counted in the real shared cache.

    Per hour, not per minute: a test that ran across the end of a window would start afresh.
    """
    settings.CLAIMLENS_WRITE_RATE_USER = "3/h"
    settings.CLAIMLENS_WRITE_RATE_IP = "5/h"
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def create_token(client, name, **extra):
    return client.post(TOKENS, {"name": name}, **extra)


def test_a_user_past_the_rate_gets_a_page_with_retry_after_and_nothing_is_saved(client, low_limits):
    alice = make_user()
    client.force_login(alice)
    for n in range(3):
        assert create_token(client, f"script {n}").status_code == 200

    refused = create_token(client, "one too many")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "<h1>Too many requests</h1>" in page
    assert "Too many changes for your account (the limit is 3 per hour)" in page
    assert ApiToken.objects.filter(user=alice).count() == 3  # the refused POST saved nothing
    # Reading is not limited.
    assert client.get(TOKENS).status_code == 200


def test_another_user_from_the_same_address_is_not_limited_by_the_first(client, low_limits):
    alice, bob = make_user(), make_user()
    client.force_login(alice)
    for n in range(3):
        create_token(client, f"a{n}")
    assert create_token(client, "a again").status_code == 429

    client.force_login(bob)  # the address has made 4 of its 5
    assert create_token(client, "bob's").status_code == 200
    assert ApiToken.objects.filter(user=bob).count() == 1


def test_an_address_past_its_rate_is_refused_and_another_address_is_not(client, low_limits):
    # Anonymous writes (here: sign-in attempts) count against the address.
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})
        assert response.status_code == 200  # the form again, with its error
    refused = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many changes from your address" in refused.content.decode()

    other = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 200


def api_post(client, article, token, quote):
    doc = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {"selector": {"type": "TextQuoteSelector", "exact": quote}},
    }
    return client.post(
        f"/api/articles/{article.pk}/annotations/",
        json.dumps(doc),
        content_type=MEDIA_TYPE,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_api_token_past_the_rate_gets_problem_json_and_all_its_users_tokens_share_it(
    client, low_limits
):
    alice = make_user()
    article = make_article(body="One two three four five six seven eight nine ten.")
    _, first = token_create(user=alice, name="first")
    _, second = token_create(user=alice, name="second")
    for token, words in [(first, "One two"), (second, "three four"), (first, "five six")]:
        assert api_post(client, article, token, words).status_code == 201

    # A second token of the same user does not get a fresh allowance: the limit is the user's.
    refused = api_post(client, article, second, "seven eight")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    problem = json.loads(refused.content)
    assert problem["status"] == 429 and problem["title"] == "Too Many Requests"
    assert "limit is 3 per hour" in problem["detail"]
    assert problem["retry_after"] == int(refused["Retry-After"])
    assert Annotation.objects.count() == 3

    bob = make_user()
    _, bobs = token_create(user=bob, name="bob")
    assert api_post(client, article, bobs, "nine ten").status_code == 201


def test_limits_can_be_switched_off(client, low_limits, settings):
    settings.RATELIMIT_ENABLE = False
    client.force_login(make_user())
    assert all(create_token(client, f"t{n}").status_code == 200 for n in range(6))


def test_client_address_comes_from_the_trusted_proxies_only(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.CLAIMLENS_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # nobody trusted: the peer
    settings.CLAIMLENS_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what our one proxy saw, not what was forged


WORKER = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.core.cache import caches
from django.core.management import call_command
cache = caches["ratelimit"]
if sys.argv[1] == "setup":
    call_command("createcachetable", verbosity=0)
    cache.set("hits", 0, 60)
    cache.delete("first hits")
elif sys.argv[1] == "count":
    print(cache.get("hits"), cache.get("first hits"))
elif sys.argv[1] == "count_hits":
    for _ in range(int(sys.argv[2])):
        cache.count_hits(["hits", "first hits"], 60)
else:
    for _ in range(int(sys.argv[1])):
        cache.incr("hits")
"""


def run_worker(env, *args):
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", WORKER, *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


@pytest.mark.django_db(transaction=True)
def test_the_shared_counter_loses_no_increment_when_workers_race(tmp_path):
    """Four processes (as four gunicorn workers) add 25 each to one counter at once."""
    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        # The test database is in memory, which other processes cannot open: a file, as deployed.
        url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    else:
        url = (
            f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}"
            f"/{quote(db['NAME'])}"
        )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    finish(run_worker(env, "setup"))
    workers = [run_worker(env, "25") for _ in range(4)]
    for worker in workers:
        finish(worker)
    assert finish(run_worker(env, "count")).strip() == "100 None"

    # count_hits, the middleware's way: "first hits" does not exist yet, so the workers also
    # race to add it (each one that loses counts on the winner's row).
    workers = [run_worker(env, "count_hits", "25") for _ in range(4)]
    for worker in workers:
        finish(worker)
    assert finish(run_worker(env, "count")).strip() == "200 100"


def test_count_hits_counts_each_key_from_one_and_a_lapsed_counter_starts_again(settings):
    cache = caches["ratelimit"]
    cache.clear()
    assert cache.count_hits(["a", "b"], 60) == [1, 1]
    assert cache.count_hits(["b", "a"], 60) == [2, 2]
    assert cache.count_hits(["a"], 60) == [3]
    assert (cache.get("a"), cache.get("b")) == (3, 2)  # stored as the cache stores any value
    cache.set("b", 7, -1)  # lapsed
    assert cache.count_hits(["a", "b"], 60) == [4, 1]
    cache.clear()


def test_count_hits_on_existing_counters_is_a_select_and_an_update(settings):
    cache = caches["ratelimit"]
    cache.clear()
    cache.count_hits(["a", "b"], 60)
    connection = connections["default"]
    with CaptureQueriesContext(connection) as queries:
        assert cache.count_hits(["a", "b"], 60) == [2, 2]
    # (Not counting the transaction's own statements: this test runs inside one.)
    sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2
    assert sql[0].startswith("SELECT") and sql[1].startswith("UPDATE")
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_the_counters_own_commit_does_not_wait_for_the_disk_and_no_other_commit_is_touched():
    cache = caches["ratelimit"]
    cache.clear()
    connection = connections["default"]
    unhurried = "SET LOCAL synchronous_commit TO OFF"
    for _ in range(2):  # whether the counter is there yet or not
        with CaptureQueriesContext(connection) as alone:
            cache.count_hits(["a"], 60)
        with CaptureQueriesContext(connection) as inside, transaction.atomic():
            cache.count_hits(["a"], 60)  # in someone else's transaction
        sql = [q["sql"] for q in alone.captured_queries]
        assert (unhurried in sql) == (connection.vendor == "postgresql")
        assert unhurried not in [q["sql"] for q in inside.captured_queries]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # set for that transaction only
                cursor.execute("SHOW synchronous_commit")
                assert cursor.fetchone()[0] == "on"
    assert cache.get("a") == 4
    cache.clear()


def test_other_caches_count_the_same_way_through_django_ratelimit(client, settings):
    """The in-process cache has no count_hits: the middleware counts with get_usage."""
    settings.CLAIMLENS_WRITE_RATE_USER = "2/h"
    settings.RATELIMIT_USE_CACHE = "default"
    client.force_login(make_user())
    assert [create_token(client, f"t{n}").status_code for n in range(3)] == [200, 200, 429]


def test_a_forged_or_missing_address_is_not_taken(rf, settings):
    settings.CLAIMLENS_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(forged) == "10.0.0.1"
    nowhere = rf.get("/")
    del nowhere.META["REMOTE_ADDR"]
    assert client_ip(nowhere) is None

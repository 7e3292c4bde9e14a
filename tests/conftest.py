from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from annotations.core.defaults import create_defaults
from annotations.models import Label

# Helper modules that assert on behalf of the tests calling them: rewrite their asserts as
# pytest does a test's, so a failure there shows the values it compared.
pytest.register_assert_rewrite("tests.articles.admin_import_page", "tests.browser.reader_page")

SEED_NAME = "hrw-kazakhstan-shoot-to-kill.txt"


def shared_path(*parts: str) -> Path:
    """Return a path in shared/, which sits beside the checkout (CI) or above a git worktree.

    shared/seeds holds someone else's article: tests read it, the project never copies it.
    """
    for folder in Path(__file__).resolve().parents:
        candidate = folder.joinpath("shared", *parts)
        if candidate.exists():
            return candidate
    pytest.fail(f"{'/'.join(parts)} not found in a shared/ folder above the tests")


def find_seed(name: str = SEED_NAME) -> Path:
    return shared_path("seeds", name)


@pytest.fixture
def seed_path():
    return find_seed()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _high_limits(settings):
    """Keep the rate limits and the sign-in lockout on, but far above what any test does.

    The counters go to the in-process cache: in the shared database cache they would add
    queries to every write that the query-count guards measure. tests/config/ sets low limits
    and the real database cache to test the limits themselves.
    """
    settings.CLAIMLENS_WRITE_RATE_USER = "1000000/m"
    settings.CLAIMLENS_WRITE_RATE_IP = "1000000/m"
    settings.RATELIMIT_USE_CACHE = "default"
    settings.AXES_FAILURE_LIMIT = 1000


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Give every test an empty in-process default cache.

    Ids come back after a rollback, so an entry of an earlier test's article could match a
    later one's key; and the database cache would add its queries to the query-count guards.
    tests/annotations/reader/test_shared_cache.py tests the database cache and Redis.
    """
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()


@pytest.fixture(autouse=True)
def _default_statuses(request):
    """Make sure the default statuses and roles exist in every test that uses the database.

    The data migration creates them, but a transactional test flushes the tables afterwards.
    """
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    create_defaults(Label, Group)

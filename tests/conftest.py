from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from annotations.defaults import create_defaults
from annotations.models import Label

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

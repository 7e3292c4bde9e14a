from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from annotations.defaults import create_defaults
from annotations.models import Label

SEED_NAME = "hrw-kazakhstan-shoot-to-kill.txt"


def find_seed(name: str = SEED_NAME) -> Path:
    """Return a seed file from shared/seeds beside the checkout (or beside a folder above it).

    The seed is someone else's article: tests read it, the project never copies it.
    """
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "seeds" / name
        if candidate.exists():
            return candidate
    pytest.fail(f"seed article {name} not found in a shared/seeds folder above the tests")


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

"""Who annotates and what: alice, the seed article, and the statuses a flush removed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from annotations.core.defaults import create_defaults
from annotations.models import Label
from tests.factories import make_seed_article, make_user


@pytest.fixture(autouse=True)
def statuses(transactional_db):
    # Transactional tests flush the tables the data migration filled.
    create_defaults(Label, Group)


@pytest.fixture
def alice():
    return make_user(username="alice")


@pytest.fixture
def seed(seed_path):
    return make_seed_article(seed_path)

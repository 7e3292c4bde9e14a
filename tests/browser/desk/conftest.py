"""The claim desk in Chromium: people, a seed article with a claim on it, and axe-core."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python
import pytest
from django.contrib.auth.models import Group

from annotations.core.defaults import create_defaults
from annotations.core.services import annotation_create
from annotations.models import Label
from tests.factories import make_seed_article, make_user

CLAIMED = "armed and trained criminals"


@pytest.fixture(autouse=True)
def statuses(transactional_db):
    # Transactional tests flush the tables the data migration filled.
    create_defaults(Label, Group)


@pytest.fixture
def alice():
    return make_user(username="alice")


@pytest.fixture
def bob():
    return make_user(username="bob")


@pytest.fixture
def moderator():
    return make_user(username="mod", role="moderator")


@pytest.fixture
def seed(seed_path):
    return make_seed_article(seed_path)


@pytest.fixture
def claimed(seed, alice):
    """Return a shared annotation on the seed article that marks a claim, unverified."""
    return annotation_create(
        article=seed,
        author=alice,
        exact=CLAIMED,
        tags="unverified: criminals did it",
        claimant="Interior ministry",
    )


# axe-core, as the axe-playwright-python package ships it.
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is now; return each violation (of any impact) in words.

    Evaluated through the DevTools protocol, so the page's CSP (no inline script) allows it.
    """
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:4])
        for v in json.loads(result)["violations"]
    ]

"""The private notes, names and claims the attacks in this package go after, and who attacks."""

import pytest

from annotations.core.services import annotation_create
from tests.annotations.collab.conftest import BODY
from tests.factories import make_article, make_user

SECRET_NOTE = "my secret draft about the informant"
SECRET_TAG = "zebracodename"
SECRET_CLAIM = "the merger was agreed in march"
SECRET_REPLY = "secret follow-up on the informant"


@pytest.fixture
def article():
    return make_article(body=BODY)


@pytest.fixture
def alice():
    return make_user(username="alice")


@pytest.fixture
def moderator():
    return make_user(role="moderator")


@pytest.fixture
def editor():
    return make_user(role="editor")


def private_note(article, author, **extra):
    fields = {"exact": "peaceful", "note": SECRET_NOTE, "visibility": "private"} | extra
    return annotation_create(article=article, author=author, **fields)


def login(client, user):
    client.force_login(user)
    return client


def assert_secret_absent(response):
    body = response.content.decode()
    for secret in (SECRET_NOTE, SECRET_TAG, SECRET_CLAIM, SECRET_REPLY):
        assert secret not in body, f"{secret!r} leaked into {response.request['PATH_INFO']}"


RATIONALE = "the informant's memo says march"
EVIDENCE_URL = "https://secret.example/informant-memo"


@pytest.fixture
def alices_claim(article, alice):
    from annotations.core.services import claim_update, evidence_add

    note = private_note(article, alice, tags=f"false: {SECRET_CLAIM}, {SECRET_TAG}")
    claim = claim_update(
        claim=note.claim,
        user=alice,
        title=SECRET_CLAIM,
        status=note.claim.status,
        rationale=RATIONALE,
    )
    evidence_add(claim=claim, user=alice, url=EVIDENCE_URL, title="memo")
    return claim


def assert_alices_claim_untouched(claim, alice):
    claim.refresh_from_db()
    assert claim.private_to == alice
    assert list(claim.appearances.values_list("author", flat=True)) == [alice.pk]

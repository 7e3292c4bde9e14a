"""An article, its author's note and a staff moderator; what a change leaves behind."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from annotations.core.services import annotation_create
from annotations.models import ChangeEvent, HistoryEntry
from tests.factories import make_article, make_staff, make_user

BODY = (
    "The minister said the marchers were armed and trained criminals.\n\n"
    "Witnesses said the marchers were peaceful and unarmed."
)
QUOTE = "peaceful and unarmed"
ANNOTATION_PERMS = tuple(
    f"annotations.{verb}_annotation" for verb in ("add", "change", "delete", "view")
)


def history_of(obj, action: str) -> HistoryEntry:
    """Return the one history entry of `obj` with this action."""
    return HistoryEntry.objects.for_object(obj).get(action=action)


def events(article, kind: str, object_id: int) -> list[ChangeEvent]:
    return list(ChangeEvent.objects.filter(article=article, kind=kind, object_id=object_id))


def at(article, quote: str) -> dict:
    start = article.body_text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


@pytest.fixture
def article():
    return make_article(body=BODY)


@pytest.fixture
def author():
    return make_user(role="annotator")


@pytest.fixture
def staff():
    """A moderator who works in the admin, with the admin's permissions on annotations."""
    user = make_staff(permissions=ANNOTATION_PERMS)
    user.groups.add(Group.objects.get(name="moderator"))
    return user


@pytest.fixture
def note(article, author):
    return annotation_create(article=article, author=author, **at(article, QUOTE), note="First.")

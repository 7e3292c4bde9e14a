"""History keeps each kind of row through the registry its owner fills, not a type ladder."""

import pytest

from annotations.core import history
from annotations.models import HistoryEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target_type", [t for t in HistoryEntry.Target.values if t != HistoryEntry.Target.USER]
)
def test_every_kind_of_row_with_history_has_registered_how_it_is_kept(target_type):
    # A model given history without registering its kind would be kept as a raw field dump
    # and would never show on an open page: this fails first.
    assert target_type in history._kinds


def test_a_user_change_keeps_the_name_and_groups_and_shows_nowhere():
    user = make_user(username="dana", role="moderator")
    assert history.snapshot(user) == {"username": "dana", "groups": ["moderator"]}
    assert history.kind_of(user).scope(user, None, None) == ([], None, False)

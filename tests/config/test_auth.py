"""The site's authentication: the backend that brings a user's role along with the user."""

import pytest

from annotations.collab.moderation import user_set_suspended
from annotations.core import permissions
from config.auth import RoleBackend
from tests.factories import make_article, make_group, make_user

pytestmark = pytest.mark.django_db


def test_the_role_comes_with_the_user_in_one_query(django_assert_num_queries):
    user = make_user(role="moderator")
    user.groups.add(make_group(name="newsletter"))
    with django_assert_num_queries(1):
        fetched = RoleBackend().get_user(user.pk)
        assert permissions.role_of(fetched) == permissions.MODERATOR
        assert permissions.is_moderator(fetched) and not permissions.is_suspended(fetched)


def test_a_user_without_role_groups_is_a_reader_and_unknown_ids_are_nobody():
    user = make_user(role="")
    fetched = RoleBackend().get_user(user.pk)
    assert fetched.role_names is None
    assert permissions.role_of(fetched) == permissions.READER
    assert RoleBackend().get_user(user.pk + 1000) is None


def test_a_group_named_like_a_list_of_roles_is_no_role():
    user = make_user(role="")
    user.groups.add(make_group(name="x,moderator"))
    fetched = RoleBackend().get_user(user.pk)
    assert permissions.role_of(fetched) == permissions.READER


def test_an_inactive_user_is_not_signed_in():
    user = make_user(is_active=False)
    assert RoleBackend().get_user(user.pk) is None


def test_requests_see_the_role_and_a_suspension_takes_effect_at_once(client):
    author, moderator = make_user(), make_user(role="moderator")
    article = make_article()
    client.force_login(author)
    data = {"exact": "", "note": "A note on the page", "visibility": "shared"}
    assert client.post(f"/articles/{article.pk}/annotations/new/", data).status_code == 302
    user_set_suspended(target=author, user=moderator, suspended=True)
    assert client.post(f"/articles/{article.pk}/annotations/new/", data).status_code == 403

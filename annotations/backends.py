"""Authentication that brings a signed-in user's role along with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .aggregates import JoinedText
from .permissions import ROLES, SUSPENDED


class RoleBackend(ModelBackend):
    """Django's ModelBackend, fetching the user's role groups in the same query as the user.

    Every request of someone signed in asks for their role (permissions.role_of): without this
    it is a second query, a round trip on every request. Only the groups that are roles are
    joined, so a group named "x,moderator" cannot pass for one.
    """

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            role_names=JoinedText("groups__name", filter=Q(groups__name__in=(*ROLES, SUSPENDED)))
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

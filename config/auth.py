"""Who is signed in, with which role, and whether reading needs signing in: site concerns.

The roles themselves are the annotations app's (annotations.core.permissions); the project wires
them into Django's authentication here, as it wires the apps together in settings.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db.models import Q
from django.http import HttpResponseForbidden

from annotations.core.aggregates import JoinedText
from annotations.core.permissions import ROLES, SUSPENDED, is_suspended


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

    def get_all_permissions(self, user_obj, obj=None):
        """Return the user's model permissions; a suspended user keeps only the view ones.

        Suspension wins over groups and over permissions given to the user directly, so a
        suspended editor or staff member reads in the admin but adds and changes nothing.
        """
        perms = super().get_all_permissions(user_obj, obj)
        if perms and is_suspended(user_obj):
            return {perm for perm in perms if perm.partition(".")[2].startswith("view_")}
        return perms


class ReadingLoginMiddleware(LoginRequiredMiddleware):
    """Send anonymous visitors to sign in when CLAIMLENS_REQUIRE_LOGIN is on.

    Django's own middleware, so views marked @login_not_required (the login page) stay open;
    read per request, so the setting can change without a restart (and in tests).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "CLAIMLENS_REQUIRE_LOGIN", False):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None and request.headers.get("HX-Request") == "true":
            # A fragment request cannot show a login page in place: refuse it plainly.
            return HttpResponseForbidden("Sign in to read Claimlens.")
        return response

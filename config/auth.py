"""Who is signed in, with which role, and whether reading needs signing in: site concerns.

The roles themselves are the annotations app's (annotations.core.permissions); the project wires
them into Django's authentication here, as it wires the apps together in settings.
"""

from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Q
from django.http import HttpResponseForbidden

from annotations.core.aggregates import JoinedText
from annotations.core.permissions import ROLES, SUSPENDED, is_suspended

_SENTINEL = -7_340_034  # the user's id while the query is compiled: no user has it


@cache
def _compiled_user_query(using: str) -> tuple[str, tuple, int]:
    """Return the SQL fetching a user with their role groups, its parameters, and the id's place."""
    users = get_user_model()._default_manager.annotate(
        role_names=JoinedText("groups__name", filter=Q(groups__name__in=(*ROLES, SUSPENDED)))
    )
    sql, params = users.filter(pk=_SENTINEL).query.get_compiler(using).as_sql()
    return sql, tuple(params), params.index(_SENTINEL)


class RoleBackend(ModelBackend):
    """Django's ModelBackend, fetching the user's role groups in the same query as the user.

    Every request of someone signed in asks for their role (permissions.role_of): without this
    it is a second query, a round trip on every request. Only the groups that are roles are
    joined, so a group named "x,moderator" cannot pass for one.
    """

    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        # The query is compiled once (compiling it cost more than running it), then run
        # with this user's id; raw() fills the user as the ORM would, role_names too.
        using = router.db_for_read(model)
        sql, params, at = _compiled_user_query(using)
        found = list(model._default_manager.raw(sql, (*params[:at], pk, *params[at + 1 :])))
        if not found:
            return None
        user = found[0]
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

"""Sign-in for reading, switched on by CLAIMLENS_REQUIRE_LOGIN."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseForbidden


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

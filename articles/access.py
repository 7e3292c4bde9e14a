"""Who may bring articles in: whoever may add articles (editors; never a suspended one)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def may_import(user) -> bool:
    """The admin's rule too: the role backend (config.auth) takes the permission from the
    suspended, so nothing here needs to know about roles."""
    return bool(user.is_authenticated and user.has_perm("articles.add_article"))


def import_required(view):
    """Send the anonymous to sign in and refuse (403) anyone else who may not import."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

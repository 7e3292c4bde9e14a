"""Issue, revoke and check per-user API tokens (sent as `Authorization: Bearer <token>`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.models import ApiToken

TOKEN_PREFIX = "cl_"  # noqa: S105 - not a secret: marks a string as a Claimlens token
# Recording every use would turn each API read into a write; a minute is precise enough to
# tell a user which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for user; return it with the secret, which is not kept anywhere."""
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError("Give the token a name, so that you know later what uses it.")
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to create an API token.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], key_hash=hash_token(raw)
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke a token from now on; only its owner may."""
    if token.user_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str):
    """Return the active user whose live token this is, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

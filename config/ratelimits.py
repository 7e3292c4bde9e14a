"""Slow down automation: a rate on every write, and a lockout after failed sign-ins.

- WriteRateLimitMiddleware counts each POST, PUT, PATCH and DELETE, whatever URL or view it is
  for (a new view is covered without doing anything), against two limits: per signed-in user
  (by session or by API token; CLAIMLENS_WRITE_RATE_USER) and per client address
  (CLAIMLENS_WRITE_RATE_IP). Past either, it answers 429 with Retry-After: a page for browsers,
  problem JSON for the API. Counters live in the "ratelimit" cache (shared by the workers).
- login_lockout is django-axes' answer when a username+address pair is locked out of signing
  in (AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME), on the login page and the admin's.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit import UNSAFE
from django_ratelimit.core import (  # and the helpers get_usage names its counters with
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)

from .problems import API_PREFIX, problem_response

GROUP = "claimlens.writes"
PERIOD_NAMES = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address: the peer's, or the one CLAIMLENS_PROXY_COUNT proxies saw.

    Each trusted proxy appends the address it was reached from to X-Forwarded-For, so the
    entry that many places from the right is the client as the outermost proxy saw it;
    anything further left was written by the client and is not trusted. None when there is
    no address (a request made in code, as Client.force_login does).
    """
    proxies = getattr(settings, "CLAIMLENS_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR")
    return address if address and _is_address(address) else None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _bearer_user_id(request: HttpRequest) -> int | None:
    """Return the user id of the live API token the request carries, if any."""
    # Imported here: config sits above the apps, and this runs only for token writes.
    from annotations.interop.tokens import TOKEN_PREFIX, hash_token
    from annotations.models import ApiToken

    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.active()
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )


def _user_key(request: HttpRequest) -> str | None:
    """Return who is writing: the token's user, the session's user, or None if anonymous."""
    if "Authorization" in request.headers:
        user_id = _bearer_user_id(request)
        if user_id is not None:
            return f"user:{user_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def wants_json(request: HttpRequest) -> bool:
    """Return whether the request is an API client's rather than a browser page's."""
    return request.path_info.startswith(API_PREFIX) or "Authorization" in request.headers


def too_many_requests(request: HttpRequest, *, retry_after: int, detail: str) -> HttpResponse:
    """Return 429 with Retry-After: problem JSON for the API, a page for a browser."""
    retry_after = max(1, int(retry_after))
    if wants_json(request):
        response = problem_response(
            status=429, title="Too Many Requests", detail=detail, retry_after=retry_after
        )
    else:
        context = {"detail": detail, "retry_after": retry_after}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _rate_words(rate: str) -> str:
    """Return "60/m" as "60 per minute", "20/10s" as "20 per 10 seconds"."""
    count, _, period = rate.partition("/")
    multiple, unit = period[:-1], PERIOD_NAMES[period[-1]]
    return f"{count} per {multiple} {unit}s" if multiple else f"{count} per {unit}"


class WriteRateLimitMiddleware:
    """Answer 429 to a write past the per-user or per-address rate (settings, per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method in UNSAFE and getattr(settings, "RATELIMIT_ENABLE", True):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        limits = [("address", f"ip:{client_ip(request)}", settings.CLAIMLENS_WRITE_RATE_IP)]
        user_key = _user_key(request)
        if user_key is not None:
            limits.append(("account", user_key, settings.CLAIMLENS_WRITE_RATE_USER))
        # The key is hashed into the cache key: no address or id is stored in clear.
        limits = [
            (who, hashlib.sha256(value.encode()).hexdigest(), rate) for who, value, rate in limits
        ]
        waits = [
            (max(time_left, 1), who, rate)
            for (who, _digest, rate), (limited, time_left) in zip(
                limits, _count(request, limits), strict=True
            )
            if limited
        ]
        if not waits:
            return None
        wait, who, rate = max(waits)
        per = "from your address" if who == "address" else "for your account"
        detail = (
            f"Too many changes {per} (the limit is {_rate_words(rate)}). "
            f"Try again in {_wait_words(wait)}; nothing was saved from this request."
        )
        return too_many_requests(request, retry_after=wait, detail=detail)


def _count(request: HttpRequest, limits) -> list[tuple[bool, int]]:
    """Count this write against each (who, digest, rate); return (past it, seconds left).

    The shared database cache counts them all in one transaction (AtomicDatabaseCache's
    count_hits); any other cache through django-ratelimit, one counter after another. Both
    keep the counters under the same keys.
    """
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    count_hits = getattr(cache, "count_hits", None)
    if count_hits is None:
        usages = [
            get_usage(
                request,
                group=f"{GROUP}.{who}",
                key=lambda _group, _request, digest=digest: digest,
                rate=rate,
                method=UNSAFE,
                increment=True,
            )
            for who, digest, rate in limits
        ]
        return [(False, 0) if u is None else (u["should_limit"], u["time_left"]) for u in usages]
    keys, windows, rates = [], [], []
    for who, digest, rate in limits:
        limit, period = _split_rate(rate)
        window = _get_window(digest, period)
        keys.append(_make_cache_key(f"{GROUP}.{who}", window, rate, digest, UNSAFE))
        windows.append(window)
        rates.append((limit, period))
    # The longest period keeps every counter: a counter's key names its window anyway.
    timeout = max(period for _, period in rates) + EXPIRATION_FUDGE
    counts = count_hits(keys, timeout)
    now = int(time.time())
    return [
        (count > limit, window - now)
        for count, (limit, _), window in zip(counts, rates, windows, strict=True)
    ]


def login_lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Return django-axes' answer to a locked-out sign-in: 429, Retry-After, a clear page."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    username = get_client_username(request, credentials) or ""
    wait = f"for {_wait_words(seconds)}" if seconds else "until an administrator unlocks it"
    detail = (
        f"Too many failed sign-ins for {username or 'this account'} from your address. "
        f"Signing in is blocked {wait}, even with the right password, and each new attempt "
        "starts the wait again. An administrator can unlock it sooner."
    )
    if wants_json(request):
        return too_many_requests(request, retry_after=seconds, detail=detail)
    context = {"detail": detail, "retry_after": seconds, "username": username}
    response = render(request, "registration/lockout.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response

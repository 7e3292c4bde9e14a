"""Each role may use each URL pattern exactly as EXPECTED says, and never sees a secret."""

from __future__ import annotations

import copy

import pytest
from django.db import transaction

from tests.security.permission_matrix.expected import (
    EXPECTED,
    OWNERSHIPS,
    ROLES,
    Entry,
    admin_allowed,
)
from tests.security.permission_matrix.urlconf import build_url, url_patterns
from tests.security.permission_matrix.world import SECRETS, build_world, url_values

pytestmark = pytest.mark.django_db

GATE_PASSED = {400, 409, 422, 428}  # a validation answer: the permission check let it through
REFUSED = {401, 403, 404, 405}


ALL = list(url_patterns())


def test_every_url_pattern_has_an_expectation():
    missing = [
        f"{p.name} ({p.route})"
        for p in ALL
        if not p.name.startswith("admin:") and p.name not in EXPECTED
    ]
    assert not missing, "Say who may use these URLs in EXPECTED: " + ", ".join(missing)


def _classify(response, *, signing: bool = False) -> str:
    status = response.status_code
    location = response.get("Location", "")
    sent_away = "login" in location or (location == "/admin/" and not signing)
    if status in (301, 302, 303, 307, 308) and sent_away:
        return "refused"  # sent to sign in, or away to the admin's index
    if status in REFUSED:
        return "refused"
    if status < 400 or status in GATE_PASSED:
        return "allowed"
    return f"error {status}"


def _request(client, method: str, url: str, entry: Entry | None, world: dict):
    extra = {}
    data = dict((entry.data.get(method) if entry else None) or {})
    if entry is not None and entry.api and world["token"]:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {world['token']}"
    if method == "GET":
        return client.get(url, (entry.query if entry else None) or {}, **extra)
    if entry is not None and entry.api:
        body = '{"type": "Annotation", "body": [], "target": "x"}'
        return client.generic(method, url, body, content_type="application/ld+json", **extra)
    return client.generic(
        method, url, _urlencode(data), content_type="application/x-www-form-urlencoded", **extra
    )


def _urlencode(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role):
    world = build_world(role)
    if world["user"] is not None:
        client.force_login(world["user"])
    wrong: list[str] = []
    for pattern in ALL:
        is_admin = pattern.name.startswith("admin:")
        entry = EXPECTED.get(pattern.name)
        if entry is None and not is_admin:
            continue  # reported by test_every_url_pattern_has_an_expectation
        ownerships = (
            OWNERSHIPS if entry is not None and entry.kind and entry.kind != "article" else [None]
        )
        methods = ["GET", "POST"] + (["PUT", "DELETE"] if entry is not None and entry.api else [])
        for own in ownerships:
            if own == "own" and world["user"] is None:
                continue  # an anonymous visitor owns nothing
            url = build_url(pattern.route, url_values(pattern, entry, world, own))
            for method in methods:
                if is_admin:
                    expected = admin_allowed(pattern, method, role)
                else:
                    rule = entry.methods.get(method)
                    expected = rule is not None and rule(role, own)
                cookies = copy.deepcopy(client.cookies)
                try:
                    with transaction.atomic():
                        response = _request(client, method, url, entry, world)
                        transaction.set_rollback(True)
                except Exception as exc:  # noqa: BLE001 - every failure is reported together
                    wrong.append(f"{method} {url} [{own}]: raised {exc!r}")
                    continue
                finally:
                    client.cookies = cookies
                # Signing in or out ends on the admin's index: that is not being sent away.
                signing = pattern.name == "admin:login" or (
                    pattern.name == "admin:logout" and method == "POST"
                )
                got = _classify(response, signing=signing)
                want = "allowed" if expected else "refused"
                if got != want:
                    wrong.append(
                        f"{method} {url} ({pattern.name}) [{own}]: want {want}, got "
                        f"{response.status_code} {response.get('Location', '')}"
                    )
                body = response.content.decode(errors="replace") if not response.streaming else ""
                for secret in SECRETS:
                    if secret in body:
                        wrong.append(f"{method} {url} ({pattern.name}) [{own}] shows {secret!r}")
    assert not wrong, f"{role}: {len(wrong)} wrong\n" + "\n".join(wrong)

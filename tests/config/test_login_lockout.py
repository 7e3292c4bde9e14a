"""Sign-in lockout (django-axes): failures per username and address, cool-off, reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, user, password, url=LOGIN, **extra):
    return client.post(url, {"username": user.get_username(), "password": password}, **extra)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_right_password_is_refused_while_locked_with_a_clear_page(client, three_failures):
    alice = make_user(password="right")
    assert sign_in(client, alice, "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, alice, "wrong").status_code == 200
    locked = sign_in(client, alice, "wrong")
    assert locked.status_code == 429

    refused = sign_in(client, alice, "right")

    assert refused.status_code == 429
    assert not signed_in(client)
    assert refused["Retry-After"] == str(15 * 60)
    page = refused.content.decode()
    assert "<h1>Signing in is blocked for now</h1>" in page
    assert f"Too many failed sign-ins for {alice.get_username()} from your address" in page
    assert "blocked for 15 minutes, even with the right password" in page


def test_another_address_or_another_user_can_still_sign_in(client, three_failures):
    alice, bob = make_user(password="right"), make_user(password="bobs")
    for _ in range(3):
        sign_in(client, alice, "wrong")
    assert sign_in(client, alice, "right").status_code == 429

    # The same user from another address: the lock is on the username *and* the address.
    elsewhere = sign_in(client, alice, "right", REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302 and signed_in(client)
    client.logout()

    assert sign_in(client, bob, "bobs").status_code == 302 and signed_in(client)


def test_the_lock_lifts_after_the_cool_off(client, three_failures):
    alice = make_user(password="right")
    for _ in range(3):
        sign_in(client, alice, "wrong")
    assert sign_in(client, alice, "right").status_code == 429

    # A quarter of an hour later (the attempts are dated back rather than waited for).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, alice, "right").status_code == 302 and signed_in(client)


def test_a_successful_sign_in_clears_the_failures(client, three_failures):
    alice = make_user(password="right")
    sign_in(client, alice, "wrong")
    sign_in(client, alice, "wrong")
    assert sign_in(client, alice, "right").status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()

    sign_in(client, alice, "wrong")
    sign_in(client, alice, "wrong")  # four in all, but only two since the success
    assert sign_in(client, alice, "right").status_code == 302 and signed_in(client)


def test_the_admin_login_is_locked_too(client, three_failures):
    admin = make_staff(superuser=True, password="right")
    for _ in range(3):
        sign_in(client, admin, "wrong", url=ADMIN_LOGIN)

    refused = sign_in(client, admin, "right", url=ADMIN_LOGIN)

    assert refused.status_code == 429 and not signed_in(client)
    assert "Signing in is blocked" in refused.content.decode()
    # ... and the lock is the same one the site's login page honours.
    assert sign_in(client, admin, "right").status_code == 429

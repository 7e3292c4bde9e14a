import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # make_user hashes a password; the real hasher's cost makes many-user tests crawl.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

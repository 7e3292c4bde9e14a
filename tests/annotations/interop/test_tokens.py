"""The API token settings page: create (shown once), list, revoke."""

import hashlib

import pytest
from lxml import html as lxml_html

from annotations.models import ApiToken
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_tokens_page_needs_sign_in(client):
    response = client.get("/settings/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, annotator):
    client.force_login(annotator)
    response = client.post("/settings/tokens/", {"name": "sync script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = lxml_html.fromstring(response.content).xpath(
        "//section[@id='token-created']//input/@value"
    )[0]
    token = ApiToken.objects.get()
    assert token.user == annotator and token.name == "sync script"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.key_hash, token.prefix} and secret.startswith(token.prefix)
    listing = client.get("/settings/tokens/")
    assert secret not in listing.content.decode()
    assert token.prefix in listing.content.decode()
    assert (
        client.get("/api/annotations/", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )


def test_a_token_needs_a_name(client, annotator):
    client.force_login(annotator)
    response = client.post("/settings/tokens/", {"name": "  "})
    assert response.status_code == 200 and not ApiToken.objects.exists()


def test_revoke_own_token_only(client, annotator):
    client.force_login(annotator)
    client.post("/settings/tokens/", {"name": "old"})
    token = ApiToken.objects.get()
    intruder = make_user(username="ivan", role="annotator")
    client.force_login(intruder)
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(annotator)
    assert client.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client.get("/settings/tokens/").content.decode()


def test_tokens_page_query_count_is_constant(client, annotator, django_assert_max_num_queries):
    client.force_login(annotator)
    for i in range(3):
        client.post("/settings/tokens/", {"name": f"t{i}"})
    # Guards the token list against a query per token.
    with django_assert_max_num_queries(6):
        assert client.get("/settings/tokens/").status_code == 200
    for i in range(10):
        client.post("/settings/tokens/", {"name": f"more{i}"})
    with django_assert_max_num_queries(6):
        client.get("/settings/tokens/")

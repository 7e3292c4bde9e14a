"""The API from another origin (CORS): who may, which methods, and never with cookies."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import api_cors
from tests.annotations.interop.conftest import passage
from tests.annotations.interop.protocol import BASE, CSRF, bearer, container, new_annotation, post

pytestmark = pytest.mark.django_db

ELSEWHERE = "http://notes.example"


@pytest.fixture
def allow(settings):
    """Return a function that sets CLAIMLENS_API_CORS_ORIGINS as the environment would."""

    def set_origins(*origins):
        settings.CLAIMLENS_API_CORS_ORIGINS = list(origins)
        for name, value in api_cors(list(origins)).items():
            setattr(settings, name, value)

    return set_origins


def preflight(client, url, method, headers="authorization, content-type, if-match, prefer"):
    return client.options(
        url,
        headers={
            "Origin": ELSEWHERE,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def test_no_origin_is_allowed_by_default(client, annotated, seed_article):
    response = client.get(container(seed_article), headers={"Origin": ELSEWHERE})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(client, container(seed_article), "GET")


def test_a_named_origin_reads_and_writes_with_a_token(
    client, allow, annotated, seed_article, token
):
    allow(ELSEWHERE)
    answer = preflight(client, container(seed_article), "POST", "authorization, content-type, slug")
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == ELSEWHERE
    assert {"POST", "PUT", "DELETE"} <= set(answer["Access-Control-Allow-Methods"].split(", "))
    assert {"authorization", "if-match", "prefer", "slug"} <= set(
        answer["Access-Control-Allow-Headers"].split(", ")
    )
    assert "Access-Control-Allow-Credentials" not in answer
    doc = new_annotation(seed_article, passage(seed_article, 1, 0, 5))
    created = post(
        client, container(seed_article), doc, headers={**bearer(token), "Origin": ELSEWHERE}
    )
    assert created.status_code == 201 and created["Access-Control-Allow-Origin"] == ELSEWHERE
    exposed = set(created["Access-Control-Expose-Headers"].split(", "))
    assert {"ETag", "Location", "Link", "Allow", "Content-Location", "Vary"} <= exposed
    other = preflight(client, container(seed_article), "GET")
    assert other["Access-Control-Allow-Origin"] == ELSEWHERE
    client.defaults["HTTP_ORIGIN"] = "http://evil.example"
    assert "Access-Control-Allow-Origin" not in client.get(container(seed_article))


def test_any_origin_may_only_read(client, allow, annotated, seed_article):
    allow("*")
    read = client.get(container(seed_article), headers={"Origin": ELSEWHERE})
    assert read["Access-Control-Allow-Origin"] == "*"
    write = preflight(client, container(seed_article), "POST")
    assert set(write["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_any_origin_stands_alone():
    with pytest.raises(ImproperlyConfigured, match="not both"):
        api_cors(["*", ELSEWHERE])


def test_only_the_api_is_shared(client, allow, seed_article):
    allow(ELSEWHERE)
    page = client.get(seed_article.get_absolute_url(), headers={"Origin": ELSEWHERE})
    assert "Access-Control-Allow-Origin" not in page


def test_another_origin_is_never_signed_in_by_cookies(
    client, allow, annotated, annotator, seed_article
):
    """A page elsewhere signs in with a token: the visitor's session counts for nothing there."""
    allow(ELSEWHERE)
    client.force_login(annotator)
    client.cookies["csrftoken"] = CSRF
    private = f"/api/annotations/{annotated['private'].pk}"
    assert client.get(private).status_code == 200
    assert client.get(private, headers={"Origin": BASE}).status_code == 200, "same origin"
    assert client.get(private, headers={"Origin": ELSEWHERE}).status_code == 404
    doc = new_annotation(seed_article, passage(seed_article, 1, 0, 5))
    headers = {"Origin": ELSEWHERE, "X-CSRFToken": CSRF}
    assert post(client, container(seed_article), doc, headers=headers).status_code == 401

"""What /api/openapi.json says where it once disagreed with the API, each checked on its own.

test_openapi_conformance.py holds every generated request to the description; these tests pin
the places the two were found apart, so that a regression names itself.
"""

import json

import pytest

from annotations.core import limits
from annotations.interop.api import OPENAPI_PATH
from tests.annotations.interop.protocol import bearer, container, detail, new_annotation, post

pytestmark = pytest.mark.django_db

SPEC = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    "path",
    [
        "/api/annotations/a.b",
        "/api/annotations/1,2",
        "/api/articles/x/annotations/",
        "/api/nothing",
    ],
)
def test_an_api_address_no_url_matches_is_a_problem_not_a_page(client, path):
    # The description promises problem JSON for every 404, the path parameter's type aside.
    assert_problem(client.get(path), 404)
    assert_problem(client.put(path, "{}", content_type="application/json"), 404)


def test_addresses_outside_the_api_keep_the_html_404_and_the_slash_redirect(client):
    page = client.get("/articles/no-such-page/here")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    # The handler only answers where no URL matched: APPEND_SLASH still finds the container.
    assert client.get("/api/annotations").headers["Location"] == "/api/annotations/"


@pytest.mark.parametrize("path", ["/api/annotations/", "/api/annotations/{pk}"])
def test_options_with_a_bad_token_is_the_documented_401(client, annotated, path):
    url = detail(annotated["highlight"]) if "{pk}" in path else path
    response = client.options(url, headers=bearer("not-a-token"))
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer ")
    documented = SPEC["paths"][path]["options"]["responses"]["401"]
    assert documented["content"] == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_the_documented_note_length_is_the_one_the_api_keeps(client, seed_article, token):
    body = SPEC["components"]["schemas"]["Body"]["oneOf"][0]["properties"]["value"]
    assert body["maxLength"] == limits.NOTE_MAX_CHARS
    long_note = {"type": "TextualBody", "purpose": "commenting", "value": "word " * 40}
    quote = seed_article.body_text.split("\n\n")[1][:30]
    doc = new_annotation(seed_article, quote, body=[long_note])
    response = post(client, container(seed_article), doc, headers=bearer(token))
    assert response.status_code == 201, response.content
    assert response.json()["body"][0]["value"] == long_note["value"]


def test_head_is_described_with_the_headers_get_sends(client, annotated):
    # The Web Annotation Protocol asks for HEAD on containers and annotations (§4.1, §5.1).
    for path in ("/api/annotations/", "/api/annotations/{pk}"):
        head = SPEC["paths"][path]["head"]["responses"]["200"]
        assert set(head["headers"]) == set(
            SPEC["paths"][path]["get"]["responses"]["200"]["headers"]
        )
        assert "content" not in head
    response = client.head(detail(annotated["highlight"]))
    assert response.status_code == 200 and response.content == b""
    assert {"ETag", "Link", "Allow", "Vary"} <= set(response.headers)

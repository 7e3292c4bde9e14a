"""Hold the API to its OpenAPI description (/api/openapi.json), request by generated request.

Schemathesis generates requests from the description, valid ones and invalid ones, and sends
them to the real application in-process, on the test database with an article, annotations of
every kind and a claim. Every response must be documented: its status code, its content type,
its body (the schemas follow the W3C Web Annotation model), the headers the Web Annotation
Protocol requires, and never a server error. A response that drifts from the description fails
here, and so does a description that promises what the API does not do.
"""

import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.interop.api import represent
from annotations.interop.api.addresses import ContainerUrls
from annotations.interop.exports import visible_annotations
from annotations.interop.tokens import token_create
from annotations.interop.webannotation import Urls, annotation_target
from config.wsgi import application
from tests.annotations.interop.conftest import passage

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# The coverage phase sends every boundary value of every body field: some 700 requests for
# each operation with a body, minutes in all. Hypothesis's examples reach the same code.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}}
)
# Loading through the app also checks that /api/openapi.json is served and valid.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)


@pytest.fixture
def requests_in_the_test_transaction(db):
    """Let in-process WSGI requests share the test's transaction, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(requests_in_the_test_transaction, settings, annotated, seed_article, reader, moderator):
    """The article, its annotations, and the Authorization each kind of client sends."""
    # Pages of two annotations, so that next, prev and later pages are served and checked.
    settings.CLAIMLENS_API_PAGE_SIZE = 2
    annotator = annotated["highlight"].author
    bearer = {
        user: f"Bearer {token_create(user=user, name='conformance')[1]}"
        for user in (reader, annotator, moderator)
    }
    return {
        "article": seed_article,
        "annotations": sorted(annotated.values(), key=lambda a: a.pk),
        "usernames": [annotator.username, reader.username, moderator.username],
        # Chosen by a hash of the generated request; a moderator gets furthest, so most often.
        "authorizations": [
            None,
            "Bearer not-a-token",
            bearer[reader],
            bearer[annotator],
            *[bearer[moderator]] * 4,
        ],
    }


def authorization(case, world) -> str | None:
    """Return who sends this request (none, a bad token, a reader, an annotator, a moderator)."""
    body = case.body if isinstance(case.body, (dict, list, str, bytes)) else None  # not NotSet
    generated = repr((case.path_parameters, case.query, case.headers, body))
    choices = world["authorizations"]
    return choices[zlib.crc32(generated.encode()) % len(choices)]


def steer(case, world) -> None:
    """Point some generated values at things that exist, so requests reach the deeper code.

    Random article and annotation numbers would almost always be 404s, and random quotes are
    never in the article; the generated values still pick which one and what else is sent.
    """
    article = world["article"]
    params = case.path_parameters or {}
    if "article_id" in params:
        params["article_id"] = article.pk
    if isinstance(params.get("username"), str) and len(params["username"]) % 2:
        params["username"] = world["usernames"][len(params["username"]) % 3]
    if isinstance((case.query or {}).get("page"), int):
        case.query["page"] %= 4  # three pages of two annotations, and one past the last
    if str(params.get("pk", "")).isdigit():
        generated = int(params["pk"])
        annotation = world["annotations"][generated % len(world["annotations"])]
        params["pk"] = annotation.pk
        annotation.refresh_from_db()
        if case.method in ("PUT", "DELETE") and generated % 4 and annotation.deleted_at is None:
            case.headers = {**(case.headers or {}), "If-Match": current_etag(annotation, params)}
            if isinstance(case.body, dict):
                case.body["target"] = annotation_target(annotation, Urls("http://localhost"))
    if case.method == "POST" and isinstance(case.body, dict):
        place(case.body, article)


def current_etag(annotation, params) -> str:
    """Return the strong ETag the annotation has now at the IRI the request names."""
    fetched = visible_annotations(None, include_private=True).get(pk=annotation.pk)
    urls = ContainerUrls("http://localhost", in_article=params.get("article_id"))
    return represent(fetched, urls)["ETag"]


def place(body: dict, article) -> None:
    """Aim a generated annotation at the article and a passage that is in it, half the time."""
    target, reader = body.get("target"), f"http://localhost/articles/{article.pk}/"
    if isinstance(target, str) and len(target) % 2:
        body["target"] = reader
    if not isinstance(target, dict):
        return
    if isinstance(target.get("source"), str):
        target["source"] = reader
    selectors = target.get("selector")
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        exact = selector.get("exact") if isinstance(selector, dict) else None
        if isinstance(exact, str) and len(exact) % 2:
            quote = passage(article, 1 + len(exact) % 5, len(exact) % 4, 4)
            selector["exact"] = quote
            for position in selectors if isinstance(selectors, list) else []:
                if isinstance(position, dict) and "start" in position:
                    position["start"] = article.body_text.index(quote)
                    position["end"] = position["start"] + len(quote)


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_answers_as_its_openapi_description_says(case, world):
    sender = authorization(case, world)
    steer(case, world)
    # Schemathesis's WSGI calls ask for gzip as requests does, but do not unzip the answer.
    headers = {"Accept-Encoding": "identity"} | ({"Authorization": sender} if sender else {})
    if not sender and case.headers:
        case.headers.pop("Authorization", None)
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)

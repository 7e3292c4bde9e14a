"""Fuzz the API from its OpenAPI description: no request, however odd, may cause a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from annotations.apitokens import token_create
from annotations.webannotation import Urls, annotation_target
from config.wsgi import application
from tests.interop.conftest import passage

# Loading through the app also checks that /api/openapi.json is served and valid.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def requests_in_the_test_transaction(db):
    """Let in-process WSGI requests share the test's transaction, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(requests_in_the_test_transaction, annotated, seed_article, moderator):
    # A moderator may do everything, so requests get past permissions into the parsing code.
    return {
        "token": token_create(user=moderator, name="fuzz")[1],
        "article": seed_article,
        "annotations": sorted(annotated.values(), key=lambda a: a.pk),
    }


def steer(case, world) -> None:
    """Point some generated values at things that exist, so requests reach the deeper code.

    Random article and annotation numbers would almost always be 404s, and random quotes are
    never in the article; the generated values still pick which one and what else is sent.
    """
    article = world["article"]
    if "article_id" in (case.path_parameters or {}):
        case.path_parameters["article_id"] = article.pk
    if "pk" in (case.path_parameters or {}):
        generated = str(case.path_parameters["pk"])
        if generated.isdigit():
            generated = int(generated)
            annotation = world["annotations"][generated % len(world["annotations"])]
            case.path_parameters["pk"] = annotation.pk
            annotation.refresh_from_db()
            if case.method == "PUT" and generated % 4:
                etag = f'W/"{annotation.pk}-{annotation.version}"'
                case.headers = {**(case.headers or {}), "If-Match": etag}
                if isinstance(case.body, dict):
                    case.body["target"] = annotation_target(annotation, Urls("http://localhost"))
    body = case.body
    target = body.get("target") if isinstance(body, dict) else None
    if case.method == "POST" and isinstance(target, dict) and isinstance(target.get("source"), str):
        target["source"] = f"http://localhost/articles/{article.pk}/"
        selectors = target.get("selector")
        for selector in selectors if isinstance(selectors, list) else [selectors]:
            exact = selector.get("exact") if isinstance(selector, dict) else None
            if isinstance(exact, str) and len(exact) % 2:
                selector["exact"] = passage(article, 1 + len(exact) % 5, len(exact) % 4, 4)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_answers_with_a_server_error(case, world):
    steer(case, world)
    response = case.call(headers={"Authorization": f"Bearer {world['token']}"})
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])

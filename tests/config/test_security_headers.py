"""Response headers under production settings, scored as Mozilla's HTTP Observatory does."""

from __future__ import annotations

import importlib.util
import secrets

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from lxml import html as lxml_html

from tests.config.observatory import Scan, cookies_from, csp_test, parse_csp, score
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

HOST = "claimlens.example"
# Settings that say where things are, not how responses look, or that the test run owns.
KEEP = {
    "DATABASES", "CACHES", "STORAGES", "INSTALLED_APPS", "LOGGING", "TEMPLATES", "SECRET_KEY",
    "BASE_DIR", "PASSWORD_HASHERS", "CLAIMLENS_WRITE_RATE_USER", "CLAIMLENS_WRITE_RATE_IP",
    "RATELIMIT_USE_CACHE", "AXES_FAILURE_LIMIT",
}  # fmt: skip


@pytest.fixture
def production(monkeypatch):
    """Apply config/settings.py as it reads with DJANGO_DEBUG=0 (the `make serve` settings)."""
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", HOST)
    for name in ("DJANGO_SECURE_SSL_REDIRECT", "DJANGO_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    spec = importlib.util.spec_from_file_location(
        "production_settings", settings.BASE_DIR / "config" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DEBUG is False
    values = {
        name: getattr(module, name) for name in dir(module) if name.isupper() and name not in KEEP
    }
    with override_settings(**values):
        yield values


def fetch(client, url, *, secure, data=None):
    """Return the responses of one request and the redirects it leads to, in order."""
    responses = []
    while True:
        if data is None:
            response = client.get(url, secure=secure, HTTP_HOST=HOST)
        else:
            response = client.post(url, data, secure=secure, HTTP_HOST=HOST)
            data = None
        responses.append(response)
        if response.status_code not in (301, 302, 303, 307, 308):
            return responses
        location = response["Location"]
        if location.startswith(("http://", "https://")):
            secure = location.startswith("https://")
            location = "/" + location.split("/", 3)[3]
        url = location


def scan_site(path: str, *, user=None) -> tuple[Scan, list]:
    """Fetch http://HOST/ and https://HOST{path} (signed in as user, through the login form)."""
    client = Client()
    responses = []
    http = fetch(client, "/", secure=False)
    route = [f"http://{HOST}/"] + [
        r["Location"] if r["Location"].startswith("http") else f"https://{HOST}{r['Location']}"
        for r in http[:-1]
    ]
    responses += http
    if user is not None:
        responses += fetch(client, "/accounts/login/", secure=True)
        signed_in = fetch(
            client,
            "/accounts/login/",
            secure=True,
            data={"username": user.get_username(), "password": "pw"},
        )
        assert signed_in[0].status_code == 302, "the login form did not sign in"
        responses += signed_in
    page = fetch(client, path, secure=True)
    responses += page
    final = page[-1]
    assert final.status_code == 200
    headers: dict[str, list[str]] = {}
    for name, value in final.items():
        headers.setdefault(name.lower(), []).append(value)
    scan = Scan(
        url=f"https://{HOST}{path}",
        headers=headers,
        body=final.content.decode(),
        http_route=route,
        cookies=cookies_from(responses),
    )
    return scan, responses


EXPECTED = {
    "content-security-policy": "csp-implemented-with-no-unsafe-default-src-none",
    "cookies": "cookies-secure-with-httponly-sessions-and-samesite",
    "cross-origin-resource-sharing": "cross-origin-resource-sharing-not-implemented",
    "redirection": "redirection-to-https",
    "referrer-policy": "referrer-policy-private",
    "strict-transport-security": "hsts-implemented-max-age-at-least-six-months",
    "subresource-integrity": "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
    "x-content-type-options": "x-content-type-options-nosniff",
    "x-frame-options": "x-frame-options-implemented-via-csp",
    "cross-origin-resource-policy": "corp-implemented-with-same-origin",
}


def test_the_reader_page_of_a_signed_in_user_scores_a_plus(production):
    article = make_article()
    scan, responses = scan_site(article.get_absolute_url(), user=make_user())

    total, grade, results = score(scan)

    assert results == EXPECTED
    assert (total, grade) == (135, "A+")
    # The sign-in set both cookies, and the scan saw them.
    assert {c["name"] for c in scan.cookies} >= {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
    }


def test_the_article_list_of_a_visitor_scores_a_plus(production):
    make_article()
    scan, responses = scan_site("/articles/")
    total, grade, results = score(scan)
    # A visitor is given no cookie at all: their pages carry no CSRF token (base.html), so
    # that a stored anonymous page is the same bytes for everyone (articles.pages).
    assert results == {**EXPECTED, "cookies": "cookies-not-found"}
    assert not cookies_from(responses)
    assert total >= 100 and grade == "A+"


def test_the_policy_is_strict_where_it_matters(production):
    scan, _ = scan_site("/articles/")
    _, csp = csp_test(scan)
    assert csp["default-src"] == {"'none'"}
    assert csp["object-src"] == {"'none'"} and csp["base-uri"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'none'"} and csp["form-action"] == {"'self'"}
    for directive in ("script-src", "style-src"):
        assert not csp[directive] & {"'unsafe-inline'", "'unsafe-eval'", "data:", "*", "https:"}
    # Style attributes (label colours) are the one inline thing allowed; no script attribute.
    assert csp["style-src-attr"] == {"'unsafe-inline'"} and "script-src-attr" not in csp

    assert scan.header("strict-transport-security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert scan.header("cross-origin-opener-policy") == "same-origin"
    assert scan.header("cross-origin-resource-policy") == "same-origin"
    permissions = scan.header("permissions-policy")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions


def test_the_page_has_no_inline_script_or_event_handler(production):
    scan, _ = scan_site(make_article().get_absolute_url(), user=make_user())
    doc = lxml_html.fromstring(scan.body)
    # Data blocks (application/json, application/ld+json) are never run; code must have a src.
    runnable = {"", "text/javascript", "module", "application/javascript"}
    inline = [s for s in doc.xpath("//script[not(@src)]") if s.get("type", "") in runnable]
    assert inline == []
    assert doc.xpath("//script[@src]"), "the reader page loads its scripts from files"
    handlers = [
        (el.tag, name) for el in doc.iter() if isinstance(el.tag, str)
        for name in el.attrib if name.lower().startswith("on")
    ]  # fmt: skip
    assert handlers == []
    assert doc.xpath("//*[starts-with(@href, 'javascript:')]") == []


def test_static_files_carry_the_policy_headers_too(client):
    response = client.get("/static/js/reader.js")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_api_carries_the_headers(client):
    response = client.get("/api/annotations/")
    assert parse_csp([response["Content-Security-Policy"]])["default-src"] == {"'none'"}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_template_that_uses_the_nonce_gets_a_fresh_one_in_the_policy(rf):
    """No page needs inline code today; one that does writes nonce="{{ request.csp_nonce }}"."""

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    nonces = []
    for _ in range(2):
        request = rf.get("/")
        middleware = CSPMiddleware(view)
        response = middleware(request)
        policy = parse_csp([response["Content-Security-Policy"]])
        nonce = request.csp_nonce
        assert f"'nonce-{nonce}'" in policy["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22


# The scorer itself: it must punish what the Observatory punishes, or an A+ means nothing.
GOOD = {
    "content-security-policy": [
        "default-src 'none'; script-src 'self'; style-src 'self'; frame-ancestors 'none'"
    ],
    "strict-transport-security": ["max-age=31536000"],
    "x-content-type-options": ["nosniff"],
    "referrer-policy": ["same-origin"],
    "cross-origin-resource-policy": ["same-origin"],
    "content-type": ["text/html; charset=utf-8"],
}
GOOD_COOKIES = [
    {"name": "sessionid", "secure": True, "httponly": True, "samesite": "Lax"},
    {"name": "csrftoken", "secure": True, "httponly": True, "samesite": "Lax"},
]


def fake_scan(*, headers=None, cookies=None, route=None):
    merged = {**GOOD, **(headers or {})}
    return Scan(
        url="https://example.org/",
        headers={k: v for k, v in merged.items() if v is not None},
        body='<html><script src="/static/app.js"></script></html>',
        http_route=route or ["http://example.org/", "https://example.org/"],
        cookies=GOOD_COOKIES if cookies is None else cookies,
    )


@pytest.mark.parametrize(
    ("change", "result", "points"),
    [
        ({}, None, 135),
        # Without frame-ancestors, a missing X-Frame-Options costs 20 more; under 90, no bonuses.
        (
            {"content-security-policy": ["default-src 'self'; script-src 'self' 'unsafe-inline'"]},
            "csp-implemented-with-unsafe-inline",
            100 - 20 - 20,
        ),
        (
            {"content-security-policy": ["default-src 'self'; script-src 'self' 'unsafe-eval'"]},
            "csp-implemented-with-unsafe-eval",
            100 - 10 - 20,
        ),
        ({"content-security-policy": None}, "csp-not-implemented", 100 - 25 - 20),
        (
            {"strict-transport-security": ["max-age=86400"]},
            "hsts-implemented-max-age-less-than-six-months",
            100 - 10 + 35,
        ),
        ({"strict-transport-security": None}, "hsts-not-implemented", 80),
        ({"x-content-type-options": None}, "x-content-type-options-not-implemented", 130),
        ({"referrer-policy": ["unsafe-url"]}, "referrer-policy-unsafe", 125),
    ],
)
def test_the_scorer_scores_as_the_observatory(change, result, points):
    total, _, results = score(fake_scan(headers=change))
    if result:
        assert result in results.values()
    assert total == points


def test_the_scorer_punishes_weak_cookies_and_a_missing_redirect():
    no_httponly = [{"name": "sessionid", "secure": True, "httponly": False, "samesite": "Lax"}]
    assert score(fake_scan(cookies=no_httponly))[2]["cookies"] == (
        "cookies-session-without-httponly-flag"
    )
    assert score(fake_scan(cookies=no_httponly))[0] == 70
    stays = score(fake_scan(route=["http://example.org/"]))
    assert stays[2]["redirection"] == "redirection-missing" and stays[0] == 80


def test_a_nonce_excuses_unsafe_inline_as_browsers_ignore_it():
    csp = parse_csp(["script-src 'self' 'nonce-abc' 'unsafe-inline'"])
    assert "'nonce-abc'" in csp["script-src"]
    headers = {
        "content-security-policy": [
            "default-src 'none'; script-src 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'"
        ]
    }
    assert score(fake_scan(headers=headers))[2]["content-security-policy"] == (
        "csp-implemented-with-no-unsafe-default-src-none"
    )

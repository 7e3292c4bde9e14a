"""What every API view shares: problem responses, authentication, CSRF and the view wrapper."""

from __future__ import annotations

import functools
import hashlib
import json
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from annotations.interop.tokens import token_authenticate
from annotations.interop.webannotation import (
    ANNO_CONTEXT,
    MEDIA_TYPE,
    WebAnnotationError,
    parse_annotation,
    unkept_detail,
)

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "openapi.json"
PROBLEM_TYPE = "application/problem+json"
ACCEPT_POST = (
    'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld", '
    "application/ld+json, application/json"
)
CONSTRAINED_BY = "http://www.w3.org/ns/ldp#constrainedBy"
CONTAINER_LINKS = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    f'<http://www.w3.org/TR/annotation-protocol/>; rel="{CONSTRAINED_BY}"'
)
RESOURCE_LINK = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
FILTERS = ("tag", "status", "author", "q")


class ApiError(Exception):
    """An error answered as application/problem+json (RFC 9457).

    `rule` names the section of the constraints document (api:constraints) that the request
    broke: the problem's type points there, and so does a constrainedBy link (LDP §4.2.1.6).
    """

    def __init__(
        self, status: int, detail: str, *, headers: dict | None = None, rule: str | None = None
    ):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}
        self.rule = rule

    def response(self, request) -> HttpResponse:
        constraints = request.build_absolute_uri(reverse("api:constraints"))
        kind = f"{constraints}#{self.rule}" if self.rule else "about:blank"
        response = problem(self.status, self.detail, kind=kind)
        for name, value in self.headers.items():
            response[name] = value
        return response

    def links(self, request) -> str:
        """Return the Link header's extra entry: the constraints this request broke."""
        return constraints_link(request) if self.rule else ""


def constraints_link(request) -> str:
    """Return the Link entry to the constraints document (rel ldp#constrainedBy)."""
    constraints = request.build_absolute_uri(reverse("api:constraints"))
    return f'<{constraints}>; rel="{CONSTRAINED_BY}"'


def problem(status: int, detail: str, *, kind: str = "about:blank") -> HttpResponse:
    body = {
        "type": kind,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )


def unauthorised(
    detail: str = "Sign in, or send an API token as “Authorization: Bearer <token>”.",
) -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="Claimlens"'})


def jsonld(doc: dict, *, status: int = 200, etag: str | None = None) -> HttpResponse:
    """Return doc as JSON-LD; without an etag, its ETag is a strong one of its bytes."""
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    response["ETag"] = etag or strong_etag(response.content)
    return response


def strong_etag(content: bytes) -> str:
    """Return a strong entity tag: the same bytes, and only they, give the same tag."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def if_match(header: str, etag: str) -> bool:
    """Tell whether If-Match matches etag by strong comparison (RFC 9110 §13.1.1)."""
    if header.strip() == "*":
        return True
    return etag in {tag.strip() for tag in header.split(",")} and not etag.startswith("W/")


def _cross_origin(request) -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and origin != f"{request.scheme}://{request.get_host()}"


def _authenticate(request) -> bool:
    """Sign the request in by its bearer token, if it has one; return whether it did."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    user = token_authenticate(credentials.strip())
    if user is None:
        raise unauthorised("The API token is not valid, or it was revoked.")
    request.user = user
    return True


def _enforce_csrf(request) -> None:
    # The view is csrf_exempt so that token requests pass; a session is checked here exactly
    # as CsrfViewMiddleware checks every other form in Claimlens.
    rejection = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if rejection is not None:
        raise ApiError(
            403,
            "CSRF check failed: a signed-in browser must send the X-CSRFToken header "
            "(scripts should use an API token instead).",
        )


def api_view(*methods: str, links: str, vary_prefer: bool = False, constrained: bool = False):
    """Wrap a protocol view: method check, sign-in, CSRF, errors as problem JSON, headers.

    `constrained`: every answer links to the constraints (else only an error under a rule).
    """
    allowed = ", ".join(methods)
    varies = ("Accept", "Authorization", "Prefer") if vary_prefer else ("Accept", "Authorization")

    def decorator(view):
        # The API answers 401 itself (token or session) rather than redirecting to a form.
        @login_not_required
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            extra = constraints_link(request) if constrained else ""
            try:
                _admit(request, methods)
                response = view(request, *args, **kwargs)
            except ApiError as exc:
                response, extra = exc.response(request), extra or exc.links(request)
            response["Allow"] = allowed
            response["Link"] = f"{links}, {extra}" if extra else links
            patch_vary_headers(response, varies)
            if request.method == "HEAD":
                response.content = b""
            return response

        return wrapper

    return decorator


def _admit(request, methods: tuple[str, ...]) -> None:
    """Raise the ApiError that refuses the request (method, sign-in, CSRF), if one does."""
    if request.method not in methods:
        raise ApiError(405, f"Use one of {', '.join(methods)}.")
    by_token = _authenticate(request)
    if not by_token and _cross_origin(request):
        # A page on another origin signs in with a token, never with the visitor's cookies.
        request.user = AnonymousUser()
    signed_in = request.user.is_authenticated
    if request.method in UNSAFE:
        if not signed_in:
            raise unauthorised()
        if not by_token:
            _enforce_csrf(request)
    elif settings.CLAIMLENS_REQUIRE_LOGIN and not signed_in:
        raise unauthorised()


def _options(accept_post: bool = False) -> HttpResponse:
    response = HttpResponse(status=200)
    if accept_post:
        response["Accept-Post"] = ACCEPT_POST
    return response


def _read_json(request):
    """Return the request's JSON body, or raise 415/400."""
    media = request.content_type or ""
    profile = request.content_params.get("profile", "").strip('"')
    ok = media == "application/json" or (
        media == "application/ld+json" and profile in ("", ANNO_CONTEXT)
    )
    if not ok:
        raise ApiError(
            415,
            f"Send the annotation as {MEDIA_TYPE} (or application/ld+json, application/json), "
            f"not {media or 'no Content-Type'}.",
            headers={"Accept-Post": ACCEPT_POST},
        )
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"The body is not valid JSON: {exc}") from None


def _parse(doc, *, replacing: bool = False):
    """Return the parsed annotation; 400 if it is none, 422 if Claimlens would not keep it all."""
    try:
        parsed = parse_annotation(doc, replacing=replacing)
    except WebAnnotationError as exc:
        raise ApiError(400, str(exc)) from None
    if parsed.warnings:
        raise ApiError(422, unkept_detail(parsed.warnings))
    return parsed


def _validation_detail(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def if_none_match(header: str, etag: str) -> bool:
    """Tell whether If-None-Match matches etag by weak comparison (RFC 9110 §13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
    return "*" in tags or etag.removeprefix("W/") in tags

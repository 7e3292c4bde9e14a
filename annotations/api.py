"""The W3C Web Annotation Protocol over Claimlens's annotations.

Containers  /api/annotations/ (all) and /api/articles/<id>/annotations/ (one article):
            GET/HEAD/OPTIONS a paged AnnotationCollection, POST a new annotation.
Annotations /api/annotations/<pk>: GET/HEAD/OPTIONS, PUT (replace note, tags, claim and
            visibility), DELETE (soft, so the author can undo in the reader).

Decisions the protocol leaves open:
- PUT needs If-Match with the annotation's ETag (428 without): annotating is collaborative,
  and a blind overwrite would silently undo someone's edit. DELETE honours If-Match when sent.
- The target cannot be changed by PUT (400): a new passage is a new annotation.
- ETags are weak (W/"<pk>-<version>"): the representation also shows the claim's status, which
  changes without the annotation's version; If-Match compares the version, so a weak tag is
  accepted there.
- Annotations created through an article's container still get their id under
  /api/annotations/, the one place every annotation lives.
- Sign in with the session (then unsafe requests need the CSRF token, as everywhere in
  Claimlens) or with `Authorization: Bearer <token>` (no cookies, so no CSRF check).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article

from . import permissions
from .annotation_imports import ArticleResolver, annotation_from_parsed, default_status_name
from .apitokens import token_authenticate
from .exports import visible_annotations
from .models import Annotation, Claim
from .services import EditConflict, annotation_delete, annotation_update, status_by_name
from .webannotation import (
    ANNO_CONTEXT,
    MEDIA_TYPE,
    Urls,
    WebAnnotationError,
    annotation_jsonld,
    clean_text,
    collection_jsonld,
    page_jsonld,
    parse_annotation,
    person,
)

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"
PROBLEM_TYPE = "application/problem+json"
ACCEPT_POST = (
    'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld", '
    "application/ld+json, application/json"
)
CONTAINER_LINKS = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
RESOURCE_LINK = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
FILTERS = ("tag", "status", "author", "q")


class ApiError(Exception):
    """An error answered as application/problem+json (RFC 9457)."""

    def __init__(self, status: int, detail: str, *, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}

    def response(self) -> HttpResponse:
        response = problem(self.status, self.detail)
        for name, value in self.headers.items():
            response[name] = value
        return response


def problem(status: int, detail: str) -> HttpResponse:
    body = {
        "type": "about:blank",
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
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    if etag:
        response["ETag"] = etag
    return response


# --- authentication and the view wrapper -----------------------------------------------------


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


def api_view(*methods: str, links: str, vary_prefer: bool = False):
    """Wrap a protocol view: method check, sign-in, CSRF, errors as problem JSON, headers."""
    allowed = ", ".join(methods)

    def decorator(view):
        # The API answers 401 itself (token or session) rather than redirecting to a form.
        @login_not_required
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ApiError(405, f"Use one of {allowed}.")
                by_token = _authenticate(request)
                signed_in = request.user.is_authenticated
                if request.method in UNSAFE:
                    if not signed_in:
                        raise unauthorised()
                    if not by_token:
                        _enforce_csrf(request)
                elif settings.CLAIMLENS_REQUIRE_LOGIN and not signed_in:
                    raise unauthorised()
                response = view(request, *args, **kwargs)
            except ApiError as exc:
                response = exc.response()
            response["Allow"] = allowed
            response["Link"] = links
            patch_vary_headers(
                response,
                ("Accept", "Authorization", "Prefer")
                if vary_prefer
                else ("Accept", "Authorization"),
            )
            if request.method == "HEAD":
                response.content = b""
            return response

        return wrapper

    return decorator


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


def _parse(doc):
    try:
        return parse_annotation(doc)
    except WebAnnotationError as exc:
        raise ApiError(400, str(exc)) from None


def _validation_detail(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- containers ------------------------------------------------------------------------------


def _prefer(request) -> tuple[bool, bool, bool]:
    """Return (asked, minimal, iris) from the Prefer header (RFC 7240; protocol §4.2)."""
    header = request.headers.get("Prefer", "")
    if "return=representation" not in header.replace(" ", ""):
        return False, False, False
    include = ""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "include":
            include = value.strip().strip('"')
    wanted = set(include.split())
    return (
        True,
        PREFER_MINIMAL in wanted,
        PREFER_IRIS in wanted and PREFER_DESCRIPTIONS not in wanted,
    )


def _filters(request) -> dict[str, str]:
    filters = {}
    for name in FILTERS:
        value = request.GET.get(name)
        if value is None or not value.strip():
            continue
        try:
            filters[name] = clean_text(value.strip(), f"The {name} filter", max_length=200)
        except WebAnnotationError as exc:
            raise ApiError(400, str(exc)) from None
    return filters


def _filtered(qs, filters: dict[str, str]):
    if "tag" in filters:
        qs = qs.filter(labels__name__iexact=filters["tag"])
    if "status" in filters:
        try:
            qs = qs.filter(claim__status=status_by_name(filters["status"]))
        except ValidationError as exc:
            raise ApiError(400, _validation_detail(exc)) from None
    if "author" in filters:
        qs = qs.filter(author__username=filters["author"])
    if "q" in filters:
        q = filters["q"]
        qs = qs.filter(Q(exact__icontains=q) | Q(note__icontains=q) | Q(claim__title__icontains=q))
    return qs


def _page_number(request) -> int | None:
    raw = request.GET.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(400, "page must be a whole number from 0.")
    return int(raw)


def _container(request, *, article: Article | None):
    urls = Urls.for_request(request)
    if request.method == "OPTIONS":
        return _options(accept_post=True)
    if request.method == "POST":
        return _create(request, urls=urls, article=article)
    filters = _filters(request)
    asked, minimal, iris = _prefer(request)
    if request.GET.get("iris") == "1":
        iris = True
    qs = visible_annotations(request.user)
    # One article's annotations in reading order; all of them in the order they were made.
    qs = qs.filter(article=article).in_reading_order() if article else qs.order_by("pk")
    qs = _filtered(qs, filters)
    stats = qs.aggregate(total=Count("pk"), modified=Max("updated_at"))
    total = stats["total"]
    size = settings.CLAIMLENS_API_PAGE_SIZE
    last = max(0, math.ceil(total / size) - 1)
    base_path = (
        reverse("api:article-annotations", kwargs={"article_id": article.pk})
        if article is not None
        else reverse("api:annotations")
    )
    query = dict(filters)
    if iris:
        query["iris"] = "1"

    def address(page: int | None = None) -> str:
        params = dict(query) if page is None else {**query, "page": str(page)}
        return urls.absolute(base_path) + (f"?{urlencode(params)}" if params else "")

    container_iri = address()
    number = _page_number(request)
    if number is not None and number > last:
        raise ApiError(404, f"There is no page {number}: the last is {last}.")
    shown = number if number is not None else 0
    items = (
        list(qs[shown * size : (shown + 1) * size]) if (number is not None or not minimal) else []
    )
    fingerprint = repr(
        (request.user.pk, total, stats["modified"], shown, iris, minimal, [a.pk for a in items])
    )
    etag = 'W/"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:24] + '"'
    if etag in _etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response

    def page(page_number: int, *, embedded: bool) -> dict:
        return page_jsonld(
            iri=address(page_number),
            items=[urls.annotation(a.pk) if iris else annotation_jsonld(a, urls) for a in items],
            part_of={"id": container_iri, "total": total},
            start_index=page_number * size,
            next_page=address(page_number + 1) if page_number < last else None,
            prev_page=address(page_number - 1) if page_number > 0 else None,
            context=not embedded,
        )

    if number is not None:
        response = jsonld(page(number, embedded=False), etag=etag)
    else:
        label = (
            f"Annotations on “{article.title}”"
            if article is not None
            else "Annotations in Claimlens"
        )
        doc = collection_jsonld(
            iri=container_iri,
            label=label,
            total=total,
            first=address(0) if minimal else page(0, embedded=True),
            last=address(last),
            modified=stats["modified"],
            container=True,
        )
        response = jsonld(doc, etag=etag)
        response["Content-Location"] = container_iri
        response["Accept-Post"] = ACCEPT_POST
    if asked:
        response["Preference-Applied"] = "return=representation"
    return response


def _etags(header: str) -> set[str]:
    tags = {tag.strip() for tag in header.split(",") if tag.strip()}
    return tags | {tag.removeprefix("W/") for tag in tags} | {f"W/{tag}" for tag in tags}


@api_view("GET", "HEAD", "OPTIONS", "POST", links=CONTAINER_LINKS, vary_prefer=True)
def annotations_container(request):
    return _container(request, article=None)


@api_view("GET", "HEAD", "OPTIONS", "POST", links=CONTAINER_LINKS, vary_prefer=True)
def article_annotations_container(request, article_id: int):
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise ApiError(404, f"There is no article {article_id}.")
    return _container(request, article=article)


def _create(request, *, urls: Urls, article: Article | None) -> HttpResponse:
    if not permissions.can_annotate(request.user):
        raise ApiError(403, "You cannot annotate: ask a moderator for the annotator role.")
    parsed = _parse(_read_json(request))
    target = ArticleResolver(urls)(parsed.source) if parsed.source else None
    if article is not None:
        if parsed.source and target != article:
            raise ApiError(
                400,
                f"The target's source is not this container's article ({urls.article(article)}).",
            )
        target = article
    elif target is None:
        raise ApiError(
            400,
            "The target's source must be the reader URL of an article in Claimlens "
            f"({urls.absolute('/articles/')}<id>/) or the article's original URL.",
        )
    try:
        annotation = annotation_from_parsed(parsed, article=target, author=request.user)
    except ValidationError as exc:
        raise ApiError(400, _validation_detail(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    annotation = _fetch(request, annotation.pk)
    response = jsonld(annotation_jsonld(annotation, urls), status=201, etag=etag_of(annotation))
    response["Location"] = urls.annotation(annotation.pk)
    return response


# --- one annotation --------------------------------------------------------------------------


def etag_of(annotation: Annotation) -> str:
    return f'W/"{annotation.pk}-{annotation.version}"'


def _fetch(request, pk: int) -> Annotation:
    annotation = visible_annotations(request.user).filter(pk=pk).first()
    if annotation is None:
        raise ApiError(404, f"There is no annotation {pk} you can see.")
    return annotation


def _if_match_version(request, annotation: Annotation, *, required: bool) -> int:
    """Return the version the client edits from, per If-Match; raise 428/412."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise ApiError(
                428,
                "Send If-Match with the annotation's ETag, so that an edit someone saved "
                "meanwhile is not overwritten.",
            )
        return annotation.version
    if header.strip() == "*":
        return annotation.version
    for tag in (t.strip().removeprefix("W/").strip('"') for t in header.split(",")):
        pk, _, version = tag.partition("-")
        if pk == str(annotation.pk) and version == str(annotation.version):
            return annotation.version
    raise _stale(annotation)


def _stale(annotation: Annotation) -> ApiError:
    return ApiError(
        412,
        f"The annotation changed since you read it (now version {annotation.version}): "
        "GET it again and redo your edit.",
        headers={"ETag": etag_of(annotation)},
    )


@api_view("GET", "HEAD", "OPTIONS", "PUT", "DELETE", links=RESOURCE_LINK)
def annotation_detail(request, pk: int):
    urls = Urls.for_request(request)
    annotation = _fetch(request, pk)
    if request.method == "OPTIONS":
        return _options()
    if request.method in ("GET", "HEAD"):
        etag = etag_of(annotation)
        if etag in _etags(request.headers.get("If-None-Match", "")):
            response = HttpResponse(status=304)
            response["ETag"] = etag
            return response
        return jsonld(annotation_jsonld(annotation, urls), etag=etag)
    if not permissions.can_edit_annotation(request.user, annotation):
        raise ApiError(403, "Only the author or a moderator may change this annotation.")
    if request.method == "DELETE":
        return _delete(request, annotation)
    return _replace(request, annotation, urls)


def _delete(request, annotation: Annotation) -> HttpResponse:
    with transaction.atomic():
        current = Annotation.objects.select_for_update().get(pk=annotation.pk)
        _if_match_version(request, current, required=False)
        annotation_delete(annotation=current, user=request.user)
    return HttpResponse(status=204)


def _replace(request, annotation: Annotation, urls: Urls) -> HttpResponse:
    version = _if_match_version(request, annotation, required=True)
    doc = _read_json(request)
    parsed = _parse(doc)
    if doc.get("id") not in (None, urls.annotation(annotation.pk)):
        raise ApiError(400, "The id in the body is not this annotation's id.")
    if parsed.source:
        article = ArticleResolver(urls)(parsed.source)
        if article is None or article.pk != annotation.article_id:
            raise ApiError(400, "The target cannot be changed: create a new annotation instead.")
    exact = parsed.exact or (
        annotation.article.body_text[parsed.start : parsed.end] if parsed.has_selector else ""
    )
    if exact != annotation.exact:
        raise ApiError(400, "The target cannot be changed: create a new annotation instead.")
    try:
        if parsed.claim_title and not parsed.claim_status:
            parsed.claim_status = default_status_name(parsed.claim_title)
        updated = annotation_update(
            annotation=annotation,
            user=request.user,
            version=version,
            note=parsed.note,
            tags=parsed.tag_field(),
            visibility=parsed.visibility,
        )
    except EditConflict as conflict:
        raise _stale(conflict.current) from None
    except ValidationError as exc:
        raise ApiError(400, _validation_detail(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    if updated.claim_id and parsed.claimant:
        Claim.objects.filter(pk=updated.claim_id, claimant="").update(claimant=parsed.claimant)
    fresh = _fetch(request, annotation.pk)
    return jsonld(annotation_jsonld(fresh, urls), etag=etag_of(fresh))


# --- people and the description of the API ---------------------------------------------------


@api_view("GET", "HEAD", "OPTIONS", links=RESOURCE_LINK)
def user_detail(request, username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError(404, f"There is no user {username}.")
    if request.method == "OPTIONS":
        return _options()
    return jsonld({"@context": ANNO_CONTEXT, **person(user, Urls.for_request(request))})


def openapi(request):
    """Return the OpenAPI 3 description of this API."""
    if request.method not in ("GET", "HEAD"):
        response = problem(405, "Use GET.")
    else:
        response = HttpResponse(OPENAPI_PATH.read_bytes(), content_type="application/json")
    response["Allow"] = "GET, HEAD"
    return response

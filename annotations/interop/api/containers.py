"""Annotation containers: listing with paging, filters and Prefer, and creating by POST."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpResponse

from annotations.core import permissions
from annotations.core.services import annotation_name, status_by_name
from annotations.interop.api.addresses import ContainerUrls
from annotations.interop.api.params import refuse_unknown
from annotations.interop.api.protocol import (
    ACCEPT_POST,
    CONTAINER_LINKS,
    FILTERS,
    PREFER_DESCRIPTIONS,
    PREFER_IRIS,
    PREFER_MINIMAL,
    ApiError,
    _options,
    _parse,
    _read_json,
    _validation_detail,
    api_view,
    if_none_match,
    jsonld,
)
from annotations.interop.api.resources import _fetch, represent
from annotations.interop.exports import visible_annotations
from annotations.interop.imports import ArticleResolver, annotation_from_parsed
from annotations.interop.webannotation import (
    WebAnnotationError,
    annotation_jsonld,
    clean_text,
    collection_jsonld,
    iso,
    page_jsonld,
)
from articles.models import Article


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


@dataclass(frozen=True)
class _Listing:
    """One GET of a container: what it asks for and how many annotations it finds."""

    urls: ContainerUrls
    query: dict[str, str]  # the filters (and iris) every page's address keeps
    total: int
    modified: datetime | None
    iris: bool
    minimal: bool

    @property
    def size(self) -> int:
        return settings.CLAIMLENS_API_PAGE_SIZE

    @property
    def last(self) -> int:
        return max(0, math.ceil(self.total / self.size) - 1)

    def address(self, page: int | None = None) -> str:
        params = dict(self.query) if page is None else {**self.query, "page": str(page)}
        return self.urls.container() + (f"?{urlencode(params)}" if params else "")


def _container(request, *, article: Article | None):
    urls = ContainerUrls.in_container(request, article.pk if article else None)
    if request.method == "OPTIONS":
        return _options(accept_post=True)
    if request.method == "POST":
        return _create(request, urls=urls, article=article)
    refuse_unknown(request.GET, (*FILTERS, "page", "iris"))
    return _list(request, urls, article)


def _list(request, urls: ContainerUrls, article: Article | None) -> HttpResponse:
    filters = _filters(request)
    asked, minimal, iris = _prefer(request)
    iris = iris or request.GET.get("iris") == "1"
    qs = _filtered(_contents(request.user, article), filters)
    stats = qs.aggregate(total=Count("pk"), modified=Max("updated_at"))
    query = {**filters, "iris": "1"} if iris else dict(filters)
    listing = _Listing(urls, query, stats["total"], stats["modified"], iris, minimal)
    number = _page_number(request)
    if number is not None and number > listing.last:
        raise ApiError(404, f"There is no page {number}: the last is {listing.last}.")
    shown = number or 0
    items = []
    if number is not None or not minimal:
        items = list(qs[shown * listing.size : (shown + 1) * listing.size])
    etag = _etag(request, listing, shown, items)
    if if_none_match(request.headers.get("If-None-Match", ""), etag):
        return _not_modified(etag)
    if number is not None:
        response = jsonld(_page(listing, number, items, embedded=False), etag=etag)
    else:
        response = _collection(listing, items, article, etag)
    if asked:
        response["Preference-Applied"] = "return=representation"
    return response


def _contents(user, article: Article | None):
    qs = visible_annotations(user)
    # One article's annotations in reading order; all of them in the order they were made.
    return qs.filter(article=article).in_reading_order() if article else qs.order_by("pk")


def _etag(request, listing: _Listing, shown: int, items: list) -> str:
    fingerprint = repr(
        (request.user.pk, listing.total, listing.modified, shown, listing.iris, listing.minimal)
        + tuple((a.pk, a.slug) for a in items)
    )
    return 'W/"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:24] + '"'


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    return response


def _page(listing: _Listing, number: int, items: list, *, embedded: bool) -> dict:
    urls = listing.urls.naming(items)
    part_of = {"id": listing.address(), "total": listing.total}
    if listing.modified is not None:
        part_of["modified"] = iso(listing.modified)
    shown = [urls.annotation(a.pk) if listing.iris else annotation_jsonld(a, urls) for a in items]
    return page_jsonld(
        iri=listing.address(number),
        items=shown,
        part_of=part_of,
        start_index=number * listing.size,
        next_page=listing.address(number + 1) if number < listing.last else None,
        prev_page=listing.address(number - 1) if number > 0 else None,
        context=not embedded,
    )


def _collection(listing: _Listing, items: list, article: Article | None, etag: str):
    label = f"Annotations on “{article.title}”" if article else "Annotations in Claimlens"
    doc = collection_jsonld(
        iri=listing.address(),
        label=label,
        total=listing.total,
        first=listing.address(0) if listing.minimal else _page(listing, 0, items, embedded=True),
        last=listing.address(listing.last),
        modified=listing.modified,
        container=True,
    )
    response = jsonld(doc, etag=etag)
    response["Content-Location"] = listing.address()
    response["Accept-Post"] = ACCEPT_POST
    return response


@api_view(
    "GET", "HEAD", "OPTIONS", "POST", links=CONTAINER_LINKS, vary_prefer=True, constrained=True
)
def annotations_container(request):
    return _container(request, article=None)


@api_view(
    "GET", "HEAD", "OPTIONS", "POST", links=CONTAINER_LINKS, vary_prefer=True, constrained=True
)
def article_annotations_container(request, article_id: int):
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise ApiError(404, f"There is no article {article_id}.")
    return _container(request, article=article)


def _create(request, *, urls: ContainerUrls, article: Article | None) -> HttpResponse:
    if not permissions.can_annotate(request.user):
        raise ApiError(403, "You cannot annotate: ask a moderator for the annotator role.")
    parsed = _parse(_read_json(request))
    target = _target_article(parsed, urls, article)
    try:
        annotation = annotation_from_parsed(parsed, article=target, author=request.user)
        if hint := _slug(request):
            annotation_name(annotation=annotation, user=request.user, hint=hint)
    except ValidationError as exc:
        raise ApiError(400, _validation_detail(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    response = represent(_fetch(request, str(annotation.pk)), urls, status=201)
    response["Location"] = json.loads(response.content)["id"]
    return response


def _target_article(parsed, urls: ContainerUrls, article: Article | None) -> Article:
    """Return the article a new annotation is on; raise 400 if it is none of ours."""
    target = ArticleResolver(urls)(parsed.source) if parsed.source else None
    if article is not None:
        if parsed.source and target != article:
            raise ApiError(
                400,
                f"The target's source is not this container's article ({urls.article(article)}).",
                rule="target-article",
            )
        return article
    if target is None:
        raise ApiError(
            400,
            "The target's source must be the reader URL of an article in Claimlens "
            f"({urls.absolute('/articles/')}<id>/) or the article's original URL.",
            rule="target-article",
        )
    return target


def _slug(request) -> str:
    """Return the Slug header (RFC 5023 §9.7: percent-encoded UTF-8), decoded."""
    return unquote(request.headers.get("Slug", "")).strip()

"""One annotation (GET, PUT, DELETE with ETags), a user, and the OpenAPI description."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse

from annotations.core import permissions
from annotations.core.services import (
    EditConflict,
    annotation_delete,
    annotation_update,
    claim_name_claimant,
)
from annotations.interop.api.addresses import ContainerUrls, lookup
from annotations.interop.api.protocol import (
    OPENAPI_PATH,
    RESOURCE_LINK,
    ApiError,
    _options,
    _parse,
    _read_json,
    _validation_detail,
    api_view,
    if_match,
    if_none_match,
    jsonld,
    problem,
)
from annotations.interop.exports import visible_annotations
from annotations.interop.imports import ArticleResolver, default_status_name
from annotations.interop.webannotation import (
    ANNO_CONTEXT,
    Urls,
    annotation_jsonld,
    person,
    replacement_changes,
    unkept_detail,
)
from annotations.models import Annotation, HistoryEntry


def represent(annotation: Annotation, urls: ContainerUrls, *, status: int = 200) -> HttpResponse:
    """Return the annotation as JSON-LD, with the strong ETag of exactly these bytes."""
    return jsonld(annotation_jsonld(annotation, urls.naming([annotation])), status=status)


def _fetch(request, name: str, *, article_id: int | None = None) -> Annotation:
    """Return the annotation the request may see by its IRI's last segment; raise 410 or 404."""
    found = visible_annotations(request.user).filter(**lookup(name))
    if article_id is not None:
        found = found.filter(article_id=article_id)
    annotation = found.first()
    if annotation is not None:
        return annotation
    if _gone(request.user, name, article_id):
        raise ApiError(410, f"The annotation {name} was deleted.", rule="gone")
    raise ApiError(404, f"There is no annotation {name} you can see.")


def _gone(user, name: str, article_id: int | None) -> bool:
    """Tell whether the history says user saw this annotation deleted (moderation aside)."""
    row = Annotation.objects.filter(**lookup(name)).first()
    if row is None:
        return False  # never made, or gone with its article (and its history)
    if row.deleted_at is None or article_id not in (None, row.article_id):
        return False  # alive (hidden, private or elsewhere): not found, rather than gone
    if row.hidden_at and not permissions.can_edit_annotation(user, row):
        return False  # a moderator had hidden it: it was never there for this reader
    deleted = HistoryEntry.objects.visible_to(user).filter(
        target_type=HistoryEntry.Target.ANNOTATION, target_id=row.pk, action="deleted"
    )
    return deleted.exists()


def _if_match(request, annotation: Annotation, urls: ContainerUrls, *, required: bool) -> int:
    """Return the version the client edits from, per If-Match; raise 428/412.

    The comparison is strong (RFC 9110 §13.1.1): the ETag must be that of the representation
    as it is now, the claim's status and the labels included; a weak tag never matches.
    """
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise ApiError(
                428,
                "Send If-Match with the annotation's ETag, so that an edit someone saved "
                "meanwhile is not overwritten.",
                rule="if-match",
            )
        return annotation.version
    if not if_match(header, represent(annotation, urls)["ETag"]):
        raise _stale(annotation, urls)
    return annotation.version


def _stale(annotation: Annotation, urls: ContainerUrls) -> ApiError:
    return ApiError(
        412,
        f"The annotation changed since you read it (now version {annotation.version}), or "
        "If-Match holds no ETag of it as it is now (a weak W/ tag never matches): GET it "
        "again and redo your edit.",
        headers={"ETag": represent(annotation, urls)["ETag"]},
        rule="if-match",
    )


@api_view("GET", "HEAD", "OPTIONS", "PUT", "DELETE", links=RESOURCE_LINK)
def annotation_detail(request, pk: str):
    """Serve an annotation in the container of all annotations (pk: its number or name)."""
    return _resource(request, pk, ContainerUrls.in_container(request))


@api_view("GET", "HEAD", "OPTIONS", "PUT", "DELETE", links=RESOURCE_LINK)
def article_annotation_detail(request, article_id: int, pk: str):
    """Serve an annotation in its article's container (pk: its number or name)."""
    return _resource(request, pk, ContainerUrls.in_container(request, article_id))


def _resource(request, name: str, urls: ContainerUrls) -> HttpResponse:
    annotation = _fetch(request, name, article_id=urls.in_article)
    if request.method == "OPTIONS":
        return _options()
    if request.method in ("GET", "HEAD"):
        response = represent(annotation, urls)
        if if_none_match(request.headers.get("If-None-Match", ""), response["ETag"]):
            response = HttpResponse(status=304, headers={"ETag": response["ETag"]})
        return response
    if not permissions.can_edit_annotation(request.user, annotation):
        raise ApiError(403, "Only the author or a moderator may change this annotation.")
    if request.method == "DELETE":
        return _delete(request, annotation, urls)
    return _replace(request, annotation, urls)


def _delete(request, annotation: Annotation, urls: ContainerUrls) -> HttpResponse:
    with transaction.atomic():
        list(Annotation.objects.select_for_update().filter(pk=annotation.pk).values("pk"))
        current = _fetch(request, str(annotation.pk))
        _if_match(request, current, urls, required=False)
        annotation_delete(annotation=current, user=request.user)
    return HttpResponse(status=204)


def _replace(request, annotation: Annotation, urls: ContainerUrls) -> HttpResponse:
    version = _if_match(request, annotation, urls, required=True)
    parsed = _unchanged_target(request, annotation, urls)
    try:
        if parsed.claim_title and not parsed.claim_status:
            parsed.claim_status = default_status_name(parsed.claim_title, user=request.user)
        with transaction.atomic():  # the note and its claim's claimant, or neither
            updated = annotation_update(
                annotation=annotation,
                user=request.user,
                version=version,
                note=parsed.note,
                tags=parsed.tag_field(),
                visibility=parsed.visibility,
            )
            if updated.claim is not None and parsed.claimant:
                claim_name_claimant(
                    claim=updated.claim,
                    user=request.user,
                    claimant=parsed.claimant,
                    claimant_type=parsed.claimant_type,
                )
    except EditConflict as conflict:
        raise _stale(_fetch(request, str(conflict.current.pk)), urls) from None
    except ValidationError as exc:
        raise ApiError(400, _validation_detail(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    return represent(_fetch(request, str(annotation.pk)), urls)


def _unchanged_target(request, annotation: Annotation, urls: ContainerUrls):
    """Return the parsed body of a PUT; raise 400 if it names another id or target."""
    doc = _read_json(request)
    parsed = _parse(doc, replacing=True)
    known = {urls.naming([annotation]).annotation(annotation.pk), urls.annotation(annotation.pk)}
    if doc.get("id") is not None and doc.get("id") not in known:
        raise ApiError(400, "The id in the body is not this annotation's id.", rule="put")
    if changes := replacement_changes(parsed, getattr(annotation, "origin", None)):
        raise ApiError(422, unkept_detail(changes), rule="put")
    moved = ApiError(
        400, "The target cannot be changed: create a new annotation instead.", rule="put"
    )
    if parsed.source:
        article = ArticleResolver(urls)(parsed.source)
        if article is None or article.pk != annotation.article_id:
            raise moved
    exact = parsed.exact or (
        annotation.article.body_text[parsed.start : parsed.end] if parsed.has_selector else ""
    )
    if exact != annotation.exact:
        raise moved
    return parsed


@api_view("GET", "HEAD", "OPTIONS", links=RESOURCE_LINK)
def user_detail(request, username: str):
    # PostgreSQL refuses NUL in a string: no one is called that.
    user = None
    if "\x00" not in username:
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

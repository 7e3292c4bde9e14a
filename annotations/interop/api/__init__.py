"""The W3C Web Annotation Protocol over Claimlens's annotations.

Containers  /api/annotations/ (all) and /api/articles/<id>/annotations/ (one article):
            GET/HEAD/OPTIONS a paged AnnotationCollection, POST a new annotation.
Annotations /api/annotations/<pk> and /api/articles/<id>/annotations/<pk> (the same one, in
            either container; <pk> is its number, or the name a Slug gave it): GET/HEAD/
            OPTIONS, PUT (replace note, tags, claim and visibility), DELETE (soft, so the
            author can undo in the reader; the API then answers 410 Gone).
Constraints /api/constraints: the rules below, published for clients (ldp#constrainedBy).

Decisions the protocol leaves open:
- PUT needs If-Match with the annotation's ETag (428 without): annotating is collaborative,
  and a blind overwrite would silently undo someone's edit. DELETE honours If-Match when sent.
- The target cannot be changed by PUT (400): a new passage is a new annotation.
- An annotation's ETag is strong, a hash of its representation's bytes (which also show the
  claim's status, changing without the annotation's version); If-Match compares strongly
  (RFC 9110), so a weak tag never matches. Containers' ETags are weak.
- An annotation's id is under the container it is read in, so one created by a POST to an
  article's container has its IRI there (protocol §5.1), and Location equals its id.
- Requests from another origin (CORS, config/settings.py) are signed in by token only.
- Sign in with the session (then unsafe requests need the CSRF token, as everywhere in
  Claimlens) or with `Authorization: Bearer <token>` (no cookies, so no CSRF check).

One module per resource family: protocol (shared), addresses (IRIs under a container),
containers, resources, constraints (the published rules).
"""

from annotations.interop.api.constraints import constraints
from annotations.interop.api.containers import annotations_container, article_annotations_container
from annotations.interop.api.protocol import (
    ACCEPT_POST,
    CONTAINER_LINKS,
    FILTERS,
    OPENAPI_PATH,
    PREFER_DESCRIPTIONS,
    PREFER_IRIS,
    PREFER_MINIMAL,
    PROBLEM_TYPE,
    RESOURCE_LINK,
    UNSAFE,
    ApiError,
    api_view,
    jsonld,
    problem,
    unauthorised,
)
from annotations.interop.api.resources import (
    annotation_detail,
    article_annotation_detail,
    openapi,
    represent,
    user_detail,
)

__all__ = [
    "OPENAPI_PATH",
    "PROBLEM_TYPE",
    "ACCEPT_POST",
    "CONTAINER_LINKS",
    "RESOURCE_LINK",
    "PREFER_MINIMAL",
    "PREFER_IRIS",
    "PREFER_DESCRIPTIONS",
    "UNSAFE",
    "FILTERS",
    "ApiError",
    "problem",
    "unauthorised",
    "jsonld",
    "api_view",
    "annotations_container",
    "article_annotations_container",
    "represent",
    "annotation_detail",
    "article_annotation_detail",
    "constraints",
    "user_detail",
    "openapi",
]

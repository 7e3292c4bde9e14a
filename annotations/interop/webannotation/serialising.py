"""Claimlens annotations as Web Annotation JSON-LD."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist

from annotations.interop.webannotation.vocabulary import (
    ASSESSING,
    CLAIM,
    COMMENT,
    COMMENTING,
    CONTAINER_CONTEXT,
    CONTEXT,
    HIGHLIGHT,
    IDENTIFYING,
    PAGE_NOTE,
    PRIVATE_AUDIENCE,
    TAGGING,
    Urls,
    WebAnnotationError,
    as_uri,
    iso,
    motivation_of,
)


def annotation_kind(annotation) -> str:
    """Return highlight, comment, claim or page note."""
    if not annotation.exact:
        return PAGE_NOTE
    if annotation.claim_id:
        return CLAIM
    if annotation.note.strip():
        return COMMENT
    return HIGHLIGHT


_SCHEMA_CLAIMANT_TYPES = {"person": "Person", "organization": "Organization"}


def claimant_type(claim) -> str | None:
    """Return the schema.org type an editor gave the claim's claimant, or None if not known."""
    return _SCHEMA_CLAIMANT_TYPES.get(claim.claimant_type)


def person(user, urls: Urls) -> dict:
    return {
        "id": urls.user(user.get_username()),
        "type": "Person",
        "name": user.get_full_name() or user.get_username(),
        "nickname": user.get_username(),
    }


def annotation_bodies(annotation, urls: Urls) -> list[dict]:
    bodies: list[dict] = []
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": COMMENTING,
                "format": "text/markdown",
                "value": annotation.note,
            }
        )
    for label in annotation.labels.all():
        bodies.append({"type": "TextualBody", "purpose": TAGGING, "value": label.name})
    claim = annotation.claim
    if claim is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": IDENTIFYING,
                "format": "text/plain",
                "value": claim.title,
            }
        )
        source = {
            "id": urls.claim(claim),
            "type": ["Text", "schema:Claim"],
            "format": "text/html",
            "schema:name": claim.title,
        }
        if claim.claimant:
            # Typed only when an editor said which it is: never a guess.
            source["schema:author"] = {"schema:name": claim.claimant}
            if kind := claimant_type(claim):
                source["schema:author"]["type"] = f"schema:{kind}"
        bodies.append({"type": "SpecificResource", "purpose": IDENTIFYING, "source": source})
        bodies.append({"type": "TextualBody", "purpose": ASSESSING, "value": claim.status.name})
    return bodies


def article_resource(article, urls: Urls) -> dict:
    """Return the article as an External Web Resource: its original URL if any, and its title."""
    return {
        "id": article.source_url or urls.article(article),
        "type": "Text",
        "format": "text/html",
        "schema:name": article.title,
    }


def passage_selectors(annotation) -> list[dict]:
    """Return the selectors of an annotation's passage: its quote, and its position if known."""
    selectors: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    if annotation.start is not None and annotation.end is not None:
        selectors.append(
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
        )
    return selectors


def annotation_target(annotation, urls: Urls) -> dict:
    """Return the target: the article by its original URL, with its reader URL as scope."""
    article = annotation.article
    source = article_resource(article, urls)
    reader = urls.article(article)
    target: dict = {"type": "SpecificResource", "source": source}
    if source["id"] != reader:
        target["scope"] = reader
    if not annotation.exact:
        # A Specific Resource needs a scope or a selector; without either the article itself
        # is the target.
        return target if "scope" in target else source
    target["selector"] = passage_selectors(annotation)
    return target


def _uri(value: str) -> str | None:
    """Return a stored IRI as a URI, or None when it is none (written before it was checked)."""
    try:
        return as_uri(value, "IRI")
    except WebAnnotationError:
        return None


def annotation_jsonld(annotation, urls: Urls) -> dict:
    """Return one annotation as a Web Annotation (fetch with_related() and select origin)."""
    bodies = annotation_bodies(annotation, urls)
    doc: dict = {
        "@context": CONTEXT,
        "id": urls.annotation(annotation.pk),
        "type": "Annotation",
        "motivation": motivation_of(
            quoted=bool(annotation.exact),
            claim=bool(annotation.claim_id),
            note=bool(annotation.note.strip()),
            bodies=bool(bodies),
        ),
        "created": iso(annotation.created_at),
        "modified": iso(annotation.updated_at),
        "creator": person(annotation.author, urls),
        "generator": urls.generator(),
    }
    if bodies:
        doc["body"] = bodies
    doc["target"] = annotation_target(annotation, urls)
    if annotation.visibility == "private":
        doc["audience"] = dict(PRIVATE_AUDIENCE)
    try:
        origin = annotation.origin
    except ObjectDoesNotExist:
        origin = None
    if origin is not None:
        if canonical := _uri(origin.canonical):
            doc["canonical"] = canonical
        if via := _uri(origin.original_id):
            doc["via"] = via
    return doc


def collection_jsonld(
    *,
    iri: str,
    label: str,
    total: int,
    first,
    last: str,
    modified: datetime | None = None,
    container: bool = False,
) -> dict:
    """Return an AnnotationCollection; `container` also types it as an LDP BasicContainer."""
    doc: dict = {
        "@context": CONTAINER_CONTEXT if container else CONTEXT,
        "id": iri,
        "type": ["BasicContainer", "AnnotationCollection"] if container else "AnnotationCollection",
        "label": label,
        "total": total,
    }
    if modified is not None:
        doc["modified"] = iso(modified)
    doc["first"] = first
    doc["last"] = last
    return doc


def page_jsonld(
    *,
    iri: str,
    items: list,
    part_of: dict,
    start_index: int,
    next_page: str | None = None,
    prev_page: str | None = None,
    context: bool = True,
) -> dict:
    doc: dict = {"@context": CONTEXT} if context else {}
    doc.update({"id": iri, "type": "AnnotationPage", "partOf": part_of, "startIndex": start_index})
    if next_page:
        doc["next"] = next_page
    if prev_page:
        doc["prev"] = prev_page
    doc["items"] = items
    return doc

"""A Web Annotation's bodies in Claimlens's terms: one note, tags, and one claim with its status.

Purposes are read as the model's terms whichever way they are written: `assessing`,
`oa:assessing` or http://www.w3.org/ns/oa#assessing. What a body says that Claimlens does not
keep (its language, its direction, a link, a second note…) is named in the warnings.
"""

from __future__ import annotations

import re

from annotations.interop.webannotation.keeping import (
    CLAIM_BODY_KEYS,
    CLAIM_SOURCE_KEYS,
    CLAIMANT_KEYS,
    NOTE_FORMATS,
    TEXT_BODY_KEYS,
    unkept_format,
    unkept_keys,
)
from annotations.interop.webannotation.parsed import (
    ParsedAnnotation,
    as_list,
    clean_tag,
    clean_text,
)
from annotations.interop.webannotation.vocabulary import (
    _TAG_RESERVED,
    ASSESSING,
    COMMENTING,
    IDENTIFYING,
    TAGGING,
    WebAnnotationError,
    motivation_term,
)

_CLAIMANT_TYPES = {"Person": "person", "Organization": "organization"}
_PLAIN = frozenset({"text/plain"})


def _claimant_type(author: dict) -> str:
    """Return the claimant's type the document states (schema:Person, Organization), if any."""
    for kind in as_list(author.get("type", author.get("@type"))):
        if isinstance(kind, str):
            name = re.sub(r"^(schema:|https?://schema\.org/)", "", kind)
            if name in _CLAIMANT_TYPES:
                return _CLAIMANT_TYPES[name]
    return "unknown"


def _purposes(body: dict, where: str, parsed: ParsedAnnotation) -> set[str]:
    terms = set()
    for purpose in as_list(body.get("purpose")):
        term = motivation_term(purpose)
        if term is None:
            parsed.warnings.append(f"{where}: purpose “{purpose}” is not one of the model's")
        else:
            terms.add(term)
    return terms


def _role(purposes: set[str]) -> str:
    """Return what Claimlens keeps a text body as, by its purposes."""
    for role in (TAGGING, IDENTIFYING, ASSESSING):
        if role in purposes or (role == TAGGING and "classifying" in purposes):
            return role
    return COMMENTING


def _one(parsed: ParsedAnnotation, name: str, value: str, where: str, what: str) -> None:
    """Set the claim's title or status, naming a second, different one as not kept."""
    current = getattr(parsed, name)
    if current and current != value:
        parsed.warnings.append(
            f"{where}: a second {what} “{value}” is not kept (an annotation holds one claim)"
        )
        return
    setattr(parsed, name, value)


def _text_body(body: dict, where: str, parsed: ParsedAnnotation, seen: set, notes: list) -> None:
    value = clean_text(body.get("value"), "A TextualBody's value")
    purposes = _purposes(body, where, parsed)
    role = _role(purposes)
    parsed.warnings += unkept_keys(body, TEXT_BODY_KEYS, where)
    parsed.warnings += unkept_format(body, where, NOTE_FORMATS if role == COMMENTING else _PLAIN)
    for other in sorted(purposes - {role}):
        parsed.warnings.append(f"{where}: purpose “{other}” is not kept (kept as {role})")
    if role == TAGGING:
        tag = clean_tag(value, parsed)
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            parsed.tags.append(tag)
    elif role == IDENTIFYING:
        _one(parsed, "claim_title", " ".join(value.split()), where, "claim")
    elif role == ASSESSING:
        _one(parsed, "claim_status", " ".join(value.split()), where, "claim status")
    elif value.strip():
        notes.append(value)


def _claim_body(body: dict, where: str, parsed: ParsedAnnotation) -> None:
    parsed.warnings += unkept_keys(body, CLAIM_BODY_KEYS, where)
    for other in sorted(_purposes(body, where, parsed) - {IDENTIFYING}):
        parsed.warnings.append(f"{where}: purpose “{other}” is not kept (kept as identifying)")
    source = body.get("source")
    if isinstance(source, str):
        _one(parsed, "claim_iri", source, where, "claim")
    elif isinstance(source, dict):
        parsed.warnings += unkept_keys(source, CLAIM_SOURCE_KEYS, f"{where}'s source")
        if isinstance(source.get("id"), str):
            _one(parsed, "claim_iri", source["id"], where, "claim")
        name = source.get("schema:name")
        if isinstance(name, str) and not parsed.claim_title:
            parsed.claim_title = " ".join(clean_text(name, "The claim's name").split())
        author = source.get("schema:author")
        if isinstance(author, dict):
            parsed.warnings += unkept_keys(author, CLAIMANT_KEYS, f"{where}'s claimant")
            parsed.claimant_type = _claimant_type(author)
            author = author.get("schema:name", author.get("name"))
        if isinstance(author, str):
            parsed.claimant = " ".join(clean_text(author, "The claimant").split())


def parse_bodies(doc: dict, parsed: ParsedAnnotation) -> None:
    if "body" in doc and "bodyValue" in doc:
        raise WebAnnotationError("An annotation must not have both body and bodyValue.")
    notes: list[str] = []
    seen_tags = {tag.lower() for tag in parsed.tags}  # a set per tag made 170,000 tags quadratic
    if "bodyValue" in doc:
        notes.append(clean_text(doc["bodyValue"], "bodyValue"))
    for number, body in enumerate(as_list(doc.get("body")), start=1):
        where = f"body {number}"
        if isinstance(body, str):
            parsed.warnings.append(f"{where}: the link {body[:80]!r} is not kept")
            continue
        if not isinstance(body, dict):
            raise WebAnnotationError("A body must be an IRI or a JSON object.")
        kinds = as_list(body.get("type"))
        if "TextualBody" in kinds or (not kinds and "value" in body):
            _text_body(body, where, parsed, seen_tags, notes)
        elif "SpecificResource" in kinds and IDENTIFYING in map(
            motivation_term, as_list(body.get("purpose"))
        ):
            _claim_body(body, where, parsed)
        else:
            shown = "/".join(map(str, kinds)) or "unknown"
            parsed.warnings.append(f"{where}: a body of type {shown} is not kept")
    if len(notes) > 1:
        parsed.warnings.append(
            f"{len(notes)} notes are not kept apart: Claimlens keeps one note per annotation "
            "(they would be joined into one)"
        )
    parsed.note = "\n\n".join(notes)
    if parsed.claim_status and not parsed.claim_title:
        raise WebAnnotationError(
            "A claim status (an “assessing” body) needs the claim it is about "
            "(an “identifying” body with the claim's title)."
        )
    if len(parsed.claim_title) > 200:
        raise WebAnnotationError("The claim's title is longer than 200 characters.")
    if len(parsed.claimant) > 200:
        raise WebAnnotationError("The claimant is longer than 200 characters.")
    if "," in parsed.claim_title or _TAG_RESERVED.search(parsed.claim_status):
        raise WebAnnotationError("A claim's title and status cannot contain commas.")

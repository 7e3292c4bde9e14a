"""Annotations as W3C Web Annotation Data Model JSON-LD, and such JSON-LD back into Claimlens.

How Claimlens maps onto the model (the parser reads exactly what the serialiser writes, so an
export can be imported again without loss):

    note              TextualBody, purpose "commenting", format "text/markdown"
    each label        TextualBody, purpose "tagging" (a status used as a plain label too)
    claim             TextualBody, purpose "identifying", value = the claim's title
                      + SpecificResource, purpose "identifying", whose source is the claim page,
                        typed schema:Claim, with schema:name (the title) and schema:author
                        (the claimant) — a Specific Resource because the model forbids a
                        purpose on an External Web Resource
    claim status      TextualBody, purpose "assessing" (the model's word for a verdict), value =
                      the status name. The W3C context file long listed "reviewing" instead;
                      the model and the validator use "assessing".
    passage           target {source: the article's reader URL,
                              selector: [TextQuoteSelector, TextPositionSelector]}
    page note         target = the reader URL alone
    private           audience {type: Audience, schema:audienceType: "private"}; shared
                      annotations carry no audience
    imported ones     via = the original annotation's IRI; canonical kept as given
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_CONTEXTS = {ANNO_CONTEXT, "https://www.w3.org/ns/anno.jsonld"}
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PRIVATE_AUDIENCE = {"type": "Audience", "schema:audienceType": "private"}
ASSESSING, COMMENTING, IDENTIFYING, TAGGING = "assessing", "commenting", "identifying", "tagging"
# Kinds of annotation, as exports name them.
HIGHLIGHT, COMMENT, CLAIM, PAGE_NOTE = "highlight", "comment", "claim", "page note"
# Characters the quick-tag field gives a meaning (entry separator, "status: claim").
_TAG_RESERVED = re.compile(r"[,:]")
_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|ministries|government|authorit(y|ies)|police|army|forces|office|agency|"
    r"party|committee|council|commission|court|parliament|department|service|press|news|"
    r"union|bank|company|corporation|inc|ltd|ngo|organi[sz]ation|foundation|watch|"
    r"institute|university|association|group|campaign|embassy|administration|kremlin|"
    r"white house|un|eu|nato|who)\b",
    re.IGNORECASE,
)


class WebAnnotationError(ValueError):
    """Raised when a document is not a Web Annotation Claimlens can take."""


# --- addresses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Urls:
    """Builds the absolute IRIs an export or API response uses."""

    base: str  # scheme://host[:port], no trailing slash

    @classmethod
    def for_request(cls, request) -> Urls:
        return cls(request.build_absolute_uri("/").rstrip("/"))

    @classmethod
    def from_settings(cls) -> Urls:
        return cls(settings.CLAIMLENS_BASE_URL.rstrip("/"))

    def absolute(self, path: str) -> str:
        return self.base + path

    def annotation(self, pk: int) -> str:
        return self.absolute(reverse("api:annotation-detail", kwargs={"pk": pk}))

    def article(self, article) -> str:
        return self.absolute(article.get_absolute_url())

    def user(self, username: str) -> str:
        return self.absolute(reverse("api:user-detail", kwargs={"username": username}))

    def claim(self, claim) -> str:
        return self.absolute(claim_path(claim))

    def generator(self) -> dict:
        return {"id": self.base + "/", "type": "Software", "name": "Claimlens"}

    def owns(self, iri: str) -> bool:
        """Tell whether iri points into this Claimlens (same scheme-less host and port)."""
        return _netloc(iri) == _netloc(self.base)

    def article_id(self, iri: str) -> int | None:
        """Return the pk of the article whose reader URL iri is, if it is one of ours."""
        if not isinstance(iri, str) or not self.owns(iri):
            return None
        try:
            match = resolve(urlsplit(iri).path or "/")
        except Resolver404:
            return None
        if match.view_name != "articles:detail":
            return None
        return int(match.kwargs["pk"])


def _netloc(iri: str) -> str:
    parts = urlsplit(iri.strip())
    return (parts.netloc or "").lower()


def claim_path(claim) -> str:
    """Return the claim page's path."""
    try:
        return claim.get_absolute_url()
    except NoReverseMatch:
        # The claim pages live in the annotation-UI part of the app; keep exporting the same
        # address while they are not installed.
        return f"/claims/{quote(claim.slug)}/"


def normalise_url(url: str) -> str:
    """Return url without fragment and trailing slash, scheme and host lower-cased."""
    parts = urlsplit((url or "").strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def is_iri(value) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"urn", "tag"})


def iso(moment: datetime | None) -> str | None:
    """Return an ISO 8601 date-time in UTC, the form the model asks for."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- Claimlens → JSON-LD ---------------------------------------------------------------------


def annotation_kind(annotation) -> str:
    """Return highlight, comment, claim or page note."""
    if not annotation.exact:
        return PAGE_NOTE
    if annotation.claim_id:
        return CLAIM
    if annotation.note.strip():
        return COMMENT
    return HIGHLIGHT


def claimant_type(name: str) -> str:
    """Guess whether a claimant is a Person or an Organization (the model does not record it)."""
    return "Organization" if _ORGANISATION_WORDS.search(name or "") else "Person"


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
            source["schema:author"] = {
                "type": f"schema:{claimant_type(claim.claimant)}",
                "schema:name": claim.claimant,
            }
        bodies.append({"type": "SpecificResource", "purpose": IDENTIFYING, "source": source})
        bodies.append({"type": "TextualBody", "purpose": ASSESSING, "value": claim.status.name})
    return bodies


def annotation_target(annotation, urls: Urls):
    source = urls.article(annotation.article)
    if not annotation.exact:
        return source
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
    return {"source": source, "selector": selectors}


_MOTIVATIONS = {
    HIGHLIGHT: "highlighting",
    COMMENT: COMMENTING,
    CLAIM: ASSESSING,
    PAGE_NOTE: COMMENTING,
}


def annotation_jsonld(annotation, urls: Urls) -> dict:
    """Return one annotation as a Web Annotation (fetch with_related() and select origin)."""
    kind = annotation_kind(annotation)
    doc: dict = {
        "@context": ANNO_CONTEXT,
        "id": urls.annotation(annotation.pk),
        "type": "Annotation",
        "motivation": _MOTIVATIONS[kind],
        "created": iso(annotation.created_at),
        "modified": iso(annotation.updated_at),
        "creator": person(annotation.author, urls),
        "generator": urls.generator(),
    }
    bodies = annotation_bodies(annotation, urls)
    if kind == HIGHLIGHT and bodies:
        doc["motivation"] = TAGGING
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
        if is_iri(origin.canonical):
            doc["canonical"] = origin.canonical
        if is_iri(origin.original_id):
            doc["via"] = origin.original_id
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
        "@context": [ANNO_CONTEXT, LDP_CONTEXT] if container else ANNO_CONTEXT,
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
    doc: dict = {"@context": ANNO_CONTEXT} if context else {}
    doc.update({"id": iri, "type": "AnnotationPage", "partOf": part_of, "startIndex": start_index})
    if next_page:
        doc["next"] = next_page
    if prev_page:
        doc["prev"] = prev_page
    doc["items"] = items
    return doc


# --- JSON-LD → Claimlens ---------------------------------------------------------------------


@dataclass
class ParsedAnnotation:
    """What a Web Annotation (or a Hypothesis annotation) says, in Claimlens's terms."""

    source: str | None = None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    has_selector: bool = False
    note: str = ""
    tags: list[str] = field(default_factory=list)
    claim_title: str = ""
    claim_status: str = ""
    claim_iri: str = ""
    claimant: str = ""
    visibility: str = "shared"
    original_id: str = ""
    canonical: str = ""
    creator_name: str = ""
    creator_iri: str = ""
    created: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_page_note(self) -> bool:
        return not self.exact and self.start is None

    def tag_field(self) -> str:
        """Return the quick-tag text (`tag, tag, status: claim`) the services parse."""
        entries = list(self.tags)
        if self.claim_title:
            entries.append(f"{self.claim_status}: {self.claim_title}")
        return ", ".join(entries)


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def clean_text(value, what: str, *, max_length: int | None = None) -> str:
    """Return value if it is text the database can store, else raise WebAnnotationError."""
    if not isinstance(value, str):
        raise WebAnnotationError(f"{what} must be a string.")
    if "\x00" in value:
        raise WebAnnotationError(f"{what} must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise WebAnnotationError(f"{what} is not valid Unicode text.") from None
    if max_length is not None and len(value) > max_length:
        raise WebAnnotationError(f"{what} is longer than {max_length} characters.")
    return value


def _offset(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 2**31:
        raise WebAnnotationError(f"{what} must be a whole number from 0.")
    return value


def parse_datetime(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def clean_tag(name: str, parsed: ParsedAnnotation) -> str:
    """Return a tag name the quick-tag field can carry, noting any change in the warnings."""
    name = clean_text(name, "A tag")
    cleaned = " ".join(_TAG_RESERVED.sub(" ", name).split()).lstrip("#")[:64]
    if cleaned != " ".join(name.split()):
        parsed.warnings.append(
            f"tag “{name}” was stored as “{cleaned}” (commas and colons "
            "separate tags and claims in Claimlens)"
        )
    return cleaned


def parse_selectors(selectors: list, parsed: ParsedAnnotation) -> None:
    understood = False
    for selector in selectors:
        if not isinstance(selector, dict):
            raise WebAnnotationError("A selector must be a JSON object.")
        kinds = as_list(selector.get("type"))
        if "TextQuoteSelector" in kinds:
            exact = clean_text(selector.get("exact"), "The TextQuoteSelector's exact")
            if not exact:
                raise WebAnnotationError("The TextQuoteSelector's exact is empty.")
            parsed.exact = exact
            parsed.prefix = clean_text(selector.get("prefix", ""), "The prefix")
            parsed.suffix = clean_text(selector.get("suffix", ""), "The suffix")
            understood = True
        elif "TextPositionSelector" in kinds:
            start = _offset(selector.get("start"), "The TextPositionSelector's start")
            end = _offset(selector.get("end"), "The TextPositionSelector's end")
            if end < start:
                raise WebAnnotationError("The TextPositionSelector ends before it starts.")
            parsed.start, parsed.end = start, end
            understood = True
    if selectors and not understood:
        raise WebAnnotationError(
            "The target has no TextQuoteSelector or TextPositionSelector, "
            "the only selectors Claimlens can place in an article."
        )
    parsed.has_selector = understood


def parse_target(doc: dict, parsed: ParsedAnnotation) -> None:
    if "target" not in doc:
        raise WebAnnotationError("The annotation has no target.")
    targets = as_list(doc["target"])
    if len(targets) != 1:
        raise WebAnnotationError(
            "Give exactly one target: a Claimlens annotation is on one article."
        )
    target = targets[0]
    if isinstance(target, str):
        parsed.source = clean_text(target, "The target")
        return
    if not isinstance(target, dict):
        raise WebAnnotationError("The target must be an IRI or a JSON object.")
    source = target.get("source", target.get("id"))
    if isinstance(source, dict):
        source = source.get("id")
    if source is not None:
        parsed.source = clean_text(source, "The target's source")
    parse_selectors(as_list(target.get("selector")), parsed)


def _agent(value) -> tuple[str, str]:
    """Return (name, IRI) of a creator given as an IRI, an object or a list of them."""
    agents = as_list(value)
    if not agents:
        return "", ""
    agent = agents[0]
    if isinstance(agent, str):
        return "", agent if is_iri(agent) else ""
    if not isinstance(agent, dict):
        return "", ""
    name = agent.get("nickname") or agent.get("name") or ""
    name = as_list(name)[0] if as_list(name) else ""
    iri = agent.get("id") if is_iri(agent.get("id")) else ""
    return (name if isinstance(name, str) else ""), iri


def parse_bodies(doc: dict, parsed: ParsedAnnotation) -> None:
    if "body" in doc and "bodyValue" in doc:
        raise WebAnnotationError("An annotation must not have both body and bodyValue.")
    notes: list[str] = []
    if "bodyValue" in doc:
        notes.append(clean_text(doc["bodyValue"], "bodyValue"))
    for body in as_list(doc.get("body")):
        if isinstance(body, str):
            parsed.warnings.append(
                f"ignored the body {body[:80]!r}: a link alone says nothing here"
            )
            continue
        if not isinstance(body, dict):
            raise WebAnnotationError("A body must be an IRI or a JSON object.")
        kinds = as_list(body.get("type"))
        purposes = as_list(body.get("purpose"))
        if "TextualBody" in kinds or (not kinds and "value" in body):
            value = clean_text(body.get("value"), "A TextualBody's value")
            if TAGGING in purposes or "classifying" in purposes:
                tag = clean_tag(value, parsed)
                if tag and tag.lower() not in {t.lower() for t in parsed.tags}:
                    parsed.tags.append(tag)
            elif IDENTIFYING in purposes:
                parsed.claim_title = " ".join(value.split())
            elif ASSESSING in purposes:
                parsed.claim_status = " ".join(value.split())
            elif value.strip():
                notes.append(value)
        elif "SpecificResource" in kinds and IDENTIFYING in purposes:
            source = body.get("source")
            if isinstance(source, str):
                parsed.claim_iri = source
            elif isinstance(source, dict):
                parsed.claim_iri = source.get("id") if isinstance(source.get("id"), str) else ""
                name = source.get("schema:name")
                if isinstance(name, str) and not parsed.claim_title:
                    parsed.claim_title = " ".join(clean_text(name, "The claim's name").split())
                author = source.get("schema:author")
                if isinstance(author, dict):
                    author = author.get("schema:name", author.get("name"))
                if isinstance(author, str):
                    parsed.claimant = " ".join(clean_text(author, "The claimant").split())
        else:
            parsed.warnings.append(
                f"ignored a body of type {'/'.join(map(str, kinds)) or 'unknown'}"
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


def parse_visibility(doc: dict) -> str:
    for audience in as_list(doc.get("audience")):
        if isinstance(audience, dict) and audience.get("schema:audienceType") == "private":
            return "private"
    return "shared"


def parse_annotation(doc) -> ParsedAnnotation:
    """Return what a Web Annotation document says, or raise WebAnnotationError."""
    if not isinstance(doc, dict):
        raise WebAnnotationError("An annotation must be a JSON object.")
    contexts = as_list(doc.get("@context"))
    if contexts and not any(isinstance(c, str) and c in ANNO_CONTEXTS for c in contexts):
        raise WebAnnotationError(f"@context must include {ANNO_CONTEXT}.")
    kinds = as_list(doc.get("type"))
    if "Annotation" not in kinds and "oa:Annotation" not in kinds:
        raise WebAnnotationError("type must be “Annotation”.")
    parsed = ParsedAnnotation()
    parse_target(doc, parsed)
    parse_bodies(doc, parsed)
    parsed.visibility = parse_visibility(doc)
    if is_iri(doc.get("id")):
        parsed.original_id = clean_text(doc["id"], "id", max_length=2000)
    if is_iri(doc.get("canonical")):
        parsed.canonical = clean_text(doc["canonical"], "canonical", max_length=2000)
    name, iri = _agent(doc.get("creator"))
    parsed.creator_name = clean_text(name, "The creator's name")[:200]
    parsed.creator_iri = clean_text(iri, "The creator's id")[:2000]
    parsed.created = parse_datetime(doc.get("created"))
    return parsed

"""The Web Annotation vocabulary Claimlens uses, and the addresses (IRIs) it writes and reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import iri_to_uri

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_CONTEXTS = {ANNO_CONTEXT, "https://www.w3.org/ns/anno.jsonld"}
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PRIVATE_AUDIENCE = {"type": "Audience", "schema:audienceType": "private"}
OA = "http://www.w3.org/ns/oa#"
# The model's motivations and purposes (§3.3.5). The W3C context file names all but
# "assessing" (it still has "reviewing"), so a JSON-LD processor would read a bare
# "assessing" as a relative IRI: every document Claimlens writes adds that one term.
MOTIVATIONS = frozenset(
    [
        "assessing",
        "bookmarking",
        "classifying",
        "commenting",
        "describing",
        "editing",
        "highlighting",
        "identifying",
        "linking",
        "moderating",
        "questioning",
        "replying",
        "tagging",
    ]
)
TERMS = {"assessing": OA + "assessing"}
CONTEXT = [ANNO_CONTEXT, TERMS]
CONTAINER_CONTEXT = [ANNO_CONTEXT, LDP_CONTEXT, TERMS]
ASSESSING, COMMENTING, IDENTIFYING, TAGGING = "assessing", "commenting", "identifying", "tagging"
HIGHLIGHTING = "highlighting"
# Kinds of annotation, as exports name them.
HIGHLIGHT, COMMENT, CLAIM, PAGE_NOTE = "highlight", "comment", "claim", "page note"
# Characters the quick-tag field gives a meaning (entry separator, "status: claim").
_TAG_RESERVED = re.compile(r"[,:]")


class WebAnnotationError(ValueError):
    """Raised when a document is not a Web Annotation Claimlens can take."""


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
        return reader_pk(iri)


def reader_pk(iri: str) -> int | None:
    """Return the article pk in iri if its path is a reader page's, on whatever host."""
    try:
        match = resolve(urlsplit(iri).path or "/")
    except (Resolver404, ValueError):
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


def motivation_term(value) -> str | None:
    """Return the model's term for a motivation written as a term, oa:term or full IRI."""
    if not isinstance(value, str):
        return None
    term = value.removeprefix("oa:").removeprefix(OA)
    return term if term in MOTIVATIONS else None


def motivation_of(*, quoted: bool, claim: bool, note: bool, bodies: bool) -> str:
    """Return the motivation Claimlens writes for an annotation with these parts."""
    if claim and quoted:
        return ASSESSING
    if note or not quoted:
        return COMMENTING
    return TAGGING if bodies else HIGHLIGHTING


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_NOT_IN_IRI = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")


def as_uri(value, what: str) -> str:
    """Return the absolute IRI value as a URI (RFC 3987 §3.1), or raise WebAnnotationError.

    Non-ASCII characters are percent-encoded as UTF-8 and a non-ASCII host name becomes its
    IDNA (punycode) form, so that the address is the same and every URI parser reads it.
    """
    if not isinstance(value, str) or not value:
        raise WebAnnotationError(f"{what} must be an absolute IRI, given as a string.")
    shown = value if len(value) <= 80 else value[:79] + "…"
    refusal = WebAnnotationError(
        f"{what} must be an absolute IRI (scheme:…, e.g. https://example.org/a/1), not “{shown}”."
    )
    if _NOT_IN_IRI.search(value) or not is_iri(value):
        raise refusal
    parts = urlsplit(value)
    if not _SCHEME.fullmatch(parts.scheme):
        raise refusal
    if not parts.netloc.isascii():
        userinfo, at, hostport = parts.netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise refusal from None
        netloc = f"{userinfo}{at}{host}{colon}{port}"
        value = value.replace(f"//{parts.netloc}", f"//{netloc}", 1)
    uri = iri_to_uri(value)  # only non-ASCII is left to encode: the rest was refused above
    if len(uri) > 2000:
        raise WebAnnotationError(f"{what} is longer than 2000 characters once written as a URI.")
    return uri


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

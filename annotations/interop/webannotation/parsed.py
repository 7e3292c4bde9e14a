"""What a Web Annotation says in Claimlens's terms, and the checks every part's text passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotations.interop.webannotation.vocabulary import _TAG_RESERVED, WebAnnotationError


@dataclass
class ParsedAnnotation:
    """What a Web Annotation (or a Hypothesis annotation) says, in Claimlens's terms."""

    source: str | None = None
    scope: list[str] = field(default_factory=list)  # where the source was seen (reader URLs)
    title: str = ""  # the source's schema:name, as Claimlens exports give it
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
    claimant_type: str = "unknown"  # "person" or "organization" when the document says so
    visibility: str = "shared"
    original_id: str = ""  # the id the document had: kept as via
    via: str = ""  # the via the document had
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

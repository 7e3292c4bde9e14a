"""What a Web Annotation says that Claimlens has no field for, named part by part.

The parser reads what Claimlens keeps. Every other part of a document is named here, in
ParsedAnnotation.warnings: imports report them beside the item they import, and the API
refuses a document with any (422, each part named), so that nothing a client sent is
dropped or changed without a word.

What Claimlens keeps, beside the passage and the article: one note (Markdown or plain text),
tags, one claim with its status and claimant, private or shared, and an original's id (via)
and canonical IRI. created, modified, generated, generator and creator describe a copy of the
annotation; the server writes its own (the protocol lets it), and imports keep the original
creator and date in the annotation's origin.
"""

from __future__ import annotations

from annotations.interop.webannotation.vocabulary import WebAnnotationError, as_uri

ANNOTATION_KEYS = frozenset(
    [
        "@context",
        "id",
        "type",
        "motivation",
        "body",
        "bodyValue",
        "target",
        "audience",
        "canonical",
        "via",
        "created",
        "modified",
        "generated",
        "generator",
        "creator",
    ]
)
TEXT_BODY_KEYS = frozenset({"type", "purpose", "value", "format"})
NOTE_FORMATS = frozenset({"text/markdown", "text/plain"})
CLAIM_BODY_KEYS = frozenset({"type", "purpose", "source"})
CLAIM_SOURCE_KEYS = frozenset({"id", "type", "format", "schema:name", "schema:author"})
CLAIMANT_KEYS = frozenset({"type", "@type", "schema:name", "name"})
TARGET_KEYS = frozenset({"type", "source", "scope", "selector"})
SOURCE_KEYS = frozenset({"id", "type", "format", "schema:name"})
SELECTOR_KEYS = {
    "TextQuoteSelector": frozenset({"type", "exact", "prefix", "suffix"}),
    "TextPositionSelector": frozenset({"type", "start", "end"}),
}


def unkept_keys(part: dict, kept: frozenset, where: str) -> list[str]:
    """Return a warning for each key of part that Claimlens has no field for."""
    return [
        f"{where}: “{key}” is not kept (Claimlens has no field for it)"
        for key in part
        if key not in kept
    ]


def unkept_format(body: dict, where: str, formats: frozenset) -> list[str]:
    """Return a warning when a text body's format is not one Claimlens keeps it as."""
    given = body.get("format")
    if given is None or given in formats:
        return []
    kept = " or ".join(sorted(formats))
    return [f"{where}: format “{given}” is not kept (Claimlens keeps this text as {kept})"]


def checked_uri(doc: dict, key: str, warnings: list[str]) -> str:
    """Return doc[key] as a URI; name it in warnings when it is not an absolute IRI."""
    if key not in doc:
        return ""
    try:
        return as_uri(doc[key], key)
    except WebAnnotationError as exc:
        warnings.append(f"{str(exc).rstrip('.')}: it is not kept")
        return ""


def unkept_detail(warnings: list[str]) -> str:
    """Return the reason the API gives for refusing a document with parts it would not keep."""
    return (
        "Claimlens would not keep all that this annotation says, so it saved nothing: "
        + "; ".join(warnings)
        + "."
    )


def replacement_changes(parsed, origin) -> list[str]:
    """Return what a replacement (PUT) changes of the original's identity, which is kept."""
    changes = []
    for key, sent, kept in (
        ("canonical", parsed.canonical, getattr(origin, "canonical", "")),
        ("via", parsed.via, getattr(origin, "original_id", "")),
    ):
        if sent and sent != kept:
            was = f"“{kept}”" if kept else "none"
            changes.append(
                f"{key} cannot be changed (it names the original annotation: this one has {was})"
            )
    return changes

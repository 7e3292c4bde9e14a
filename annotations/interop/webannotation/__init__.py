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
                      the status name. The W3C context file lists "reviewing" instead, so
                      every document's @context adds the term: [anno.jsonld, {"assessing":
                      oa#assessing}], and a JSON-LD processor reads oa:assessing. Read back
                      as assessing, oa:assessing or the full IRI (so every motivation).
    passage           target {type: SpecificResource,
                              source: the article (see below),
                              scope: the article's reader URL here, when the source is not it,
                              selector: [TextQuoteSelector, TextPositionSelector]}
    page note         target = the same without selector; an article without an original URL
                      is its own target (the resource object below)
    the article       {id: its original URL (Article.source_url), else its reader URL here,
                       type: Text, format: text/html, schema:name: its title}: the original
                      URL and the title say which article it is in any Claimlens, whatever its
                      id and address there; the reader URL (scope) is kept for this one
    private           audience {type: Audience, schema:audienceType: "private"}; shared
                      annotations carry no audience
    imported ones     via = the original annotation's IRI; canonical kept as given; both
                      checked as absolute IRIs and written as URIs (non-ASCII percent-encoded,
                      host names in IDNA), so that every URI parser reads them

What a document says that Claimlens does not keep (a body's language, a link body, a second
note, a motivation other than the one written for what is kept…) is named in the parsed
annotation's warnings (keeping.py): imports report them, the API refuses them (422).

Modules: vocabulary (terms and addresses), serialising; parsing (with parsed, bodies and
keeping).
"""

from annotations.interop.webannotation.bodies import parse_bodies
from annotations.interop.webannotation.keeping import replacement_changes, unkept_detail
from annotations.interop.webannotation.parsed import (
    ParsedAnnotation,
    as_list,
    clean_tag,
    clean_text,
)
from annotations.interop.webannotation.parsing import (
    parse_annotation,
    parse_datetime,
    parse_selectors,
    parse_target,
    parse_visibility,
)
from annotations.interop.webannotation.serialising import (
    annotation_bodies,
    annotation_jsonld,
    annotation_kind,
    annotation_target,
    article_resource,
    claimant_type,
    collection_jsonld,
    page_jsonld,
    person,
)
from annotations.interop.webannotation.vocabulary import (
    ANNO_CONTEXT,
    ANNO_CONTEXTS,
    ASSESSING,
    CLAIM,
    COMMENT,
    COMMENTING,
    CONTAINER_CONTEXT,
    CONTEXT,
    HIGHLIGHT,
    IDENTIFYING,
    LDP_CONTEXT,
    MEDIA_TYPE,
    PAGE_NOTE,
    PRIVATE_AUDIENCE,
    TAGGING,
    TERMS,
    Urls,
    WebAnnotationError,
    as_uri,
    claim_path,
    is_iri,
    iso,
    motivation_of,
    motivation_term,
    normalise_url,
    reader_pk,
)

__all__ = [
    "ANNO_CONTEXT",
    "LDP_CONTEXT",
    "ANNO_CONTEXTS",
    "CONTEXT",
    "CONTAINER_CONTEXT",
    "TERMS",
    "MEDIA_TYPE",
    "PRIVATE_AUDIENCE",
    "ASSESSING",
    "COMMENTING",
    "IDENTIFYING",
    "TAGGING",
    "HIGHLIGHT",
    "COMMENT",
    "CLAIM",
    "PAGE_NOTE",
    "WebAnnotationError",
    "Urls",
    "reader_pk",
    "claim_path",
    "normalise_url",
    "is_iri",
    "as_uri",
    "motivation_term",
    "motivation_of",
    "iso",
    "annotation_kind",
    "claimant_type",
    "person",
    "annotation_bodies",
    "article_resource",
    "annotation_target",
    "annotation_jsonld",
    "collection_jsonld",
    "page_jsonld",
    "ParsedAnnotation",
    "as_list",
    "clean_text",
    "parse_datetime",
    "clean_tag",
    "parse_selectors",
    "parse_target",
    "parse_bodies",
    "parse_visibility",
    "parse_annotation",
    "replacement_changes",
    "unkept_detail",
]

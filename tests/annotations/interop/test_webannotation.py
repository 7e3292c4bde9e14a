"""Claimlens annotations as W3C Web Annotations: conformance to the W3C suite, and parsing back."""

import importlib.util
import json

import pytest

from annotations.interop.exports import jsonld_collection, visible_annotations
from annotations.interop.webannotation import (
    ANNO_CONTEXT,
    Urls,
    WebAnnotationError,
    annotation_jsonld,
    claimant_type,
    parse_annotation,
)
from tests.annotations.interop.conftest import ODD_NOTE, W3C_SUITE, validate

pytestmark = pytest.mark.django_db
URLS = Urls("https://claimlens.example")


def serialised(annotation):
    fetched = visible_annotations(annotation.author).get(pk=annotation.pk)
    return annotation_jsonld(fetched, URLS)


def by_purpose(doc, purpose):
    return [b for b in doc.get("body", []) if b.get("purpose") == purpose]


def test_every_kind_of_annotation_passes_every_must_assertion(annotated, tmp_path):
    docs = {name: serialised(a) for name, a in annotated.items()}
    reports = validate(tmp_path, docs)
    assert set(reports) == set(annotated)
    assert all(r["kind"] == "annotation" for r in reports.values())
    # Every MUST assertion of the suite ran on each (none skipped as "not applicable").
    assert all(len(r["results"]) >= 50 for r in reports.values())


def test_the_w3c_validator_would_catch_a_broken_annotation(annotated):
    spec = importlib.util.spec_from_file_location("w3c_validate", W3C_SUITE / "validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    suite = module.Suite(W3C_SUITE / "suite")
    good = serialised(annotated["claim"])
    broken = {k: v for k, v in good.items() if k != "target"} | {"created": "yesterday"}
    _kind, results = module.validate_doc(suite, good)
    assert all(r["passed"] for r in results)
    _kind, results = module.validate_doc(suite, broken)
    failed = {r["assertion"] for r in results if not r["passed"]}
    assert "annotations/3.1-targetKeyFound.json" in failed
    assert "annotations/3.3.1-annotationCreatedValidated.json" in failed


def test_mapping_of_each_kind(annotated, seed_article):
    reader_url = URLS.article(seed_article)

    highlight = serialised(annotated["highlight"])
    assert highlight["@context"] == [
        ANNO_CONTEXT,
        {"assessing": "http://www.w3.org/ns/oa#assessing"},
    ]
    assert (
        highlight["id"] == f"https://claimlens.example/api/annotations/{annotated['highlight'].pk}"
    )
    assert highlight["type"] == "Annotation"
    assert highlight["motivation"] == "highlighting"
    assert "body" not in highlight
    assert highlight["created"].endswith("Z") and highlight["modified"].endswith("Z")
    assert highlight["creator"] == {
        "id": "https://claimlens.example/api/users/ana",
        "type": "Person",
        "name": "ana",
        "nickname": "ana",
    }
    assert highlight["generator"]["type"] == "Software"
    quote, position = highlight["target"]["selector"]
    a = annotated["highlight"]
    # The article by its original URL and title, as any Claimlens can find it; its reader
    # URL here as the scope.
    assert highlight["target"]["type"] == "SpecificResource"
    assert highlight["target"]["source"] == {
        "id": seed_article.source_url,
        "type": "Text",
        "format": "text/html",
        "schema:name": seed_article.title,
    }
    assert highlight["target"]["scope"] == reader_url
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": a.exact,
        "prefix": a.prefix,
        "suffix": a.suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": a.start, "end": a.end}
    assert seed_article.body_text[position["start"] : position["end"]] == quote["exact"]

    comment = serialised(annotated["comment"])
    assert by_purpose(comment, "commenting") == [
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/markdown",
            "value": annotated["comment"].note,
        }
    ]

    tags = serialised(annotated["tags"])
    assert [b["value"] for b in by_purpose(tags, "tagging")] == ["context", "quote"]
    assert tags["motivation"] == "tagging"

    claim = serialised(annotated["claim"])
    assert claim["motivation"] == "assessing"
    title, link = by_purpose(claim, "identifying")
    assert title == {
        "type": "TextualBody",
        "purpose": "identifying",
        "format": "text/plain",
        "value": "shoot without warning order",
    }
    assert link["type"] == "SpecificResource"
    assert link["source"]["id"] == "https://claimlens.example/claims/shoot-without-warning-order/"
    assert link["source"]["schema:author"] == {
        "type": "schema:Person",
        "schema:name": "President of Kazakhstan",
    }
    assert by_purpose(claim, "assessing") == [
        {"type": "TextualBody", "purpose": "assessing", "value": "needs context"}
    ]
    assert [b["value"] for b in by_purpose(claim, "tagging")] == ["official"]

    page_note = serialised(annotated["page_note"])
    assert page_note["target"] == {
        "type": "SpecificResource",
        "source": highlight["target"]["source"],
        "scope": reader_url,
    }
    assert "audience" not in page_note

    private = serialised(annotated["private"])
    assert private["audience"] == {"type": "Audience", "schema:audienceType": "private"}
    assert by_purpose(private, "commenting")[0]["value"] == ODD_NOTE
    # Survives a trip through JSON text unchanged.
    assert json.loads(json.dumps(private, ensure_ascii=False)) == private


def test_collection_and_its_page_pass_every_must_assertion(annotated, annotator, tmp_path):
    annotations = list(visible_annotations(annotator).in_reading_order())
    collection = jsonld_collection(annotations, urls=URLS)
    page = {"@context": ANNO_CONTEXT, **collection["first"]}
    items = {f"item-{i}": item for i, item in enumerate(page["items"])}
    reports = validate(tmp_path, {"collection": collection, "page": page, **items})
    assert reports["collection"]["kind"] == "collection"
    assert reports["page"]["kind"] == "page"
    assert collection["total"] == len(annotated) == len(page["items"])


@pytest.mark.parametrize("name", ["highlight", "comment", "tags", "claim", "page_note", "private"])
def test_parser_reads_back_what_the_serialiser_writes(annotated, name):
    a = annotated[name]
    parsed = parse_annotation(serialised(a))
    assert parsed.source == a.article.source_url
    assert parsed.scope == [URLS.article(a.article)]
    assert parsed.title == a.article.title
    assert (parsed.exact, parsed.prefix, parsed.suffix) == (a.exact, a.prefix, a.suffix)
    assert (parsed.start, parsed.end) == (a.start, a.end)
    assert parsed.note == a.note
    assert parsed.tags == [label.name for label in a.labels.all()]
    assert parsed.claim_title == (a.claim.title if a.claim else "")
    assert parsed.claim_status == (a.claim.status.name if a.claim else "")
    assert parsed.claimant == (a.claim.claimant if a.claim else "")
    assert parsed.visibility == a.visibility
    assert parsed.creator_name == a.author.username
    assert parsed.created == a.created_at
    assert parsed.warnings == []


def minimal(**changes):
    doc = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {
            "source": "https://claimlens.example/articles/1/",
            "selector": {"type": "TextQuoteSelector", "exact": "some words"},
        },
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "must be a JSON object"),
        (minimal(type="Note"), "type must be"),
        (minimal(target=None), "no target"),
        (minimal(**{"@context": "https://schema.org"}), "@context must include"),
        (minimal(target=["http://a.example/", "http://b.example/"]), "exactly one target"),
        (minimal(body={"type": "TextualBody", "value": "x"}, bodyValue="y"), "both body and"),
        (
            minimal(body={"type": "TextualBody", "purpose": "assessing", "value": "false"}),
            "needs the claim",
        ),
        (
            minimal(target={"source": "http://a.example/", "selector": {"type": "RangeSelector"}}),
            "no TextQuoteSelector or TextPositionSelector",
        ),
        (
            minimal(
                target={
                    "source": "http://a.example/",
                    "selector": {"type": "TextPositionSelector", "start": 9, "end": 2},
                }
            ),
            "ends before it starts",
        ),
        (
            minimal(
                target={
                    "source": "http://a.example/",
                    "selector": {"type": "TextQuoteSelector", "exact": ""},
                }
            ),
            "exact is empty",
        ),
        (minimal(bodyValue="nul \x00 inside"), "NUL"),
        (minimal(bodyValue="\ud800 lone surrogate"), "not valid Unicode"),
        (minimal(body={"type": "TextualBody", "value": 5}), "must be a string"),
    ],
)
def test_parser_refuses_what_is_not_a_usable_web_annotation(doc, message):
    with pytest.raises(WebAnnotationError, match=message):
        parse_annotation(doc)


def test_parser_takes_common_shapes_from_other_tools():
    parsed = parse_annotation(
        {
            "@context": [ANNO_CONTEXT, "http://www.w3.org/ns/ldp.jsonld"],
            "type": ["Annotation"],
            "bodyValue": "A plain note",
            "target": "http://a.example/articles/1/",
        }
    )
    assert parsed.note == "A plain note" and parsed.is_page_note

    parsed = parse_annotation(
        minimal(
            body=[
                {"value": "untyped comment"},
                {"type": "TextualBody", "purpose": "tagging", "value": "via:twitter, retweet"},
                {"type": "TextualBody", "purpose": "describing", "value": "a description"},
                "http://example.org/a-link",
                {"id": "http://example.org/image.png", "type": "Image"},
            ],
        )
    )
    assert parsed.note == "untyped comment\n\na description"
    assert parsed.tags == ["via twitter retweet"]
    # Each part not kept as it was sent is named: the tag's change, the description's
    # purpose, the link, the image, and the two notes joined into one.
    assert len(parsed.warnings) == 5
    assert any("“describing” is not kept" in warning for warning in parsed.warnings)
    assert any("2 notes are not kept apart" in warning for warning in parsed.warnings)
    assert parsed.tag_field() == "via twitter retweet"


def test_position_alone_is_a_selector():
    parsed = parse_annotation(
        minimal(
            target={
                "source": "http://a.example/",
                "selector": [{"type": "TextPositionSelector", "start": 3, "end": 9}],
            }
        )
    )
    assert (parsed.exact, parsed.start, parsed.end, parsed.has_selector) == ("", 3, 9, True)


def test_claim_with_status_becomes_the_quick_tag_the_services_take():
    parsed = parse_annotation(
        minimal(
            body=[
                {"type": "TextualBody", "purpose": "tagging", "value": "energy"},
                {"type": "TextualBody", "purpose": "identifying", "value": "prices  doubled"},
                {"type": "TextualBody", "purpose": "assessing", "value": "false"},
            ]
        )
    )
    assert parsed.tag_field() == "energy, false: prices doubled"


@pytest.mark.parametrize(
    ("chosen", "kind"),
    [("person", "Person"), ("organization", "Organization"), ("unknown", None)],
)
def test_claimant_type_is_the_editors_choice_never_a_guess(annotated, chosen, kind):
    claim = annotated["claim"].claim
    claim.claimant_type = chosen
    assert claimant_type(claim) == kind

"""Every type and property of a published ClaimReview, checked against schema.org's vocabulary.

The vocabulary is schema.org's own release file (../shared/conformance/schemaorg/): each @type
must be a schema.org class within the range of the property holding it, each property must
exist, have the node's type (or a superclass) among its domains, and hold a value its range
allows. Then Google's Fact Check requirements: what it needs and what it recommends.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache

import pytest
from django.test import RequestFactory

from annotations.core.services import annotation_create, claim_update, status_by_name
from annotations.interop.claimreview import claimreview_json
from annotations.models import Claim
from tests.annotations.interop.conftest import finalise
from tests.conftest import shared_path
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db

VOCABULARY = shared_path("conformance", "schemaorg", "schemaorg-current-https.jsonld")
# Terms still in schema.org's "pending" area that Google's Fact Check documentation asks for.
PENDING_ALLOWED = {"appearance", "firstAppearance"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_URL = re.compile(r"^https?://[^\s]+$")


def _ids(value) -> list[str]:
    """Return the schema.org names a node's reference(s) point to ("schema:Thing" → "Thing")."""
    values = value if isinstance(value, list) else [value] if value else []
    ids = [v["@id"] if isinstance(v, dict) else v for v in values]
    return [i.removeprefix("schema:") for i in ids if i.startswith("schema:")]


class Vocabulary:
    """schema.org's classes and properties, read from its release file."""

    def __init__(self, graph: list[dict]):
        self.superclasses: dict[str, list[str]] = {}
        self.domains: dict[str, list[str]] = {}
        self.ranges: dict[str, list[str]] = {}
        self.superseded: set[str] = set()
        self.pending: set[str] = set()
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in kinds:
                self.superclasses[name] = _ids(node.get("rdfs:subClassOf"))
            if "rdf:Property" in kinds:
                self.domains[name] = _ids(node.get("schema:domainIncludes"))
                self.ranges[name] = _ids(node.get("schema:rangeIncludes"))
            if "schema:supersededBy" in node:
                self.superseded.add(name)
            if "pending.schema.org" in json.dumps(node.get("schema:isPartOf", "")):
                self.pending.add(name)

    def is_a(self, kind: str, ancestor: str) -> bool:
        """Tell whether class `kind` is `ancestor` or one of its subclasses."""
        seen, todo = set(), [kind]
        while todo:
            current = todo.pop()
            if current == ancestor:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(self.superclasses.get(current, []))
        return False

    def literal_types(self, value) -> list[str]:
        """Return the data types a JSON literal can stand for."""
        if isinstance(value, bool):
            return ["Boolean"]
        if isinstance(value, int | float):
            return ["Integer" if isinstance(value, int) else "Number"]
        kinds = ["Text"]
        if _URL.match(value):
            kinds.append("URL")
        if _DATE.match(value):
            kinds.append("Date")
        if _DATETIME.match(value):
            kinds.append("DateTime")
        return kinds

    def problems(self, node: dict, allowed: list[str], where: str = "$") -> list[str]:
        """Return what breaks the vocabulary in node, held by a property of range `allowed`."""
        found = []
        declared = node.get("@type")
        if declared is None:
            # An untyped node is read as what the property holding it may hold.
            types = allowed
        else:
            types = declared if isinstance(declared, list) else [declared]
            for kind in types:
                if kind not in self.superclasses:
                    found.append(f"{where}: @type {kind} is not a schema.org class")
                elif kind in self.superseded:
                    found.append(f"{where}: @type {kind} is superseded")
            if not any(self.is_a(k, r) for k in types for r in allowed):
                found.append(f"{where}: @type {declared} is not in the range {allowed}")
        for key, value in node.items():
            here = f"{where}.{key}"
            if key in ("@type", "@context"):
                if key == "@context" and (where != "$" or value != "https://schema.org"):
                    found.append(f"{here}: only the root names the context https://schema.org")
                continue
            if key not in self.domains:
                found.append(f"{here}: {key} is not a schema.org property")
                continue
            if key in self.superseded or (key in self.pending and key not in PENDING_ALLOWED):
                found.append(f"{here}: {key} is superseded or only pending")
            if not any(self.is_a(k, d) for k in types for d in self.domains[key]):
                found.append(f"{here}: {key} is not a property of {types}")
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found += self.problems(item, self.ranges[key], here)
                elif not any(
                    self.is_a(k, r) for k in self.literal_types(item) for r in self.ranges[key]
                ):
                    found.append(f"{here}: {item!r} is not a {self.ranges[key]}")
        return found


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(json.loads(VOCABULARY.read_text(encoding="utf-8"))["@graph"])


def conforms(review: dict) -> list[str]:
    """Return every way review breaks schema.org's vocabulary (none for a good one)."""
    return vocabulary().problems(review, ["Thing"])


# Google's Fact Check (ClaimReview) structured data: required, then recommended, properties.
GOOGLE_REQUIRED = ["claimReviewed", "reviewRating.alternateName", "url"]
GOOGLE_RECOMMENDED = [
    "author.name",
    "author.url",
    "datePublished",
    "itemReviewed.author.name",
    "itemReviewed.datePublished",
    "itemReviewed.appearance",
    "itemReviewed.firstAppearance",
    "reviewRating.bestRating",
    "reviewRating.name",
    "reviewRating.ratingValue",
    "reviewRating.worstRating",
]


def missing(review: dict, paths: list[str]) -> list[str]:
    """Return the dotted paths that have no value in review."""
    absent = []
    for path in paths:
        node = review
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if node in (None, "", []):
            absent.append(path)
    return absent


@pytest.fixture
def full_claim(seed_article, annotator, moderator, settings):
    """A claim with everything set: typed claimant, rationale, three articles, a rated verdict."""
    settings.CLAIMLENS_ORGANISATION = "Example Fact Desk"
    settings.CLAIMLENS_ORGANISATION_URL = "https://factdesk.example/"
    later = make_article(
        title="A later report",
        source_url="https://later.example/report",
        source_name="Later Times",
        published_at=datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
    )
    earlier = make_article(
        title="Where it started",
        source_url="https://first.example/post",
        published_at=datetime(2023, 1, 10, 18, 30, tzinfo=UTC),
    )
    for article in (later, earlier, seed_article):
        annotation = annotation_create(
            article=article,
            author=annotator,
            exact=article.body_text.split("\n\n")[0][:40],
            tags="false: Screens are destroying sleep",
        )
    claim = claim_update(
        claim=annotation.claim,
        user=moderator,
        title=annotation.claim.title,
        status=status_by_name("false"),
        claimant="Screen-Free Evenings",
        claimant_type=Claim.ClaimantType.ORGANIZATION,
        rationale="The study shows a link, *not* a cause.",
    )
    return finalise(claim, "false", moderator)


def test_a_claim_with_every_field_conforms_to_schema_org_and_google(full_claim, seed_article):
    review = claimreview_json(full_claim, RequestFactory().get("/"))

    assert review["@type"] == "ClaimReview"
    assert conforms(review) == []
    assert missing(review, GOOGLE_REQUIRED + GOOGLE_RECOMMENDED) == []
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Screen-Free Evenings"}
    # Dated articles by date; one without a date at the latest it is known to have existed.
    assert [w["headline"] for w in item["appearance"]] == [
        "Where it started",
        "A later report",
        seed_article.title,
    ]
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["datePublished"] == "2023-01-10T18:30:00Z"
    assert "reviewBody" in review


def test_a_minimal_claim_conforms_to_schema_org(moderator, settings):
    settings.CLAIMLENS_ORGANISATION_URL = ""
    settings.CLAIMLENS_BASE_URL = "https://claimlens.example"
    claim = finalise(make_claim(title="Nobody said who"), "opinion", moderator)

    review = claimreview_json(claim)

    assert review["@type"] == "ClaimReview"
    assert conforms(review) == []
    assert missing(review, GOOGLE_REQUIRED) == []
    assert review["itemReviewed"] == {"@type": "Claim", "name": "Nobody said who"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "name": "opinion",
        "alternateName": "opinion",
    }
    # Without an address of its own, the reviewing organisation is found at this Claimlens.
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.CLAIMLENS_ORGANISATION,
        "url": "https://claimlens.example/",
    }


def test_an_untyped_claimant_still_conforms(full_claim):
    Claim.objects.filter(pk=full_claim.pk).update(claimant_type=Claim.ClaimantType.UNKNOWN)
    full_claim.refresh_from_db()

    review = claimreview_json(full_claim)

    assert review["itemReviewed"]["author"] == {"name": "Screen-Free Evenings"}
    assert conforms(review) == []


@pytest.mark.parametrize(
    ("where", "change", "problem"),
    [
        ("root", {"claimReviewd": "typo"}, "claimReviewd is not a schema.org property"),
        ("root", {"@type": "FactCheck"}, "@type FactCheck is not a schema.org class"),
        ("itemReviewed", {"claimReviewed": "x"}, "claimReviewed is not a property of ['Claim']"),
        ("itemReviewed", {"appearance": {"@type": "Person", "name": "x"}}, "is not in the range"),
        ("reviewRating", {"ratingValue": {"@type": "Rating"}}, "is not in the range"),
        ("author", {"url": "not a url"}, "'not a url' is not a ['URL']"),
        ("root", {"datePublished": "yesterday"}, "is not a ['Date', 'DateTime']"),
        ("root", {"author": {"name": "x", "headline": "y"}}, "headline is not a property of"),
    ],
)
def test_the_check_finds_what_breaks_the_vocabulary(full_claim, where, change, problem):
    """The vocabulary check is no rubber stamp: each of these breaks is reported."""
    review = claimreview_json(full_claim)
    (review if where == "root" else review[where]).update(change)

    assert any(problem in found for found in conforms(review)), conforms(review)

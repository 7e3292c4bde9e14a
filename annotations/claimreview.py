"""schema.org ClaimReview for claims with a final verdict, as search engines and fact-check
aggregators read them.

Ratings: the statuses that are verdicts on truth sit on a 1–5 scale (false 1, misleading 2,
disputed 3, needs context 4, verified 5); any other status (opinion, unverified, or one a
moderator added) is given by name alone (alternateName), as schema.org allows.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from articles.rendering import strip_tags

from .models import Claim
from .webannotation import Urls, claimant_type, iso

RATING_SCALE = {"false": 1, "misleading": 2, "disputed": 3, "needs-context": 4, "verified": 5}
BEST_RATING, WORST_RATING = 5, 1
# Escapes that keep JSON inert inside <script> (as django.utils.html.json_script does).
_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
CLAIMREVIEW_QUOTE_MAX = 300


def _appearances(claim: Claim):
    """Return the claim's live, shared, unhidden appearances, oldest article first."""
    return (
        claim.appearances.filter(
            deleted_at__isnull=True, hidden_at__isnull=True, visibility="shared"
        )
        .select_related("article")
        .order_by("article__published_at", "created_at", "pk")
    )


def claimreview_json(claim: Claim, request=None) -> dict | None:
    """Return the ClaimReview of a claim with a final verdict, or None when it has none."""
    if claim.status_final_at is None:
        return None
    urls = Urls.for_request(request) if request is not None else Urls.from_settings()
    appearances = list(_appearances(claim))
    quote = next((a.exact for a in appearances if a.exact), "")
    reviewed = quote if quote and len(quote) <= CLAIMREVIEW_QUOTE_MAX else claim.title

    rating: dict = {"@type": "Rating", "alternateName": claim.status.name}
    if claim.status.slug in RATING_SCALE:
        rating.update(
            ratingValue=RATING_SCALE[claim.status.slug],
            bestRating=BEST_RATING,
            worstRating=WORST_RATING,
        )

    author: dict = {"@type": "Organization", "name": settings.CLAIMLENS_ORGANISATION}
    if settings.CLAIMLENS_ORGANISATION_URL:
        author["url"] = settings.CLAIMLENS_ORGANISATION_URL

    item: dict = {"@type": "Claim", "name": claim.title}
    if claim.claimant:
        item["author"] = {"@type": claimant_type(claim.claimant), "name": claim.claimant}
    works, seen = [], set()
    for appearance in appearances:
        article = appearance.article
        if article.pk in seen:
            continue
        seen.add(article.pk)
        work = {
            "@type": "CreativeWork",
            "url": article.source_url or urls.article(article),
            "headline": article.title,
        }
        if article.published_at:
            work["datePublished"] = iso(article.published_at)
        if article.source_name:
            work["publisher"] = {"@type": "Organization", "name": article.source_name}
        works.append(work)
    if works:
        item["appearance"] = works
        if "datePublished" in works[0]:
            item["datePublished"] = works[0]["datePublished"]

    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.claim(claim),
        "claimReviewed": reviewed,
        "datePublished": claim.status_final_at.date().isoformat(),
        "author": author,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    explanation = " ".join(strip_tags(claim.rationale_html).split()) or claim.rationale.strip()
    if explanation:
        review["reviewBody"] = explanation
    return review


def script_json(data: dict) -> SafeString:
    """Return data as JSON safe to put between <script> tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped above

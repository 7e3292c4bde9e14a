"""schema.org ClaimReview for claims with a final verdict, as search engines and fact-check
aggregators read them.

What is reviewed is the claim's statement (its title); the Claim names who made it (a Person
or an Organization only when an editor said which: otherwise an untyped name, never a guess),
every article it appears in and the earliest of them. Ratings: the statuses that are verdicts
on truth sit on a 1–5 scale (false 1, misleading 2, disputed 3, needs context 4, verified 5);
any other status (opinion, unverified, or one a moderator added) is given by name alone
(name and alternateName), as schema.org and Google allow.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString, mark_safe

from annotations.interop.webannotation import Urls, claimant_type, iso
from annotations.models import Claim
from articles.rendering import strip_tags

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


def _appearances(claim: Claim):
    """Return the claim's live, shared, unhidden appearances, earliest article first.

    An article without a publication date is placed at the latest moment it is known to have
    existed (when it came into Claimlens), so both databases order it alike.
    """
    return (
        claim.appearances.filter(
            deleted_at__isnull=True, hidden_at__isnull=True, visibility="shared"
        )
        .select_related("article")
        .order_by(
            Coalesce("article__published_at", "article__created_at"),
            "article__pk",
            "created_at",
            "pk",
        )
    )


def _rating(status) -> dict:
    """Return the Rating for a status: named always, on the 1–5 scale when it is one of it."""
    rating: dict = {"@type": "Rating", "name": status.name, "alternateName": status.name}
    if status.slug in RATING_SCALE:
        rating.update(
            ratingValue=RATING_SCALE[status.slug],
            bestRating=BEST_RATING,
            worstRating=WORST_RATING,
        )
    return rating


def _reviewer(urls: Urls) -> dict:
    """Return the organisation that publishes the reviews, with its address (or this site's)."""
    return {
        "@type": "Organization",
        "name": settings.CLAIMLENS_ORGANISATION,
        "url": settings.CLAIMLENS_ORGANISATION_URL or urls.absolute("/"),
    }


def _creative_work(article, urls: Urls) -> dict:
    work = {
        "@type": "CreativeWork",
        "url": article.source_url or urls.article(article),
        "headline": article.title,
    }
    if article.published_at:
        work["datePublished"] = iso(article.published_at)
    if article.source_name:
        work["publisher"] = {"@type": "Organization", "name": article.source_name}
    return work


def _claimant(claim: Claim) -> dict:
    """Return who made the claim, typed Person or Organization only when an editor said so."""
    author: dict = {"name": claim.claimant}
    if kind := claimant_type(claim):
        author = {"@type": kind, **author}
    return author


def _item_reviewed(claim: Claim, urls: Urls) -> dict:
    item: dict = {"@type": "Claim", "name": claim.title}
    if claim.claimant:
        item["author"] = _claimant(claim)
    works, seen = [], set()
    for appearance in _appearances(claim):
        if appearance.article_id not in seen:
            seen.add(appearance.article_id)
            works.append(_creative_work(appearance.article, urls))
    if works:
        item["appearance"] = works
        item["firstAppearance"] = works[0]
        if "datePublished" in works[0]:
            item["datePublished"] = works[0]["datePublished"]
    return item


def claimreview_json(claim: Claim, request=None) -> dict | None:
    """Return the ClaimReview of a claim with a final verdict, or None when it has none.

    A private claim (named only in its owner's private notes) is never published, whatever
    its verdict: not in pages, downloads, feeds or exports, until a shared note carries it.
    """
    if claim.status_final_at is None or claim.private_to_id is not None:
        return None
    urls = Urls.for_request(request) if request is not None else Urls.from_settings()
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.claim(claim),
        # The statement checked, in the editors' words: what fact-check readers see.
        "claimReviewed": claim.title,
        "datePublished": claim.status_final_at.date().isoformat(),
        "author": _reviewer(urls),
        "reviewRating": _rating(claim.status),
        "itemReviewed": _item_reviewed(claim, urls),
    }
    explanation = " ".join(strip_tags(claim.rationale_html).split()) or claim.rationale.strip()
    if explanation:
        review["reviewBody"] = explanation
    return review


def script_json(data: dict) -> SafeString:
    """Return data as JSON safe to put between <script> tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped above

"""Suggest whether a claimant is a person or an organisation, for an editor to confirm.

Only ever a suggestion: the claim form shows it beside the choice and never stores it, and
published ClaimReviews use nothing but what an editor chose (Claim.claimant_type).
"""

from __future__ import annotations

import re

from annotations.models import Claim

ClaimantType = Claim.ClaimantType

_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|ministries|government|authorit(y|ies)|police|army|forces|office|agency|"
    r"party|committee|council|commission|court|parliament|department|service|press|news|"
    r"union|bank|company|corporation|inc|ltd|llc|plc|ngo|organi[sz]ation|foundation|watch|"
    r"institute|university|college|school|hospital|association|group|campaign|embassy|"
    r"administration|kremlin|white house|un|eu|nato|who|alliance|coalition|movement|network|"
    r"initiative|trust|society|club|league|federation|cent(re|er)|fund|collective|project|"
    r"media|times|post|herald|journal|tribune|courier|magazine|radio|tv|citizens|residents|"
    r"parents|families|friends)\b",
    re.IGNORECASE,
)
# A title that names one person ("President of Kazakhstan", "Dr Ruth Okafor").
_PERSON_TITLE = re.compile(
    r"^(mr|mrs|ms|mx|miss|dr|prof|professor|sir|dame|lord|lady|president|vice[- ]president|"
    r"prime minister|minister|senator|governor|mayor|king|queen|prince|princess|pope|"
    r"chancellor|judge|rev|reverend|ceo)\b\.?",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")  # BBC, NHS, AT&T
# A capitalised name, double-barrelled or with an apostrophe: Elena, Kassym-Jomart, O'Brien.
_NAME_WORD = re.compile(r"^[A-Z][a-z'’]+(-[A-Z][a-z'’]+)*\.?$|^[A-Z]\.$")
_NAME_PARTICLES = {"van", "von", "de", "da", "del", "der", "di", "du", "la", "le", "bin", "ibn"}


def suggest_claimant_type(name: str) -> str:
    """Return the type a claimant's name suggests, or "unknown" when it says nothing clear."""
    name = " ".join((name or "").split())
    if not name:
        return ClaimantType.UNKNOWN
    if _ORGANISATION_WORDS.search(name) or _ACRONYM.match(name):
        return ClaimantType.ORGANIZATION
    if _PERSON_TITLE.match(name):
        return ClaimantType.PERSON
    words = name.split()
    inner = words[1:-1]
    if (
        2 <= len(words) <= 4
        and _NAME_WORD.match(words[0])
        and _NAME_WORD.match(words[-1])
        and all(_NAME_WORD.match(w) or w.lower() in _NAME_PARTICLES for w in inner)
    ):
        return ClaimantType.PERSON
    return ClaimantType.UNKNOWN

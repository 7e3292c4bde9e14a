"""How much one write may hold, and how long each list may grow: one set of numbers.

The services check these, so the reader's forms, the API, the annotation imports and the admin
refuse the same input with the same message; forms use the same numbers as their max_length so
a browser stops the typing there. Every limit is far above what a person writes by hand: they
stop a script from making one page megabytes long, or one request create thousands of rows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

# Annotations. A note renders into every visitor's copy of the article page.
NOTE_MAX_CHARS = 20_000
QUOTE_MAX_CHARS = 20_000
TAGS_PER_ANNOTATION = 20
# The quick-tag field: TAGS_PER_ANNOTATION names and a "status: claim title" fit in it.
TAG_FIELD_MAX_CHARS = 2_000

# Labels (tags and claim statuses); as long as Label.name and Label.description hold.
LABEL_NAME_MAX_CHARS = 64
LABEL_DESCRIPTION_MAX_CHARS = 2_000

# Claims and their evidence; titles and names as long as the model's columns.
CLAIM_TITLE_MAX_CHARS = 200
CLAIMANT_MAX_CHARS = 200
RATIONALE_MAX_CHARS = 50_000
EVIDENCE_PER_CLAIM = 50
EVIDENCE_URL_MAX_CHARS = 2_000
EVIDENCE_TITLE_MAX_CHARS = 300
EVIDENCE_NOTE_MAX_CHARS = 5_000

# Discussion and verdicts.
REPLY_MAX_CHARS = 10_000
MENTIONS_PER_REPLY = 20
VERDICT_REASON_MAX_CHARS = 500


def check_text(value: str, limit: int, what: str, *, field: str | None = None) -> str:
    """Return value, or raise ValidationError if it is over `limit` characters or holds a NUL.

    No text column of PostgreSQL can store a NUL character: refused here with the reason,
    rather than by the database as a server error.
    """
    value = value or ""
    message = ""
    if len(value) > limit:
        message = f"{what} is {len(value):,} characters long; keep it to {limit:,}."
    elif "\x00" in value:
        message = f"{what} holds a NUL character (U+0000) at {value.index(chr(0)):,}: remove it."
    if message:
        raise ValidationError({field: message} if field else message)
    return value

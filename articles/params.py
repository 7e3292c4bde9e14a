"""Read ids and search words from query strings and form fields.

Whatever a client sends, a view gets an id the database can look up (or None) and text the
database can store: PostgreSQL refuses NUL in a string, and a number too big for a bigint
column is an error there, not "no match".
"""

from __future__ import annotations

import re

# Digits only (str.isdigit() also takes "²", which int() refuses), and few enough for a bigint.
_ID = re.compile(r"[0-9]{1,18}")


def parse_id(raw) -> int | None:
    """Return raw as a primary key, or None when it is anything else."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    return int(raw) if _ID.fullmatch(raw) else None


def search_text(raw) -> str:
    """Return a search box's text with NUL characters removed and the ends trimmed."""
    return (raw or "").replace("\x00", "").strip() if isinstance(raw, str) else ""

"""Check a draft before anything is stored: fields cleaned and fitted, or a reason it fails."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ..importers import ArticleDraft, ImportFailed, ParsedItem
from ..models import Article
from ..rendering import render_markdown_body
from ..services import clean_title
from .results import UNEXPECTED

logger = logging.getLogger(__name__)

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# Query parameters that say how a reader came to a story, never which story it is.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|_ga|_gl|"
    r"ocid|cmpid|smid|ito)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def validated(item: ParsedItem) -> ParsedItem:
    """Return the item with its draft checked, or failed with the reason it cannot be stored."""
    if item.draft is None:
        return item
    try:
        return replace(item, draft=validate_draft(item.draft))
    except ImportFailed as error:
        return ParsedItem(item.label, error=str(error))
    except Exception:  # the person importing gets a reason, the log keeps the traceback
        logger.exception("Checking %s for import failed", item.label)
        return ParsedItem(item.label, error=UNEXPECTED)


def validate_draft(draft: ArticleDraft) -> ArticleDraft:
    """Return a draft fit to store (fields cleaned and fitted), or raise ImportFailed saying why."""
    title = clean_title(draft.title)
    if not title:
        raise ImportFailed("the article has no title")
    title_max = _max_length("title")
    if len(title) > title_max:
        raise ImportFailed(
            f"the title is {len(title)} characters long, more than {title_max}: "
            "is the first line really the title?"
        )
    if not rendered_text(draft.body_markdown).strip():
        raise ImportFailed("the article has no body text")
    source_url = (draft.source_url or "").strip()
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            raise ImportFailed(
                f"the source URL {source_url[:80]!r} is not an http(s) URL"
            ) from None
        if len(source_url) > _max_length("source_url"):
            raise ImportFailed("the source URL is too long")
        source_url = canonical_url(source_url)
    language = (draft.language or "").strip()
    return replace(
        draft,
        title=title,
        byline=_fit(clean_title(draft.byline), _max_length("byline")),
        source_name=_fit(clean_title(draft.source_name), _max_length("source_name")),
        source_url=source_url,
        language=language if _LANGUAGE.match(language) and len(language) <= 16 else "",
    )


def canonical_url(url: str) -> str:
    """Return the address that names the story: the same story linked from a newsletter, a
    feed or a share button (tracking parameters, a #fragment, an upper-case host, a default
    port) has one URL, so it is found again rather than imported twice."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    if parts.username or parts.password:
        return url  # keep what it says rather than guess
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _TRACKING.match(k)]
    # The query is rewritten only when something was dropped: its spelling is left alone.
    query_text = urlencode(kept, doseq=True) if len(kept) != len(query) else parts.query
    return urlunsplit((scheme, host, parts.path, query_text, ""))


def rendered_text(body_markdown: str) -> str:
    """Return a body's canonical text, or refuse a body too deeply nested to render."""
    try:
        return render_markdown_body(body_markdown).text
    except RecursionError:
        raise ImportFailed("the text is nested too deeply to be rendered") from None


def _max_length(field: str) -> int:
    return Article._meta.get_field(field).max_length


def _fit(value: str, limit: int) -> str:
    """Return value cut to `limit` characters at a word boundary (a long byline still imports)."""
    if len(value) <= limit:
        return value
    return value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;") + "…"

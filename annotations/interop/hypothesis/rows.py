"""One Claimlens annotation as a row of Hypothesis's search API (h's `rows` items)."""

from __future__ import annotations

from urllib.parse import urlsplit

from annotations.interop.webannotation import Urls, iso
from annotations.interop.webannotation.serialising import passage_selectors

# Claimlens has no groups: what a reader may see is in h's public group.
WORLD = "__world__"


def authority(urls: Urls) -> str:
    """Return the authority of this Claimlens's `acct:` user ids: its host name."""
    return urlsplit(urls.base).hostname or "localhost"


def account(username: str, urls: Urls) -> str:
    """Return the h user id of a Claimlens user: acct:<username>@<authority>."""
    return f"acct:{username}@{authority(urls)}"


def article_uri(article, urls: Urls) -> str:
    """Return the address h calls the annotation's `uri`: the original URL, else the reader's."""
    return article.source_url or urls.article(article)


def hypothesis_row(annotation, urls: Urls, *, flagged: bool = False) -> dict:
    """Return annotation as h returns a row (fetch it with_related())."""
    author = annotation.author
    user = account(author.get_username(), urls)
    uri = article_uri(annotation.article, urls)
    target: dict = {"source": uri}
    if annotation.exact:
        target["selector"] = passage_selectors(annotation)
    in_context = urls.absolute(annotation.get_absolute_url())
    private = annotation.visibility == "private"
    return {
        "id": str(annotation.pk),
        "created": iso(annotation.created_at),
        "updated": iso(annotation.updated_at),
        "user": user,
        "uri": uri,
        "text": annotation.note,
        "tags": [label.name for label in annotation.labels.all()],
        "group": WORLD,
        "permissions": {
            "read": [user] if private else [f"group:{WORLD}"],
            "admin": [user],
            "update": [user],
            "delete": [user],
        },
        "target": [target],
        "document": {"title": [annotation.article.title]},
        "links": {
            "html": in_context,
            "incontext": in_context,
            "json": urls.annotation(annotation.pk),
        },
        "user_info": {"display_name": author.get_full_name() or None},
        "references": [],
        "flagged": flagged,
        "hidden": annotation.hidden_at is not None,
    }

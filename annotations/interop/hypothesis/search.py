"""Hypothesis's search parameters (h's /api/search), read from a query string and applied.

Supported, as h documents them: `uri` and `url` (either of an article's addresses: its
original URL or its reader URL; repeat for any of several), `tag` and `tags` (repeat: all
must match; case ignored), `user` (acct:name@authority, or a bare user name), `group`
(Claimlens has one, `__world__`), `any`, `quote`, `text` (each word must appear, case
ignored: in the note and quote, the quote, the note), `limit` (default 20, at most 200),
`offset` (at most 9800), `sort` (updated, created, id, user, group; default updated),
`order` (desc by default) and `search_after` (the sort value of the last row already seen).

Not supported, so refused like any unknown parameter: `wildcard_uri`, `uri.parts`,
`references`, `_separate_replies`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_datetime

from annotations.interop.hypothesis.rows import WORLD, authority
from annotations.interop.webannotation import Urls
from annotations.models import Flag, Label

DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 20, 200, 9800
REPEATABLE = ("uri", "url", "tag", "tags")
SINGLE = ("user", "group", "any", "quote", "text", "limit", "offset", "sort", "order")
PARAMETERS = (*REPEATABLE, *SINGLE, "search_after")
SORTS = {"updated": "updated_at", "created": "created_at", "id": "pk", "user": "author__username"}
SORTS["group"] = "pk"  # one group: its order is the order of creation
MAX_VALUE = 2000


class SearchError(ValueError):
    """A search parameter h would refuse, said in words for a 400 answer."""


@dataclass
class SearchQuery:
    uris: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    user: str = ""
    group: str = ""
    any: str = ""
    quote: str = ""
    text: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str = "updated"
    order: str = "desc"
    search_after: str = ""

    @classmethod
    def from_query(cls, query) -> SearchQuery:
        """Read h's parameters from a QueryDict; raise SearchError for a value h refuses."""
        values = {name: [v.strip() for v in query.getlist(name)] for name in query}
        for name, given in values.items():
            if any(len(v) > MAX_VALUE or "\x00" in v for v in given):
                raise SearchError(f"{name} must be under {MAX_VALUE} characters, without NUL.")
            if name not in REPEATABLE and len(given) > 1:
                raise SearchError(f"Give {name} once.")
        one = {name: given[0] for name, given in values.items() if name not in REPEATABLE}
        found = cls(
            uris=[v for name in ("uri", "url") for v in values.get(name, []) if v],
            tags=[v for name in ("tag", "tags") for v in values.get(name, []) if v],
            **{k: one[k] for k in ("user", "group", "any", "quote", "text") if k in one},
            limit=_whole(one, "limit", DEFAULT_LIMIT, MAX_LIMIT),
            offset=_whole(one, "offset", 0, MAX_OFFSET),
            sort=one.get("sort") or "updated",
            order=(one.get("order") or "desc").lower(),
            search_after=one.get("search_after", ""),
        )
        if found.sort not in SORTS:
            raise SearchError(f"sort must be one of {', '.join(SORTS)}.")
        if found.order not in ("asc", "desc"):
            raise SearchError("order must be asc or desc.")
        return found


def _whole(one: dict, name: str, default: int, most: int) -> int:
    raw = one.get(name) or ""
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > most:
        raise SearchError(f"{name} must be a whole number from 0 to {most}.")
    return int(raw)


def _words(value: str, *fields: str) -> Q:
    """Return a Q matching rows where every word of value is in one of fields."""
    condition = Q()
    for word in value.split():
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def _tagged(name: str) -> Exists:
    return Exists(Label.objects.filter(annotations=OuterRef("pk"), name__iexact=name))


def _user_filter(user: str, urls: Urls) -> Q:
    """Return who `user` names: acct:name@authority (this Claimlens's), or a bare name."""
    name = user
    if user.startswith("acct:"):
        name, _, domain = user.removeprefix("acct:").rpartition("@")
        if domain.lower() != authority(urls).lower():
            return Q(pk__in=[])  # someone on another service wrote nothing here
    return Q(author__username__iexact=name)


def _after(query: SearchQuery) -> Q:
    """Return the rows after search_after in the query's order."""
    column = SORTS[query.sort]
    value: object = query.search_after
    if query.sort in ("updated", "created"):
        value = parse_datetime(query.search_after)
        if value is None:
            raise SearchError("search_after must be a date-time (ISO 8601) when sorting by date.")
    elif column == "pk":
        if not query.search_after.isdigit() or len(query.search_after) > 18:
            raise SearchError("search_after must be an annotation id when sorting by id.")
        value = int(query.search_after)
    if isinstance(value, datetime) and value.tzinfo is None:
        raise SearchError("search_after must say its time zone (Z or +hh:mm).")
    return Q(**{f"{column}__{'gt' if query.order == 'asc' else 'lt'}": value})


def search(qs, query: SearchQuery, *, urls: Urls, articles, viewer) -> tuple[int, list]:
    """Return (total, the page of annotations) in qs that query matches.

    `articles` are the articles query.uris named (an empty list when it named none that is
    here); total counts every match, the page takes offset, limit and search_after. Each
    annotation of the page has `flagged`: whether viewer reported it, as h's rows say.
    """
    if query.uris:
        qs = qs.filter(article__in=articles)
    if query.group and query.group != WORLD:
        qs = qs.none()
    if query.user:
        qs = qs.filter(_user_filter(query.user, urls))
    for tag in query.tags:
        qs = qs.filter(_tagged(tag))
    if query.any:
        for word in query.any.split():
            anywhere = _words(word, "exact", "note", "author__username") | _tagged(word)
            qs = qs.filter(anywhere)
    qs = qs.filter(_words(query.quote, "exact")).filter(_words(query.text, "note"))
    total = qs.count()
    if query.search_after:
        qs = qs.filter(_after(query))
    column = SORTS[query.sort]
    sign = "-" if query.order == "desc" else ""
    qs = qs.order_by(f"{sign}{column}", f"{sign}pk")
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(
            flagged=Exists(Flag.objects.filter(annotation=OuterRef("pk"), reporter=viewer))
        )
    return total, list(qs[query.offset : query.offset + query.limit])

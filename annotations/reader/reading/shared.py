"""What the readers of an article share: its painted body and its panel, in Django's cache.

Painting an article with thousands of annotations takes far longer than serving it, and every
open page asks again after each change (the live poll), so the painted body, the panel's order,
filter menus and counts (a View) and each page of cards are kept in the `default` cache, which
every worker and machine shares (the database by default, Redis or Valkey in production:
CLAIMLENS_CACHE_URL).

Entries are keyed by the article, its revision, its change-feed cursor, the reader's class and
the filters. Every change to what the page shows publishes an event in the same transaction
(core.changefeed), so a change gives the article a new cursor and a new key: an entry is never
stale, and the old ones just expire. The cursor is read before anything else, so an entry
holds what was there at that cursor or later, never earlier. Labels are shown on every article
but are in no article's feed: each entry carries the labels' token, which every save or delete
of a label replaces, and an entry made under another token is not used.

The reader's class says who may share an entry:

- "public": anonymous readers, and signed-in ones who see exactly what they see (no private
  or hidden annotation of their own on the article);
- "moderator": moderators see hidden annotations too;
- None (personal): a reader with private or hidden annotations of their own on the article.
  Their page is computed for them and never cached, so a private note never enters the cache.

What differs per person in a shared entry (may they edit, hide, flag this card?) is decided
when the page is drawn, never stored.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from redis.exceptions import RedisError

from annotations.core import permissions
from annotations.models import Annotation, ChangeEvent, Label
from articles.reader_hooks import PageStamp

ENTRY_SECONDS = 60 * 60
# What a Redis cache raises when it does not answer (the database cache's errors are the
# database's: config.outage answers them).
CACHE_DOWN = (RedisError, OSError)
logger = logging.getLogger(__name__)
LABELS_KEY = "claimlens:reader:labels"
_PREFIX = "claimlens:reader:v4"


@dataclass
class View:
    """What a class of readers sees of an article's annotations under some filters."""

    html: str  # the body painted
    painted_ids: frozenset[int]  # annotations with a highlight in it
    order: list[int]  # the annotations passing the filters, in reading order
    total: int  # annotations the reader sees, filtered or not
    labels: dict[int, Label]
    filter_labels: list[Label]
    filter_statuses: list[Label]
    filter_authors: list[str]
    orphan_ids: list[int]  # visible annotations whose passage is not in this revision
    token: str = ""  # the labels' token it was made under

    def __getstate__(self) -> dict:
        # The painted body of a big page is a megabyte of repetitive HTML: kept compressed
        # (fast), it is a tenth of that to send to the cache and to store. The body is
        # compressed as pickled, so it comes back as the painter made it (SafeString: the
        # sanitised article body, all painting adds escaped) with nothing re-marked safe.
        state = self.__dict__.copy()
        state["html"] = zlib.compress(pickle.dumps(self.html, pickle.HIGHEST_PROTOCOL), 1)
        return state

    def __setstate__(self, state: dict) -> None:
        if isinstance(state["html"], bytes):
            # Read back as the rest of the entry is, by the cache's own unpickling.
            state["html"] = pickle.loads(zlib.decompress(state["html"]))  # noqa: S301
        self.__dict__.update(state)


@dataclass
class Cards:
    """One page of the panel's cards, with what every reader of the class sees on them."""

    number: int
    cards: list[Annotation]
    token: str = ""


def reader_state(article, user) -> tuple[int, str | None]:
    """Return article's change-feed cursor and user's class of readers, in one query.

    The class is None when user has private or hidden annotations of their own on article.
    """
    latest = ChangeEvent.objects.filter(article=article).order_by("-id").values("id")[:1]
    state = type(article)._default_manager.filter(pk=article.pk).annotate(cursor=Subquery(latest))
    if not user.is_authenticated:
        cursor = state.values_list("cursor", flat=True).first()
        return cursor or 0, "public"
    own = (
        Annotation.objects.alive()
        .filter(article=OuterRef("pk"), author=user)
        .filter(Q(visibility=Annotation.Visibility.PRIVATE) | Q(hidden_at__isnull=False))
    )
    cursor, personal = state.annotate(own=Exists(own)).values_list("cursor", "own").first()
    if personal:
        return cursor or 0, None
    return cursor or 0, "moderator" if permissions.is_moderator(user) else "public"


def page_stamp(request) -> PageStamp:
    """Return the annotations' part of a stored reader page's key (articles.pages).

    The article's cursor and the reader's role; no stored page for a reader with private or
    hidden annotations of their own on it (their changes are in no feed), as for views above.
    """
    user = request.user
    signed_in = user.is_authenticated

    def columns() -> dict:
        latest = ChangeEvent.objects.filter(article=OuterRef("pk")).order_by("-id").values("id")
        found = {"cursor": Subquery(latest[:1])}
        if signed_in:
            own = (
                Annotation.objects.alive()
                .filter(article=OuterRef("pk"), author_id=user.pk)
                .filter(Q(visibility=Annotation.Visibility.PRIVATE) | Q(hidden_at__isnull=False))
            )
            found["own"] = Exists(own)
        return found

    role = "anonymous"
    if signed_in:
        role = f"{permissions.role_of(user)}:{permissions.is_suspended(user):d}"

    def key(values: dict) -> str | None:
        if values.get("own"):
            return None
        return f"c{values['cursor'] or 0}:{role}"

    shape = f"user:{user.pk}" if signed_in else "anonymous"
    return PageStamp(shape=shape, columns=columns, key=key, tokens={LABELS_KEY: _new_token})


def view_key(article, cursor: int, reader: str, filters) -> str:
    """Return the cache key of a view: everything that decides what it shows.

    The filters by their repr: every field of the (frozen dataclass) Filters, a new one too.
    """
    filters = hashlib.blake2b(repr(filters).encode(), digest_size=8).hexdigest()
    created = int(article.created_at.timestamp() * 1_000_000) if article.created_at else 0
    return (
        f"{_PREFIX}:{article.pk}.{created}:r{article.revision_number}:c{cursor}:{reader}:{filters}"
    )


def shared(
    key: str,
    cards_key: str,
    build_view: Callable[[], View],
    build_cards: Callable[[View], Cards],
) -> tuple[View, Cards]:
    """Return the view and the page of cards at these keys, building and storing what is missing.

    One round trip to the cache when both are there.
    """
    found = _read([key, cards_key, LABELS_KEY])
    token = found.get(LABELS_KEY)
    if token is None:
        token = _new_token()
    view = found.get(key)
    if not isinstance(view, View) or view.token != token:
        view = build_view()
        view.token = token
        _store(key, view)
    cards = found.get(cards_key)
    if not isinstance(cards, Cards) or cards.token != token:
        cards = build_cards(view)
        cards.token = token
        _store(cards_key, cards)
    return view, cards


def shared_view(key: str, build_view: Callable[[], View]) -> View:
    """Return the view at key, building and storing it if it is missing."""
    found = _read([key, LABELS_KEY])
    token = found.get(LABELS_KEY) or _new_token()
    view = found.get(key)
    if not isinstance(view, View) or view.token != token:
        view = build_view()
        view.token = token
        _store(key, view)
    return view


def _read(keys: list[str]) -> dict:
    """Return what the cache holds at keys; nothing while a Redis cache does not answer.

    The page is then computed as if nothing were cached: slower, never wrong.
    """
    try:
        return cache.get_many(keys)
    except CACHE_DOWN:
        logger.warning("the shared cache does not answer: reader pages are computed afresh")
        return {}


def _store(key: str, value) -> None:
    try:
        cache.set(key, value, ENTRY_SECONDS)
    except CACHE_DOWN:
        logger.warning("the shared cache does not answer: %s not stored", key)


def _new_token() -> str:
    """Return the labels' token, making one if there is none (first use, or evicted)."""
    token = secrets.token_hex(8)
    try:
        # add(): two workers starting at once agree on the first one stored.
        if not cache.add(LABELS_KEY, token, None):
            token = cache.get(LABELS_KEY) or token
    except CACHE_DOWN:
        pass  # a token nothing was stored under: the page is computed afresh
    return token


def labels_changed(**kwargs) -> None:
    """Make every entry made under the old labels unusable (a label's name, colour, order).

    After the commit: a page drawn before it could otherwise store the old labels under the
    new token.
    """
    transaction.on_commit(lambda: cache.set(LABELS_KEY, secrets.token_hex(8), None))


post_save.connect(labels_changed, sender=Label, dispatch_uid="claimlens.reader.labels_saved")
post_delete.connect(labels_changed, sender=Label, dispatch_uid="claimlens.reader.labels_deleted")

"""Whole reader pages from the shared cache: the bytes of a page, served again until it changes.

A reader page (articles.views.article_detail) is drawn from the article and what the
extensions of its reader add (reader_hooks). Drawing it costs far more than sending it, and
readers load the same pages over and over, so the drawn page is kept in the `default` cache
(shared by every worker: the database, or Redis with CLAIMLENS_CACHE_URL) under a key made of
everything it shows:

- the article, its `updated_at` (every save, the admin's too, moves it) and its revision;
- each extension's part (reader_hooks.PageStamp), e.g. the annotations' change-feed cursor,
  read with the article's row in one query, plus cache tokens an entry must match;
- who asks: "anonymous", or the signed-in user (id, name, staff flags; the extensions add
  their role), since a signed-in page names them and offers what they may do;
- the path with its query string, and the code that draws it (DEPLOY: templates and code).

The key is read before the page is drawn, so an entry holds what was there at its key or
later, never earlier. A change moves the key, so an entry is never served stale; old ones just
expire. A page an extension will not date (e.g. a reader with private notes on the article)
and a page with messages to show are drawn as before and never stored.

The CSRF token differs per browser and per response (Django masks it anew against BREACH), so
a stored page holds a random placeholder instead, replaced by this request's token when it is
served. Anonymous pages carry no token (base.html), so theirs are the same bytes for everyone.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import secrets
from collections import Counter, OrderedDict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from .models import Article
from .reader_hooks import PageStamp, reader_extensions

ENTRY_SECONDS = 60 * 60
_PREFIX = "claimlens:page:v2"
CONTENT_TYPE = "text/html; charset=utf-8"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding
logger = logging.getLogger(__name__)
# What each process did: tests read it ("hit", "miss", "stored", "bypass").
counts: Counter[str] = Counter()

try:  # a Redis cache that does not answer: the page is drawn as if nothing were cached
    from redis.exceptions import RedisError

    CACHE_DOWN: tuple[type[Exception], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a dependency
    CACHE_DOWN = (OSError,)


@dataclass
class PageState:
    """What decides a reader page for this request, read in one query."""

    key: str | None  # None: this page is drawn afresh and not stored
    token_keys: dict[str, Callable[[], str]] = field(default_factory=dict)
    tokens: dict[str, object] = field(default_factory=dict)  # their values, once read
    placeholder: str = field(default_factory=lambda: f"csrf{secrets.token_hex(30)}")


def page_state(request: HttpRequest, pk: int) -> PageState | None:
    """Return the reader page's state for this request; None if there is no such article."""
    stamps, shape = [], []
    for extension in reader_extensions():
        if extension.stamp is None:
            stamps = None
            break
        stamps.append(extension.stamp(request))
        shape.append(f"{extension.name}:{stamps[-1].shape}")
    row = _stamp_row(pk, stamps or [], tuple(shape))
    if row is None:
        return None
    if stamps is None or _has_messages(request):
        return PageState(key=None)
    parts = [f"{pk}.{row['updated_at']}.r{row['revision_number']}"]
    for index, stamp in enumerate(stamps):
        prefix = f"x{index}_"
        part = stamp.key({n[len(prefix) :]: v for n, v in row.items() if n.startswith(prefix)})
        if part is None:
            return PageState(key=None)
        parts.append(part)
    parts += [_visitor(request), request.get_full_path(), DEPLOY()]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    token_keys = {key: make for stamp in stamps for key, make in stamp.tokens.items()}
    return PageState(key=f"{_PREFIX}:{pk}:{digest}", token_keys=token_keys)


# The article's pk while its query is compiled: no article has it, no other parameter is it.
_SENTINEL = -7_340_033
_compiled: OrderedDict[tuple, tuple[str, tuple, int]] = OrderedDict()
COMPILED_MAX = 1000  # shapes kept per process (one per signed-in reader, least recent go)


def _stamp_row(pk: int, stamps: list[PageStamp], shape: tuple[str, ...]) -> dict | None:
    """Return the article's row with the stamps' columns, in one query compiled once per shape.

    Building and compiling the query costs more than the database takes to answer it; only
    the article's pk changes between requests of one shape. A stored datetime stays as the
    database sends it (a string on SQLite): it only goes into a key.
    """
    using = router.db_for_read(Article)
    shape = (using, *shape) if stamps else (using,)
    compiled = _compiled.get(shape)
    if compiled is None:
        columns = {}
        for index, stamp in enumerate(stamps):
            columns.update({f"x{index}_{n}": value for n, value in stamp.columns().items()})
        query = (
            Article.objects.filter(pk=_SENTINEL)
            .annotate(**columns)
            .values("updated_at", "revision_number", *columns)[:1]
            .query
        )
        sql, params = query.get_compiler(using).as_sql()
        compiled = (sql, tuple(params), params.index(_SENTINEL))
        _compiled[shape] = compiled
        if len(_compiled) > COMPILED_MAX:
            _compiled.popitem(last=False)
    else:
        with suppress(KeyError):  # another thread may have just dropped it
            _compiled.move_to_end(shape)
    sql, params, at = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(sql, (*params[:at], pk, *params[at + 1 :]))
        found = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return None if found is None else dict(zip(names, found, strict=True))


def _visitor(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}:{user.get_username()}:{user.is_staff:d}{user.is_superuser:d}"


def _has_messages(request: HttpRequest) -> bool:
    """Whether a message waits to be shown (the page shows it once: never store that page)."""
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return True
    session = getattr(request, "session", None)
    # The session is read anyway for a signed-in reader; an anonymous one without a
    # session cookie has none to read.
    return bool(session is not None and session.session_key and session.get("_messages"))


def cached_response(request: HttpRequest, state: PageState) -> HttpResponse | None:
    """Return the stored page for state, with this request's CSRF token; None on a miss."""
    found = _read([state.key, *state.token_keys])
    # A token the cache has not got yet (first use, or evicted) is made now, before the page
    # is drawn: the page then holds what was there under it or later.
    state.tokens = {key: found.get(key) or make() for key, make in state.token_keys.items()}
    entry = found.get(state.key)
    if not isinstance(entry, tuple) or len(entry) != 4 or entry[0] != state.tokens:
        counts["miss"] += 1
        return None
    counts["hit"] += 1
    _, placeholder, packed, servable = entry
    # Stored compressed: a page of a megabyte is a tenth of it in the cache.
    compressed = packed if servable else None
    return _served(request, placeholder, lambda: gzip.decompress(packed), compressed)


def store(request: HttpRequest, state: PageState, response: HttpResponse) -> HttpResponse:
    """Store a page drawn with state's placeholder for a token; return it as served."""
    content = response.content
    # A page with no token in it (an anonymous reader's) holds no secret, so it is compressed
    # once, here, instead of on every request (BREACH needs a secret in the response). A page
    # with one is compressed fast, only to be kept small: it is never sent as it is.
    servable = state.placeholder.encode() not in content
    packed = gzip.compress(content, compresslevel=6 if servable else 1, mtime=0)
    compressed = packed if servable else None
    if response.status_code == 200 and None not in state.tokens.values():
        try:
            entry = (state.tokens, state.placeholder, packed, servable)
            cache.set(state.key, entry, ENTRY_SECONDS)
            counts["stored"] += 1
        except CACHE_DOWN:
            logger.warning("the shared cache does not answer: reader page not stored")
    served = _served(request, state.placeholder, lambda: content, compressed)
    served.status_code = response.status_code
    for name, value in response.items():
        if name.lower() not in {"content-length", "content-encoding", "vary"}:
            served[name] = value
    return served


def _served(
    request: HttpRequest,
    placeholder: str,
    content_of: Callable[[], bytes],
    compressed: bytes | None,
) -> HttpResponse:
    if compressed is not None and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        # GZipMiddleware leaves a response that already has a Content-Encoding alone.
        response = HttpResponse(compressed, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        return response
    content = content_of()
    marker = placeholder.encode()
    if marker in content:
        # get_token() also makes the CSRF cookie be sent when the browser has none yet.
        content = content.replace(marker, get_token(request).encode())
    return HttpResponse(content, content_type=CONTENT_TYPE)


def _read(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except CACHE_DOWN:
        logger.warning("the shared cache does not answer: reader pages are drawn afresh")
        return {}


@once
def DEPLOY() -> str:  # noqa: N802 - a constant, worked out once per process
    """Return a stamp of the code and templates that draw pages, the same in every worker.

    A deploy that changes them moves every key, so no page drawn by the old code is served.
    """
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for folder in ("templates", "articles", "annotations", "config", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js", ".json"}:
                info = path.stat()
                digest.update(f"{path}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()

"""The one way articles come in, whether from the command, the admin, or a URL.

A batch is read and checked whole before anything is stored: files are decoded and parsed,
zips unpacked, JSON batches split, URLs fetched, and every draft validated. Then each item is
stored through article_store() in its own transaction, so each item is all or nothing: one that
fails leaves nothing of itself behind, and the others are still imported. The report answers
for every item, named so a person can find it (file, zip member, batch entry or URL): created,
unchanged, updated, or failed with the reason.

A dry run does exactly the same work inside one transaction that is rolled back at the end, so
what it reports is what would happen, including two items of the batch that share a URL.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from .fetching import FetchFailed, fetch_url
from .importers import (
    ZIP,
    ArticleDraft,
    ImportFailed,
    ParsedItem,
    format_from_name,
    format_size,
    parse_file,
)
from .models import Article
from .rendering import render_markdown_body
from .services import CREATED, UNCHANGED, UPDATED, article_store, clean_title, content_hash

logger = logging.getLogger(__name__)

FAILED = "failed"
STATUSES = (CREATED, UNCHANGED, UPDATED, FAILED)
UNEXPECTED = "it could not be imported because of an unexpected error (logged for the admins)"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class ImportSource:
    """Something to import from: bytes, a file or a URL (both read when the batch is read)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    url: str = ""
    format: str | None = None  # overrides the batch's format for this source
    error: str = ""


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item of a batch."""

    label: str
    status: str  # created | unchanged | updated | failed
    title: str = ""
    article_id: int | None = None
    source_name: str = ""
    word_count: int = 0
    reason: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def line(self) -> str:
        """Return the one line a person reads about this item."""
        if self.failed:
            return f"{FAILED}: {self.label}: {self.reason}"
        where = f" (id {self.article_id})" if self.article_id else ""
        return f"{self.status}: {self.title}{where}"


@dataclass(frozen=True)
class ImportReport:
    results: tuple[ItemResult, ...]
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.status for result in self.results)
        return {status: counted[status] for status in STATUSES}

    @property
    def failed(self) -> list[ItemResult]:
        return [result for result in self.results if result.failed]

    def summary(self) -> str:
        """Return "2 created, 0 unchanged, 1 updated, 1 failed", saying so if nothing was saved."""
        counts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        return f"Dry run, nothing saved: {counts}." if self.dry_run else f"{counts.capitalize()}."


# --- Sources --------------------------------------------------------------------------------


def is_url(value: str) -> bool:
    """Return whether a command-line argument is a URL (of any scheme) rather than a path."""
    return bool(_URL.match(value))


def size_limit(name: str) -> int:
    """Return the largest file accepted under this name (zips hold several articles)."""
    if format_from_name(name) == ZIP:
        return settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES
    return settings.CLAIMLENS_IMPORT_MAX_BYTES


def sources_from_path(path: str | Path) -> list[ImportSource]:
    """Return the file at `path`, or every article file under a folder (hidden ones left out).

    Files are only read when the batch is read, one at a time.
    """
    path = Path(path)
    if not path.is_dir():
        return [ImportSource(str(path), path=path)]
    found = []
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(
            Path(folder) / name
            for name in sorted(files)
            if not name.startswith(".") and format_from_name(name)
        )
    if not found:
        return [
            ImportSource(
                str(path), error="the folder holds no .txt, .md, .html, .json or .zip files"
            )
        ]
    return [ImportSource(str(file), path=file) for file in found]


def _read_path(path: Path) -> bytes:
    """Return a file's bytes, refusing what is not a regular file or is over the size cap."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed("it is not a regular file")
        limit = size_limit(path.name)
        if info.st_size > limit:
            raise ImportFailed(_too_big(info.st_size, limit))
        with path.open("rb") as file:
            data = file.read(limit + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise ImportFailed("there is no such file or folder") from None
    except OSError as error:
        raise ImportFailed(f"it cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise ImportFailed(_too_big(len(data), limit))
    return data


def source_from_upload(upload) -> ImportSource:
    """Return an uploaded file (a Django UploadedFile) as a source, refusing it if too big."""
    name = os.path.basename(upload.name or "upload")
    limit = size_limit(name)
    if upload.size is not None and upload.size > limit:
        return ImportSource(name, error=_too_big(upload.size, limit))
    data = b"".join(upload.chunks())
    if len(data) > limit:
        return ImportSource(name, error=_too_big(len(data), limit))
    return ImportSource(name, data=data)


def source_from_text(
    text: str, *, format: str | None = None, name: str = "pasted text"
) -> ImportSource:
    """Return pasted text as a source, in the format chosen for it (or detected)."""
    data = text.encode("utf-8")
    if len(data) > settings.CLAIMLENS_IMPORT_MAX_BYTES:
        return ImportSource(name, error=_too_big(len(data), settings.CLAIMLENS_IMPORT_MAX_BYTES))
    return ImportSource(name, data=data, format=format or None)


def source_from_url(url: str) -> ImportSource:
    """Return a URL as a source; it is fetched (and checked) when the batch is read."""
    return ImportSource(url.strip(), url=url.strip())


def _too_big(size: int, limit: int) -> str:
    return f"the file is {format_size(size)}, more than the {format_size(limit)} limit"


# --- Reading and checking ---------------------------------------------------------------------


def read_sources(sources: Iterable[ImportSource], *, format: str | None = None) -> list[ParsedItem]:
    """Read every source (fetching URLs) into items, each a validated draft or a reason."""
    items: list[ParsedItem] = []
    for source in sources:
        items.extend(_validated(item) for item in _read_source(source, format=format))
    return items


def _read_source(source: ImportSource, *, format: str | None) -> list[ParsedItem]:
    if source.error:
        return [ParsedItem(source.name, error=source.error)]
    format = source.format or format
    try:
        if source.url:
            page = fetch_url(source.url)
            return parse_file(
                source.name,
                page.body,
                format=format or page.format,
                url=page.url,
                encoding=page.charset,
            )
        data = _read_path(source.path) if source.path else source.data or b""
        return parse_file(source.name, data, format=format)
    except (FetchFailed, ImportFailed) as error:
        return [ParsedItem(source.name, error=str(error))]
    except Exception:  # the person importing gets a reason, the log keeps the traceback
        logger.exception("Reading %s for import failed", source.name)
        return [ParsedItem(source.name, error=UNEXPECTED)]


def _validated(item: ParsedItem) -> ParsedItem:
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
    language = (draft.language or "").strip()
    return replace(
        draft,
        title=title,
        byline=_fit(clean_title(draft.byline), _max_length("byline")),
        source_name=_fit(clean_title(draft.source_name), _max_length("source_name")),
        source_url=source_url,
        language=language if _LANGUAGE.match(language) and len(language) <= 16 else "",
    )


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


def _identical_article(draft: ArticleDraft) -> Article | None:
    """Return the article that already has exactly this draft's content, if any."""
    digest = content_hash(
        title=clean_title(draft.title),
        subtitle=clean_title(draft.subtitle),
        byline=clean_title(draft.byline),
        body_text=rendered_text(draft.body_markdown),
    )
    return Article.objects.filter(content_hash=digest).order_by("pk").first()


# --- Storing ----------------------------------------------------------------------------------


def import_items(
    *,
    items: list[ParsedItem],
    dry_run: bool = False,
    article: Article | None = None,
    imported_by=None,
    on_result: Callable[[ItemResult], None] | None = None,
) -> ImportReport:
    """Store each read item in its own transaction and report on each; a dry run saves nothing.

    With `article`, the batch's one item becomes a new revision of that article.
    """
    # A dry run does the very same work inside one transaction, then undoes it.
    with transaction.atomic() if dry_run else nullcontext():
        results = _store_all(
            items, article=article, imported_by=imported_by, notify=on_result, dry_run=dry_run
        )
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(tuple(results), dry_run=dry_run)


def import_sources(
    *,
    sources: Iterable[ImportSource],
    format: str | None = None,
    dry_run: bool = False,
    article: Article | None = None,
    imported_by=None,
    on_result: Callable[[ItemResult], None] | None = None,
) -> ImportReport:
    """Read, check and store a batch: the whole import in one call."""
    return import_items(
        items=read_sources(sources, format=format),
        dry_run=dry_run,
        article=article,
        imported_by=imported_by,
        on_result=on_result,
    )


def _store_all(items, *, article, imported_by, notify, dry_run) -> list[ItemResult]:
    results = []
    for item in items:
        if article is not None and len(items) > 1 and not item.error:
            item = ParsedItem(
                item.label,
                error=f"only one item can update article {article.pk}; "
                f"this import has {len(items)}",
            )
        result = _store(item, article=article, imported_by=imported_by)
        if dry_run and result.status == CREATED:
            result = replace(result, article_id=None)  # the id of a row that will not exist
        results.append(result)
        if notify:
            notify(result)
    return results


def _store(item: ParsedItem, *, article: Article | None, imported_by) -> ItemResult:
    if item.error or item.draft is None:
        return ItemResult(item.label, FAILED, reason=item.error or "nothing was read")
    draft = item.draft
    # article_store() is the item's transaction. The checks before it only read, and the unique
    # source URL backs them against a concurrent import, so they need no transaction of their
    # own: on PostgreSQL, a savepoint around it all cost two more round trips per article.
    try:
        if article is not None and draft.source_url:
            owner = (
                Article.objects.filter(source_url=draft.source_url)
                .exclude(pk=article.pk)
                .values_list("pk", flat=True)
                .first()
            )
            if owner:
                raise ImportFailed(f"its source URL belongs to another article (id {owner})")
        if article is None and not draft.source_url:
            # Without a URL, only the content can say the article is already here.
            article = _identical_article(draft)
        stored = article_store(
            title=draft.title,
            body_markdown=draft.body_markdown,
            subtitle=draft.subtitle,
            byline=draft.byline,
            source_name=draft.source_name,
            source_url=draft.source_url or None,
            published_at=draft.published_at,
            language=draft.language,
            imported_by=imported_by,
            article=article,
        )
    except (ImportFailed, ValueError) as error:
        return ItemResult(item.label, FAILED, title=draft.title, reason=str(error))
    except IntegrityError:
        return ItemResult(
            item.label,
            FAILED,
            title=draft.title,
            reason="it clashes with an article stored meanwhile (same source URL); try again",
        )
    except Exception:  # the person importing gets a reason, the log keeps the traceback
        logger.exception("Storing %s failed", item.label)
        return ItemResult(item.label, FAILED, title=draft.title, reason=UNEXPECTED)
    return ItemResult(
        item.label,
        stored.status,
        title=stored.article.title,
        article_id=stored.article.pk,
        source_name=stored.article.source_name,
        word_count=stored.article.word_count,
    )

"""Where articles come from (files, folders, uploads, pasted text, URLs), read into items.

Files are only read, and URLs fetched, when the batch is read; each item read is checked at
once, so that what is stored afterwards is a batch known to be whole.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..fetching import FetchFailed, fetch_url
from ..importers import ZIP, ImportFailed, ParsedItem, format_from_name, format_size, parse_file
from .checking import validated
from .results import UNEXPECTED

logger = logging.getLogger(__name__)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


@dataclass(frozen=True)
class ImportSource:
    """Something to import from: bytes, a file or a URL (both read when the batch is read)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    url: str = ""
    format: str | None = None  # overrides the batch's format for this source
    error: str = ""


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
        items.extend(validated(item) for item in _read_source(source, format=format))
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

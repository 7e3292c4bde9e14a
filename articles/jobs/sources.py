"""What a job imports, one entry per item: written down when the job is made, read when run.

An entry is plain JSON kept on the job's item: {"url": ...} (fetched when its turn comes),
{"path": ...} (a file: a command-line path, or an upload kept in the job's folder),
{"path": ..., "member": ...} (one file of a zip, read from the archive on its own turn),
{"html": path, "url": ...} (a page as a reader's browser sent it) or {"error": ...}. Making the
entries reads no article and a zip's bytes are never all in memory, so a job of 10,000 items
costs the same memory as a job of ten.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from ..fetching import FetchFailed, fetch_url
from ..importers import (
    HTML,
    ZIP,
    ImportFailed,
    ParsedItem,
    format_from_name,
    parse_file,
    read_zip_member,
    zip_member_names,
)
from ..imports import UNEXPECTED, size_limit, sources_from_path
from ..imports.checking import validated
from ..imports.sources import _read_path

logger = logging.getLogger(__name__)

Entry = tuple[str, dict]  # (label, source)


def new_folder() -> Path:
    """Return a new folder where a job keeps the files it will read."""
    folder = Path(settings.CLAIMLENS_JOB_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def entries_from_path(path: str | Path, *, label: str | None = None) -> Iterator[Entry]:
    """Yield the entries of a file or folder: a zip gives one entry for each article file."""
    for source in sources_from_path(path):
        if source.error:
            yield source.name, {"error": source.error}
        elif format_from_name(source.name) == ZIP:
            yield from _zip_entries(Path(source.path), label or source.name)
        else:
            yield (label or source.name), {"path": str(source.path)}


def entries_from_upload(upload, folder: Path) -> Iterator[Entry]:
    """Keep an upload in the job's folder and yield its entries (refusing one too big)."""
    name = os.path.basename(upload.name or "upload") or "upload"
    limit = size_limit(name)
    if upload.size is not None and upload.size > limit:
        yield name, {"error": f"the file is larger than the {limit // (1024 * 1024)} MB limit"}
        return
    target = folder / f"{uuid.uuid4().hex[:8]}-{name}"
    with target.open("wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    yield from entries_from_path(target, label=name)


def entries_from_text(text: str, folder: Path, *, format: str = "") -> Entry:
    target = folder / f"{uuid.uuid4().hex[:8]}-pasted"
    target.write_text(text, encoding="utf-8")
    return "pasted text", {"path": str(target), "format": format}


def entry_from_url(url: str) -> Entry:
    return url.strip(), {"url": url.strip()}


def _zip_entries(path: Path, label: str) -> Iterator[Entry]:
    try:
        info = path.stat()
        if info.st_size > settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES:
            raise ImportFailed("the zip archive is larger than the limit for an archive")
        members = zip_member_names(path)
    except ImportFailed as error:
        yield label, {"error": str(error)}
        return
    for member, problem in members:
        member_label = f"{label}/{member}"
        if problem:
            yield member_label, {"error": problem}
        else:
            yield member_label, {"path": str(path), "member": member}


def read_entry(label: str, source: dict) -> list[ParsedItem]:
    """Read one entry into its items (usually one), each a validated draft or a reason."""
    return [validated(item) for item in _read(label, source)]


def _read(label: str, source: dict) -> list[ParsedItem]:
    if source.get("error"):
        return [ParsedItem(label, error=source["error"])]
    try:
        if source.get("html"):
            data = _read_path(Path(source["html"]))
            return parse_file(label, data, format=HTML, url=source.get("url", ""))
        if source.get("url"):
            page = fetch_url(source["url"])
            return parse_file(
                label, page.body, format=page.format, url=page.url, encoding=page.charset
            )
        path = Path(source["path"])
        if source.get("member"):
            return parse_file(label, read_zip_member(path, source["member"]))
        return parse_file(label, _read_path(path), format=source.get("format") or None)
    except (FetchFailed, ImportFailed) as error:
        return [ParsedItem(label, error=str(error))]
    except Exception:  # the person importing gets a reason, the log keeps the traceback
        logger.exception("Reading %s for a job failed", label)
        return [ParsedItem(label, error=UNEXPECTED)]

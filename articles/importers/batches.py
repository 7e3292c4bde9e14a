"""Files that hold several articles: JSON batches and zip archives."""

from __future__ import annotations

import io
import json
import re
import stat
import sys
import zipfile
from pathlib import PurePosixPath

from django.conf import settings

from .drafts import (
    MD,
    ZIP,
    ArticleDraft,
    ImportFailed,
    format_from_name,
    format_size,
    parse_published,
)
from .markdown_files import parse_markdown, split_front_matter
from .plain_text import parse_text, text_to_markdown

# --- JSON batches -----------------------------------------------------------------------------

_JSON_FIELDS = {
    "title": ("title", "headline"),
    "subtitle": ("subtitle", "dek", "standfirst"),
    "byline": ("byline", "author"),
    "source_name": ("source_name", "source", "publisher"),
    "source_url": ("source_url", "url"),
    "published_at": ("published_at", "published", "date"),
    "language": ("language", "lang"),
}
_JSON_BODY_FIELDS = ("body_markdown", "body", "text")


def parse_json(text: str) -> list[ArticleDraft | ImportFailed]:
    """Read a JSON batch: a list of article objects (or {"articles": [...]}, or one object).

    Each object has a title and a body (`body`, `body_markdown` or `text`), Markdown unless its
    `format` says "text" or "html". A bad entry becomes an ImportFailed in its place.
    """
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")  # "Invalid control character at": at what
        hint = ""
        if reason.startswith("Invalid control character"):
            hint = ": a string holds a raw control character, which JSON writes as \\uXXXX"
        raise ImportFailed(
            f"this is not valid JSON ({reason} at line {error.lineno}, column {error.colno})" + hint
        ) from None
    except RecursionError:
        raise ImportFailed("the JSON is nested too deeply to be an article batch") from None
    if isinstance(data, dict):
        data = data["articles"] if isinstance(data.get("articles"), list) else [data]
    if not isinstance(data, list):
        raise ImportFailed("a JSON batch must be a list of article objects")
    if not data:
        raise ImportFailed("the JSON batch is empty")
    entries: list[ArticleDraft | ImportFailed] = []
    for entry in data:
        try:
            entries.append(_json_entry(entry))
        except ImportFailed as error:
            entries.append(error)
    return entries


# Python refuses to read an integer longer than this (a guard against quadratic conversion).
_MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300
# What the database cannot store (NUL, lone surrogates) or a page should not show: control
# characters but tab, newline, form feed and carriage return, as the text files' check allows.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
        raise ImportFailed(
            f"the JSON holds a number {len(digits.lstrip('-')):,} digits long, more than the "
            f"{_MAX_INT_DIGITS:,} a number may have: no article field needs it, so leave it out "
            "or write it as a string"
        )
    return int(digits)


def _check_text(value: str, name: str) -> str:
    """Return value, or raise ImportFailed naming the field and the character it cannot hold."""
    match = _UNSTORABLE.search(value)
    if match is not None:
        char = match.group()
        kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise ImportFailed(
            f"the field '{name}' holds {kind} (U+{ord(char):04X}) at character "
            f"{match.start() + 1:,}: remove it and import again"
        )
    return value


def _json_entry(entry) -> ArticleDraft:
    if not isinstance(entry, dict):
        raise ImportFailed("each entry must be an object with a title and a body")
    values: dict[str, str] = {}
    for field, names in _JSON_FIELDS.items():
        value = next((entry[name] for name in names if entry.get(name) not in (None, "")), "")
        if isinstance(value, list) and field == "byline":
            value = ", ".join(str(v) for v in value)
        if not isinstance(value, str):
            raise ImportFailed(f"the field '{names[0]}' must be a string")
        values[field] = _check_text(value, names[0])
    body_name = next((name for name in _JSON_BODY_FIELDS if entry.get(name)), None)
    body = entry[body_name] if body_name else None
    if not isinstance(body, str) or not body.strip():
        raise ImportFailed("the entry has no body (give it as 'body', 'body_markdown' or 'text')")
    _check_text(body, body_name)
    body_format = str(entry.get("format") or MD).lower()
    if body_format in ("text", "txt", "plain"):
        base = parse_text(body) if not values["title"] else None
        body_markdown = base.body_markdown if base else text_to_markdown(body)
        values["title"] = values["title"] or base.title
    elif body_format in ("markdown", "md"):
        base = parse_markdown(body) if not values["title"] else None
        body_markdown = base.body_markdown if base else split_front_matter(body)[1]
        values["title"] = values["title"] or base.title
    elif body_format == "html":
        body_markdown = body  # raw HTML is valid Markdown; rendering sanitises it
    else:
        raise ImportFailed(f"unknown body format {body_format!r} (use markdown, text or html)")
    published = values.pop("published_at")
    return ArticleDraft(
        body_markdown=body_markdown,
        published_at=parse_published(published) if published else None,
        **values,
    )


# --- Zip archives -----------------------------------------------------------------------------


def read_zip(data: bytes) -> list[tuple[str, bytes | ImportFailed]]:
    """Return the article files in a zip archive, refusing bombs and tricks.

    The member count, each member's size and the total are capped, both as the archive declares
    them and as the bytes actually come out. Members are never written to disk; a name that
    tries to escape (absolute, `..`, drive letters), links, encrypted members and nested zips
    are refused. Files of other kinds (images, hidden files) are left out.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportFailed("this is not a valid zip archive") from None
    with archive:
        infos = archive.infolist()
        max_members = settings.CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS
        max_total = settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES
        max_member = settings.CLAIMLENS_IMPORT_MAX_BYTES
        if len(infos) > max_members:
            raise ImportFailed(f"the archive has {len(infos)} entries, more than {max_members}")
        declared = sum(info.file_size for info in infos)
        if declared > max_total:
            raise ImportFailed(
                f"the archive would expand to {format_size(declared)}, more than the "
                f"{format_size(max_total)} limit"
            )
        members: list[tuple[str, bytes | ImportFailed]] = []
        remaining = max_total  # what the archive may still expand to, counted as bytes come out
        for info in infos:
            name = info.filename
            if info.is_dir() or _ignored_member(name):
                continue
            problem = _member_problem(info)
            if problem is None and format_from_name(name) is None:
                continue  # images, stylesheets and the like travel with articles; skip them
            if problem is None and format_from_name(name) == ZIP:
                problem = "zip archives inside zip archives are not imported"
            if problem is None and info.file_size > max_member:
                problem = (
                    f"it is {format_size(info.file_size)}, more than {format_size(max_member)}"
                )
            if problem:
                members.append((name, ImportFailed(problem)))
                continue
            limit = min(max_member, remaining)
            try:
                content = _read_member(archive, info, limit=limit)
            except ImportFailed as error:
                members.append((name, error))
                continue
            if content is None and limit < max_member:
                raise ImportFailed(
                    f"the archive expands to more than {format_size(max_total)}, although it "
                    f"declared {format_size(declared)}"
                )
            if content is None:
                members.append(
                    (
                        name,
                        ImportFailed(
                            f"it expands beyond {format_size(max_member)}, although it "
                            f"declared {format_size(info.file_size)}"
                        ),
                    )
                )
                continue
            remaining -= len(content)
            members.append((name, content))
    if not members:
        raise ImportFailed("the archive holds no .txt, .md, .html or .json files")
    return members


def _ignored_member(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or (
        parts[:1] == ("__MACOSX",)
    )


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if (
        "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or ".." in path.parts
        or "\x00" in name
    ):
        return "its path is unsafe (absolute, or climbing out with '..')"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic links are not imported"
    if info.flag_bits & 0x1:
        return "it is encrypted"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes | None:
    """Return a member's bytes, or None as soon as more than `limit` bytes come out."""
    chunks, total = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(65536):
                total += len(chunk)
                if total > limit:
                    return None
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise ImportFailed(f"it cannot be read from the archive ({error})") from None
    return b"".join(chunks)


# --- Zip archives read member by member (background jobs) -------------------------------------


def zip_member_names(file) -> list[tuple[str, str]]:
    """Return (member, problem) for each article file of a zip (a path or file), read lazily.

    The same checks as read_zip() on what the archive declares; each member's bytes are only
    read by read_zip_member(), when a job comes to it, so a big archive is never in memory.
    """
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise ImportFailed("this is not a valid zip archive") from None
    with archive:
        infos = archive.infolist()
        max_members = settings.CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS
        if len(infos) > max_members:
            raise ImportFailed(f"the archive has {len(infos)} entries, more than {max_members}")
        declared = sum(info.file_size for info in infos)
        if declared > settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES:
            raise ImportFailed(
                f"the archive would expand to {format_size(declared)}, more than the "
                f"{format_size(settings.CLAIMLENS_IMPORT_MAX_ZIP_BYTES)} limit"
            )
        members = []
        for info in infos:
            if info.is_dir() or _ignored_member(info.filename):
                continue
            problem = _member_problem(info)
            if problem is None and format_from_name(info.filename) is None:
                continue
            if problem is None and format_from_name(info.filename) == ZIP:
                problem = "zip archives inside zip archives are not imported"
            members.append((info.filename, problem or ""))
    if not members:
        raise ImportFailed("the archive holds no .txt, .md, .html or .json files")
    return members


def read_zip_member(file, name: str) -> bytes:
    """Return one member's bytes, refusing one that expands past the size of an article."""
    limit = settings.CLAIMLENS_IMPORT_MAX_BYTES
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo(name)
            problem = _member_problem(info)
            if problem:
                raise ImportFailed(problem)
            content = _read_member(archive, info, limit=limit)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ImportFailed("it cannot be read from the archive") from None
    if content is None:
        raise ImportFailed(f"it expands beyond {format_size(limit)}")
    return content

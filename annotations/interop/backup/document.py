"""The backup document's vocabulary, and reading it field by field with errors naming the item."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models

from annotations.interop.webannotation import ANNO_CONTEXT, parse_datetime

FORMAT_VERSION = 1
DOCUMENT_TYPE = "ClaimworkBackup"
# Our own terms (everything the W3C context does not define) expand under this vocabulary, so a
# JSON-LD processor reads them as full IRIs. It only names the terms (.example: nothing is
# published there, and no other vocabulary is taken over).
VOCABULARY = "https://claimlens.example/ns/claimwork#"
CONTEXT = [ANNO_CONTEXT, {"@vocab": VOCABULARY, "schema": "https://schema.org/"}]
MEDIA_TYPE = "application/ld+json"

# A history entry whose object no longer exists (a withdrawn verdict, a merged label) keeps an id
# no row here will ever have: its old id moved up by this much. Loading it again keeps it.
VANISHED_BASE = 2**53

# What no database column may hold: NUL, and lone surrogates (JSON can spell both).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
REQUIRED = object()


class BackupError(ValueError):
    """Raised when a backup cannot be read or restored; the message names the item."""


def as_json(value):
    """Return a stored field's value as JSON: moments as ISO 8601, numbers kept."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def other_fields(obj: models.Model, named: set[str]) -> dict:
    """Return the stored fields of `obj` this format does not name (fields added since).

    Derived fields (not editable) are left out: they are derived again where the backup is
    loaded. Relations are named by the format itself; tests/annotations/interop/test_backup.py
    fails for a relation it does not carry.
    """
    return {
        field.name: as_json(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if field.editable
        and not field.is_relation
        and not field.primary_key
        and field.name not in named
    }


def find_unstorable(value, path: str = "the backup") -> None:
    """Raise BackupError naming where a string holds a character no database can store."""
    if isinstance(value, str):
        match = _UNSTORABLE.search(value)
        if match:
            raise BackupError(
                f"{path} holds U+{ord(match.group()):04X} at character {match.start() + 1}, "
                "which no database stores: the file is damaged"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            find_unstorable(key, path)
            find_unstorable(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            find_unstorable(item, f"{path}[{index}]")


def read_document(raw: bytes | str) -> dict:
    """Return the backup as a dict, or raise BackupError saying what is wrong with the file."""
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BackupError(f"the file is not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != DOCUMENT_TYPE:
        raise BackupError(
            f"the file is not a Claimlens claim-work backup (its type is not {DOCUMENT_TYPE}): "
            "write one with manage.py dump_claimwork"
        )
    version = doc.get("formatVersion")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"the backup is in format {version!r}; this Claimlens reads format {FORMAT_VERSION}"
        )
    try:
        find_unstorable(doc)
    except RecursionError:
        raise BackupError("the file is nested too deeply to be a backup") from None
    return doc


class Item:
    """One object of the backup, read field by field; every error names it."""

    def __init__(self, data, what: str):
        if not isinstance(data, dict):
            raise BackupError(f"{what} is not a JSON object")
        self.data = data
        self.what = what

    def error(self, message: str) -> BackupError:
        return BackupError(f"{self.what}: {message}")

    def _get(self, key: str, default):
        if key not in self.data or self.data[key] is None:
            if default is REQUIRED:
                raise self.error(f"“{key}” is missing")
            return default
        return self.data[key]

    def text(self, key: str, default=REQUIRED) -> str:
        value = self._get(key, default)
        if value is not default and not isinstance(value, str):
            raise self.error(f"“{key}” must be text")
        return value

    def number(self, key: str, default=REQUIRED) -> int:
        value = self._get(key, default)
        if value is not default and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.error(f"“{key}” must be a whole number")
        return value

    def real(self, key: str, default=REQUIRED) -> float:
        value = self._get(key, default)
        if value is not default and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise self.error(f"“{key}” must be a number")
        return value

    def flag(self, key: str, default=REQUIRED) -> bool:
        value = self._get(key, default)
        if value is not default and not isinstance(value, bool):
            raise self.error(f"“{key}” must be true or false")
        return value

    def moment(self, key: str, default=None) -> datetime | None:
        value = self._get(key, default)
        if value is None or value is default:
            return value
        moment = parse_datetime(value)
        if moment is None:
            raise self.error(f"“{key}” is not a date and time: {value!r}")
        return moment

    def objects(self, key: str) -> list:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self.error(f"“{key}” must be a list")
        return value

    def mapping(self, key: str) -> dict | None:
        value = self._get(key, None)
        if value is not None and not isinstance(value, dict):
            raise self.error(f"“{key}” must be an object")
        return value

    def apply_other_fields(self, obj: models.Model) -> None:
        """Set the fields the dump carried in "otherFields" that this database's model has."""
        for name, value in (self.mapping("otherFields") or {}).items():
            try:
                field = obj._meta.get_field(name)
            except Exception:  # noqa: S112 - a field this version does not have is skipped
                continue
            if not field.concrete or field.is_relation or not field.editable:
                continue
            try:
                setattr(obj, field.attname, field.to_python(value))
            except ValidationError as exc:
                raise self.error(f"“{name}”: {' '.join(exc.messages)}") from None


def check(obj: models.Model, item: Item) -> None:
    """Validate obj's own fields (lengths, choices, formats) or raise naming the item."""
    relations = [f.name for f in obj._meta.fields if f.is_relation]
    try:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        details = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise item.error(details) from None

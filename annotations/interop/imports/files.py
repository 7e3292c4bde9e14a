"""Reading an import file (W3C JSON-LD or Hypothesis JSON), and the report of each item."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotations.interop.webannotation import as_list
from annotations.models import Annotation, AnnotationOrigin, Reply

W3C, HYPOTHESIS = AnnotationOrigin.Format.W3C, AnnotationOrigin.Format.HYPOTHESIS


class ImportFileError(ValueError):
    """Raised when a file is not JSON or holds no annotations we know how to read."""


@dataclass
class ItemResult:
    index: int  # 1-based position in the file
    annotation: Annotation | None = None
    reply: Reply | None = None  # a Hypothesis reply, imported as a reply
    already: bool = False  # imported before (the same Hypothesis id): left as it is
    reason: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.annotation is not None or self.reply is not None


@dataclass
class ImportReport:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def created(self) -> list[Annotation]:
        """Return the annotations this import made."""
        return [r.annotation for r in self.results if r.annotation and not r.already]

    @property
    def replies(self) -> list[Reply]:
        """Return the replies this import made."""
        return [r.reply for r in self.results if r.reply and not r.already]

    @property
    def imported(self) -> list[ItemResult]:
        return [r for r in self.results if r.ok and not r.already]

    @property
    def already(self) -> list[ItemResult]:
        return [r for r in self.results if r.already]

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not r.ok]


def load_items(raw: bytes | str) -> list[tuple[str, object]]:
    """Return the annotations in a file as (format, item) pairs, in file order."""
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(f"The file is not JSON: {exc}") from None
    return items_of(doc)


# What an h row has that a W3C annotation (which always has a "type") does not need.
_H_KEYS = ("uri", "user", "references", "links", "document", "group", "permissions", "text")


def _is_hypothesis(item) -> bool:
    return isinstance(item, dict) and "type" not in item and any(k in item for k in _H_KEYS)


def items_of(doc) -> list[tuple[str, object]]:
    """Find the annotations in a document: one, a list, a collection, a page or a H. export."""
    if isinstance(doc, list):
        return [(HYPOTHESIS if _is_hypothesis(item) else W3C, item) for item in doc]
    if not isinstance(doc, dict):
        raise ImportFileError("The file holds neither an annotation nor a list of them.")
    kinds = as_list(doc.get("type"))
    if "AnnotationCollection" in kinds:
        first = doc.get("first")
        if first is None:  # an empty collection
            return []
        if not isinstance(first, dict):
            raise ImportFileError(
                "The collection links to its pages instead of embedding them: "
                "export it with the annotations embedded."
            )
        return items_of(as_list(first.get("items")))
    if "AnnotationPage" in kinds:
        return items_of(as_list(doc.get("items")))
    if "Annotation" in kinds or "oa:Annotation" in kinds:
        return [(W3C, doc)]
    for key in ("rows", "annotations"):  # Hypothesis: search API response / client export
        if isinstance(doc.get(key), list):
            # Whatever fields a row leaves out, an item without a type is Hypothesis's.
            return [
                (W3C if isinstance(item, dict) and "type" in item else HYPOTHESIS, item)
                for item in doc[key]
            ]
    if _is_hypothesis(doc):
        return [(HYPOTHESIS, doc)]
    raise ImportFileError(
        "No annotations found: expected W3C Web Annotations (one, a list, an "
        "AnnotationCollection or AnnotationPage) or Hypothesis annotations."
    )

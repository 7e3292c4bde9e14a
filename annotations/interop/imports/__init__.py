"""Annotations into Claimlens: W3C Web Annotation JSON-LD and Hypothesis JSON, placed by quote.

An imported annotation is written by the person importing it (the command's --user), who
answers for it here; the original author, id and date are kept in an AnnotationOrigin so that
nothing is lost. `keep_authors` (command line only, for restoring a Claimlens export) gives
each annotation back to the local user its creator names instead.

Each item is imported in its own transaction; an item that cannot be placed or read is
reported with its number and the reason, and the others are still imported. Hypothesis
replies become replies in the annotation's discussion, and a Hypothesis id imported before
finds what it made (see `hypothesis`).

One module per step: files (reading), hypothesis (h's rows and threads), placing, importing.
"""

from annotations.interop.imports.files import (
    HYPOTHESIS,
    W3C,
    ImportFileError,
    ImportReport,
    ItemResult,
    items_of,
    load_items,
)
from annotations.interop.imports.hypothesis import HypothesisItem, parse_hypothesis
from annotations.interop.imports.importing import import_annotations
from annotations.interop.imports.placing import (
    ArticleResolver,
    Found,
    annotation_from_parsed,
    default_status_name,
    same_title,
)

__all__ = [
    "W3C",
    "HYPOTHESIS",
    "ImportFileError",
    "ItemResult",
    "ImportReport",
    "load_items",
    "items_of",
    "HypothesisItem",
    "parse_hypothesis",
    "Found",
    "same_title",
    "ArticleResolver",
    "default_status_name",
    "annotation_from_parsed",
    "import_annotations",
]

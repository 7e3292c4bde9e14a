"""The one way articles come in, whether from the command, the admin, or a URL.

A batch is read and checked whole before anything is stored: files are decoded and parsed,
zips unpacked, JSON batches split, URLs fetched, and every draft validated. Then each item is
stored through article_store() in its own transaction, so each item is all or nothing: one that
fails leaves nothing of itself behind, and the others are still imported. The report answers
for every item, named so a person can find it (file, zip member, batch entry or URL): created,
unchanged, updated, or failed with the reason.

An item is a new revision of an article already here, rather than a second copy of it, when:
it names that article's source URL; or, without a URL, it has exactly that article's content
or its title and source name; or the person importing chose the article (`choices`, the admin
preview's choice, the command's --article). A URL is compared in its canonical form (no
tracking parameters, no #fragment). An item that would be a new article but is a near copy of
one already here (near-identical text under another URL, or none) is a duplicate: it is not
imported, and the report names the article it copies, unless the person importing chose to
import it as a separate article (NEW). An article merely like it is a possible duplicate: the
item is imported, with a warning.

A dry run does exactly the same work inside one transaction that is rolled back at the end, so
what it reports is what would happen, including two items of the batch that share a URL.

One module a step: sources (what to import from, read into items), checking (a draft fit to
store), matching (the article an item revises, and possible duplicates), storing (each item
in its own transaction) and results (the report). Import the names from here.
"""

from ..services import CREATED, UNCHANGED, UPDATED
from .checking import rendered_text, validate_draft
from .matching import (
    BY_CONTENT,
    BY_TITLE,
    DUPLICATE_CANDIDATES,
    DUPLICATE_RATIO,
    Ambiguous,
    possible_duplicates,
)
from .results import FAILED, STATUSES, UNEXPECTED, Candidate, ImportReport, ItemResult
from .sources import (
    ImportSource,
    is_url,
    read_sources,
    size_limit,
    source_from_text,
    source_from_upload,
    source_from_url,
    sources_from_path,
)
from .storing import NEW, import_items, import_sources

__all__ = [
    "BY_CONTENT",
    "BY_TITLE",
    "CREATED",
    "DUPLICATE_CANDIDATES",
    "DUPLICATE_RATIO",
    "FAILED",
    "NEW",
    "STATUSES",
    "UNCHANGED",
    "UNEXPECTED",
    "UPDATED",
    "Ambiguous",
    "Candidate",
    "ImportReport",
    "ImportSource",
    "ItemResult",
    "import_items",
    "import_sources",
    "is_url",
    "possible_duplicates",
    "read_sources",
    "rendered_text",
    "size_limit",
    "source_from_text",
    "source_from_upload",
    "source_from_url",
    "sources_from_path",
    "validate_draft",
]

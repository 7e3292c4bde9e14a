"""What the reader page shows of annotations: the painted body, the cards, filters and forms.

Everything is fetched in a fixed number of queries whatever the number of annotations: one
narrow query for all visible annotations with their label ids (enough to paint and filter),
one for the label vocabulary and two for the current page of cards (the cards, their reply
counts). A new annotation is shown by insertion_for in a fixed number of smaller ones.

rows: the annotations as the page sees them; page: what the page and its fragments get.
"""

from annotations.reader.reading.page import (
    Insertion,
    card_annotations,
    insertion_for,
    paint_for,
    reader_context,
    reader_page_context,
)
from annotations.reader.reading.rows import (
    ORPHANS_SHOWN,
    PANEL_PAGE_SIZE,
    PLAIN_COLOUR,
    SUGGESTIONS,
    Filters,
    PanelPage,
    Row,
    claim_suggestions,
    composer_context,
    tag_suggestions,
)
from annotations.reader.reading.shared import ENTRY_SECONDS, View

__all__ = [
    "PANEL_PAGE_SIZE",
    "PLAIN_COLOUR",
    "ORPHANS_SHOWN",
    "Filters",
    "Row",
    "PanelPage",
    "SUGGESTIONS",
    "tag_suggestions",
    "claim_suggestions",
    "composer_context",
    "paint_for",
    "reader_context",
    "reader_page_context",
    "Insertion",
    "View",
    "ENTRY_SECONDS",
    "insertion_for",
    "card_annotations",
]

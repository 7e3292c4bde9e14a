"""Signal receivers of the annotations app; each hands its work to a service."""

from __future__ import annotations

from .reanchor_services import annotations_reanchor


def carry_annotations_to_revision(sender, *, article, previous, revision, **kwargs):
    """Re-anchor the article's annotations on its new revision (inside the same transaction)."""
    annotations_reanchor(article=article, old_text=previous.body_text if previous else None)

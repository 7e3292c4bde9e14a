"""Signal receivers of the annotations app; each hands its work to a service."""

from __future__ import annotations

from annotations.demo import load_demo_annotations
from annotations.revisions.services import annotations_reanchor
from annotations.suggestions.services import suggestions_refresh


def carry_annotations_to_revision(sender, *, article, previous, revision, **kwargs):
    """Re-anchor the article's annotations on its new revision (inside the same transaction).

    Whoever made the revision is named in the history of each annotation it moved.
    """
    annotations_reanchor(
        article=article,
        old_text=previous.body_text if previous else None,
        actor=revision.created_by if revision and revision.created_by_id else None,
    )


def annotate_demo(sender, *, articles, users, **kwargs) -> str:
    """Annotate the demo articles no demo account has annotated yet; say which."""
    annotated = load_demo_annotations(articles, users)
    return f"annotated: {', '.join(annotated)}" if annotated else ""


def suggest_claims(sender, *, article, **kwargs):
    """Find the statements a new text of an article attributes to someone."""
    suggestions_refresh(article=article)


def suggest_claims_on_create(sender, *, article, **kwargs):
    """Find the statements a new article attributes to someone (it has no suggestions yet)."""
    suggestions_refresh(article=article, new=True)

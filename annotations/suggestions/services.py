"""Writing claim suggestions: finding them as an article is stored, accepting, dismissing.

Accepting goes through the kernel's annotation_create (a claim tag, the claimant named), so
history and the change feed record the new claim as they record any other; the suggestion's
own change is recorded too, as is a dismissal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.core import history, permissions
from annotations.core.anchoring import context_of
from annotations.core.services import annotation_create
from annotations.models import Annotation, Claim, Suggestion
from annotations.suggestions.extraction import extract
from articles.models import Article

TITLE_WORDS = 24
_TITLE_MAX = 180


def suggestions_refresh(*, article: Article, new: bool = False) -> list[Suggestion]:
    """Find the article's statements on its current text and store them as open suggestions.

    Open suggestions of earlier texts go; a statement someone already accepted or dismissed on
    this article (the same words by the same speaker) is not offered again. A `new` article
    (just created, in the caller's transaction) has none of either: its suggestions are one
    INSERT, or no query at all.
    """
    if new:
        return Suggestion.objects.bulk_create(_found(article, decided=set()))
    with transaction.atomic():
        Suggestion.objects.filter(article=article, state=Suggestion.State.OPEN).delete()
        decided = set(
            Suggestion.objects.filter(article=article).values_list("exact", "speaker_full")
        )
        return Suggestion.objects.bulk_create(_found(article, decided=decided))


def _found(article: Article, *, decided: set) -> list[Suggestion]:
    """Return the article's statements as unsaved suggestions, leaving out those decided."""
    text = article.body_text
    rows = []
    for found in extract(text):
        if (found.quote, found.speaker_full) in decided:
            continue
        prefix, suffix = context_of(text, found.start, found.end)
        rows.append(
            Suggestion(
                article=article,
                revision_number=article.revision_number,
                kind=found.kind,
                exact=found.quote,
                prefix=prefix,
                suffix=suffix,
                start=found.start,
                end=found.end,
                speaker=found.speaker[:200],
                speaker_full=found.speaker_full[:200],
                confidence=found.confidence,
            )
        )
    return rows


def claim_title_for(quote: str) -> str:
    """Return a claim title made of a quote's first words."""
    # The tag field separates entries with commas: a title keeps its words, not its commas.
    words = quote.replace(",", "").strip(" \"“”„«»'‘’.").split()
    title = " ".join(words[:TITLE_WORDS])
    if len(words) > TITLE_WORDS:
        title += "…"
    return title[:_TITLE_MAX]


def _decide(suggestion: Suggestion, *, user, state: str, annotation=None) -> Suggestion:
    before = history.snapshot_for_update(suggestion)
    if before["state"] != Suggestion.State.OPEN:
        raise ValidationError(f"This suggestion was already {before['state']}.")
    suggestion.state = state
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.annotation = annotation
    suggestion.save(update_fields=["state", "decided_by", "decided_at", "annotation"])
    action = "accepted" if state == Suggestion.State.ACCEPTED else "dismissed"
    history.record(
        actor=user, obj=suggestion, action=action, before=before, after=history.snapshot(suggestion)
    )
    return suggestion


def _check(user, suggestion: Suggestion) -> None:
    if not permissions.can_annotate(user):
        raise PermissionDenied("You cannot act on suggestions: ask for the annotator role.")
    if suggestion.revision_number != suggestion.article.revision_number:
        raise ValidationError("This suggestion was made on an earlier text of the article.")


@transaction.atomic
def suggestion_accept(
    *, suggestion: Suggestion, user, title: str = "", claim: Claim | None = None
) -> Annotation:
    """Make a suggestion a claim: its passage annotated, the claimant named, unverified.

    `claim`: an existing claim the passage is another appearance of (linked, not duplicated);
    otherwise a claim titled `title` (the quote's first words when blank).
    """
    _check(user, suggestion)
    if claim is not None:
        if not permissions.can_see_claim(user, claim):
            raise PermissionDenied("You cannot see that claim.")
        if "," in claim.title:
            raise ValidationError("Link this passage to that claim from the composer instead.")
        tags = f"{claim.status.name}: {claim.title}"
    else:
        tags = f"unverified: {(title or claim_title_for(suggestion.exact)).strip()}"
    annotation = annotation_create(
        article=suggestion.article,
        author=user,
        exact=suggestion.exact,
        prefix=suggestion.prefix,
        suffix=suggestion.suffix,
        start=suggestion.start,
        end=suggestion.end,
        tags=tags,
        claimant=suggestion.speaker_full or suggestion.speaker,
    )
    _decide(suggestion, user=user, state=Suggestion.State.ACCEPTED, annotation=annotation)
    return annotation


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, user) -> Suggestion:
    """Hide a suggestion from everyone on its article, recording who did it."""
    _check(user, suggestion)
    return _decide(suggestion, user=user, state=Suggestion.State.DISMISSED)


@transaction.atomic
def claim_appearance_add(
    *, claim: Claim, article: Article, user, exact: str, start: int | None = None
) -> Annotation:
    """Mark a passage of an article as another appearance of an existing claim."""
    if not permissions.can_see_claim(user, claim):
        raise PermissionDenied("You cannot see that claim.")
    if "," in claim.title:
        raise ValidationError("Link this passage to that claim from the composer instead.")
    if not exact.strip():
        raise ValidationError("Say which passage: exact is empty.")
    return annotation_create(
        article=article,
        author=user,
        exact=exact,
        start=start,
        end=start + len(exact) if start is not None else None,
        tags=f"{claim.status.name}: {claim.title}",
    )

"""Store each read item in its own transaction, as a new article or a new revision."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import replace

from django.db import IntegrityError, transaction

from ..importers import ImportFailed, ParsedItem
from ..models import Article
from ..services import CREATED, article_store, stored_fields
from .matching import Ambiguous, existing_article, is_near_copy, possible_duplicates
from .results import DUPLICATE, FAILED, UNEXPECTED, Candidate, ImportReport, ItemResult
from .sources import ImportSource, read_sources

logger = logging.getLogger(__name__)

# An item's choice: None (decide as usual), NEW (always a new article, even a near copy of one
# already here: "import as a separate article") or an article id.
NEW = "new"


class _NearCopy(Exception):
    """Raised inside an item's transaction to undo an article that copies one already here."""

    def __init__(self, duplicates: tuple[Candidate, ...]):
        super().__init__("near copy")
        self.duplicates = duplicates


def import_items(
    *,
    items: list[ParsedItem],
    dry_run: bool = False,
    article: Article | None = None,
    choices: list | tuple | None = None,
    imported_by=None,
    on_result: Callable[[ItemResult], None] | None = None,
) -> ImportReport:
    """Store each read item in its own transaction and report on each; a dry run saves nothing.

    With `article`, the batch's one item becomes a new revision of that article. `choices`
    says, item by item, None (decide as usual), NEW (a new article) or the id of the article
    that item revises.
    """
    # A dry run does the very same work inside one transaction, then undoes it.
    with transaction.atomic() if dry_run else nullcontext():
        results = _store_all(
            items,
            article=article,
            choices=choices,
            imported_by=imported_by,
            notify=on_result,
            dry_run=dry_run,
        )
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(tuple(results), dry_run=dry_run)


def import_sources(
    *,
    sources: Iterable[ImportSource],
    format: str | None = None,
    dry_run: bool = False,
    article: Article | None = None,
    imported_by=None,
    on_result: Callable[[ItemResult], None] | None = None,
) -> ImportReport:
    """Read, check and store a batch: the whole import in one call."""
    return import_items(
        items=read_sources(sources, format=format),
        dry_run=dry_run,
        article=article,
        imported_by=imported_by,
        on_result=on_result,
    )


def _store_all(items, *, article, choices, imported_by, notify, dry_run) -> list[ItemResult]:
    results = []
    made_here: set[int] = set()  # articles this dry run created, which will not exist
    for index, item in enumerate(items):
        if article is not None and len(items) > 1 and not item.error:
            item = ParsedItem(
                item.label,
                error=f"only one item can update article {article.pk}; "
                f"this import has {len(items)}",
            )
        choice = choices[index] if choices and index < len(choices) else None
        result = _store(item, article=article, choice=choice, imported_by=imported_by)
        if dry_run:
            if result.status == CREATED:
                made_here.add(result.article_id)
                result = replace(result, article_id=None)  # the id of a row that will not exist
            result = replace(
                result,
                duplicates=tuple(
                    replace(d, article_id=None) if d.article_id in made_here else d
                    for d in result.duplicates
                ),
            )
        results.append(result)
        if notify:
            notify(result)
    return results


def _store(item: ParsedItem, *, article: Article | None, choice, imported_by) -> ItemResult:
    if item.error or item.draft is None:
        return ItemResult(item.label, FAILED, reason=item.error or "nothing was read")
    draft = item.draft
    match = ""
    # article_store() is the item's transaction. The checks before it only read, and the unique
    # source URL backs them against a concurrent import, so they need no transaction of their
    # own: on PostgreSQL, a savepoint around it all cost two more round trips per article.
    try:
        if choice not in (None, NEW):
            article = Article.objects.filter(pk=choice).first()
            if article is None:
                raise ImportFailed(f"there is no article with id {choice} to revise")
        if draft.source_url and (article is not None or choice == NEW):
            owner = (
                Article.objects.filter(source_url=draft.source_url)
                .exclude(pk=getattr(article, "pk", None))
                .values_list("pk", flat=True)
                .first()
            )
            if owner and article is not None:
                raise ImportFailed(f"its source URL belongs to another article (id {owner})")
            if owner:
                raise ImportFailed(
                    f"its source URL belongs to article {owner}, so it can only be a new "
                    "revision of that article"
                )
        if article is None and choice != NEW and not draft.source_url:
            # Without a URL, its content or its title and source say the article is here.
            article, match = existing_article(draft)
        stored, duplicates = _store_unless_copy(
            draft, article=article, imported_by=imported_by, separate=choice == NEW
        )
    except _NearCopy as copy:
        return ItemResult(
            item.label,
            DUPLICATE,
            title=draft.title,
            source_name=draft.source_name,
            reason="it is a near copy of an article already here",
            duplicates=copy.duplicates,
            choosable=True,
        )
    except Ambiguous as error:
        return ItemResult(
            item.label,
            FAILED,
            title=draft.title,
            reason=str(error),
            candidates=error.candidates,
            choosable=True,
        )
    except (ImportFailed, ValueError) as error:
        return ItemResult(item.label, FAILED, title=draft.title, reason=str(error), choosable=True)
    except IntegrityError:
        return ItemResult(
            item.label,
            FAILED,
            title=draft.title,
            reason="it clashes with an article stored meanwhile (same source URL); try again",
            choosable=True,
        )
    except Exception:  # the person importing gets a reason, the log keeps the traceback
        logger.exception("Storing %s failed", item.label)
        return ItemResult(item.label, FAILED, title=draft.title, reason=UNEXPECTED)
    if duplicates is None:
        duplicates = _similar(stored.article, item.label)
    return ItemResult(
        item.label,
        stored.status,
        title=stored.article.title,
        article_id=stored.article.pk,
        source_name=stored.article.source_name,
        word_count=stored.article.word_count,
        match=match if stored.status != CREATED else "",
        duplicates=duplicates,
        choosable=True,
    )


def _store_unless_copy(draft, *, article, imported_by, separate: bool):
    """Store the draft and return (stored, its look-alikes or None if not looked for).

    A new article that is a near copy of another is undone (_NearCopy): the copy is found once
    the article is rendered and stored (its text is the stored one), inside the transaction
    that creates it (article_store's check_new), so a duplicate leaves nothing behind.
    `separate` (the person importing chose "a separate article") keeps it all the same.
    """
    if article is not None or separate:
        stored = article_store(
            **stored_fields(draft), imported_by=imported_by, article=article, wait_for_disk=False
        )
        return stored, None
    found = []

    def unless_copy(new: Article) -> None:
        found[:] = _similar(new, draft.title)
        if any(is_near_copy(d, new.body_text) for d in found):
            raise _NearCopy(tuple(found))

    stored = article_store(
        **stored_fields(draft), imported_by=imported_by, check_new=unless_copy, wait_for_disk=False
    )
    return stored, tuple(found) if stored.status == CREATED else None


def _similar(article: Article, label: str) -> tuple[Candidate, ...]:
    """Return the other articles whose text is nearly this one's (nothing if it cannot tell)."""
    try:
        return possible_duplicates(body_text=article.body_text, exclude={article.pk})
    except Exception:  # a check that cannot be made must not fail an item
        logger.exception("Looking for duplicates of %s failed", label)
        return ()

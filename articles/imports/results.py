"""What an import reports: for every item, named, what happened to it and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..services import CREATED, UNCHANGED, UPDATED

FAILED = "failed"
# Not imported: a near copy of an article already here, under another URL (or none).
DUPLICATE = "duplicate"
STATUSES = (CREATED, UNCHANGED, UPDATED, DUPLICATE, FAILED)
UNEXPECTED = "it could not be imported because of an unexpected error (logged for the admins)"


@dataclass(frozen=True)
class Candidate:
    """An article an item may belong to; `score` (percent alike) for a possible duplicate."""

    article_id: int | None  # None: an article this very dry run created
    title: str
    score: int | None = None

    def describe(self) -> str:
        where = f"article {self.article_id}" if self.article_id else "another item of this batch"
        alike = f" ({self.score} % alike)" if self.score is not None else ""
        return f"{where} “{self.title}”{alike}"


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item of a batch."""

    label: str
    status: str  # created | unchanged | updated | duplicate | failed
    title: str = ""
    article_id: int | None = None  # the article stored (None if nothing was)
    source_name: str = ""
    word_count: int = 0
    reason: str = ""
    match: str = ""  # BY_TITLE, or "" (its URL, its content or the importer's choice said)
    # Articles very like it, which it did not revise: it is a duplicate of the first, or (an
    # item that revised an article) these are only worth a look.
    duplicates: tuple[Candidate, ...] = ()
    candidates: tuple[Candidate, ...] = ()  # articles it could not choose between
    choosable: bool = False  # whether the person importing may choose its article

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def duplicate(self) -> bool:
        return self.status == DUPLICATE

    @property
    def choices(self) -> tuple[Candidate, ...]:
        """Return the articles the person importing may make this item a revision of."""
        offered = [*self.candidates, *self.duplicates]
        if self.article_id and self.status != CREATED:
            offered.insert(0, Candidate(self.article_id, self.title))
        seen: set[int] = set()
        return tuple(
            c
            for c in offered
            if c.article_id is not None and not (c.article_id in seen or seen.add(c.article_id))
        )

    def warning(self) -> str:
        """Return what the person importing should look at, or ""."""
        if not self.duplicates:
            return ""
        alike = ", ".join(d.describe() for d in self.duplicates)
        return f"duplicate of {alike}" if self.duplicate else f"possible duplicate of {alike}"

    def line(self) -> str:
        """Return the one line a person reads about this item."""
        if self.failed:
            return f"{FAILED}: {self.label}: {self.reason}"
        if self.duplicate:
            return f"{DUPLICATE}: {self.label}: not imported, {self.warning()}"
        where = f" (id {self.article_id})" if self.article_id else ""
        how = f", matched by its {self.match}" if self.match else ""
        warning = f"; {self.warning()}" if self.duplicates else ""
        return f"{self.status}: {self.title}{where}{how}{warning}"


@dataclass(frozen=True)
class ImportReport:
    results: tuple[ItemResult, ...]
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.status for result in self.results)
        return {status: counted[status] for status in STATUSES}

    @property
    def failed(self) -> list[ItemResult]:
        return [result for result in self.results if result.failed]

    @property
    def duplicates(self) -> list[ItemResult]:
        return [result for result in self.results if result.duplicate]

    def summary(self) -> str:
        """Return "2 created, 0 unchanged, 1 updated, 1 failed", saying so if nothing was saved.

        Duplicates are counted only when there are some: most batches have none.
        """
        counts = ", ".join(
            f"{n} {status}" for status, n in self.counts.items() if n or status != DUPLICATE
        )
        return f"Dry run, nothing saved: {counts}." if self.dry_run else f"{counts.capitalize()}."

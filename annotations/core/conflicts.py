"""What to show when an edit loses a race: both texts side by side, and a merge to start from.

The text both edits started from is the note (or reply body) as it was at the version the
editor loaded, which the history keeps. When it is known, the editor's own changes (base →
mine) are applied as a patch to the text saved meanwhile (theirs); if every hunk applies, that
is a clean three-way merge. Otherwise both texts are offered with conflict markers.

Every editor that can lose a race (the reader's annotation editor, a reply's) answers it with
`conflict_response`, so a conflict looks and works the same wherever it happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.http import HttpResponse
from django.shortcuts import render

from annotations.models import Annotation, HistoryEntry, Reply
from articles.http import HtmxHttpRequest

MARK_THEIRS, MARK_SPLIT, MARK_MINE = "<<<<<<< saved", "=======", ">>>>>>> yours"


@dataclass(frozen=True)
class Merge:
    text: str
    clean: bool


@dataclass(frozen=True)
class Conflict:
    current: Annotation | Reply  # what is saved now ("theirs")
    theirs: str
    mine: str
    base: str | None
    merge: Merge
    field: str  # the form field the texts belong to: "note" or "body"
    saved_by: object = None  # who saved the current text (the last history entry's actor)


def merge_texts(*, base: str | None, mine: str, theirs: str) -> Merge:
    """Return a three-way merge of `mine` into `theirs`, or both with markers if it is not clean."""
    if mine == theirs:
        return Merge(mine, True)
    if base is not None:
        if theirs == base:
            return Merge(mine, True)
        if mine == base:
            return Merge(theirs, True)
        dmp = diff_match_patch()
        if not _overlap(_edited_ranges(dmp, base, mine), _edited_ranges(dmp, base, theirs)):
            # The two edits touch different parts of the base, so applying mine onto theirs
            # cannot undo theirs; a generous match distance finds the shifted places.
            dmp.Match_Distance = 100_000
            merged, applied = dmp.patch_apply(dmp.patch_make(base, mine), theirs)
            if all(applied):
                return Merge(merged, True)
    return Merge(f"{MARK_THEIRS}\n{theirs}\n{MARK_SPLIT}\n{mine}\n{MARK_MINE}\n", False)


def _edited_ranges(dmp, base: str, changed: str) -> list[tuple[int, int]]:
    """Return the [start, end] ranges of `base` that `changed` edits (insertions are points)."""
    diffs = dmp.diff_main(base, changed)
    dmp.diff_cleanupSemantic(diffs)
    ranges: list[tuple[int, int]] = []
    pos = 0
    for op, text in diffs:
        if op == dmp.DIFF_EQUAL:
            pos += len(text)
            continue
        end = pos + len(text) if op == dmp.DIFF_DELETE else pos
        if ranges and ranges[-1][1] == pos:  # a replacement: delete then insert at one place
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((pos, end))
        pos = end
    return ranges


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Return whether any range of `a` overlaps or touches any range of `b`."""
    return any(max(s1, s2) <= min(e1, e2) for s1, e1 in a for s2, e2 in b)


def text_at_version(obj: Annotation | Reply, version: int) -> str | None:
    """Return the note (or body) `obj` had at `version`, from its history; None if unknown."""
    field = "note" if isinstance(obj, Annotation) else "body"
    target = "annotation" if isinstance(obj, Annotation) else "reply"
    for state in (
        HistoryEntry.objects.filter(target_type=target, target_id=obj.pk)
        .order_by("-id")
        .values_list("after", flat=True)
    ):
        if state and state.get("version") == version:
            return state.get(field)
    return None


def conflict_for(*, current: Annotation | Reply, mine: str, version: int) -> Conflict:
    """Return what the conflict view shows for an edit of `current` made from `version`."""
    field = "note" if isinstance(current, Annotation) else "body"
    theirs = getattr(current, field)
    base = text_at_version(current, version)
    last = (
        HistoryEntry.objects.filter(
            target_type="annotation" if field == "note" else "reply", target_id=current.pk
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return Conflict(
        current=current,
        theirs=theirs,
        mine=mine,
        base=base,
        merge=merge_texts(base=base, mine=mine, theirs=theirs),
        field=field,
        saved_by=last.actor if last else None,
    )


def conflict_response(
    request: HtmxHttpRequest,
    *,
    template: str,
    current: Annotation | Reply,
    mine: str,
    version: int,
    **context,
) -> HttpResponse:
    """Answer an edit of `current` made from `version` that lost a race, with status 409.

    `template` is the editor's page; htmx gets its `conflict` partial, which includes
    annotations/includes/_conflict.html with `context` (action_url, cancel_url, swap_target...).
    409 for htmx too: base.html's htmx-config swaps it in like a 200.
    """
    context["conflict"] = conflict_for(current=current, mine=mine, version=version)
    return render(request, template + ("#conflict" if request.htmx else ""), context, status=409)

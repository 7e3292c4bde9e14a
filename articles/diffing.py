"""Word-by-word differences between two texts of an article.

The diff is computed paragraph by paragraph first (each line becomes one character, the
diff-match-patch "line mode" trick), and only runs of changed paragraphs are compared again
word by word (each word, run of white space or punctuation mark becomes one character). That
keeps a 10,000-word article with a few edits to milliseconds, where a character diff of the
whole text would take seconds, and it never splits a word in two.

A diff is a list of (op, text) pairs with op DELETE (-1), EQUAL (0) or INSERT (1); joining the
texts of the EQUAL and DELETE pairs gives the old text, of EQUAL and INSERT pairs the new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

DELETE, EQUAL, INSERT = -1, 0, 1
PARAGRAPH_BREAK = "\n\n"
# A word, a run of white space, or one other character (punctuation, symbols).
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
OP_NAMES = {DELETE: "delete", EQUAL: "equal", INSERT: "insert"}

Diff = list[tuple[int, str]]


def _engine(timeout: float) -> diff_match_patch:
    dmp = diff_match_patch()
    # Past the timeout diff-match-patch returns a valid but coarser diff, never a wrong one.
    dmp.Diff_Timeout = timeout
    return dmp


def _diff_units(dmp: diff_match_patch, old: list[str], new: list[str], *, readable: bool) -> Diff:
    """Return the diff of two sequences of units (words or paragraphs), each unit one character.

    diff-match-patch compares characters: giving each distinct unit a character of its own
    makes it compare units, and never cut one in two.
    """
    units: list[str] = []
    codes: dict[str, str] = {}

    def encode(sequence: list[str]) -> str:
        out = []
        for unit in sequence:
            code = codes.get(unit)
            if code is None:
                units.append(unit)
                # Code 0 is avoided as diff-match-patch does: some tools choke on NUL.
                code = codes[unit] = chr(len(units))
            out.append(code)
        return "".join(out)

    diffs = dmp.diff_main(encode(old), encode(new), False)
    if readable:
        # Fold small shared words between changes into the change ("<del>a b c</del>" rather
        # than "<del>a</del> b <del>c</del>"); done on unit codes so no word is cut.
        dmp.diff_cleanupSemantic(diffs)
    return [(op, "".join(units[ord(c) - 1] for c in data)) for op, data in diffs]


def _word_diff(dmp: diff_match_patch, old: str, new: str, *, readable: bool) -> Diff:
    """Return the diff of two stretches of text, compared as sequences of words."""
    return _diff_units(dmp, _TOKEN.findall(old), _TOKEN.findall(new), readable=readable)


def _paragraphs(text: str) -> list[str]:
    """Split text into paragraphs, each keeping the break that follows it."""
    parts = text.split(PARAGRAPH_BREAK)
    return [part + PARAGRAPH_BREAK for part in parts[:-1]] + [parts[-1]]


def _paragraph_diff(dmp: diff_match_patch, old: str, new: str) -> Diff:
    """Return the diff of two texts compared as sequences of whole paragraphs.

    A paragraph carries its break: with breaks as items of their own, every break would
    match every other one and the diff could pair unrelated paragraphs around them.
    """
    return _diff_units(dmp, _paragraphs(old), _paragraphs(new), readable=False)


def diff_words(old: str, new: str, *, readable: bool = False, timeout: float = 2.0) -> Diff:
    """Return the word-level diff of old → new.

    readable=True merges small unchanged fragments into the surrounding changes, for people;
    re-anchoring wants the exact, unmerged diff.
    """
    dmp = _engine(timeout)
    by_paragraph = _paragraph_diff(dmp, old, new)

    result: Diff = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and inserted:
            result.extend(_word_diff(dmp, "".join(deleted), "".join(inserted), readable=readable))
        elif deleted:
            result.append((DELETE, "".join(deleted)))
        elif inserted:
            result.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in by_paragraph:
        if op == EQUAL:
            flush()
            result.append((EQUAL, text))
        elif op == DELETE:
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return _merge(result)


def _merge(diffs: Diff) -> Diff:
    """Join neighbouring pieces of the same kind, deletions before insertions.

    (diff-match-patch's diff_cleanupMerge would also pull shared letters out of a changed
    word pair, "march|protest" + "ers", which is exactly the word-splitting to avoid.)
    """
    merged: Diff = []
    deleted, inserted = [], []
    for op, text in [*diffs, (EQUAL, "")]:
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            if deleted:
                merged.append((DELETE, "".join(deleted)))
            if inserted:
                merged.append((INSERT, "".join(inserted)))
            deleted, inserted = [], []
            if merged and merged[-1][0] == EQUAL:
                merged[-1] = (EQUAL, merged[-1][1] + text)
            elif text:
                merged.append((EQUAL, text))
    return [(op, text) for op, text in merged if text]


@dataclass(frozen=True)
class DiffParagraph:
    """One paragraph of a rendered diff: its pieces, and whether it is wholly new or gone."""

    pieces: tuple[tuple[str, str], ...]  # (op name, text)

    @property
    def status(self) -> str:
        ops = {op for op, _ in self.pieces}
        return ops.pop() if len(ops) == 1 else "changed"


def diff_paragraphs(diffs: Diff) -> list[DiffParagraph]:
    """Split a diff into paragraphs at every paragraph break of either text."""
    paragraphs: list[DiffParagraph] = []
    current: list[tuple[str, str]] = []
    for op, text in diffs:
        parts = text.split(PARAGRAPH_BREAK)
        for i, part in enumerate(parts):
            if i:
                if current:
                    paragraphs.append(DiffParagraph(tuple(current)))
                current = []
            if part:
                current.append((OP_NAMES[op], part))
    if current:
        paragraphs.append(DiffParagraph(tuple(current)))
    return paragraphs


def diff_stats(diffs: Diff) -> dict[str, int]:
    """Return how many words the diff inserts and deletes."""
    counts = {"inserted": 0, "deleted": 0}
    for op, text in diffs:
        if op == INSERT:
            counts["inserted"] += len(text.split())
        elif op == DELETE:
            counts["deleted"] += len(text.split())
    return counts

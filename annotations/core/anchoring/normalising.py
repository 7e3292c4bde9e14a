"""White space made one space, on a quote or a whole text, and the way back to its offsets.

A quote selected across a line break or a block boundary ("\\n\\n" in the canonical text) is
often given with a single space: the locator compares both sides with every run of white
space counted as one space, then maps what it found back to the text's own offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

_WHITE_RUN = re.compile(r"\s{2,}")
_WHITE = re.compile(r"\s+")
# What normalising changes: a run, or one white space character that is not a space. Most
# spaces of a text are neither, and replacing each by itself took most of the time.
_WHITE_TO_CHANGE = re.compile(r"\s{2,}|[^\S ]")


def spaced(value: str, *, strip: bool = True) -> str:
    """Return value with every run of white space one space (and none at either end)."""
    if strip or not value.strip():
        return " ".join(value.split())
    return _WHITE.sub(" ", value)


class NormalisedText:
    """A text with each run of white space made one space, and the way back to its offsets."""

    def __init__(self, text: str):
        self.original = text
        self.text = _WHITE_TO_CHANGE.sub(" ", text)
        self._masks: dict[str, int] = {}
        self._reversed_ascii: bytes | None = None
        # Only runs of two or more characters shift the offsets after them.
        self._at: list[int] = []  # normalised offset of each such run's space
        self._from: list[int] = []  # original offset where the run starts
        self._shift: list[int] = []  # original minus normalised offset after the run
        shift = 0
        for run in _WHITE_RUN.finditer(text):
            self._at.append(run.start() - shift)
            self._from.append(run.start())
            shift += len(run.group()) - 1
            self._shift.append(shift)

    def to_original(self, offset: int) -> int:
        """Return the original offset of the normalised character at offset."""
        k = bisect_right(self._at, offset) - 1
        if k < 0:
            return offset
        if offset == self._at[k]:
            return self._from[k]
        return offset + self._shift[k]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end - 1) + 1

    def to_normalised(self, offset: int) -> int:
        """Return the normalised offset nearest to an original offset (for hints)."""
        k = bisect_right(self._from, offset) - 1
        if k < 0:
            return offset
        return max(self._at[k], offset - self._shift[k])

    def mask(self, char: str) -> int:
        """Return the int whose bit i is set where the normalised text has char at offset i."""
        found = self._masks.get(char)
        if found is None:
            found = self._masks[char] = self._mask(char)
        return found

    def _mask(self, char: str) -> int:
        text = self.text
        if char.isascii() and char != "?":
            # One byte per character, every other character a "?": translated to "1" where
            # char is and "0" elsewhere, it is the mask written in binary (reversed: int()
            # reads the highest bit first). C speed, where a loop over the text is not.
            if self._reversed_ascii is None:
                self._reversed_ascii = text.encode("ascii", "replace")[::-1]
            return int(self._reversed_ascii.translate(_only(ord(char))), 2)
        bits = bytearray(len(text) // 8 + 1)
        i = text.find(char)
        while i != -1:
            bits[i >> 3] |= 1 << (i & 7)
            i = text.find(char, i + 1)
        return int.from_bytes(bits, "little")


@lru_cache(maxsize=128)
def _only(code: int) -> bytes:
    """Return the bytes.translate() table that makes the byte `code` "1" and every other "0"."""
    return bytes(0x31 if b == code else 0x30 for b in range(256))


@lru_cache(maxsize=8)
def normalised(text: str) -> NormalisedText:
    """Return text normalised, kept for the next quote placed on the same text."""
    # Re-anchoring places hundreds of quotes on one text: normalise it once.
    return NormalisedText(text)

"""Find a quote's candidates in a normalised text: its occurrences, or the passages near it.

The approximate search finds exactly the passages within a number of edits (Levenshtein) of
the quote, with Myers's bit-parallel computation (1999); matching_ends() says how.
"""

from __future__ import annotations

import sys
from array import array
from itertools import accumulate
from operator import sub

from .normalising import NormalisedText

_WORD_BYTES = array("I").itemsize


def occurrences(text: str, quote: str) -> list[int]:
    """Return every start offset of quote in text (overlapping ones included)."""
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def approximate(
    norm: NormalisedText, quote: str, limit: int, lo: int = 0, hi: int | None = None
) -> list[tuple[int, int, int]]:
    """Return (start, end, errors) of each passage of text[lo:hi] within `limit` edits of quote.

    One per run of neighbouring ends where the errors are fewest locally, started where the
    passage is longest.
    """
    text = norm.text
    lo, hi = max(0, lo), len(text) if hi is None else min(hi, len(text))
    found: dict[tuple[int, int], int] = {}
    reversed_peq = peq(quote[::-1])
    run: list[tuple[int, int]] = []
    for end, errors in matching_ends(norm, quote, lo, hi, limit):
        if run and end != run[-1][0] + 1:
            found.update(_valleys(text, quote, reversed_peq, run))
            run = []
        run.append((end, errors))
    found.update(_valleys(text, quote, reversed_peq, run))
    return [(start, end, errors) for (start, end), errors in found.items()]


def matching_ends(
    norm: NormalisedText, quote: str, lo: int, hi: int, limit: int
) -> list[tuple[int, int]]:
    """Return (end, edits) for each end in text[lo:hi] where the quote matches within limit edits.

    The same as list(ends(text, peq(quote), len(quote), lo, hi, limit)), computed the other
    way round: Myers's bit vectors hold a column of the edit-distance table along the text (bit
    i for text[lo + i]) and take one step per quote character, each a few operations on
    integers as long as the text, which Python does at C speed. A match may start anywhere in
    text[lo:hi] (the table's first column is all 0) and must take the whole quote (its first
    row counts up), so the last column holds, for each end, the fewest edits of any passage
    ending there.
    """
    n = hi - lo
    if n <= 0:
        return []
    full = (1 << n) - 1
    if n == len(norm.text):
        masks = {char: norm.mask(char) for char in set(quote)}
    else:
        masks = {char: (norm.mask(char) >> lo) & full for char in set(quote)}
    # pv/mv: where the edits go up/down by one from a row to the next. Bits past n are left
    # to pile up (no operation carries them down) and are cut off once, at the end.
    pv = mv = 0
    for char in quote:
        eq = masks[char]
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ((xh | pv) ^ full)
        mh = pv & xh
        ph = (ph << 1) | 1
        mh <<= 1
        pv = mh | ((xv | ph) ^ full)
        mv = ph & xv
    return _low_ends(pv & full, mv & full, n, len(quote), limit, lo)


def _low_ends(pv: int, mv: int, n: int, top: int, limit: int, lo: int) -> list[tuple[int, int]]:
    """Return (lo + row, value) for each row 1..n where top + the steps up to it <= limit.

    Word by word, a word whose value at its start less its steps down is above limit is
    skipped; only the others are read bit by bit.
    """
    bits = 8 * _WORD_BYTES
    size = (n + bits - 1) // bits * _WORD_BYTES
    ups, downs = array("I", pv.to_bytes(size, "little")), array("I", mv.to_bytes(size, "little"))
    if sys.byteorder == "big":
        ups.byteswap()
        downs.byteswap()
    lost = list(map(int.bit_count, downs))
    at = list(accumulate(map(sub, map(int.bit_count, ups), lost), initial=top))
    maybe = bytes(map(limit.__ge__, map(sub, at, lost)))
    found = []
    word = maybe.find(1)
    while word != -1:
        value, up, down, base = at[word], ups[word], downs[word], bits * word
        for bit in range(min(bits, n - base)):
            value += (up >> bit & 1) - (down >> bit & 1)
            if value <= limit:
                found.append((lo + base + bit + 1, value))
        word = maybe.find(1, word + 1)
    return found


def _valleys(
    text: str, quote: str, reversed_peq: dict[str, int], run: list[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """Return the spans ending where a run of matching ends has fewest errors locally."""
    spans = {}
    for i, (end, errors) in enumerate(run):
        if (i and run[i - 1][1] < errors) or (i + 1 < len(run) and run[i + 1][1] < errors):
            continue
        start = _longest_start(text, len(quote), reversed_peq, end, errors)
        while start < end and text[start] == " " != quote[0]:
            start += 1
        while end > start and text[end - 1] == " " != quote[-1]:
            end -= 1
        if end > start:
            spans[(start, end)] = min(errors, spans.get((start, end), errors))
    return spans


def peq(pattern: str) -> dict[str, int]:
    """Return, for each character of pattern, the int with a bit set where it stands."""
    found: dict[str, int] = {}
    for i, char in enumerate(pattern):
        found[char] = found.get(char, 0) | (1 << i)
    return found


def ends(text: str, peq: dict[str, int], m: int, lo: int, hi: int, limit: int, *, anchored=False):
    """Yield (end, edits) for each end in text[lo:hi] where a pattern matches within limit edits.

    Myers's bit-vector algorithm (1999) on Python integers, one bit per pattern character (peq:
    the bits of each character, m: the pattern's length). The match may start anywhere, unless
    `anchored`: then it starts at lo.
    """
    peq = peq.get
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    carry = 1 if anchored else 0
    for j in range(lo, hi):
        eq = peq(text[j], 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= limit:
            yield j + 1, score


def _longest_start(text: str, m: int, reversed_peq: dict[str, int], end: int, errors: int) -> int:
    """Return the smallest start such that text[start:end] is `errors` edits from the quote."""
    lo = max(0, end - m - errors)
    window = text[lo:end][::-1]
    best = end
    for size, edits in ends(window, reversed_peq, m, 0, len(window), errors, anchored=True):
        if edits <= errors:
            best = end - size
    return best

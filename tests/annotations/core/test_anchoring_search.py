"""The approximate search under the locator: every end within the error limit, with its edits."""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.core.anchoring import anchor_quote
from annotations.core.anchoring.normalising import NormalisedText
from annotations.core.anchoring.searching import ends, matching_ends, peq

# ASCII, the "?" that stands for every other character in the ASCII fast path, characters
# that are not ASCII (one of them outside the BMP) and white space of several kinds.
ALPHABET = "ab c?é’日🙂\n\u00a0"


def fewest_edits_by_end(text: str, quote: str, lo: int, hi: int) -> dict[int, int]:
    """Return {end: fewest edits of quote to a passage of text[lo:hi] ending there}.

    The textbook dynamic programme, one column per character of the text: a passage may start
    anywhere (row 0 is 0), and must take the whole quote (the last row is read).
    """
    column = list(range(len(quote) + 1))
    found = {}
    for j in range(lo, hi):
        previous, column = column, [0]
        for i, char in enumerate(quote, 1):
            column.append(
                min(previous[i] + 1, column[i - 1] + 1, previous[i - 1] + (char != text[j]))
            )
        found[j + 1] = column[-1]
    return found


@st.composite
def searches(draw):
    text = draw(st.text(st.sampled_from(ALPHABET), max_size=150))
    norm = NormalisedText(text)
    quote = draw(st.text(st.sampled_from(ALPHABET), min_size=1, max_size=12))
    lo = draw(st.integers(0, len(norm.text)))
    hi = draw(st.integers(lo, len(norm.text)))
    limit = draw(st.integers(0, len(quote)))
    return norm, quote, lo, hi, limit


@settings(
    max_examples=int(os.environ.get("ANCHORING_EXAMPLES", 300)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(searches())
def test_every_end_within_the_limit_is_found_with_its_fewest_edits(search):
    norm, quote, lo, hi, limit = search
    expected = [
        (end, edits)
        for end, edits in fewest_edits_by_end(norm.text, quote, lo, hi).items()
        if edits <= limit
    ]
    assert matching_ends(norm, quote, lo, hi, limit) == expected
    # The same as the classic scan along the text (the one the anchoring bench's port uses).
    assert list(ends(norm.text, peq(quote), len(quote), lo, hi, limit)) == expected


def test_long_texts_span_many_words_and_ends_at_every_bit_of_a_word_are_found():
    rnd = random.Random(3)
    text = "".join(rnd.choice("ab ?é") for _ in range(3000))
    norm = NormalisedText(text)
    size = len(norm.text)
    for quote, limit, lo, hi in [
        ("ab?é", 2, 0, size),
        ("a?éb", 2, 31, size - 30),
        ("é b", 1, 64, 129),
    ]:
        expected = [
            (end, edits)
            for end, edits in fewest_edits_by_end(norm.text, quote, lo, hi).items()
            if edits <= limit
        ]
        # Dense enough that some end falls on each bit of a 64-bit word.
        assert len({(end - lo) % 64 for end, _ in expected}) == 64 or hi - lo < 100
        assert matching_ends(norm, quote, lo, hi, limit) == expected


def test_each_character_mask_marks_exactly_where_it_is():
    text = "a?b é’a 日?🙂\u00a0a"
    norm = NormalisedText(text)
    for char in set(norm.text) | {"z", "ü"}:
        where = {i for i, c in enumerate(norm.text) if c == char}
        mask = norm.mask(char)
        assert {i for i in range(mask.bit_length()) if mask >> i & 1} == where


def test_a_misspelt_quote_in_a_long_text_is_placed_and_one_not_there_is_refused():
    rnd = random.Random(8)
    words = ["".join(rnd.choices("kalomitarensovupe", k=rnd.randint(2, 8))) for _ in range(400)]
    text = " ".join(rnd.choices(words, k=30_000))
    start = text.index(" ", 100_000) + 1
    end = text.index(" ", start + 60)
    passage = text[start:end]
    misspelt = passage[:10] + passage[11:30] + "x" + passage[30:]
    prefix, suffix = text[start - 32 : start], text[end : end + 32]
    found = anchor_quote(text, exact=misspelt, prefix=prefix, suffix=suffix, fuzzy=True)
    assert found.placement is not None
    assert (found.placement.start, found.placement.end, found.placement.method) == (
        start,
        end,
        "fuzzy",
    )
    absent = anchor_quote(text, exact="The minister resigned on Tuesday.", fuzzy=True)
    assert absent.placement is None
    assert absent.reason == "nothing in the article is close enough to the quote"

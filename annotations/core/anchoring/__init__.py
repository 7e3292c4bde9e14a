"""Place a W3C text-quote/position selector pair onto an article's canonical plain text.

The one locator of Claimlens: the reader, the API, imports and re-anchoring all call locate().
It works as the Hypothesis client's matchQuote does, and goes further where that fails:

1. The quote at the given offsets, letter for letter, is taken as it is ("exact").
2. Otherwise every occurrence of the quote is a candidate, compared with white space
   normalised on both sides (every run of white space counts as one space), so a quote
   selected across a line break or a block boundary ("\\n\\n" in the canonical text) given
   with a single space is found. With no occurrence, and only when the caller allows it (an
   article revised, the API, an import), the passages within max_errors(quote) edits of it
   are the candidates: found exactly by a bit-parallel (Myers) computation turned on its side,
   the text's characters as the bits and one step per quote character, each step a few
   operations on integers as long as the text that Python does at C speed.
3. Each candidate is scored on how alike the quote, the prefix and the suffix are, with
   Hypothesis's weights (quote 50, prefix 20, suffix 20, nearness to the given offset 2 as a
   tie-breaker). The space that joins a prefix or suffix to the quote is ignored, since
   Hypothesis clients leave it out, so context still tells repeated quotes apart.
4. An approximate placement must pass a threshold, else it is refused with a reason: a quote
   that is not in the text is not placed, however long.

One module a job: locating (the steps above), normalising (white space, and the way back to
the text's offsets), searching (occurrences and the approximate search) and scoring (the
weights and thresholds). Import the locator's names from here.
"""

from .locating import (
    CONTEXT_CHARS,
    Anchoring,
    Placement,
    QuoteSelector,
    anchor_quote,
    context_of,
    locate,
    locate_fuzzy,
)
from .normalising import spaced
from .scoring import (
    CONTEXT_SLACK,
    FUZZY_MAX_ERROR_RATE,
    FUZZY_MIN_CONTEXT,
    FUZZY_MIN_QUOTE,
    FUZZY_MIN_SCORE,
    FUZZY_MIN_SIMILARITY,
    POSITION_WEIGHT,
    PREFIX_WEIGHT,
    QUOTE_WEIGHT,
    SUFFIX_WEIGHT,
    max_errors,
    similarity,
)
from .searching import occurrences

__all__ = [
    "CONTEXT_CHARS",
    "CONTEXT_SLACK",
    "FUZZY_MAX_ERROR_RATE",
    "FUZZY_MIN_CONTEXT",
    "FUZZY_MIN_QUOTE",
    "FUZZY_MIN_SCORE",
    "FUZZY_MIN_SIMILARITY",
    "POSITION_WEIGHT",
    "PREFIX_WEIGHT",
    "QUOTE_WEIGHT",
    "SUFFIX_WEIGHT",
    "Anchoring",
    "Placement",
    "QuoteSelector",
    "anchor_quote",
    "context_of",
    "locate",
    "locate_fuzzy",
    "max_errors",
    "occurrences",
    "similarity",
    "spaced",
]

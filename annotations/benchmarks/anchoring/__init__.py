"""Anchoring quotes: Claimlens's locator against a port of the Hypothesis client's matchQuote.

An adversarial corpus (corpus.py) is placed by both locators; each answer is counted as
placed correctly, misplaced (a wrong place, or any place for a quote that is not in the text)
or refused. Each case is then put in a 100 KB text to time one anchor (comparison.py). The
port (hypothesis_port.py) follows the Hypothesis client's match-quote.ts.
"""

from .comparison import bench_anchoring, claimlens_anchor, compare, judge, timings
from .corpus import Case, corpus
from .hypothesis_port import hypothesis_anchor, hypothesis_match_quote

__all__ = [
    "Case",
    "bench_anchoring",
    "claimlens_anchor",
    "compare",
    "corpus",
    "hypothesis_anchor",
    "hypothesis_match_quote",
    "judge",
    "timings",
]

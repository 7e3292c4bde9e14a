"""Place the corpus with both locators, judge each answer and time one anchor in a big text."""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter

from annotations.core.anchoring import locate

from .corpus import SENTENCES, Case, corpus
from .hypothesis_port import hypothesis_anchor

BIG_TEXT_CHARS = 100_000


def claimlens_anchor(text: str, case: Case) -> tuple[int, int] | None:
    """Place a case with core.anchoring.locate, approximately if need be (as the API)."""
    found = locate(
        text,
        exact=case.exact,
        prefix=case.prefix,
        suffix=case.suffix,
        start=case.start,
        end=case.end,
        fuzzy=True,
    )
    return None if found is None else (found.start, found.end)


def judge(case: Case, placed: tuple[int, int] | None) -> str:
    """Return "correct", "misplaced" or "refused"."""
    if placed is None:
        return "refused"
    if case.expected is None:
        return "misplaced"
    (start, end), (want_start, want_end) = placed, case.expected
    close = abs(start - want_start) <= case.slack and abs(end - want_end) <= case.slack
    return "correct" if close else "misplaced"


def compare(cases: list[Case]) -> dict[str, dict[str, str]]:
    """Return {tool: {case index: verdict}} for both locators."""
    tools = {"claimlens": claimlens_anchor, "hypothesis port": hypothesis_anchor}
    return {
        name: {i: judge(case, tool(case.text, case)) for i, case in enumerate(cases)}
        for name, tool in tools.items()
    }


def _filler(rnd: random.Random, size: int) -> str:
    """Return made-up words, paragraph by paragraph, that no case's quote is like."""
    syllables = ["ka", "lo", "mi", "ta", "ren", "so", "vu", "pe", "dan", "ri", "zo", "bel"]
    words = ["".join(rnd.choices(syllables, k=rnd.randint(1, 4))) for _ in range(500)]
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rnd.choices(words, k=rnd.randint(30, 90))).capitalize() + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size].rstrip() + "\n\n"


def timings(cases: list[Case], *, size: int = BIG_TEXT_CHARS) -> dict[str, list[float]]:
    """Return the seconds each locator took per case, each case inside a text of `size`.

    "claimlens (first)" is the first anchor on a text (ours normalises its white space once
    per text, then keeps it); "claimlens" the next, as when many anchors go on one article.
    """
    rnd = random.Random(5)
    big = []
    for case in cases:
        half = max(0, (size - len(case.text)) // 2)
        big.append(case.shifted(_filler(rnd, half), "\n\n" + _filler(rnd, half)))
    tools = (
        ("claimlens (first)", claimlens_anchor),
        ("claimlens", claimlens_anchor),
        ("hypothesis port", hypothesis_anchor),
    )
    spent: dict[str, list[float]] = {name: [] for name, _ in tools}
    for case in big:
        for name, tool in tools:
            began = time.perf_counter()
            tool(case.text, case)
            spent[name].append(time.perf_counter() - began)
    return spent


def bench_anchoring(ctx, *, rounds: int = 3, timed: int | None = None):
    """Place an adversarial corpus with ours and a port of Hypothesis's matchQuote."""
    cases = corpus(rounds=rounds)
    results = compare(cases)
    ctx.out(f"{len(cases)} cases in {len(SENTENCES)} languages/scripts")
    for name, verdicts in results.items():
        counts = Counter(verdicts.values())
        ctx.out(
            f"  {name:<16} placed correctly {counts['correct']:>3}, "
            f"misplaced {counts['misplaced']:>3}, refused {counts['refused']:>3}"
        )
    kinds = sorted({case.kind for case in cases})
    ctx.out("  by kind (correct / misplaced / refused), claimlens | hypothesis port:")
    for kind in kinds:
        indexes = [i for i, case in enumerate(cases) if case.kind == kind]
        row = []
        for name in results:
            counts = Counter(results[name][i] for i in indexes)
            row.append(f"{counts['correct']}/{counts['misplaced']}/{counts['refused']}")
        ctx.out(f"    {kind:<48} {row[0]:>9} | {row[1]}")
    sample = cases if timed is None else cases[:timed]
    spent = timings(sample)
    ctx.out(f"  time per anchor, each case inside a {BIG_TEXT_CHARS // 1000} KB text:")
    for name, values in spent.items():
        ctx.out(
            f"    {name:<18} median "
            f"{statistics.median(values) * 1000:.2f} ms, mean {statistics.mean(values) * 1000:.2f}"
            f" ms, worst {max(values) * 1000:.1f} ms ({len(values)} anchors)"
        )
    return {"results": results, "timings": spent}

"""The adversarial anchoring corpus: ours against the port of Hypothesis's matchQuote."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from annotations.benchmarks.anchoring import (
    Case,
    bench_anchoring,
    compare,
    corpus,
    hypothesis_match_quote,
    judge,
)


def test_ours_places_every_case_the_port_places_and_misplaces_none():
    cases = corpus()
    results = compare(cases)
    ours, port = results["claimlens"], results["hypothesis port"]
    missed = [cases[i].kind for i, verdict in port.items() if verdict == "correct" != ours[i]]
    assert missed == []
    assert [cases[i].kind for i, verdict in ours.items() if verdict == "misplaced"] == []
    # Every quote that is there is placed; every quote that is not is refused.
    assert all(
        (ours[i] == "correct") == (case.expected is not None) for i, case in enumerate(cases)
    )
    # The corpus is adversarial: the port gets some of it wrong.
    assert Counter(port.values())["misplaced"] > 0
    kinds = {cases[i].kind for i, verdict in port.items() if verdict == "misplaced"}
    assert {
        "across a line break, and on one line elsewhere",
        "rewritten beyond recognition",
    } <= kinds


def test_the_port_behaves_as_match_quote():
    text = "one two three. one two four."
    # Exact matches only when there are any; the context picks among them.
    assert hypothesis_match_quote(text, "one two", suffix=" four")[:2] == (15, 22)
    # No exact match: the passages with the fewest errors, the longest of them.
    start, end, score = hypothesis_match_quote(text, "one twoo")
    assert (start, end) == (0, 7) and score < 1
    assert hypothesis_match_quote(text, "") is None
    assert hypothesis_match_quote(text, "zzzzzzzz") is None  # 8 errors > 8 / 2


def test_a_placement_is_judged_by_its_span():
    case = Case("k", "en", "abc abc", "abc", "", "", (4, 7), slack=1)
    assert judge(case, (4, 7)) == judge(case, (3, 8)) == "correct"
    assert judge(case, (0, 3)) == "misplaced"
    assert judge(case, None) == "refused"
    absent = Case("k", "en", "abc", "xyz", "", "", None)
    assert (judge(absent, (0, 3)), judge(absent, None)) == ("misplaced", "refused")


def test_the_bench_runs_small():
    lines = []
    figures = bench_anchoring(SimpleNamespace(out=lines.append), rounds=1, timed=2)
    assert lines[0].endswith("cases in 6 languages/scripts")
    assert any(
        line.strip().startswith("claimlens ") and "placed correctly" in line for line in lines
    )
    assert any("hypothesis port" in line and "median" in line for line in lines)
    assert set(figures["timings"]) == {"claimlens (first)", "claimlens", "hypothesis port"}
    assert all(len(values) == 2 for values in figures["timings"].values())

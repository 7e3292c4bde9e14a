"""The evaluation corpus keeps the extractor honest: the figures `make bench` prints."""

import pytest

from annotations.suggestions.evaluation import CORPUS, HELD_OUT, evaluate, load
from annotations.suggestions.evaluation.demo import demo_golds


def test_the_corpus_has_80_quotes_in_several_conventions_and_hard_negatives():
    golds = [load(p) for p in sorted(CORPUS.glob("*.txt"))]
    assert sum(len(g.quotes) for g in golds) >= 80
    assert sum(len(g.negatives) for g in golds) >= 10
    marks = "".join(g.text for g in golds)
    # Curly and straight doubles, British singles, guillemets both ways, German low marks.
    assert all(mark in marks for mark in ("“", '"', " '", "« ", "«", "»D", "„"))


@pytest.mark.parametrize("which", ["corpus", "demo"])
def test_the_extractor_keeps_its_figures(which):
    golds = None if which == "corpus" else demo_golds()
    figures = evaluate(golds=golds)
    assert figures["precision"] >= 0.95
    assert figures["speaker_accuracy"] >= 0.85
    assert figures["negatives_suggested"] == 0
    assert figures["recall"] >= 0.90


def test_on_the_held_out_articles_what_it_suggests_is_still_right():
    # Written before the last round of rules and never tuned on (the earlier held-out set is
    # in the corpus now). Measured on 2026-12-05: precision 0.947 (18 of 19), recall 0.90,
    # speaker accuracy 0.556. A guard against losing that, not the targets, which the
    # corpus holds.
    figures = evaluate(sorted(HELD_OUT.glob("*.txt")))
    assert figures["gold_quotes"] >= 15
    assert figures["precision"] >= 0.9 and figures["negatives_suggested"] == 0
    assert figures["recall"] >= 0.85

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
    # Set H: twelve articles (en-GB, en-US, en-AU, en-ZA, en-SG, an English long read with an
    # interview, es-ES, es-MX, fr, de, it, pt-BR; 169 statements, 39 hard negatives) written
    # blind by someone who never saw the rules or the corpus, measured once on 2026-12-06
    # after the tuning round on set G (now corpus 78-89): precision 0.958, recall 0.811,
    # speaker accuracy 0.869, 1 hard negative suggested (the rules before that round: 0.957,
    # 0.799, 0.867, 1). Short of the recall target: a guard against losing ground, not a
    # claim. Never tune on these; when they are used for tuning, they join the corpus and new
    # blind articles replace them.
    figures = evaluate(sorted(HELD_OUT.glob("*.txt")))
    assert figures["gold_quotes"] >= 169
    assert figures["precision"] >= 0.95 and figures["negatives_suggested"] <= 1
    assert figures["recall"] >= 0.80
    assert figures["speaker_accuracy"] >= 0.86

"""Krippendorff's alpha and percentage agreement, checked against values worked out by hand."""

from fractions import Fraction

import pytest

from annotations.collab.agreement import (
    coincidences,
    krippendorff_alpha_nominal,
    measure,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders,
# 12 units, nominal data with missing values ("." = no value).
CODERS = {
    "A": "1 2 3 3 2 1 4 1 2 . . .",
    "B": "1 2 3 3 2 2 4 1 2 5 . 3",
    "C": ". 3 3 3 2 3 4 2 2 5 1 .",
    "D": "1 2 3 3 2 4 4 1 2 5 1 .",
}


def worked_example() -> list[list[str]]:
    rows = {coder: values.split() for coder, values in CODERS.items()}
    return [[rows[c][u] for c in rows if rows[c][u] != "."] for u in range(12)]


def test_krippendorff_worked_example_nominal_alpha_is_0_743():
    alpha = krippendorff_alpha_nominal(worked_example())
    assert round(alpha, 3) == 0.743


def test_worked_example_coincidences_match_the_paper():
    # The paper's marginals: n1=9, n2=13, n3=10, n4=5, n5=3, n=40; unit 12 (one value) drops out.
    matrix = coincidences(worked_example())
    totals = {}
    for (c, _k), w in matrix.items():
        totals[c] = totals.get(c, 0) + w
    assert totals == {"1": 9, "2": 13, "3": 10, "4": 5, "5": 3}
    assert matrix[("1", "1")] == 7
    assert matrix[("2", "3")] == Fraction(4, 3)  # units 2 and 6: 1 + 1/3
    # Exactly: 1 - (n-1) * Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 - 39 * 8 / (40² - 384) = 0.7434...
    assert krippendorff_alpha_nominal(worked_example()) == pytest.approx(1 - 39 * 8 / 1216)


def test_small_fixture_by_hand():
    # Units: (a, a), (a, b), (b, b). Pairs per unit: 1 each; agreeing pairs: 1, 0, 1.
    # Percentage agreement = 2/3. Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 2;
    # n_a = n_b = 3, n = 6; alpha = 1 - 5 * 2 / (6*6 - 9 - 9) = 1 - 10/18 = 4/9.
    units = [["a", "a"], ["a", "b"], ["b", "b"]]
    assert percent_agreement(units) == pytest.approx(200 / 3)
    assert krippendorff_alpha_nominal(units) == pytest.approx(4 / 9)


def test_three_coders_percentage_counts_pairs_within_units():
    # Unit 1: (x, x, y): 3 pairs, 1 agrees. Unit 2: (x, x): 1 pair, agrees. 2 of 4 pairs = 50%.
    assert percent_agreement([["x", "x", "y"], ["x", "x"]]) == pytest.approx(50.0)


def test_units_with_one_value_are_not_pairable():
    assert percent_agreement([["a"], ["b"]]) is None
    assert krippendorff_alpha_nominal([["a"], ["b"], []]) is None
    # Adding lone values does not change the result.
    base = [["a", "a"], ["a", "b"], ["b", "b"]]
    assert krippendorff_alpha_nominal(base + [["a"], ["c"]]) == krippendorff_alpha_nominal(base)


def test_alpha_undefined_when_everyone_uses_one_value_and_perfect_agreement_is_1():
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a", "a"]]) is None
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"]]) == 1.0


def test_systematic_disagreement_is_below_zero():
    assert krippendorff_alpha_nominal([["a", "b"], ["b", "a"]]) < 0


def test_measure_takes_unit_to_coder_to_value():
    result = measure({1: {"ann": "a", "bob": "a"}, 2: {"ann": "a", "bob": "b"}, 3: {"ann": "b"}})
    assert (result.units, result.values, result.coders) == (2, 4, 2)
    assert result.percent == pytest.approx(50.0)

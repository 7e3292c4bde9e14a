"""Inter-coder agreement on nominal values: percentage agreement and Krippendorff's alpha.

Data are given as units, each a list of the values its coders gave (missing values simply
left out), e.g. ``[["true", "true", "false"], ["false"], ...]``. A unit with fewer than two
values has no pair of values to compare, so it is left out of both measures.

Krippendorff's alpha (nominal), from the coincidence-matrix definition
("Computing Krippendorff's Alpha-Reliability", 2011):

    o_ck = Σ_u (number of ordered pairs (c, k) of values from different coders in u) / (m_u − 1)
    n_c  = Σ_k o_ck,  n = Σ_c n_c  (the number of pairable values)
    α    = 1 − D_o / D_e = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k

α is undefined (None here) when fewer than two values are pairable or when every pairable
value is the same (no expected disagreement: D_e = 0).

Percentage agreement is the share of agreeing pairs among all pairs of values within units:
Σ_u (pairs in u that agree) / Σ_u m_u (m_u − 1) / 2.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Agreement:
    units: int  # units with at least two values
    values: int  # pairable values (n)
    coders: int  # distinct coders who gave a pairable value, when known
    percent: float | None  # 0..100
    alpha: float | None

    @property
    def pairable(self) -> bool:
        return self.units > 0


def _pairable(units: Iterable[Iterable[Hashable]]) -> list[Counter]:
    counted = (Counter(unit) for unit in units)
    return [c for c in counted if c.total() >= 2]


def coincidences(units: Iterable[Iterable[Hashable]]) -> dict[tuple[Hashable, Hashable], Fraction]:
    """Return the coincidence matrix o_ck of the pairable units, as exact {(c, k): weight}."""
    matrix: dict[tuple[Hashable, Hashable], Fraction] = {}
    for unit in _pairable(units):
        m = unit.total()
        for c, n_c in unit.items():
            for k, n_k in unit.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] = matrix.get((c, k), Fraction(0)) + Fraction(pairs, m - 1)
    return matrix


def krippendorff_alpha_nominal(units: Iterable[Iterable[Hashable]]) -> float | None:
    """Return Krippendorff's alpha for nominal values, or None where it is undefined."""
    matrix = coincidences(units)
    totals: Counter = Counter()
    for (c, _k), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())
    if n < 2:
        return None
    observed = sum(w for (c, k), w in matrix.items() if c != k)
    expected = n * n - sum(n_c * n_c for n_c in totals.values())  # Σ_{c≠k} n_c n_k
    if expected <= 0:
        return None
    return float(1 - (n - 1) * observed / expected)


def percent_agreement(units: Iterable[Iterable[Hashable]]) -> float | None:
    """Return the percentage of agreeing pairs of values within units, or None if none pair."""
    agreeing = total = 0
    for unit in _pairable(units):
        m = unit.total()
        total += m * (m - 1) // 2
        agreeing += sum(n * (n - 1) // 2 for n in unit.values())
    if not total:
        return None
    return 100.0 * agreeing / total


def measure(coded: Mapping[Hashable, Mapping[Hashable, Hashable]]) -> Agreement:
    """Return both measures for {unit: {coder: value}} (a coder missing from a unit is missing)."""
    units = [list(by_coder.values()) for by_coder in coded.values()]
    pairable = [u for u in units if len(u) >= 2]
    coders = {coder for by_coder in coded.values() if len(by_coder) >= 2 for coder in by_coder}
    return Agreement(
        units=len(pairable),
        values=sum(len(u) for u in pairable),
        coders=len(coders),
        percent=percent_agreement(pairable),
        alpha=krippendorff_alpha_nominal(pairable),
    )

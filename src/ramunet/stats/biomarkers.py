"""A translational biomarker against response: Mann-Whitney U and Fisher's exact test.

Both reproduce R's defaults: ``wilcox.test(x, y)`` (exact p-value when both groups have fewer
than 50 values and there are no ties, else the normal approximation with continuity and tie
corrections) and ``fisher.test`` on a 2 x 2 table (two-sided p, conditional maximum-likelihood
odds ratio with its exact interval).

References
----------
.. [1] Mann HB, Whitney DR. On a test of whether one of two random variables is stochastically
   larger than the other. Ann Math Stat 1947;18:50-60.
.. [2] Hollander M, Wolfe DA. Nonparametric Statistical Methods. Wiley 1973, pp. 68-75
   (the method of R's ``wilcox.test``).
.. [3] Fisher RA. On the interpretation of chi-square from contingency tables. J R Stat Soc
   1922;85:87-94; Agresti A. Categorical Data Analysis, 2nd ed. 2002, §3.5 (conditional
   maximum-likelihood odds ratio).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats
from scipy.stats import contingency

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.binomial import check_level

#: R's ``wilcox.test`` uses the exact distribution below this many values per group.
EXACT_BELOW = 50

MannWhitneyMethod = Literal["exact", "normal approximation"]


@dataclass(frozen=True)
class MannWhitneyResult:
    """Mann-Whitney U of the biomarker in responders against non-responders.

    Attributes
    ----------
    responders, non_responders
        The biomarker values of each group.
    statistic
        U (R's ``W``) of the responders: pairs where a responder's value is higher, ties
        counting one half.
    p_value
        Two-sided.
    method
        ``"exact"`` or ``"normal approximation"`` (continuity- and tie-corrected).
    """

    responders: tuple[float, ...]
    non_responders: tuple[float, ...]
    statistic: float
    p_value: float
    method: MannWhitneyMethod


@dataclass(frozen=True)
class FisherResult:
    """Fisher's exact test of a 2 x 2 table ((a, b), (c, d)).

    Rows are biomarker high/low (or any grouping), columns responder/non-responder.

    Attributes
    ----------
    table
        The counts.
    p_value
        Two-sided (tables no more likely than the observed one).
    odds_ratio, lower, upper, level
        Conditional maximum-likelihood odds ratio and its exact interval (R ``fisher.test``).
    """

    table: tuple[tuple[int, int], tuple[int, int]]
    p_value: float
    odds_ratio: float
    lower: float
    upper: float
    level: float


def check_numbers(values: Sequence[float], field: str) -> list[float]:
    """Return ``values`` as floats if each is a finite number, naming ``field[i]`` if not."""
    checked: list[float] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise InvalidInput(f"{field}[{index}]", "must be a number", value)
        if not math.isfinite(float(value)):
            raise InvalidInput(f"{field}[{index}]", "must be a finite number", float(value))
        checked.append(float(value))
    return checked


def check_flags(flags: Sequence[bool], field: str, n: int) -> list[bool]:
    """Return ``n`` yes/no flags (True/1, False/0) as booleans, naming ``field[i]`` if not."""
    if len(flags) != n:
        raise InvalidInput(field, f"has {len(flags)} values but values has {n}; one per patient")
    for index, flag in enumerate(flags):
        if flag not in (True, False, 0, 1) or isinstance(flag, float):
            raise InvalidInput(f"{field}[{index}]", "must be True/1 or False/0", flag)
    return [bool(flag) for flag in flags]


def mann_whitney(values: Sequence[float], responded: Sequence[bool]) -> MannWhitneyResult:
    """Two-sided Mann-Whitney U test of a biomarker between responders and non-responders.

    Parameters
    ----------
    values
        The biomarker value of each patient (finite numbers).
    responded
        Whether each patient responded (True/1) or not (False/0).

    Raises
    ------
    InvalidInput
        A non-number, a length mismatch, or a group without any patient.
    """
    numbers = check_numbers(values, "values")
    flags = check_flags(responded, "responded", len(numbers))
    x = [value for value, flag in zip(numbers, flags, strict=True) if flag]
    y = [value for value, flag in zip(numbers, flags, strict=True) if not flag]
    if not x or not y:
        raise InvalidInput(
            "responded", f"has {len(x)} responders and {len(y)} non-responders; need both"
        )
    exact = len(x) < EXACT_BELOW and len(y) < EXACT_BELOW and len(set(numbers)) == len(numbers)
    result = stats.mannwhitneyu(
        x, y, alternative="two-sided", method="exact" if exact else "asymptotic"
    )
    return MannWhitneyResult(
        responders=tuple(x),
        non_responders=tuple(y),
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        method="exact" if exact else "normal approximation",
    )


def fisher_exact_2x2(
    table: tuple[tuple[int, int], tuple[int, int]], level: float = 0.95
) -> FisherResult:
    """Fisher's exact test and conditional odds ratio of a 2 x 2 table [3]_.

    Raises
    ------
    InvalidInput
        A table that is not 2 x 2, a negative or non-integer count, or a level outside (0, 1).
    """
    confidence = check_level(level)
    rows = list(table)
    if len(rows) != 2 or any(len(row) != 2 for row in rows):
        raise InvalidInput("table", "must be 2 x 2: ((a, b), (c, d))", table)
    for i, row in enumerate(rows):
        for j, count in enumerate(row):
            if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 0:
                raise InvalidInput(f"table[{i}][{j}]", "must be a whole number >= 0", count)
    counts = ((int(rows[0][0]), int(rows[0][1])), (int(rows[1][0]), int(rows[1][1])))
    p_value = float(stats.fisher_exact(counts, alternative="two-sided").pvalue)
    ratio = contingency.odds_ratio(counts, kind="conditional")
    interval = ratio.confidence_interval(confidence_level=confidence)
    return FisherResult(
        table=counts,
        p_value=p_value,
        odds_ratio=float(ratio.statistic),
        lower=float(interval.low),
        upper=float(interval.high),
        level=confidence,
    )


def cross_table(
    marker_high: Sequence[bool], responded: Sequence[bool]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The 2 x 2 table ((high & responder, high & non-responder), (low & ..., low & ...)).

    Raises
    ------
    InvalidInput
        A flag other than True/1 or False/0, or a length mismatch.
    """
    high = check_flags(marker_high, "marker_high", len(marker_high))
    flags = check_flags(responded, "responded", len(high))
    pairs = list(zip(high, flags, strict=True))
    return (
        (pairs.count((True, True)), pairs.count((True, False))),
        (pairs.count((False, True)), pairs.count((False, False))),
    )

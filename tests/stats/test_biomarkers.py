"""Mann-Whitney and Fisher's exact test against R 4.2.2 (summaries_reference.csv, written by
tests/data/survival/make_reference.R: ``wilcox.test`` and ``fisher.test``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.biomarkers import cross_table, fisher_exact_2x2, mann_whitney

DATA = Path(__file__).resolve().parents[1] / "data" / "survival"

RESPONDERS = [12.1, 15.3, 9.8, 20.4, 18.2, 14.7]
NON_RESPONDERS = [8.2, 10.5, 7.9, 11.3, 9.1, 13.0, 6.4]


def split(x: list[float], y: list[float]) -> tuple[list[float], list[int]]:
    return x + y, [1] * len(x) + [0] * len(y)


def test_mann_whitney_without_ties_is_exact_as_in_r():
    result = mann_whitney(*split(RESPONDERS, NON_RESPONDERS))
    # R wilcox.test: W = 38, p = 0.013986013986014 (mw_exact_w, mw_exact_p)
    assert (result.statistic, result.method) == (38.0, "exact")
    assert result.p_value == pytest.approx(0.0139860139860140, abs=1e-12)


def test_mann_whitney_with_ties_uses_corrected_normal_approximation_as_in_r():
    result = mann_whitney(*split([1, 2, 2, 3, 5, 5, 6], [2, 3, 3, 4, 4, 1]))
    # R wilcox.test: W = 24.5, p = 0.663418959280996 (mw_ties_w, mw_ties_p)
    assert (result.statistic, result.method) == (24.5, "normal approximation")
    assert result.p_value == pytest.approx(0.663418959280996, abs=1e-9)


def test_mann_whitney_with_50_in_a_group_uses_normal_approximation_as_in_r():
    with (DATA / "input_mann_whitney_large.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    result = mann_whitney([float(r["value"]) for r in rows], [int(r["responder"]) for r in rows])
    # R wilcox.test (55 vs 40 values): W = 1233, p = 0.3179127461108 (mw_large_w, mw_large_p)
    assert (result.statistic, result.method) == (1233.0, "normal approximation")
    assert result.p_value == pytest.approx(0.317912746110800, abs=1e-9)


def test_mann_whitney_with_49_per_group_and_no_ties_is_exact():
    result = mann_whitney(*split([float(i) for i in range(49)], [i + 0.5 for i in range(49)]))
    assert result.method == "exact"


def test_mann_whitney_with_50_in_a_group_and_no_ties_is_approximate():
    result = mann_whitney(*split([float(i) for i in range(50)], [i + 0.5 for i in range(49)]))
    assert result.method == "normal approximation"


def test_mann_whitney_needs_both_groups():
    with pytest.raises(InvalidInput) as caught:
        mann_whitney([1.0, 2.0], [1, 1])
    assert str(caught.value) == "responded: has 2 responders and 0 non-responders; need both"


def test_mann_whitney_refuses_nan():
    with pytest.raises(InvalidInput) as caught:
        mann_whitney([1.0, float("nan")], [1, 0])
    assert str(caught.value) == "values[1] nan: must be a finite number"


def test_mann_whitney_refuses_length_mismatch():
    with pytest.raises(InvalidInput) as caught:
        mann_whitney([1.0, 2.0], [1])
    assert str(caught.value) == "responded: has 1 values but values has 2; one per patient"


def test_response_flag_must_be_boolean():
    with pytest.raises(InvalidInput) as caught:
        mann_whitney([1.0, 2.0], [1, "yes"])
    assert str(caught.value) == "responded[1] 'yes': must be True/1 or False/0"


def test_fisher_p_value_equals_r():
    result = fisher_exact_2x2(((7, 2), (3, 8)))
    # R fisher.test(matrix(c(7, 3, 2, 8), 2)): p = 0.0697785186949273 (fisher_p)
    assert result.p_value == pytest.approx(0.0697785186949273, abs=1e-12)


def test_fisher_odds_ratio_is_conditional_maximum_likelihood():
    result = fisher_exact_2x2(((7, 2), (3, 8)))
    # Solving E[a | psi] = 7 for the noncentral hypergeometric (brentq, xtol 1e-14) gives
    # 8.153835414504; R fisher.test reports 8.15306260436 because uniroot stops at tolerance
    # 1.2e-4 (fisher_or), so R agrees to 1e-4 only.
    assert result.odds_ratio == pytest.approx(8.153835414504286, abs=1e-9)
    assert result.odds_ratio == pytest.approx(8.15306260435734, rel=1e-3)


def test_fisher_odds_ratio_interval_agrees_with_r():
    result = fisher_exact_2x2(((7, 2), (3, 8)))
    # R: conf.int 0.882117489315815 127.055841830111 (fisher_or_lower/upper; uniroot tolerance)
    assert result.lower == pytest.approx(0.882115186936685, abs=1e-9)  # brentq, xtol 1e-14
    assert result.lower == pytest.approx(0.882117489315815, rel=1e-4)
    assert result.upper == pytest.approx(127.055841830111, rel=1e-3)


def test_fisher_refuses_negative_count():
    with pytest.raises(InvalidInput) as caught:
        fisher_exact_2x2(((7, -2), (3, 8)))
    assert str(caught.value) == "table[0][1] -2: must be a whole number >= 0"


def test_fisher_refuses_a_table_that_is_not_2_by_2():
    with pytest.raises(InvalidInput) as caught:
        fisher_exact_2x2(((7, 2, 1), (3, 8, 1)))  # type: ignore[arg-type]
    assert str(caught.value) == "table ((7, 2, 1), (3, 8, 1)): must be 2 x 2: ((a, b), (c, d))"


def test_cross_table_counts_high_and_low_by_response():
    table = cross_table([True, True, False, False, True], [1, 0, 1, 0, 1])
    assert table == ((2, 1), (1, 1))

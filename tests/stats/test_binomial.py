"""Exact binomial test and proportion intervals for the primary endpoint."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.binomial import (
    clopper_pearson,
    exact_p_value,
    jeffreys,
    primary_analysis,
    wilson,
)
from ramunet.stats.design import ahern

RAMUNET = ahern(0.60, 0.80, 0.05, 0.10)


# --- exact one-sided p-value -------------------------------------------------------------


def test_p_value_of_33_of_45_is_actual_alpha():
    # P(X >= 33 | 45, 0.6) = 0.0446 (PROTOCOL-NOTES "Design figures")
    assert exact_p_value(33, 45, 0.60) == pytest.approx(0.044631, abs=5e-7)


def test_p_value_of_32_of_45_exceeds_alpha():
    assert exact_p_value(32, 45, 0.60) > 0.05


def test_p_value_of_zero_successes_is_one():
    assert exact_p_value(0, 45, 0.60) == 1.0


def test_p_value_of_all_successes_is_p0_to_the_n():
    assert exact_p_value(10, 10, 0.5) == pytest.approx(0.5**10, rel=1e-12)


def test_p_value_matches_exact_rational_tail():
    # P(X >= 33 | 45, 3/5) summed in exact rational arithmetic
    tail = sum(
        comb(45, k) * Fraction(3, 5) ** k * Fraction(2, 5) ** (45 - k) for k in range(33, 46)
    )
    assert exact_p_value(33, 45, 0.6) == pytest.approx(float(tail), rel=1e-12)


# --- Clopper-Pearson -----------------------------------------------------------------------


def test_clopper_pearson_matches_r_binom_test_mendel_example():
    # R documentation of binom.test: binom.test(c(682, 243), p = 3/4),
    # 95 percent confidence interval 0.7076683 0.7654066
    interval = clopper_pearson(682, 925)
    assert interval.lower == pytest.approx(0.7076683, abs=5e-8)
    assert interval.upper == pytest.approx(0.7654066, abs=5e-8)


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # Newcombe RG, Stat Med 1998;17:857-872, Table II, method 5 (exact)
        (81, 263, 0.2527, 0.3676),
        (15, 148, 0.0578, 0.1617),
        (0, 20, 0.0000, 0.1684),
        (1, 29, 0.0009, 0.1776),
    ],
)
def test_clopper_pearson_matches_newcombe_1998(x, n, lower, upper):
    interval = clopper_pearson(x, n)
    assert round(interval.lower, 4) == lower
    assert round(interval.upper, 4) == upper


def test_clopper_pearson_upper_for_zero_successes_is_closed_form():
    # x = 0: upper = 1 - (alpha/2)^(1/n) (Clopper & Pearson 1934)
    assert clopper_pearson(0, 10).upper == pytest.approx(1 - 0.025 ** (1 / 10), rel=1e-10)


def test_clopper_pearson_lower_for_all_successes_is_closed_form():
    # x = n: lower = (alpha/2)^(1/n)
    assert clopper_pearson(10, 10).lower == pytest.approx(0.025 ** (1 / 10), rel=1e-10)


def test_clopper_pearson_lower_is_zero_for_zero_successes():
    assert clopper_pearson(0, 45).lower == 0.0


def test_clopper_pearson_upper_is_one_for_all_successes():
    assert clopper_pearson(45, 45).upper == 1.0


def test_clopper_pearson_90_is_inside_95():
    wide, narrow = clopper_pearson(33, 45, 0.95), clopper_pearson(33, 45, 0.90)
    assert wide.lower < narrow.lower < narrow.upper < wide.upper


def test_clopper_pearson_90_lower_limit_above_p0_iff_exact_test_rejects():
    # the one-sided 95% exact bound (= lower limit of the 90% CP interval) excludes p0
    # exactly when P(X >= x | p0) <= 0.05
    for x in range(0, 46):
        assert (clopper_pearson(x, 45, 0.90).lower > 0.60) == (exact_p_value(x, 45, 0.60) <= 0.05)


# --- Wilson ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # Newcombe RG, Stat Med 1998;17:857-872, Table II, method 3 (score, no correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(x, n, lower, upper):
    interval = wilson(x, n)
    assert round(interval.lower, 4) == lower
    assert round(interval.upper, 4) == upper


def test_wilson_is_symmetric_under_swapping_successes_and_failures():
    left, right = wilson(12, 45), wilson(33, 45)
    assert left.lower == pytest.approx(1 - right.upper, abs=1e-12)
    assert left.upper == pytest.approx(1 - right.lower, abs=1e-12)


# --- Jeffreys --------------------------------------------------------------------------------


def test_jeffreys_limits_are_beta_half_quantiles():
    # Brown, Cai & DasGupta 2001, Section 4.1.2: Beta(x + 1/2, n - x + 1/2) quantiles
    interval = jeffreys(33, 45)
    assert interval.lower == pytest.approx(stats.beta.ppf(0.025, 33.5, 12.5), rel=1e-12)
    assert interval.upper == pytest.approx(stats.beta.ppf(0.975, 33.5, 12.5), rel=1e-12)


def test_jeffreys_lower_is_zero_for_zero_successes():
    # Brown, Cai & DasGupta 2001, Section 4.1.2 modification at x = 0
    assert jeffreys(0, 20).lower == 0.0


def test_jeffreys_upper_is_one_for_all_successes():
    assert jeffreys(20, 20).upper == 1.0


def test_jeffreys_upper_for_zero_successes_is_the_beta_quantile():
    assert jeffreys(0, 20).upper == pytest.approx(stats.beta.ppf(0.975, 0.5, 20.5), rel=1e-12)


def test_jeffreys_is_inside_clopper_pearson_for_ramunet_result():
    exact, bayes = clopper_pearson(33, 45), jeffreys(33, 45)
    assert exact.lower < bayes.lower < bayes.upper < exact.upper


# --- interval helpers --------------------------------------------------------------------------


def test_interval_contains_its_estimate():
    assert clopper_pearson(33, 45).contains(33 / 45)


def test_interval_does_not_contain_a_rate_outside():
    assert not clopper_pearson(33, 45).contains(0.5)


def test_interval_as_percent():
    assert wilson(0, 20).as_percent() == "0.0% to 16.1%"


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [clopper_pearson, wilson, jeffreys])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((46, 45), "x 46: must not exceed n = 45"),
        ((-1, 45), "x -1: must not be negative"),
        ((0, 0), "n 0: must be at least 1"),
        ((0, -3), "n -3: must be at least 1"),
        ((1.5, 45), "x 1.5: must be a whole number"),
        ((True, 45), "x True: must be a whole number"),
        ((33, 45, 0.0), "level 0.0: must lie strictly between 0 and 1"),
        ((33, 45, 1.0), "level 1.0: must lie strictly between 0 and 1"),
        ((33, 45, 95), "level 95: must lie strictly between 0 and 1"),
    ],
)
def test_interval_refuses_invalid_input(method, args, message):
    with pytest.raises(InvalidInput) as caught:
        method(*args)
    assert str(caught.value) == message


def test_x_equal_to_n_is_accepted():
    assert clopper_pearson(45, 45).x == 45


def test_p_value_refuses_p0_outside_unit_interval():
    with pytest.raises(InvalidInput) as caught:
        exact_p_value(33, 45, 1.2)
    assert str(caught.value) == "p0 1.2: must lie strictly between 0 and 1"


# --- primary analysis --------------------------------------------------------------------------


def test_33_of_45_rejects_h0():
    assert primary_analysis(33, 45, RAMUNET).rejects_h0


def test_32_of_45_does_not_reject_h0():
    assert not primary_analysis(32, 45, RAMUNET).rejects_h0


def test_planned_n_decides_by_r():
    assert primary_analysis(33, 45, RAMUNET).decision_rule == "x >= r"


def test_other_n_decides_by_exact_p_value():
    # 32 of 44: P(X >= 32 | 44, 0.6) = 0.0609 > 0.05, so not rejected
    result = primary_analysis(32, 44, RAMUNET)
    assert result.decision_rule == "p <= alpha"
    assert result.p_value == pytest.approx(stats.binom.sf(31, 44, 0.6), rel=1e-12)
    assert not result.rejects_h0


def test_primary_analysis_reports_rate_and_intervals():
    result = primary_analysis(34, 45, RAMUNET)
    assert result.rate == 34 / 45
    assert result.cp90 == clopper_pearson(34, 45, 0.90)
    assert result.cp95 == clopper_pearson(34, 45, 0.95)
    assert result.wilson95 == wilson(34, 45, 0.95)
    assert result.jeffreys95 == jeffreys(34, 45, 0.95)


def test_primary_analysis_summary_line():
    assert primary_analysis(33, 45, RAMUNET).summary() == (
        "33/45 (73.3%), one-sided exact p = 0.0446, 95% CI 58.1% to 85.4%: H0 rejected"
    )


def test_primary_analysis_refuses_x_above_n():
    with pytest.raises(InvalidInput) as caught:
        primary_analysis(46, 45, RAMUNET)
    assert str(caught.value) == "x 46: must not exceed n = 45"


@pytest.mark.parametrize("method", [clopper_pearson, wilson, jeffreys])
def test_every_interval_holds_its_estimate_within_zero_and_one(method):
    for n in (1, 2, 7, 45):
        for x in range(n + 1):
            interval = method(x, n, 0.95)
            assert 0.0 <= interval.lower <= x / n <= interval.upper <= 1.0


def test_clopper_pearson_covers_at_least_95_percent_for_every_rate():
    # the exact interval guarantees coverage >= level (Clopper & Pearson 1934), here n = 45
    intervals = [clopper_pearson(x, 45) for x in range(46)]
    for p in [i / 200 for i in range(1, 200)]:
        coverage = sum(
            stats.binom.pmf(x, 45, p) for x, ci in enumerate(intervals) if ci.contains(p)
        )
        assert coverage >= 0.95

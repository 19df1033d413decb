"""Live monitoring: deterministic curtailment and the beta-binomial predictive probability."""

from __future__ import annotations

from fractions import Fraction
from math import comb, factorial

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.monitoring import (
    curtailed_decision,
    futility_failures,
    interim_status,
    predictive_probability,
)


def uniform_prior_predictive(successes: int, failures: int, n: int, r: int) -> Fraction:
    """Exact beta-binomial tail with a Beta(1, 1) prior, in rational arithmetic."""

    def beta_function(a: int, b: int) -> Fraction:
        return Fraction(factorial(a - 1) * factorial(b - 1), factorial(a + b - 1))

    a, b = 1 + successes, 1 + failures
    remaining = n - successes - failures
    return sum(
        (
            comb(remaining, k) * beta_function(a + k, b + remaining - k) / beta_function(a, b)
            for k in range(max(0, r - successes), remaining + 1)
        ),
        Fraction(0),
    )


# --- deterministic curtailment (RamuNET n = 45, r = 33) --------------------------------------


def test_13_failures_end_the_trial():
    # n - r + 1 = 45 - 33 + 1 (PROTOCOL-NOTES "Design figures")
    assert futility_failures(45, 33) == 13


def test_33_successes_make_rejection_certain():
    assert curtailed_decision(33, 0, 45, 33) == "reject H0"


def test_32_successes_leave_the_decision_open():
    assert curtailed_decision(32, 0, 45, 33) == "open"


def test_13_failures_make_non_rejection_certain():
    assert curtailed_decision(0, 13, 45, 33) == "do not reject H0"


def test_12_failures_leave_the_decision_open():
    assert curtailed_decision(32, 12, 45, 33) == "open"


def test_status_counts_what_is_still_needed():
    status = interim_status(20, 5)
    assert (status.successes_needed, status.failures_to_futility, status.remaining) == (13, 8, 20)
    assert not status.decided


def test_status_after_rejection_is_decided():
    status = interim_status(33, 2)
    assert status.decided
    assert status.successes_needed == 0


# --- predictive probability -------------------------------------------------------------------


def test_predictive_probability_matches_exact_beta_binomial_sum():
    # Lee & Liu 2008, with a Beta(1, 1) prior; summed exactly
    expected = uniform_prior_predictive(20, 5, 45, 33)
    assert predictive_probability(20, 5) == pytest.approx(float(expected), rel=1e-10)


def test_predictive_probability_at_the_start_with_uniform_prior():
    # under Beta(1, 1) the prior predictive of S ~ 45 patients is uniform on 0..45: 13/46
    assert predictive_probability(0, 0) == pytest.approx(13 / 46, rel=1e-12)


def test_predictive_probability_is_one_once_rejection_is_certain():
    assert predictive_probability(33, 0) == 1.0


def test_predictive_probability_is_zero_once_futility_is_certain():
    assert predictive_probability(10, 13) == 0.0


def test_predictive_probability_just_before_futility_is_positive():
    # 32 successes, 12 failures, one patient left: it must succeed
    assert predictive_probability(32, 12) == pytest.approx(33 / 46, rel=1e-12)


def test_an_optimistic_prior_raises_the_predictive_probability():
    assert predictive_probability(20, 5, prior_a=8, prior_b=2) > predictive_probability(20, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"successes": -1, "failures": 0}, "successes -1: must not be negative"),
        ({"successes": 0, "failures": -2}, "failures -2: must not be negative"),
        ({"successes": 40, "failures": 6}, "successes + failures 46: must not exceed n = 45"),
        ({"successes": 1.0, "failures": 0}, "successes 1.0: must be a whole number"),
        ({"successes": 0, "failures": 0, "n": 0}, "n 0: must be at least 1"),
        ({"successes": 0, "failures": 0, "r": 46}, "r 46: must not exceed n = 45"),
        ({"successes": 0, "failures": 0, "r": 0}, "r 0: must be at least 1"),
        (
            {"successes": 0, "failures": 0, "prior_a": 0},
            "prior_a 0: must be a finite number above 0",
        ),
        (
            {"successes": 0, "failures": 0, "prior_b": float("inf")},
            "prior_b inf: must be a finite number above 0",
        ),
    ],
)
def test_predictive_probability_refuses_invalid_input(kwargs, message):
    with pytest.raises(InvalidInput) as caught:
        predictive_probability(**kwargs)
    assert str(caught.value) == message


def test_45_known_outcomes_are_accepted():
    assert interim_status(33, 12).remaining == 0


def test_status_refuses_counts_above_n():
    with pytest.raises(InvalidInput) as caught:
        interim_status(33, 13)
    assert str(caught.value) == "successes + failures 46: must not exceed n = 45"

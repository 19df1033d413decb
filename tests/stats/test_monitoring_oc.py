"""Exact and simulated operating characteristics of the curtailed single-stage design."""

from __future__ import annotations

import pytest
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.monitoring_oc import (
    curtailed_operating_characteristics,
    curtailment_plan,
    simulate_curtailed_trials,
)


def brute_force_curtailed(p: float, n: int, r: int) -> tuple[float, float]:
    """Rejection probability and E[N] by walking every (successes, failures) state."""
    futility = n - r + 1
    states = {(0, 0): 1.0}
    rejection = 0.0
    expected = 0.0
    while states:
        following: dict[tuple[int, int], float] = {}
        for (s, f), weight in states.items():
            for step, chance in (((1, 0), p), ((0, 1), 1 - p)):
                s2, f2 = s + step[0], f + step[1]
                mass = weight * chance
                if s2 >= r:
                    rejection += mass
                    expected += mass * (s2 + f2)
                elif f2 >= futility:
                    expected += mass * (s2 + f2)
                else:
                    following[(s2, f2)] = following.get((s2, f2), 0.0) + mass
        states = following
    return rejection, expected


@pytest.mark.parametrize("p", [0.5, 0.6, 0.7, 0.8, 0.9])
def test_rejection_probability_equals_the_uncurtailed_binomial_tail(p):
    # curtailment never changes the decision: P(X >= 33 | 45, p)
    oc = curtailed_operating_characteristics(p)
    assert oc.rejection_probability == pytest.approx(stats.binom.sf(32, 45, p), rel=1e-10)


@pytest.mark.parametrize("p", [0.6, 0.8])
def test_expected_n_agrees_with_walking_every_state(p):
    oc = curtailed_operating_characteristics(p)
    rejection, expected = brute_force_curtailed(p, 45, 33)
    assert oc.rejection_probability == pytest.approx(rejection, rel=1e-10)
    assert oc.expected_n == pytest.approx(expected, rel=1e-10)


def test_stopping_probabilities_sum_to_one():
    assert sum(curtailed_operating_characteristics(0.7).stopping_probabilities) == pytest.approx(1)


def test_no_trial_stops_before_13_patients():
    # the earliest stop is the 13th failure in a row
    oc = curtailed_operating_characteristics(0.6)
    assert sum(oc.stopping_probabilities[:13]) == 0.0
    assert oc.stopping_probabilities[13] == pytest.approx(0.4**13, rel=1e-10)


def test_expected_saving_is_n_minus_expected_n():
    oc = curtailed_operating_characteristics(0.6)
    assert oc.expected_saving == pytest.approx(45 - oc.expected_n)


def test_oc_from_an_interim_state_is_conditional():
    # 20 successes and 5 failures known: reject iff >= 13 of the 20 still to come succeed
    oc = curtailed_operating_characteristics(0.7, successes=20, failures=5)
    assert oc.rejection_probability == pytest.approx(stats.binom.sf(12, 20, 0.7), rel=1e-10)
    assert oc.expected_n >= 25


def test_oc_of_a_decided_trial_is_certain():
    oc = curtailed_operating_characteristics(0.7, successes=33, failures=3)
    assert oc.rejection_probability == 1.0
    assert oc.expected_n == 36.0


def test_oc_after_futility_never_rejects():
    oc = curtailed_operating_characteristics(0.7, successes=3, failures=13)
    assert oc.rejection_probability == 0.0
    assert oc.expected_n == 16.0


@pytest.mark.parametrize("p", [0.6, 0.8])
def test_monte_carlo_agrees_with_exact_within_four_standard_errors(p):
    exact = curtailed_operating_characteristics(p)
    simulated = simulate_curtailed_trials(p, n_trials=200_000, seed=12345)
    assert abs(simulated.rejection_probability - exact.rejection_probability) <= (
        4 * simulated.rejection_se
    )
    assert abs(simulated.expected_n - exact.expected_n) <= 4 * simulated.expected_n_se
    assert simulated.agrees_with(exact)


def test_monte_carlo_from_an_interim_state_agrees_with_exact():
    exact = curtailed_operating_characteristics(0.7, successes=20, failures=5)
    simulated = simulate_curtailed_trials(0.7, n_trials=100_000, seed=7, successes=20, failures=5)
    assert simulated.agrees_with(exact)


def test_monte_carlo_disagrees_with_a_wrong_rate():
    # the agreement check can fail: trials simulated at p = 0.6 are not p = 0.65's
    wrong = curtailed_operating_characteristics(0.65)
    assert not simulate_curtailed_trials(0.6, n_trials=100_000, seed=1).agrees_with(wrong)


def test_monte_carlo_is_reproducible_with_a_seed():
    first = simulate_curtailed_trials(0.7, n_trials=10_000, seed=99)
    assert simulate_curtailed_trials(0.7, n_trials=10_000, seed=99) == first


def test_monte_carlo_of_a_decided_trial_is_certain():
    simulated = simulate_curtailed_trials(0.7, n_trials=10, successes=33, failures=0)
    assert (simulated.rejection_probability, simulated.expected_n) == (1.0, 33)


def test_ramunet_plan_stops_at_13_failures():
    plan = curtailment_plan()
    assert (plan.design.n, plan.design.r, plan.futility_failures) == (45, 33, 13)


def test_ramunet_plan_saves_patients_under_h0():
    plan = curtailment_plan()
    assert plan.under_p0.expected_n < 45
    assert plan.under_p0.rejection_probability == pytest.approx(plan.design.alpha_actual)
    assert plan.under_p1.rejection_probability == pytest.approx(plan.design.power_actual)


def test_plan_at_any_rate():
    assert curtailment_plan().at(0.7) == curtailed_operating_characteristics(0.7)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p0": 0.8, "p1": 0.6}, "p0 0.8: must be below p1 = 0.6 (H1 is a higher response rate)"),
        ({"alpha": 0.0}, "alpha 0.0: must lie strictly between 0 and 1"),
        ({"alpha": 1.0}, "alpha 1.0: must lie strictly between 0 and 1"),
        ({"beta": 0.0}, "beta 0.0: must lie strictly between 0 and 1"),
        ({"beta": 1.2}, "beta 1.2: must lie strictly between 0 and 1"),
    ],
)
def test_plan_refuses_invalid_hypotheses(kwargs, message):
    with pytest.raises(InvalidInput) as caught:
        curtailment_plan(**kwargs)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p": 1.0}, "p 1.0: must lie strictly between 0 and 1"),
        ({"p": 0.7, "successes": -1}, "successes -1: must not be negative"),
        ({"p": 0.7, "failures": -1}, "failures -1: must not be negative"),
        (
            {"p": 0.7, "successes": 30, "failures": 16},
            "successes + failures 46: must not exceed n = 45",
        ),
    ],
)
def test_exact_oc_refuses_invalid_input(kwargs, message):
    with pytest.raises(InvalidInput) as caught:
        curtailed_operating_characteristics(**kwargs)
    assert str(caught.value) == message


def test_simulation_refuses_zero_trials():
    with pytest.raises(InvalidInput) as caught:
        simulate_curtailed_trials(0.7, n_trials=0)
    assert str(caught.value) == "n_trials 0: must be at least 1"

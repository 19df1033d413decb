"""Recruitment projection: Gamma-Poisson posterior predictive (Gajewski et al. 2008)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.recruitment import project_recruitment

OPENED = dt.date(2020, 1, 1)
# 10 patients, one every 10 days from the opening: 10 arrivals in 100 days
EVERY_TEN_DAYS = [("A" if i % 2 else "B", OPENED + dt.timedelta(days=10 * i)) for i in range(1, 11)]


def test_posterior_is_gamma_of_arrivals_and_days():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED)
    assert (projection.posterior_shape, projection.posterior_rate) == (10.0, 100.0)


def test_median_wait_for_as_many_patients_as_seen_equals_the_observed_period():
    # W = 100 x BetaPrime(10, 10), whose median is 1 by symmetry: 100 days after the cut-off
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED)
    assert projection.target_date.median == dt.date(2020, 4, 10) + dt.timedelta(days=100)


def test_mean_wait_is_b_m_over_a_minus_one():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED)
    assert projection.mean_days_to_target() == pytest.approx(100 * 10 / 9)


def test_predictive_interval_matches_simulation_of_gamma_poisson():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED, level=0.90)
    rng = np.random.default_rng(20261124)
    rates = rng.gamma(10.0, 1 / 100.0, 400_000)
    waits = rng.gamma(10.0, 1 / rates)
    low, high = np.quantile(waits, [0.05, 0.95])
    as_of = projection.as_of
    assert abs((projection.target_date.lower - as_of).days - low) <= 1.5
    assert abs((projection.target_date.upper - as_of).days - high) <= 3


def test_interval_quantiles_are_beta_prime_scaled_by_rate():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED)
    upper_days = 100 * stats.betaprime.ppf(0.975, 10, 10)
    assert (projection.target_date.upper - projection.as_of).days == round(upper_days)


def test_without_start_the_first_registration_is_the_origin():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20)
    assert (projection.origin, projection.arrivals, projection.exposure_days) == (
        dt.date(2020, 1, 11),
        9,
        90,
    )


def test_cut_off_after_last_registration_lengthens_exposure():
    projection = project_recruitment(
        EVERY_TEN_DAYS, target=20, start=OPENED, as_of=dt.date(2020, 5, 20)
    )
    assert projection.exposure_days == 140


def test_projection_lists_every_future_patient_in_order():
    projection = project_recruitment(EVERY_TEN_DAYS, target=13, start=OPENED)
    assert [arrival.n for arrival in projection.projected] == [11, 12, 13]
    medians = [arrival.median for arrival in projection.projected]
    assert medians == sorted(medians)


def test_reached_target_gives_date_of_target_patient_and_no_projection():
    projection = project_recruitment(EVERY_TEN_DAYS, target=10, start=OPENED)
    assert (projection.reached_on, projection.projected) == (dt.date(2020, 4, 10), ())
    assert projection.mean_days_to_target() == 0.0


def test_cumulative_curve_counts_per_day():
    registrations = [("A", OPENED), ("B", OPENED), ("A", dt.date(2020, 1, 5))]
    projection = project_recruitment(registrations, target=5)
    assert projection.cumulative == ((OPENED, 2), (dt.date(2020, 1, 5), 3))


def test_centre_accrual_counts_and_rates():
    projection = project_recruitment(EVERY_TEN_DAYS, target=20, start=OPENED)
    centre_a = projection.centres[0]
    assert (centre_a.centre, centre_a.n, centre_a.first) == ("A", 5, dt.date(2020, 1, 11))
    assert centre_a.rate_per_month == pytest.approx(5 / (100 / 30.4375))


def test_prior_weight_pulls_rate_towards_the_plan():
    # plan: 20 patients in 400 days (0.05/day); data: 0.1/day; P = 1 -> (20 + 10) / (400 + 100)
    projection = project_recruitment(
        EVERY_TEN_DAYS, target=20, start=OPENED, prior_weight=1.0, planned_days=400
    )
    assert projection.posterior_shape / projection.posterior_rate == pytest.approx(30 / 500)


def test_prior_weight_needs_planned_days():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment(EVERY_TEN_DAYS, prior_weight=0.5)
    assert str(caught.value) == "planned_days: must be > 0 when prior_weight > 0"


def test_single_registration_without_start_is_refused():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment([("A", OPENED)])
    assert str(caught.value) == (
        "registrations: give 0 arrivals over 0 days; the accrual rate needs at least one "
        "arrival over a positive period (or a prior)"
    )


def test_datetime_instead_of_date_is_refused():
    moment = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput) as caught:
        project_recruitment([("A", moment)])
    assert str(caught.value) == f"registrations[0].date {moment!r}: must be a date (datetime.date)"


def test_cut_off_before_last_registration_is_refused():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment(EVERY_TEN_DAYS, as_of=dt.date(2020, 4, 9))
    assert str(caught.value) == (
        "as_of datetime.date(2020, 4, 9): must not precede the last registration 2020-04-10"
    )


def test_cut_off_on_last_registration_is_accepted():
    projection = project_recruitment(EVERY_TEN_DAYS, as_of=dt.date(2020, 4, 10))
    assert projection.as_of == dt.date(2020, 4, 10)


def test_start_after_first_registration_is_refused():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment(EVERY_TEN_DAYS, start=dt.date(2020, 1, 12))
    assert str(caught.value) == (
        "start datetime.date(2020, 1, 12): must not follow the first registration 2020-01-11"
    )


def test_empty_registrations_are_refused():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment([])
    assert str(caught.value) == "registrations: must hold at least one registered patient"


def test_target_below_one_is_refused():
    with pytest.raises(InvalidInput) as caught:
        project_recruitment(EVERY_TEN_DAYS, target=0)
    assert str(caught.value) == "target 0: must be a whole number of patients >= 1"

"""The same seed gives the same trial; the derived disease control follows the requested
probability at its extremes (every patient controlled, none); a trial still recruiting stops
at the data cut-off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ramunet.edc.crfs.models import Biosample
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.visits.models import Visit
from ramunet.simulate import SimulationConfig, simulate_trial
from ramunet.simulate.digest import trial_digest

START = dt.date(2021, 1, 1)
TODAY = dt.date(2024, 6, 1)


def _simulated_digest(config: SimulationConfig) -> str:
    with transaction.atomic():
        simulate_trial(config, progress=False, today=TODAY)
        digest = trial_digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    small = SimulationConfig(patients=2, centres=2, seed=5, start=START)
    first = _simulated_digest(small)
    assert _simulated_digest(small) == first
    other = SimulationConfig(patients=2, centres=2, seed=6, start=START)
    assert _simulated_digest(other) != first


@pytest.mark.django_db
@pytest.mark.parametrize(("probability", "expected"), [(1.0, True), (0.0, False)])
def test_derived_disease_control_follows_the_requested_probability(probability, expected):
    config = SimulationConfig(patients=4, centres=2, seed=21, start=START,
                              dc_probability=probability)  # fmt: skip
    with transaction.atomic():
        summary = simulate_trial(config, progress=False, today=TODAY)
        rows = PatientEndpoints.objects.filter(patient__code__in=summary.patient_codes)
        assert [row.month6_success for row in rows] == [expected] * 4
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_trial_still_recruiting_stops_at_the_data_cut_off():
    config = SimulationConfig(patients=30, centres=2, seed=3, start=dt.date(2024, 1, 1))
    with transaction.atomic():
        summary = simulate_trial(config, progress=False, today=dt.date(2024, 4, 1))
        assert 0 < summary.registered < 30
        assert not Visit.objects.filter(actual_date__gt=summary.cutoff).exists()
        assert not Biosample.objects.filter(received_on__gt=summary.cutoff).exists()
        transaction.set_rollback(True)

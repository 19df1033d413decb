"""The random trial model (pure): reproducible, and drawing at the rates it documents."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from ramunet.simulate.config import SimulationConfig
from ramunet.simulate.trial_model import activation_dates, plan_trial

START = dt.date(2022, 1, 1)
CODES = ["HAL", "MAR", "BER", "MUC", "ESS", "HAN", "FRA", "WUE"]


def plan(**options):
    config = SimulationConfig(**options)
    return plan_trial(config, START, activation_dates(CODES, START))


def test_same_seed_gives_the_same_trial():
    first, second = plan(patients=30, seed=7), plan(patients=30, seed=7)
    assert first.candidates == second.candidates


def test_another_seed_gives_another_trial():
    assert plan(patients=30, seed=7).candidates != plan(patients=30, seed=8).candidates


def test_about_a_quarter_of_candidates_fail_screening():
    trial = plan(patients=1500, seed=3)
    failed = sum(1 for c in trial.candidates if c.failure is not None)
    assert 0.22 <= failed / len(trial.candidates) <= 0.28


def test_intended_disease_control_tracks_the_requested_probability():
    trial = plan(patients=1500, seed=4, dc_probability=0.6)
    controlled = [c.course.outcome.controlled for c in trial.registered]
    assert abs(sum(controlled) / len(controlled) - 0.6) < 0.04


def test_median_pfs_is_near_the_requested_median():
    trial = plan(patients=1500, seed=5, median_pfs_months=9.0)
    days = sorted(
        c.course.outcome.progression_day or c.course.outcome.death_day or 10**6
        for c in trial.registered
    )
    assert 8.0 <= days[len(days) // 2] / 30.4375 <= 10.0


def test_grade_3_neutropenia_in_about_a_fifth_of_patients():
    trial = plan(patients=1500, seed=6)
    with_g3 = [
        any(e.term == "Neutrophil count decreased" and e.grade >= 3 for e in c.course.events)
        for c in trial.registered
    ]
    assert 0.15 <= sum(with_g3) / len(with_g3) <= 0.25


def test_candidates_are_screened_only_at_active_centres():
    trial = plan(patients=200, seed=9)
    activations = trial.activations
    assert all(activations[c.centre] <= c.screened_on for c in trial.candidates)


def test_trial_model_does_not_import_django():
    code = (
        "import sys; import ramunet.simulate.trial_model, ramunet.simulate.course_model; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False"

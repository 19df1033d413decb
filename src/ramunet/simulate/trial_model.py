"""The simulated trial as plain data: centres' activation, candidates, registered courses.

Pure (numpy, no Django). Candidates arrive over ``config.RECRUITMENT_DAYS`` at the centres
active at the time (centre k is activated about 45 days after centre k-1); each is screened,
fails screening with probability ``screen_failure_fraction`` (reason drawn from
``rates.FAILURES``) or is registered, until ``patients`` are registered. Consent is given on
the screening day, the first dose planned 21 days later and registration 5 days before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ramunet.simulate import rates
from ramunet.simulate.config import RECRUITMENT_DAYS, SimulationConfig
from ramunet.simulate.course_draw import draw_course
from ramunet.simulate.course_model import PatientCourse
from ramunet.simulate.screening_model import Baseline, draw_baseline, screening_payload

SCREENING_TO_FIRST_DOSE_DAYS = 21
REGISTRATION_BEFORE_FIRST_DOSE_DAYS = 5
CENTRE_ACTIVATION_STEP_DAYS = 45


@dataclass(frozen=True)
class Candidate:
    """One screened candidate; ``course`` is set for the registered ones."""

    index: int
    centre: str
    screened_on: dt.date
    first_dose: dt.date
    registered_on: dt.date
    base: Baseline
    initials: str
    failure: str | None
    payload: dict[str, Any]
    course: PatientCourse | None

    @property
    def consent_date(self) -> dt.date:
        return self.screened_on


@dataclass(frozen=True)
class TrialPlan:
    config: SimulationConfig
    start: dt.date
    activations: dict[str, dt.date]
    candidates: tuple[Candidate, ...]

    @property
    def registered(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.course is not None)


def activation_dates(codes: list[str], start: dt.date) -> dict[str, dt.date]:
    """Centre k activated ``k x 45`` days after the start (the demo's pattern)."""
    step = dt.timedelta(days=CENTRE_ACTIVATION_STEP_DAYS)
    return {code: start + k * step for k, code in enumerate(codes)}


def _initials(rng: np.random.Generator) -> str:
    letters = rng.integers(ord("A"), ord("Z") + 1, size=2)
    return "".join(chr(int(c)) for c in letters)


def plan_trial(
    config: SimulationConfig, start: dt.date, activations: dict[str, dt.date]
) -> TrialPlan:
    """Every candidate of the trial, in screening order (the same seed, the same plan).

    ``activations`` maps the centres taking part to their activation dates; a candidate is
    screened only at a centre already active.
    """
    rng = np.random.default_rng(config.seed)
    p_fail = config.screen_failure_fraction
    # about patients / (1 - p_fail) candidates over the recruitment period
    expected = config.patients / (1.0 - p_fail)
    gap_days = RECRUITMENT_DAYS / expected
    codes = sorted(activations, key=lambda c: (activations[c], c))
    reasons = [key for key, _ in rates.FAILURES]
    weights = np.array([w for _, w in rates.FAILURES])
    weights = weights / weights.sum()
    first_open = min(activations.values())
    candidates: list[Candidate] = []
    registered = 0
    clock = float(max((first_open - start).days, 0))
    while registered < config.patients:
        clock += rng.exponential(gap_days)
        screened_on = start + dt.timedelta(days=int(clock))
        active = [c for c in codes if activations[c] <= screened_on] or codes[:1]
        centre = active[int(rng.integers(0, len(active)))]
        failure = str(rng.choice(reasons, p=weights)) if rng.random() < p_fail else None
        base = draw_baseline(rng, screened_on)
        first_dose = screened_on + dt.timedelta(days=SCREENING_TO_FIRST_DOSE_DAYS)
        course = None
        if failure is None:
            course = draw_course(
                rng,
                seed=config.seed,
                index=len(candidates),
                base=base,
                p=config.dc_probability,
                median_pfs_months=config.median_pfs_months,
            )
            registered += 1
        candidates.append(
            Candidate(
                index=len(candidates),
                centre=centre,
                screened_on=screened_on,
                first_dose=first_dose,
                registered_on=first_dose - dt.timedelta(days=REGISTRATION_BEFORE_FIRST_DOSE_DAYS),
                base=base,
                initials=_initials(rng),
                failure=failure,
                payload=screening_payload(
                    base,
                    consent_date=screened_on,
                    first_dose=first_dose,
                    screened_on=screened_on,
                    failure=failure,
                ),
                course=course,
            )
        )
    return TrialPlan(config, start, activations, tuple(candidates))

"""Drawing a registered patient's course: outcome, lesions, adverse events, delays.

Pure (numpy, no Django); the course itself and its values per day are in ``course_model``.

Outcome model (``draw_outcome``): disease control at 6 months with the requested probability
``p``. A patient with control progresses after day 182 (the end of the month-6 window), at
``183 + Exponential(theta)``, theta chosen so that the overall median PFS equals the requested
median M when that is possible (``p > 0.5`` and M > 6 months:
``theta = (M - 183) / ln(2p)``), otherwise ``theta = M / ln 2``. A patient without control
progresses before day 168 (seen at the week-12 or week-24 scan), dies before the month-6 scan,
or withdraws consent before it (``rates``). Survival after progression is exponential with
median ``rates.POST_PROGRESSION_MEDIAN_OS_DAYS``.
"""

from __future__ import annotations

import math

import numpy as np

from ramunet.simulate import rates
from ramunet.simulate.course_model import (
    CYCLES,
    DAYS_PER_MONTH,
    MAX_DELAY_DAYS,
    MONTH6_LAST_DAY,
    AdverseEventPlan,
    Lesion,
    Outcome,
    PatientCourse,
)
from ramunet.simulate.screening_model import Baseline


def _pfs_theta(p: float, median_days: float) -> float:
    if p > 0.5 and median_days > MONTH6_LAST_DAY + 30:
        return (median_days - MONTH6_LAST_DAY - 1) / math.log(2 * p)
    return max(median_days, 60.0) / math.log(2)


def draw_outcome(rng: np.random.Generator, p: float, median_pfs_months: float) -> Outcome:
    """Disease control at month 6 with probability ``p``, PFS and survival (module docstring)."""
    controlled = bool(rng.random() < p)
    early_death = withdrawal = None
    if controlled:
        theta = _pfs_theta(p, median_pfs_months * DAYS_PER_MONTH)
        progression: int | None = MONTH6_LAST_DAY + 1 + int(rng.exponential(theta))
        partial = bool(rng.random() < min(1.0, rates.ORR / max(p, 1e-9)))
    else:
        partial = False
        mode = rng.random()
        if mode < rates.EARLY_DEATH_SHARE:
            early_death = int(rng.integers(45, 150))
            progression = None
        elif mode < rates.EARLY_DEATH_SHARE + rates.WITHDRAWAL_SHARE:
            withdrawal = int(rng.integers(30, 150))
            progression = None
        else:
            progression = int(rng.integers(40, 168))
    if progression is not None and progression > 24 * DAYS_PER_MONTH:
        progression = None
    death = early_death
    if progression is not None:
        after = int(rng.exponential(rates.POST_PROGRESSION_MEDIAN_OS_DAYS / math.log(2)))
        death = progression + 20 + after
    if death is not None and death > 24 * DAYS_PER_MONTH:
        death = None
    stop = int(rng.integers(2, 6)) if rng.random() < rates.TOXICITY_STOP else None
    return Outcome(
        controlled=controlled,
        partial_response=partial,
        progression_day=progression,
        new_lesion_at_progression=bool(rng.random() < 0.3),
        death_day=death,
        withdrawal_day=withdrawal,
        toxicity_stop_cycle=stop,
    )


def _draw_lesions(rng: np.random.Generator) -> tuple[Lesion, ...]:
    """One to four targets (at most two per organ), maybe one non-target lesion."""
    lesions = [Lesion("T1", "liver", True, False, float(round(rng.uniform(20, 60))))]
    if rng.random() < 0.6:
        lesions.append(Lesion("T2", "liver", True, False, float(round(rng.uniform(14, 40)))))
    if rng.random() < 0.5:
        label = f"T{len(lesions) + 1}"
        lesions.append(Lesion(label, "pancreas", True, False, float(round(rng.uniform(18, 45)))))
    if rng.random() < 0.3:
        label = f"T{len(lesions) + 1}"
        lesions.append(Lesion(label, "lymph node", True, True, float(round(rng.uniform(16, 28)))))
    if rng.random() < 0.5:
        organ = str(rng.choice(["bone", "peritoneum", "liver"]))
        lesions.append(Lesion("N1", organ, False, False, None))
    return tuple(lesions)


def _draw_events(rng: np.random.Generator, outcome: Outcome) -> list[AdverseEventPlan]:
    """Each toxicity of ``rates.TOXICITIES`` with its probability, worst grade and onset."""
    events = []
    for tox in rates.TOXICITIES:
        if rng.random() >= tox.any_grade:
            continue
        grade = int(
            rng.choice([1, 2, 3, 4], p=np.array(tox.grade_weights) / sum(tox.grade_weights))
        )
        cycle = int(rng.integers(1, 4))
        if tox.term in ("Neutrophil count decreased", "Platelet count decreased"):
            # a nadir count three weeks after day 1 for grade >= 3, else seen at the next day 1
            if grade >= 3:
                day, days = 22, 6
            else:
                cycle, day, days = cycle + 1, 1, 10
        elif tox.term in ("Hypertension", "Proteinuria"):
            day, days = (1 if rng.random() < 0.5 else 15), 0  # ongoing from onset
            cycle = cycle + 1 if day == 1 else cycle
        elif tox.term == "Nausea":
            cycle, day, days = 1, 1, int(rng.integers(3, 8))
        else:
            day, days = 1, int(rng.integers(20, 80))
            cycle = cycle + 1
        events.append(
            AdverseEventPlan(
                term=tox.term,
                grade=grade,
                cycle=cycle,
                cycle_day=day,
                days=days,
                related_ramucirumab=tox.related_ramucirumab,
                related_dacarbazine=tox.related_dacarbazine,
                serious=grade >= 3 and tox.term == "Nausea",
            )
        )
    return events


def draw_course(
    rng: np.random.Generator,
    *,
    seed: int,
    index: int,
    base: Baseline,
    p: float,
    median_pfs_months: float,
) -> PatientCourse:
    """One registered patient's course (module docstring)."""
    outcome = draw_outcome(rng, p, median_pfs_months)
    lesions = _draw_lesions(rng)
    if outcome.partial_response:
        nadir = float(rng.uniform(0.45, 0.68))
    else:
        nadir = float(rng.uniform(0.80, 1.08))
    events = _draw_events(rng, outcome)
    delays: dict[int, int] = {}
    reduced_from = None
    for event in events:
        cytopenia = event.term in ("Neutrophil count decreased", "Platelet count decreased")
        if cytopenia and event.grade >= 3 and event.cycle < CYCLES:
            reduced_from = min(reduced_from or CYCLES, event.cycle + 1)
            delayed = sum(delays.values())
            if rng.random() < rates.DELAY_AFTER_GRADE3 and delayed + 7 <= MAX_DELAY_DAYS:
                delays[event.cycle + 1] = delays.get(event.cycle + 1, 0) + 7
    elevated = rng.random() < rates.ELEVATED_CGA
    cga = float(rng.lognormal(math.log(400), 0.7)) if elevated else float(rng.uniform(40, 95))
    return PatientCourse(
        seed=seed,
        index=index,
        base=base,
        outcome=outcome,
        lesions=lesions,
        nadir_factor=nadir,
        events=tuple(events),
        cga_baseline=round(cga, 1),
        frailty=float(rng.uniform(0, 0.5)),
        subsequent_therapy=str(rng.choice(rates.SUBSEQUENT_THERAPIES)),
        comorbidity=str(rng.choice(_COMORBIDITIES)),
        delays=delays,
        reduced_from=reduced_from,
    )


_COMORBIDITIES = (
    "Type 2 diabetes mellitus",
    "Arterial hypertension, controlled",
    "Hypothyroidism",
    "Gastro-oesophageal reflux disease",
    "Osteoarthritis",
    "Hypercholesterolaemia",
)

"""A registered patient's simulated course: outcome, dosing, toxicity, tumour, CgA, QoL.

Pure (numpy, no Django). Time is counted in days from the first dose (day 0 = cycle 1 day 1),
as in ``ramunet.protocol.schedule``. The course (drawn by ``course_draw``) holds the patient's
random draws; the values at a visit (tumour sizes, laboratory values, QLQ-C30 answers) are
functions of the day, with noise seeded by (trial seed, patient, day), so that the same seed
gives the same data whatever order the writer asks in.

Tumour model: RECIST 1.1 target lesions shrink towards a nadir (30-55% smaller for a partial
response, -20% to +8% for stable disease) reached at day 168, then grow by at least 20% over
the nadir and 5 mm (or a new lesion appears) from the progression day on (Eisenhauer EA et al.,
Eur J Cancer 2009;45:228-247, §4.3.1). The system, not this module, derives the responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ramunet.clinical import dosing
from ramunet.simulate.screening_model import Baseline

DAYS_PER_MONTH = 30.4375
CYCLES = 6
CYCLE_DAYS = 28
MONTH6_LAST_DAY = 182  # day 168 + 14: the end of the month-6 window (PROTOCOL-NOTES.md)
MAX_DELAY_DAYS = 14  # cycle delays beyond this would push the week-24 scan out of the window


@dataclass(frozen=True)
class Lesion:
    label: str
    organ: str
    target: bool
    nodal: bool
    baseline_mm: float | None  # None for a non-target lesion


@dataclass(frozen=True)
class AdverseEventPlan:
    """One adverse event: term, CTCAE grade, onset as (cycle, day of cycle), duration."""

    term: str
    grade: int
    cycle: int
    cycle_day: int  # 1, 15 (seen at that visit) or 22 (a cytopenia nadir: unscheduled count)
    days: int  # duration; the event ends ``days`` after onset
    related_ramucirumab: str
    related_dacarbazine: str
    serious: bool = False


@dataclass(frozen=True)
class Outcome:
    """What happens to the patient, in days from the first dose (None: not within 24 months)."""

    controlled: bool  # disease control intended at month 6
    partial_response: bool
    progression_day: int | None
    new_lesion_at_progression: bool
    death_day: int | None
    withdrawal_day: int | None
    toxicity_stop_cycle: int | None


@dataclass(frozen=True)
class PatientCourse:
    """The random draws of one registered patient; values per day come from its methods."""

    seed: int
    index: int
    base: Baseline
    outcome: Outcome
    lesions: tuple[Lesion, ...]
    nadir_factor: float
    events: tuple[AdverseEventPlan, ...]
    cga_baseline: float  # ng/mL
    frailty: float  # 0..1: baseline symptom burden
    subsequent_therapy: str
    comorbidity: str
    delays: dict[int, int] = field(default_factory=dict)  # cycle -> days its day 1 is delayed
    reduced_from: int | None = None  # dacarbazine at 75% from this cycle on

    # -- helpers ---------------------------------------------------------------------------

    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, self.index, *key])

    def worst_grade(self, term: str, cycle: int, cycle_day: int) -> int:
        """The grade of ``term`` seen at (cycle, day); 0 when none."""
        grade = 0
        for event in self.events:
            if event.term != term:
                continue
            if term in ("Hypertension", "Proteinuria"):
                # ongoing from onset on (managed, not resolved during treatment)
                if (cycle, cycle_day) >= (event.cycle, event.cycle_day):
                    grade = max(grade, event.grade)
            elif (event.cycle, event.cycle_day) == (cycle, cycle_day):
                grade = max(grade, event.grade)
        return grade

    def active_grade(self, day: int, on_treatment: bool) -> int:
        """The worst grade of the adverse events going on around ``day`` (two weeks back)."""
        worst = 0
        for event in self.events:
            onset = CYCLE_DAYS * (event.cycle - 1) + event.cycle_day - 1
            ongoing = event.days == 0 and on_treatment
            if onset <= day and (ongoing or onset + event.days >= day - 14):
                worst = max(worst, event.grade)
        return worst

    def progressed_by(self, day: int) -> bool:
        day0 = self.outcome.progression_day
        return day0 is not None and day >= day0

    # -- treatment -------------------------------------------------------------------------

    def dacarbazine_factor(self, cycle: int) -> float:
        return 0.75 if self.reduced_from is not None and cycle >= self.reduced_from else 1.0

    def weight_kg(self, cycle: int) -> float:
        drift = self._rng(900, cycle).normal(0, 0.6) - 0.3 * (cycle - 1)
        return round(self.base.weight_kg + drift, 1)

    def dacarbazine_mg(self, cycle: int) -> tuple[float, str]:
        """The dose given and, when reduced, the reason (protocol dose modification)."""
        calc = dosing.dacarbazine_dose(str(self.base.height_cm), str(self.weight_kg(cycle))).dose_mg
        factor = self.dacarbazine_factor(cycle)
        if factor == 1.0:
            return float(calc), ""
        return round(float(calc) * factor, 2), (
            "dose reduced to 75% after grade >= 3 cytopenia (protocol dose modification)"
        )

    def ramucirumab_mg(self, cycle: int) -> float:
        return float(dosing.ramucirumab_dose(str(self.weight_kg(cycle))).dose_mg)

    # -- laboratory and vital signs --------------------------------------------------------

    def haematology(self, cycle: int, cycle_day: int) -> dict[str, float]:
        """Blood counts at a cycle visit (day 1) or at a nadir count (day 22)."""
        rng = self._rng(100, cycle, cycle_day)
        # grade 0 stays above the demo ranges' LLN (ANC 1.8, platelets 150 x 10^9/L)
        anc = max(self.base.anc * rng.uniform(0.75, 1.1), 1.9)
        platelets = max(self.base.platelets * rng.uniform(0.8, 1.05), 152.0)
        anc = _in_band(
            anc, _ANC_BANDS[self.worst_grade("Neutrophil count decreased", cycle, cycle_day)], rng
        )
        platelets = _in_band(
            platelets,
            _PLT_BANDS[self.worst_grade("Platelet count decreased", cycle, cycle_day)],
            rng,
        )
        lymphocytes = rng.uniform(1.1, 2.6)
        return {
            "hemoglobin": round(
                max(self.base.hemoglobin - 0.15 * cycle + rng.normal(0, 0.3), 10.2), 1
            ),
            "anc": round(anc, 2),
            "platelets": round(platelets),
            # white cells stay above 2.0 (no grade 3 leucopenia without its own event)
            "wbc": round(max(anc + lymphocytes + rng.uniform(0.4, 0.9), 2.1), 2),
            "lymphocytes": round(lymphocytes, 2),
        }

    def chemistry(self, cycle: int) -> dict[str, float]:
        rng = self._rng(200, cycle)
        b = self.base
        return {
            "creatinine": round(b.creatinine * rng.uniform(0.92, 1.1), 2),
            "bilirubin": round(b.bilirubin * rng.uniform(0.85, 1.15), 1),
            "ast": round(b.ast * rng.uniform(0.85, 1.2)),
            "alt": round(b.alt * rng.uniform(0.85, 1.2)),
            "alp": round(rng.uniform(60, 125)),
            "potassium": round(rng.uniform(3.6, 4.9), 1),
            "sodium": round(rng.uniform(137, 144)),
        }

    def blood_pressure(self, cycle: int, cycle_day: int) -> tuple[int, int]:
        """Systolic and diastolic mmHg in the band of the hypertension grade (CTCAE v5.0)."""
        rng = self._rng(300, cycle, cycle_day)
        grade = self.worst_grade("Hypertension", cycle, cycle_day)
        systolic, diastolic = _BP_BANDS[grade]
        return int(rng.integers(*systolic)), int(rng.integers(*diastolic))

    def dipstick(self, cycle: int, cycle_day: int) -> str:
        grade = self.worst_grade("Proteinuria", cycle, cycle_day)
        if grade == 0:
            return "negative" if self._rng(400, cycle, cycle_day).random() < 0.85 else "trace"
        return {1: "1+", 2: "2+", 3: "4+"}[min(grade, 3)]

    # -- tumour, CgA, QoL ------------------------------------------------------------------

    def tumour_factor(self, day: int) -> float:
        """Sum of target diameters relative to baseline on ``day`` (before noise)."""
        towards = self.nadir_factor
        before = 1.0 - (1.0 - towards) * min(1.0, max(day, 0) / 168.0)
        progression = self.outcome.progression_day
        if progression is None or day < progression:
            return before
        if self.outcome.new_lesion_at_progression:
            return before * 1.05
        return before * (1.3 + 0.004 * (day - progression))

    def target_sizes_mm(self, day: int) -> dict[str, float]:
        """Each target lesion's diameter on ``day`` (mm), progression made unambiguous."""
        rng = self._rng(500, day)
        factor = self.tumour_factor(day)
        targets = [lesion for lesion in self.lesions if lesion.target]
        sizes = {
            t.label: max(round((t.baseline_mm or 0) * factor * rng.uniform(0.98, 1.02), 1), 5.0)
            for t in targets
        }
        progressed = self.progressed_by(day) and not self.outcome.new_lesion_at_progression
        if progressed:
            nadir = min(
                sum((t.baseline_mm or 0) for t in targets) * self.tumour_factor(d) * 0.98
                for d in range(0, day, 28)
            )
            needed = max(nadir * 1.25, nadir + 6.0)
            total = sum(sizes.values())
            if total < needed:
                scale = needed / total
                sizes = {label: round(mm * scale + 0.1, 1) for label, mm in sizes.items()}
        return sizes

    def new_lesions(self, day: int) -> str:
        new = self.progressed_by(day) and self.outcome.new_lesion_at_progression
        return "unequivocal" if new else "none"

    def cga_ng_ml(self, day: int) -> float:
        rng = self._rng(600, day)
        factor = float(self.tumour_factor(day) ** 1.6)
        if self.progressed_by(day):
            factor *= 1.5
        return round(max(self.cga_baseline * factor * float(rng.uniform(0.9, 1.1)), 20.0), 1)

    def qlq_answers(self, day: int, toxicity_grade: int) -> dict[str, int]:
        """EORTC QLQ-C30 v3.0 answers: items 1-28 from 1 (not at all) to 4 (very much), items
        29-30 from 1 (very poor) to 7 (excellent), driven by a burden that rises with the
        worst current toxicity grade and after progression."""
        rng = self._rng(700, day)
        burden = 0.12 + 0.35 * self.frailty + 0.12 * min(toxicity_grade, 3)
        if self.progressed_by(day):
            burden += 0.3
        burden = min(burden, 0.95)
        answers = {
            f"q{n}": int(np.clip(round(1 + 3 * burden + rng.normal(0, 0.55)), 1, 4))
            for n in range(1, 29)
        }
        for n in (29, 30):
            answers[f"q{n}"] = int(np.clip(round(7 - 6 * burden + rng.normal(0, 0.6)), 1, 7))
        return answers


# CTCAE v5.0 bands (10^9/L): grade 0 above the LLN (1.8 / 150 in the demo ranges), grade 1
# LLN-1.5 / LLN-75, grade 2 1.5-1.0 / 75-50, grade 3 1.0-0.5 / 50-25, grade 4 below 0.5 / 25.
_ANC_BANDS = {0: None, 1: (1.55, 1.75), 2: (1.05, 1.45), 3: (0.55, 0.95), 4: (0.2, 0.45)}
_PLT_BANDS = {0: None, 1: (80, 140), 2: (52, 73), 3: (27, 48), 4: (10, 23)}
# Hypertension (CTCAE v5.0): grade 0 < 120/80, 1: 120-139 or 80-89, 2: 140-159 or 90-99,
# 3: >= 160 or >= 100; upper bounds exclusive (numpy integers).
_BP_BANDS = {
    0: ((104, 119), (62, 79)),
    1: ((122, 138), (80, 89)),
    2: ((142, 158), (90, 99)),
    3: ((162, 176), (100, 108)),
}


def _in_band(value: float, band: tuple[float, float] | None, rng: np.random.Generator) -> float:
    """``value`` kept out of the toxicity bands (grade 0), or drawn inside the grade's band."""
    if band is None:
        return value
    return float(rng.uniform(*band))

"""Simulated screening candidates: the screening data the EDC posts, eligible or failing.

Pure (no Django). Every date counts back from the planned first dose, inside the protocol's
windows (PROTOCOL-NOTES.md, "Eligibility conventions"): labs and ECOG 7 days before, imaging
the screening day, a serum pregnancy test 3 days before for women of childbearing potential.
A failing candidate differs from an eligible one in the single item that its reason names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ramunet.simulate.rates import FAILURES

FAILURE_KEYS: tuple[str, ...] = tuple(key for key, _ in FAILURES)
FREE_TEXT_FAILURES: dict[str, str] = {
    "declined": "declined participation after the information talk",
    "withdrew": "withdrew consent before registration",
}


@dataclass(frozen=True)
class Baseline:
    """A candidate's baseline values that the later course reuses."""

    sex: str
    date_of_birth: dt.date
    weight_kg: float
    height_cm: float
    anc: float  # 10^9/L
    platelets: float  # 10^9/L
    hemoglobin: float  # g/dL
    creatinine: float  # mg/dL
    bilirubin: float  # mg/dL
    ast: float  # U/L
    alt: float  # U/L
    ki67_percent: float
    grade: str
    liver_metastases: bool
    childbearing_potential: bool


def draw_baseline(rng: np.random.Generator, screened_on: dt.date) -> Baseline:
    """An adult of 35-74 with a G1-G2 pNET and normal organ function (PNET: median age ~60)."""
    sex = "male" if rng.random() < 0.55 else "female"
    age = int(np.clip(rng.normal(60, 9), 35, 74))
    born = screened_on.replace(month=1, day=1) - dt.timedelta(days=365 * age + 190)
    born = born + dt.timedelta(days=int(rng.integers(0, 360)))
    height = float(np.round(rng.normal(178 if sex == "male" else 166, 7), 1))
    weight = float(np.round(np.clip(rng.normal(82 if sex == "male" else 68, 12), 45, 140), 1))
    ki67 = float(np.round(rng.uniform(1, 19), 0))
    return Baseline(
        sex=sex,
        date_of_birth=born,
        weight_kg=weight,
        height_cm=float(np.clip(height, 145, 205)),
        anc=float(np.round(rng.uniform(2.2, 6.0), 2)),
        platelets=float(np.round(rng.uniform(170, 380), 0)),
        hemoglobin=float(np.round(rng.uniform(11.8, 15.5), 1)),
        creatinine=float(np.round(rng.uniform(0.6, 1.1), 2)),
        bilirubin=float(np.round(rng.uniform(0.3, 1.0), 1)),
        ast=float(np.round(rng.uniform(15, 34), 0)),
        alt=float(np.round(rng.uniform(12, 33), 0)),
        ki67_percent=ki67,
        grade="G1" if ki67 < 3 else "G2",
        liver_metastases=bool(rng.random() < 0.8),
        childbearing_potential=sex == "female" and age < 50,
    )


def _lab(
    analyte: str, value: float | str, unit: str, day: dt.date, **limits: str
) -> dict[str, Any]:
    item: dict[str, Any] = {"analyte": analyte, "value": str(value), "unit": unit}
    item["date"] = day.isoformat()
    item.update(limits)
    return item


def screening_payload(
    base: Baseline,
    *,
    consent_date: dt.date,
    first_dose: dt.date,
    screened_on: dt.date,
    failure: str | None,
) -> dict[str, Any]:
    """The screening data of one candidate (``ramunet.protocol.screening_input`` format).

    ``failure`` (a key of ``rates.FAILURES`` or None) changes the one item that makes the
    candidate fail; "declined" and "withdrew" candidates are eligible.
    """
    labs_on = first_dose - dt.timedelta(days=7)
    ssa_start = first_dose - dt.timedelta(days=int(3.5 * 365))
    second_start = first_dose - dt.timedelta(days=int(1.6 * 365))
    anc = 1.2 if failure == "neutropenia" else base.anc
    bilirubin = 2.4 if failure == "bilirubin" else base.bilirubin
    ki67 = 27 if failure == "grade_g3" else base.ki67_percent
    grade = "G3" if failure == "grade_g3" else base.grade
    second = "dacarbazine" if failure == "prior_dacarbazine" else "everolimus"
    payload: dict[str, Any] = {
        "sex": base.sex,
        "date_of_birth": base.date_of_birth.isoformat(),
        "consent_date": consent_date.isoformat(),
        "planned_first_dose_date": first_dose.isoformat(),
        "tumour": {
            "histologically_confirmed": True,
            "primary_site": "pancreas",
            "differentiation": "well",
            "grade": grade,
            "ki67_percent": str(ki67),
            "metastatic": True,
            "resectable": False,
            "functional": False,
        },
        "imaging": {"date": screened_on.isoformat(), "measurable_disease": True},
        "prior_therapies": [
            {
                "category": "ssa",
                "agent": "lanreotide",
                "start_date": ssa_start.isoformat(),
                "end_date": (second_start - dt.timedelta(days=20)).isoformat(),
                "progression": failure != "no_progression",
            },
            {
                "category": second,
                "agent": second,
                "start_date": second_start.isoformat(),
                "end_date": (screened_on - dt.timedelta(days=30)).isoformat(),
                "progression": failure != "no_progression",
            },
        ],
        "ecog": {
            "value": 2 if failure == "ecog" else 0 if base.anc > 4 else 1,
            "date": labs_on.isoformat(),
        },
        "labs": [
            _lab("creatinine", base.creatinine, "mg/dL", labs_on, lln="0.5", uln="1.2"),
            _lab("bilirubin", bilirubin, "mg/dL", labs_on, uln="1.2"),
            _lab("ast", base.ast, "U/L", labs_on, uln="35"),
            _lab("alt", base.alt, "U/L", labs_on, uln="35"),
            _lab("anc", round(anc * 1000), "/mm3", labs_on),
            _lab("platelets", round(base.platelets * 1000), "/mm3", labs_on),
            _lab("hemoglobin", base.hemoglobin, "g/dL", labs_on),
            _lab("inr", "1.0", "ratio", labs_on),
            _lab("ptt", "31", "s", labs_on, uln="37"),
        ],
        "urine_dipsticks": [{"result": "negative", "date": labs_on.isoformat()}],
        "liver_metastases": base.liver_metastases,
        "therapeutic_anticoagulation": False,
        "medical_history": [],
        "other_malignancies": [],
        "liver_cirrhosis": {"present": False},
        "uncontrolled_hypertension_days": 45 if failure == "hypertension" else 0,
        "allergy_to_study_drugs": False,
        "concomitant_medications": [
            {"name": "pantoprazole", "category": "other", "daily_dose_mg": "40"},
        ],
        "childbearing_potential": base.childbearing_potential,
        "lactating": False,
        "pregnancy_tests": (
            [
                {
                    "type": "serum",
                    "result": "negative",
                    "date": (first_dose - dt.timedelta(days=3)).isoformat(),
                }
            ]
            if base.childbearing_potential
            else []
        ),
        "attestations": {
            "life_expectancy_over_12_weeks": True,
            "contraception_adequate": True,
            "able_to_consent": True,
            "uncontrolled_severe_disorder": False,
            "bleeding_risk_condition": False,
            "perforation_risk_factors": False,
            "planned_major_surgery": False,
        },
    }
    return payload

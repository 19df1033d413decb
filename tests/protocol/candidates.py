"""A fully eligible baseline candidate, as the dict the EDC posts, and small helpers.

``make_candidate(**overrides)`` replaces top-level keys; ``with_lab`` replaces one analyte's
results. All dates are relative to FIRST_DOSE so that a test reads as "n days before".
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from ramunet.protocol.eligibility import EligibilityResult, evaluate_eligibility_dict
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings

FIRST_DOSE = date(2026, 3, 16)
CONSENT = date(2026, 3, 2)


def days_before(days: int) -> str:
    """ISO date ``days`` before the planned first dose."""
    return (FIRST_DOSE - timedelta(days=days)).isoformat()


def lab(analyte: str, value: str, unit: str, *, uln: str | None = None, lln: str | None = None,
        days: int = 7) -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {
        "analyte": analyte,
        "value": value,
        "unit": unit,
        "date": days_before(days),
    }
    if uln is not None:
        item["uln"] = uln
    if lln is not None:
        item["lln"] = lln
    return item


BASELINE: dict[str, Any] = {
    "sex": "female",
    "date_of_birth": "1961-04-30",
    "consent_date": CONSENT.isoformat(),
    "planned_first_dose_date": FIRST_DOSE.isoformat(),
    "tumour": {
        "histologically_confirmed": True,
        "primary_site": "pancreas",
        "differentiation": "well",
        "grade": "G2",
        "ki67_percent": "8",
        "metastatic": True,
        "resectable": False,
        "functional": False,
    },
    "imaging": {"date": days_before(14), "measurable_disease": True},
    "prior_therapies": [
        {
            "category": "ssa",
            "agent": "lanreotide",
            "start_date": "2023-01-10",
            "end_date": "2024-06-01",
            "progression": True,
        },
        {
            "category": "everolimus",
            "agent": "everolimus",
            "start_date": "2024-06-15",
            "end_date": "2026-01-20",
            "progression": True,
        },
    ],
    "ecog": {"value": 1, "date": days_before(7)},
    "labs": [
        lab("creatinine", "0.9", "mg/dL", lln="0.5", uln="1.2"),
        lab("bilirubin", "0.8", "mg/dL", uln="1.2"),
        lab("ast", "30", "U/L", uln="40"),
        lab("alt", "28", "U/L", uln="40"),
        lab("anc", "3200", "/mm3"),
        lab("platelets", "210000", "/mm3"),
        lab("hemoglobin", "12.5", "g/dL"),
        lab("inr", "1.0", "ratio"),
        lab("ptt", "30", "s", uln="36"),
    ],
    "urine_dipsticks": [{"result": "negative", "date": days_before(7)}],
    "liver_metastases": True,
    "therapeutic_anticoagulation": False,
    "medical_history": [],
    "other_malignancies": [],
    "liver_cirrhosis": {"present": False},
    "uncontrolled_hypertension_days": 0,
    "allergy_to_study_drugs": False,
    "concomitant_medications": [
        {"name": "pantoprazole", "category": "other", "daily_dose_mg": "40"},
    ],
    "childbearing_potential": True,
    "lactating": False,
    "pregnancy_tests": [{"type": "serum", "result": "negative", "date": days_before(3)}],
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


def make_candidate(**overrides: Any) -> dict[str, Any]:
    """The eligible baseline with top-level keys replaced (a deep copy)."""
    candidate = copy.deepcopy(BASELINE)
    candidate.update(copy.deepcopy(overrides))
    return candidate


def with_lab(candidate: dict[str, Any], *results: dict[str, Any]) -> dict[str, Any]:
    """``candidate`` with every result of the given analytes replaced by ``results``."""
    replaced = {item["analyte"] for item in results}
    others = [item for item in candidate["labs"] if item["analyte"] not in replaced]
    return {**candidate, "labs": others + list(results)}


def without_lab(candidate: dict[str, Any], analyte: str) -> dict[str, Any]:
    return {**candidate, "labs": [i for i in candidate["labs"] if i["analyte"] != analyte]}


def with_attestation(candidate: dict[str, Any], **answers: bool | None) -> dict[str, Any]:
    return {**candidate, "attestations": {**candidate["attestations"], **answers}}


def history(kind: str, days: int | None = None, *, on: str | None = None, ongoing: bool = False,
            term: str = "") -> dict[str, Any]:  # fmt: skip
    """A history item ``days`` before the first dose (or on an ISO date ``on``)."""
    when = on if on is not None else (None if days is None else days_before(days))
    return {"kind": kind, "date": when, "ongoing": ongoing, "term": term}


def evaluate(
    candidate: dict[str, Any], settings: ProtocolSettings = DEFAULT_SETTINGS
) -> EligibilityResult:
    return evaluate_eligibility_dict(candidate, settings)


def state(candidate: dict[str, Any], criterion_id: str,
          settings: ProtocolSettings = DEFAULT_SETTINGS) -> str:  # fmt: skip
    """The state string of one criterion."""
    return evaluate(candidate, settings).result(criterion_id).state.value


def reason(candidate: dict[str, Any], criterion_id: str) -> str:
    return evaluate(candidate).result(criterion_id).reason

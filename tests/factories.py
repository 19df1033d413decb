"""Tiny factories for test data: plain functions over the audited services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ramunet.edc.sites import services
from ramunet.edc.sites.models import Centre

PASSWORD = "correct-horse-battery-staple"


def make_centre(
    code: str = "HAL", name: str = "Universitätsklinikum Halle", **fields: Any
) -> Centre:
    fields.setdefault("activated_on", dt.date(2019, 6, 1))
    return services.create_centre("system", code=code, name=name, **fields)


def make_person(username: str, role: str, centre: Centre | None = None, **fields: Any) -> Any:
    fields.setdefault("must_change_password", False)
    user = services.create_person(
        "system", username=username, printed_name=username.title(), password=PASSWORD, **fields
    )
    services.grant_role("system", user, role, centre)
    return user


def make_patient(centre: Centre, sequence: int = 1, **fields: Any) -> Any:
    """A registered patient written straight through the audit service (no eligibility run):
    for tests of what happens after registration."""
    from ramunet.edc.audit import services as audit
    from ramunet.edc.screening.models import Patient, ScreeningEntry

    entry = audit.create(
        ScreeningEntry(
            centre=centre,
            number=1000 + sequence,
            screened_on=dt.date(2026, 1, 5),
            year_of_birth=1960,
            sex="female",
            status=ScreeningEntry.Status.REGISTERED,
        ),
        actor="system",
    )
    fields.setdefault("consent_date", dt.date(2026, 1, 5))
    fields.setdefault("registered_on", dt.date(2026, 1, 12))
    fields.setdefault("planned_first_dose", dt.date(2026, 1, 19))
    fields.setdefault("first_dose", dt.date(2026, 1, 19))
    return audit.create(
        Patient(
            code=f"{centre.code}-{sequence:03d}",
            centre=centre,
            sequence=sequence,
            screening=entry,
            sex="female",
            year_of_birth=1960,
            **fields,
        ),
        actor="system",
    )


# -- screening and registration through the real services (screening, visits tests) -------

FIRST_DOSE = dt.date(2026, 3, 16)


def screening_payload(first_dose: dt.date = FIRST_DOSE, **overrides: Any) -> dict[str, Any]:
    """A fully eligible candidate's screening data (the dict the EDC posts), dated back from
    ``first_dose``; top-level keys replaced by ``overrides``."""

    def before(days: int) -> str:
        return (first_dose - dt.timedelta(days=days)).isoformat()

    def lab(analyte: str, value: str, unit: str, **limits: str) -> dict[str, Any]:
        return {"analyte": analyte, "value": value, "unit": unit, "date": before(7), **limits}

    payload: dict[str, Any] = {
        "sex": "female",
        "date_of_birth": "1961-04-30",
        "consent_date": before(14),
        "planned_first_dose_date": first_dose.isoformat(),
        "tumour": {
            "histologically_confirmed": True, "primary_site": "pancreas",
            "differentiation": "well", "grade": "G2", "ki67_percent": "8", "metastatic": True,
            "resectable": False, "functional": False,
        },
        "imaging": {"date": before(14), "measurable_disease": True},
        "prior_therapies": [
            {"category": "ssa", "agent": "lanreotide", "start_date": "2023-01-10",
             "end_date": "2024-06-01", "progression": True},
        ],
        "ecog": {"value": 1, "date": before(7)},
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
        "urine_dipsticks": [{"result": "negative", "date": before(7)}],
        "liver_metastases": True,
        "therapeutic_anticoagulation": False,
        "medical_history": [],
        "other_malignancies": [],
        "liver_cirrhosis": {"present": False},
        "uncontrolled_hypertension_days": 0,
        "allergy_to_study_drugs": False,
        "concomitant_medications": [],
        "childbearing_potential": True,
        "lactating": False,
        "pregnancy_tests": [{"type": "serum", "result": "negative", "date": before(3)}],
        "attestations": {
            "life_expectancy_over_12_weeks": True, "contraception_adequate": True,
            "able_to_consent": True, "uncontrolled_severe_disorder": False,
            "bleeding_risk_condition": False, "perforation_risk_factors": False,
            "planned_major_surgery": False,
        },
    }  # fmt: skip
    payload.update(overrides)
    return payload


def make_screened(
    centre: Centre, actor: Any = "system", first_dose: dt.date = FIRST_DOSE, **overrides: Any
) -> Any:
    """A candidate logged at ``centre`` with screening data entered (eligible by default)."""
    from ramunet.edc.screening import services as screening

    entry = screening.log_candidate(
        actor,
        centre,
        screened_on=first_dose - dt.timedelta(days=14),
        year_of_birth=1961,
        sex="female",
        initials="AB",
    )
    return screening.update_screening_data(
        actor, entry, screening_payload(first_dose, **overrides), expected_version=entry.version
    )


def make_registered(
    centre: Centre, actor: Any = "system", first_dose: dt.date = FIRST_DOSE, **fields: Any
) -> Any:
    """An eligible candidate registered through ``screening.services.register`` (with calendar)."""
    from ramunet.edc.screening import services as screening

    entry = make_screened(centre, "system", first_dose)
    fields.setdefault("registered_on", first_dose - dt.timedelta(days=7))
    return screening.register(
        actor,
        entry,
        consent_date=first_dose - dt.timedelta(days=14),
        planned_first_dose=first_dose,
        attestations_confirmed=True,
        **fields,
    )

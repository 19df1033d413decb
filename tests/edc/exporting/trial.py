"""A small trial built through the services: two centres, three patients, every export domain.

Patients: HAL-001 (baseline and two follow-up tumour assessments, labs with a missing code,
vitals, ECOG, QLQ-C30, both drugs, a serious adverse event, medications, history, a signed
casebook), HAL-002 (registered, treated once, a biosample and its translational result),
MAR-001 (died; end of treatment and of study).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ramunet.edc.crfs import models as crf
from ramunet.edc.crfs.services import save_form
from ramunet.edc.crfs.tumour import save_baseline_assessment, save_followup_assessment
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.factories import make_registered

FIRST_DOSE = dt.date(2026, 3, 16)
TODAY = dt.date(2026, 11, 20)


def _form(model: type[Any], patient: Any, visit: Any = None, **values: Any) -> Any:
    return save_form("system", model, patient=patient, visit=visit, values=values, today=TODAY).form


def _visit(patient: Any, code: str) -> Visit:
    return Visit.objects.get(patient=patient, code=code)


def _treated(centre: Any) -> Any:
    patient = make_registered(centre)
    c1 = _visit(patient, "C1D1")
    visits.record_visit("system", c1, FIRST_DOSE, today=TODAY)
    patient.refresh_from_db()
    _form(
        crf.Exposure,
        patient,
        c1,
        form_date=FIRST_DOSE,
        drug="ramucirumab",
        cycle=1,
        day=1,
        weight_kg=Decimal("70.0"),
        dose_given_mg=Decimal("560.00"),
    )
    return patient


def build_trial() -> dict[str, Any]:
    """The three patients of the module docstring, keyed by code."""
    from tests.factories import make_centre

    hal = make_centre("HAL", "Universitätsklinikum Halle")
    mar = make_centre("MAR", "Universitätsklinikum Marburg")
    first = _treated(hal)
    _form(
        crf.Exposure,
        first,
        None,
        form_date=FIRST_DOSE,
        drug="dacarbazine",
        cycle=1,
        day=1,
        weight_kg=Decimal("70.0"),
        height_cm=Decimal("170.0"),
        dose_given_mg=Decimal("1200.00"),
        deviation_reason="=rounded by pharmacy",
    )
    _form(
        crf.Demographics,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=10),
        year_of_birth=1961,
        sex="female",
        tumour_grade="G2",
        ki67_percent=Decimal("7.5"),
        liver_metastases=True,
    )
    _form(
        crf.Haematology,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=3),
        hemoglobin=Decimal("12.1"),
        anc=Decimal("2.5"),
        platelets=Decimal("210"),
        missing={"wbc": "ND"},
    )
    _form(
        crf.VitalSigns,
        first,
        form_date=FIRST_DOSE,
        systolic_mmhg=128,
        diastolic_mmhg=82,
        heart_rate_bpm=71,
        weight_kg=Decimal("70.0"),
        height_cm=Decimal("170.0"),
    )
    _form(crf.Ecog, first, form_date=FIRST_DOSE, ecog=1)
    _form(
        crf.QlqC30,
        first,
        form_date=FIRST_DOSE,
        **{f"q{n}": 1 + n % 4 for n in range(1, 29)},
        q29=5,
        q30=6,
    )
    _form(
        crf.ChromograninA,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=2),
        value=Decimal("310"),
        uln=Decimal("100"),
    )
    _form(
        crf.MedicalHistory,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=10),
        condition="arterial hypertension",
        onset="2015-04",
        ongoing=True,
    )
    _form(
        crf.ConcomitantMedication,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=10),
        medication="ramipril",
        indication="hypertension",
        daily_dose=Decimal("5"),
        dose_unit="mg",
        route="oral",
        start_date=dt.date(2015, 5, 1),
    )
    _form(
        crf.PriorTherapy,
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=10),
        category="ssa",
        regimen="octreotide LAR",
        start_date=dt.date(2024, 1, 10),
        end_date=dt.date(2025, 12, 1),
        progression=True,
        progression_date=dt.date(2025, 12, 1),
    )
    _form(
        crf.AdverseEvent,
        first,
        form_date=FIRST_DOSE + dt.timedelta(days=20),
        term="Hypertension",
        grade=3,
        serious=True,
        seriousness=["hospitalisation"],
        relation_ramucirumab="probable",
        relation_dacarbazine="unlikely",
        action_ramucirumab="delayed",
        outcome="recovered",
        end_date=FIRST_DOSE + dt.timedelta(days=30),
        sae_aware_at=dt.datetime(2026, 4, 5, 9, 0, tzinfo=dt.UTC),
        sae_reported_at=dt.datetime(2026, 4, 5, 15, 0, tzinfo=dt.UTC),
    )
    lesions = [
        {"label": "T1", "target": True, "organ": "liver", "diameter_mm": Decimal(30)},
        {"label": "T2", "target": True, "organ": "lung", "diameter_mm": Decimal(20)},
        {"label": "N1", "target": False, "organ": "bone"},
    ]
    save_baseline_assessment(
        "system",
        first,
        form_date=FIRST_DOSE - dt.timedelta(days=7),
        method="ct",
        lesions=lesions,
        today=TODAY,
    )
    for days, t1, t2, response in (
        (56, Decimal(25), Decimal(15), "PR"),
        (168, Decimal(24), "too small", "PR"),
    ):
        save_followup_assessment(
            "system",
            first,
            form_date=FIRST_DOSE + dt.timedelta(days=days),
            measurements={"T1": t1, "T2": t2},
            non_target="NON-CR/NON-PD",
            investigator_response=response,
            today=TODAY,
        )
    second = _treated(hal)
    sample = _form(
        crf.Biosample,
        second,
        form_date=FIRST_DOSE - dt.timedelta(days=20),
        kind="tissue_block",
        sample_id="B-2026-017",
    )
    _form(
        crf.TranslationalResult,
        second,
        form_date=FIRST_DOSE,
        sample=sample,
        marker="ki67",
        value=Decimal("8.0"),
        unit="%",
    )
    third = _treated(mar)
    died = FIRST_DOSE + dt.timedelta(days=40)
    _form(crf.EndOfTreatment, third, form_date=died, last_dose_date=FIRST_DOSE, reason="death")
    _form(crf.Death, third, form_date=died, death_date=died, cause="progression")
    _form(crf.EndOfStudy, third, form_date=died, end_date=died, reason="death")
    return {p.code: p for p in (first, second, third)}


def add_workflow(trial: dict[str, Any]) -> dict[str, Any]:
    """A signed casebook (HAL-001), an SDV mark and a query on its haematology form."""
    from ramunet.edc.queries import services as queries
    from ramunet.edc.review import services as review
    from ramunet.edc.sites.models import Centre
    from tests.factories import PASSWORD, make_person

    hal = Centre.objects.get(code="HAL")
    investigator = make_person("investigator.hal", "investigator", hal)
    monitor = make_person("monitor.export", "monitor")
    patient = trial["HAL-001"]
    haem = crf.Haematology.objects.get(patient=patient)
    review.verify_source(monitor, haem)
    query = queries.raise_query(monitor, haem, "anc", "=please confirm the ANC")
    queries.answer_query(investigator, query, "confirmed against the lab report")
    signature = review.sign_casebook(investigator, patient, password=PASSWORD)
    return {"haem": haem, "query": query, "signature": signature}

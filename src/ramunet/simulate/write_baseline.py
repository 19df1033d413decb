"""The screening visit's eCRFs of a registered patient, saved through the services.

Baseline history, examination, laboratory values (the screening data's), CgA, QLQ-C30, the
RECIST 1.1 baseline with its lesions (``crfs.tumour``) and the baseline samples.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ramunet.edc.crfs import tumour
from ramunet.edc.crfs.models import (
    Biosample,
    Coagulation,
    ConcomitantMedication,
    Demographics,
    Ecog,
    MedicalHistory,
    PregnancyTest,
    PriorTherapy,
    UrineProtein,
)
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from ramunet.simulate.course_model import PatientCourse
from ramunet.simulate.trial_model import Candidate
from ramunet.simulate.write_forms import (
    biosample,
    cga,
    chemistry,
    course_ecog,
    decimal_of,
    haematology,
    physical,
    qlq,
    save,
    vitals,
)


def screening_forms(
    actor: Any,
    patient: Patient,
    visit: Visit,
    candidate: Candidate,
    course: PatientCourse,
    cutoff: dt.date,
) -> list[Biosample]:
    """The screening visit's forms; returns the tissue block and the baseline serum sample."""
    base = candidate.base
    labs_on = candidate.first_dose - dt.timedelta(days=7)
    seen = candidate.screened_on
    save(
        actor,
        Demographics,
        patient,
        visit,
        form_date=seen,
        year_of_birth=base.date_of_birth.year,
        sex=base.sex,
        childbearing_potential=base.childbearing_potential if base.sex == "female" else None,
        ki67_percent=decimal_of(base.ki67_percent),
        tumour_grade=base.grade,
        diagnosis_date=candidate.first_dose - dt.timedelta(days=int(4.2 * 365)),
        liver_metastases=base.liver_metastases,
    )
    save(
        actor,
        MedicalHistory,
        patient,
        visit,
        form_date=seen,
        condition=course.comorbidity,
        onset=str(seen.year - 6),
        ongoing=True,
    )
    for therapy in candidate.payload["prior_therapies"]:
        save(
            actor,
            PriorTherapy,
            patient,
            visit,
            form_date=seen,
            category=therapy["category"],
            regimen=therapy["agent"],
            start_date=dt.date.fromisoformat(therapy["start_date"]),
            end_date=dt.date.fromisoformat(therapy["end_date"]),
            progression=therapy["progression"],
            progression_date=dt.date.fromisoformat(therapy["end_date"]),
        )
    save(
        actor,
        ConcomitantMedication,
        patient,
        visit,
        form_date=seen,
        medication="pantoprazole",
        indication="gastric protection",
        daily_dose=decimal_of(40),
        dose_unit="mg",
        route="oral",
        start_date=seen - dt.timedelta(days=400),
        ongoing=True,
    )
    physical(actor, patient, visit, seen, course, cycle=0, height=True)
    save(actor, Ecog, patient, visit, form_date=labs_on, ecog=course_ecog(course, 0))
    vitals(actor, patient, visit, seen, course, cycle=0, cycle_day=0, height=True)
    haematology(actor, patient, visit, labs_on, course, cycle=0, cycle_day=1)
    chemistry(actor, patient, visit, labs_on, course, cycle=0)
    save(
        actor,
        Coagulation,
        patient,
        visit,
        form_date=labs_on,
        inr=decimal_of("1.0"),
        ptt=decimal_of(31),
    )
    save(actor, UrineProtein, patient, visit, form_date=labs_on, dipstick="negative")
    if base.sex == "female":
        if base.childbearing_potential:
            save(
                actor,
                PregnancyTest,
                patient,
                visit,
                form_date=candidate.first_dose - dt.timedelta(days=3),
                test_type="serum",
                result="negative",
            )
        else:
            save(actor, PregnancyTest, patient, visit, form_date=seen, missing={"result": "NA"})
    cga(actor, patient, visit, seen, course, day=0)
    qlq(actor, patient, visit, seen, course, day=0, toxicity_grade=0)
    tumour.save_baseline_assessment(
        actor,
        patient,
        form_date=seen,
        method="ct",
        visit=visit,
        lesions=[
            {
                "label": lesion.label,
                "target": lesion.target,
                "organ": lesion.organ,
                "nodal": lesion.nodal,
                "diameter_mm": None
                if lesion.baseline_mm is None
                else decimal_of(lesion.baseline_mm),
            }
            for lesion in course.lesions
        ],
    )
    tissue = biosample(actor, patient, visit, seen, "tissue_block", 1, cutoff)
    serum = biosample(actor, patient, visit, seen, "serum", 2, cutoff)
    return [tissue, serum]

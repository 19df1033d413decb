"""Saving one simulated visit's eCRFs through ``crfs.services.save_form`` and ``crfs.tumour``.

Each function takes the person writing, the patient, the visit and the course (the pure
model of ``course_model``) and saves the forms a site would fill at that visit; the system
derives grades, doses, responses and endpoints and runs every edit check.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from ramunet.edc.crfs.models import (
    AdverseEvent,
    Biosample,
    Chemistry,
    ChromograninA,
    Exposure,
    FollowUp,
    Haematology,
    PhysicalExam,
    QlqC30,
    UrineProtein,
    VitalSigns,
)
from ramunet.edc.crfs.services import save_form
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from ramunet.simulate.course_model import AdverseEventPlan, PatientCourse

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
CGA_ULN_NG_ML = Decimal(100)  # the demo ranges' chromogranin A ULN


def decimal_of(value: float | int | str) -> Decimal:
    return Decimal(str(value))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def save(actor: Any, model: Any, patient: Patient, visit: Visit | None, **values: Any) -> Any:
    return save_form(actor, model, patient=patient, visit=visit, values=values).form


# -- single forms --------------------------------------------------------------------------


def course_ecog(course: PatientCourse, day: int) -> int:
    if course.progressed_by(day):
        return 2 if course.frailty > 0.35 else 1
    return 1 if course.frailty > 0.3 else 0


def physical(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    course: PatientCourse,
    *,
    cycle: int,
    height: bool = False,
) -> None:
    save(
        actor,
        PhysicalExam,
        patient,
        visit,
        form_date=day,
        height_cm=decimal_of(course.base.height_cm) if height else None,
        weight_kg=decimal_of(course.weight_kg(max(cycle, 1))),
        abnormal=False,
    )


def vitals(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    course: PatientCourse,
    *,
    cycle: int,
    cycle_day: int,
    height: bool = False,
) -> None:
    systolic, diastolic = course.blood_pressure(cycle, cycle_day)
    save(
        actor,
        VitalSigns,
        patient,
        visit,
        form_date=day,
        systolic_mmhg=systolic,
        diastolic_mmhg=diastolic,
        heart_rate_bpm=60 + (systolic + diastolic) % 25,
        temperature_c=decimal_of("36.6"),
        weight_kg=decimal_of(course.weight_kg(max(cycle, 1))),
        height_cm=decimal_of(course.base.height_cm) if height else None,
    )


def haematology(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    course: PatientCourse,
    *,
    cycle: int,
    cycle_day: int,
) -> None:
    values = course.haematology(cycle, cycle_day)
    save(
        actor,
        Haematology,
        patient,
        visit,
        form_date=day,
        **{name: decimal_of(value) for name, value in values.items()},
    )


def chemistry(
    actor: Any, patient: Patient, visit: Visit, day: dt.date, course: PatientCourse, *, cycle: int
) -> None:
    values = course.chemistry(cycle)
    save(
        actor,
        Chemistry,
        patient,
        visit,
        form_date=day,
        **{name: decimal_of(value) for name, value in values.items()},
    )


def urine(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    course: PatientCourse,
    *,
    cycle: int,
    cycle_day: int,
) -> None:
    save(
        actor,
        UrineProtein,
        patient,
        visit,
        form_date=day,
        dipstick=course.dipstick(cycle, cycle_day),
    )


def exposure(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    course: PatientCourse,
    *,
    cycle: int,
    cycle_day: int,
) -> None:
    """Ramucirumab (60 min) on days 1 and 15, then dacarbazine (30 min) on day 1."""
    weight = decimal_of(course.weight_kg(cycle))
    save(
        actor,
        Exposure,
        patient,
        visit,
        form_date=day,
        drug="ramucirumab",
        cycle=cycle,
        day=cycle_day,
        weight_kg=weight,
        dose_given_mg=decimal_of(course.ramucirumab_mg(cycle)),
        infusion_start=_at(day, 9),
        infusion_end=_at(day, 10),
    )
    if cycle_day == 1:
        # one EXPOSURE form per drug and visit: dacarbazine's is the visit's second
        dose, why = course.dacarbazine_mg(cycle)
        save(
            actor,
            Exposure,
            patient,
            visit,
            form_date=day,
            drug="dacarbazine",
            cycle=cycle,
            day=1,
            weight_kg=weight,
            height_cm=decimal_of(course.base.height_cm),
            dose_given_mg=decimal_of(dose),
            deviation_reason=why,
            infusion_start=_at(day, 10, 15),
            infusion_end=_at(day, 10, 45),
        )


def adverse_event(
    actor: Any, patient: Patient, onset: dt.date, plan: AdverseEventPlan, cutoff: dt.date
) -> None:
    end = onset + dt.timedelta(days=plan.days) if plan.days else None
    if end is not None and end > cutoff:
        end = None
    reduced = plan.grade >= 3 and plan.term.endswith("count decreased")
    save(
        actor,
        AdverseEvent,
        patient,
        None,
        form_date=onset,
        term=plan.term,
        grade=plan.grade,
        end_date=end,
        serious=plan.serious,
        seriousness=["hospitalisation"] if plan.serious else [],
        sae_aware_at=_at(onset, 11) if plan.serious else None,
        sae_reported_at=_at(onset, 16) if plan.serious else None,
        relation_ramucirumab=plan.related_ramucirumab,
        relation_dacarbazine=plan.related_dacarbazine,
        action_dacarbazine="reduced" if reduced else "none",
        outcome="recovered" if end else "not_recovered",
    )


def cga(
    actor: Any, patient: Patient, visit: Visit, on: dt.date, course: PatientCourse, *, day: int
) -> None:
    save(
        actor,
        ChromograninA,
        patient,
        visit,
        form_date=on,
        value=decimal_of(course.cga_ng_ml(day)),
        unit="ng/mL",
        uln=CGA_ULN_NG_ML,
    )


def qlq(
    actor: Any,
    patient: Patient,
    visit: Visit,
    on: dt.date,
    course: PatientCourse,
    *,
    day: int,
    toxicity_grade: int,
) -> None:
    save(actor, QlqC30, patient, visit, form_date=on, **course.qlq_answers(day, toxicity_grade))


def biosample(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    kind: str,
    number: int,
    cutoff: dt.date,
) -> Biosample:
    """A sample collected on ``day``, shipped the next day, received two days later (as far
    as the data cut-off has seen)."""
    shipped: dt.date | None = day + dt.timedelta(days=1)
    received: dt.date | None = day + dt.timedelta(days=3)
    if received is not None and received > cutoff:
        received = None
    if shipped is not None and shipped > cutoff:
        shipped = None
    form: Biosample = save(
        actor,
        Biosample,
        patient,
        visit,
        form_date=day,
        kind=kind,
        sample_id=f"{patient.code}-{number:02d}",
        shipped_on=shipped,
        received_on=received,
        condition="good",
    )
    return form


def follow_up(
    actor: Any,
    patient: Patient,
    visit: Visit,
    day: dt.date,
    progression: dt.date | None,
    therapy: str,
) -> None:
    save(
        actor,
        FollowUp,
        patient,
        visit,
        form_date=day,
        vital_status="alive",
        progression=progression is not None,
        progression_date=progression,
        subsequent_therapy=therapy if progression else "",
    )

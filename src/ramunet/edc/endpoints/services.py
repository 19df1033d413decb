"""``recompute``: derive one patient's endpoints from that patient's forms and store them.

Called by the eCRF services (``ramunet.edc.crfs.services.save_form`` and
``ramunet.edc.crfs.tumour``) whenever a form that feeds an endpoint changes. Writes the
``PatientEndpoints`` row through the audit service as actor ``system``, and only when a
value changed.

References
----------
PROTOCOL-NOTES.md "Endpoints" (binding); RECIST 1.1 (Eisenhauer et al. 2009) §4.4, §4.6-4.7;
clinical-rules.md §1.9-§1.11, §3, §5.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramunet import __version__
from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.recist import DEFAULT_RECIST
from ramunet.clinical.recist.endpoints import (
    disease_control_at_month_6,
    progression_free_survival,
)
from ramunet.edc import direct
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.crfs import tumour_course
from ramunet.edc.crfs.models import Death, FollowUp, FormRecord, TranslationalResult
from ramunet.edc.endpoints import measures
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.screening.models import Patient

RULES = {
    "best_response": "RECIST 1.1 §4.4.3, Table 3: best of the time-point responses up to the "
    "first PD; CR/PR confirmed >= 28 days later (unconfirmed also kept); SD only >= 42 days "
    "after the first dose (PROTOCOL-NOTES.md 'Endpoints')",
    "month6": "first evaluable RECIST 1.1 assessment on day 154..182 after the first dose; "
    "success with CR, PR, SD (NON-CR/NON-PD) and no progression or death before it",
    "progression": "the earlier of the first RECIST PD (back-dated for a confirmed equivocal "
    "new lesion) and a progression date reported on a FOLLOWUP form",
    "pfs": "first dose to progression or death; censored at the last adequate tumour "
    "assessment (at the first dose without one)",
    "os": "first dose to death (DEATH form); censored at the last contact alive: the latest "
    "form date (TRANSL, DEATH and EOS excepted) or FOLLOWUP contact with vital status alive",
    "cga": "clinical-rules.md §5: response >= 50% decrease, progression >= 25% increase from "
    "the last value on or before the first dose, baseline above the ULN",
    "dose_intensity": "mg given / mg planned per drug over cycles 1..last cycle given; planned "
    "8 mg/kg ramucirumab days 1 and 15, 650 mg/m2 dacarbazine day 1 (computed doses)",
    "qol": "EORTC QLQ-C30 v3.0 scores (Fayers et al. 2001), last questionnaire minus baseline; "
    ">= 10 points clinically meaningful (Osoba et al. 1998)",
}
NOT_TREATED = "no first dose: not in the analysis set (PROTOCOL-NOTES.md 'Endpoints')"


def _recist_part(patient: Patient, first_dose: dt.date) -> tuple[list[Any], dict[str, Any]]:
    """The timeline of overall responses and the RECIST fields (best responses, PD date)."""
    course = tumour_course.load_course(patient)
    inputs: dict[str, Any] = {"tumour_assessments": len(course.followups)}
    fields: dict[str, Any] = {"best_response": "NE", "best_response_confirmed": "NE"}
    if course.baseline is None:
        return [], fields | {"_note": "no baseline tumour assessment", "_inputs": inputs}
    inputs["baseline_date"] = course.baseline.form_date
    if course.baseline.form_date > first_dose:
        note = "the baseline scan is after the first dose: RECIST not evaluable"
        return [], fields | {"_note": note, "_inputs": inputs}
    try:
        result, _ = tumour_course.evaluate_course(patient, course)
    except InvalidInput as error:
        return [], fields | {"_note": f"RECIST evaluation failed: {error}", "_inputs": inputs}
    fields["best_response"] = result.best_overall_response.value
    fields["best_response_confirmed"] = result.confirmed_best_overall_response.value
    fields["_recist_progression"] = result.progression_date
    fields["_inputs"] = inputs
    return [(point.date, point.overall) for point in result.timepoints], fields


def _followup_progression(patient: Patient) -> dt.date | None:
    dates = FollowUp.objects.filter(
        patient=patient, progression=True, progression_date__isnull=False
    ).values_list("progression_date", flat=True)
    return min(dates, default=None)


def compute(patient: Patient) -> tuple[dict[str, Any], dict[str, Any]]:
    """The endpoint fields of ``patient`` and a summary of the inputs read."""
    first = patient.first_dose
    if first is None:
        blank = {"month6_reason": NOT_TREATED, "pfs_reason": NOT_TREATED, "os_reason": NOT_TREATED}
        return blank, {}
    timeline, recist = _recist_part(patient, first)
    inputs = recist.pop("_inputs")
    note = recist.pop("_note", "")
    reported = _followup_progression(patient)
    found = [d for d in (recist.pop("_recist_progression", None), reported) if d is not None]
    progression = min(found, default=None)
    death = Death.objects.filter(patient=patient).order_by("death_date").first()
    death_date = death.death_date if death else None
    control = disease_control_at_month_6(
        timeline, first_dose=first, progression_date=progression, death_date=death_date,
        settings=DEFAULT_RECIST,
    )  # fmt: skip
    pfs = progression_free_survival(
        timeline, first_dose=first, progression_date=progression, death_date=death_date
    )
    contact, contact_from = measures.last_contact_alive(patient)
    if death_date is not None:
        os_fields = {"os_event": True, "os_date": death_date, "os_reason": "death"}
    else:
        assert contact is not None  # the first dose at least
        why = f"censored at the last contact alive ({contact_from})"
        os_fields = {"os_event": False, "os_date": contact, "os_reason": why}
    os_fields["os_days"] = (os_fields["os_date"] - first).days
    cga_category, cga = measures.cga_best_response(patient, first)
    fields = recist | {
        "progression_date": progression,
        "month6_success": control.success,
        "month6_reason": control.reason + (f" ({note})" if note else ""),
        "month6_assessment_date": control.assessment_date,
        "pfs_event": pfs.event,
        "pfs_date": pfs.date,
        "pfs_days": pfs.days,
        "pfs_reason": pfs.reason,
        **os_fields,
        "cga_best_response": cga_category,
        "cga": jsonable(cga),
        "dose_intensity": jsonable(measures.dose_intensity(patient)),
        "qol_change": jsonable(measures.qol_change(patient, first)),
    }
    inputs |= {
        "first_dose": first,
        "death_date": death_date,
        "followup_progression_date": reported,
        "last_contact": contact,
        "recist_note": note,
    }
    return fields, inputs


def _stored(row: PatientEndpoints, names: list[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(row, name)) for name in names}


def _unchanged(row: PatientEndpoints, fields: dict[str, Any], provenance: dict[str, Any]) -> bool:
    same_fields = _stored(row, list(fields)) == jsonable(fields)
    old = {k: v for k, v in (row.provenance or {}).items() if k != "computed_at"}
    new = {k: v for k, v in provenance.items() if k != "computed_at"}
    return same_fields and old == new


# patients whose recomputation waits for the end of a ``deferred()`` block (None: not deferring)
_DEFERRED: ContextVar[dict[int, str] | None] = ContextVar("endpoints_deferred", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Recompute each changed patient's endpoints once, when the block ends without error,
    instead of after every form: for bulk writes (the simulator) inside one transaction.
    Inside the block the stored endpoints lag behind the forms; a nested block defers to the
    outer one."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending: dict[int, str] = {}
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for pk, source in pending.items():
        recompute(Patient.objects.select_related("centre").get(pk=pk), source=source)


@transaction.atomic
def recompute(patient: Patient, *, source: str = "a form change") -> PatientEndpoints | None:
    """Derive ``patient``'s endpoints from that patient's forms; store them if they changed.

    Writes through ``audit.create`` / ``audit.update`` as actor ``system`` with the reason
    "recomputed from <source>"; an unchanged result writes nothing. Inside ``deferred()``
    only notes the patient (returns None).
    """
    pending = _DEFERRED.get()
    if pending is not None:
        pending[patient.pk] = f"the forms written in bulk (last: {source})"
        return None
    fields, inputs = compute(patient)
    defaults = {f.name: f.get_default() for f in PatientEndpoints._meta.concrete_fields}
    names = [n for n in defaults if n not in ("id", "version", "patient", "provenance")]
    fields = {name: fields.get(name, defaults[name]) for name in names}
    provenance = jsonable(
        {
            "rules": RULES,
            "inputs": inputs,
            "software": f"ramunet {__version__}",
            "computed_at": timezone.now(),
        }
    )
    row = PatientEndpoints.objects.select_related("patient__centre").filter(patient=patient).first()
    if row is None:
        return audit.create(
            PatientEndpoints(patient=patient, provenance=provenance, **fields),
            actor="system",
            action="endpoints.computed",
            reason=f"computed from {source}",
        )
    if _unchanged(row, fields, provenance):
        return row
    return audit.update(
        row,
        fields | {"provenance": provenance},
        actor="system",
        expected_version=row.version,
        reason=f"recomputed from {source}",
        action="endpoints.recomputed",
    )


def extends_last_contact(patient: Patient, form: FormRecord) -> bool:
    """Whether a form (not one of the endpoint forms) moves a censored OS date later."""
    if isinstance(form, TranslationalResult) or patient.first_dose is None:
        return False
    if _DEFERRED.get() is not None:  # the deferred recomputation reads the contact anyway
        return True
    alias = PatientEndpoints.objects.db
    row = direct.fetchone(_os_status_sql(alias), [patient.pk], using=alias)
    return row is not None and row[0] is False and row[1] is not None and form.form_date > row[1]


@functools.cache
def _os_status_sql(alias: str) -> str:
    """The SQL reading a patient's OS event and date (one parameter: the patient's pk),
    compiled by Django once per database: building it through the ORM on every form save
    cost a sixth of the save. Both drivers give a bool and a date (Django registers the
    SQLite converters for the declared types)."""
    queryset = PatientEndpoints.objects.using(alias).filter(patient_id=0)
    sql, params = queryset.values_list("os_event", "os_date")[:1].query.sql_with_params()
    if list(params) != [0]:
        raise AssertionError(f"expected the patient's pk as the only parameter: {params}")
    return str(sql)

"""Documenting visits: a planned visit done or missed, an unscheduled visit added.

- A visit done outside its window is allowed and flagged: its audit action is
  ``visit.done.outside_window`` and ``days_outside_window`` gives the deviation, derived from the
  stored dates; the worklist lists such visits for review.
- A day-1 visit done inside its window on another day does not move later cycles (only a
  delay does).

References
----------
PROTOCOL-NOTES.md, "Schedule of assessments".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.services.calendar import days_outside_window
from ramunet.edc.visits.services.guards import (
    Actor,
    Status,
    _date,
    _not_future,
    _planned,
    _reason,
    _refuse_if_locked,
    _require,
)
from ramunet.edc.visits.services.shifts import _shift_from
from ramunet.protocol.schedule import FORM_CODES
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


@transaction.atomic
def record_visit(
    actor: Actor,
    visit: Visit,
    actual_date: dt.date,
    *,
    today: dt.date | None = None,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> Visit:
    """Record a planned visit as done on ``actual_date`` (not in the future).

    Outside the window it is still recorded, with the action ``visit.done.outside_window``.
    Cycle 1 day 1 is the first dose: the patient goes on treatment, and a first dose on another
    day than planned moves the calendar with it.
    """
    _require(actor, Capability.ENTER_DATA, visit.patient)
    _refuse_if_locked(visit.patient)
    day = _date(actual_date, "actual_date")
    _not_future(day, "actual_date", today)
    current = _planned(visit)
    patient = current.patient
    if current.code == "C1D1":
        if day < patient.registered_on:
            raise InvalidInput(
                "actual_date",
                f"is before the registration date {patient.registered_on.isoformat()} of "
                f"{patient.code}; the first dose follows registration",
                day.isoformat(),
            )
        shift = (day - current.planned_date).days
        if shift:
            _shift_from(actor, current, shift, f"first dose given on {day.isoformat()}", settings)
            current = Visit.objects.get(pk=current.pk)
        audit.update(
            patient,
            {"first_dose": day, "status": Patient.Status.ON_TREATMENT.value},
            actor=actor,
            expected_version=patient.version,
            reason="first dose given (cycle 1 day 1)",
            action="patient.first_dose",
        )
    current.actual_date = day
    outside = days_outside_window(current)
    return audit.update(
        current,
        {"status": Status.DONE.value, "actual_date": day},
        actor=actor,
        expected_version=current.version,
        reason=(
            f"done {abs(outside)} days {'after' if outside > 0 else 'before'} its window"
            if outside
            else "visit done"
        ),
        action="visit.done.outside_window" if outside else "visit.done",
    )


@transaction.atomic
def mark_missed(actor: Actor, visit: Visit, reason: str) -> Visit:
    """Record that a planned visit did not take place, and why."""
    _require(actor, Capability.ENTER_DATA, visit.patient)
    _refuse_if_locked(visit.patient)
    why = _reason(reason)
    current = _planned(visit)
    return audit.update(
        current,
        {"status": Status.MISSED.value, "note": why},
        actor=actor,
        expected_version=current.version,
        reason=why,
        action="visit.missed",
    )


def _forms(forms: Sequence[str]) -> list[str]:
    if isinstance(forms, str) or not forms:
        raise InvalidInput("forms", f"name at least one form; expected {', '.join(FORM_CODES)}")
    for index, code in enumerate(forms):
        if code not in FORM_CODES:
            raise UnknownTerm(f"forms.{index}", code, FORM_CODES)
    return list(dict.fromkeys(forms))


@transaction.atomic
def add_unscheduled(
    actor: Actor,
    patient: Patient,
    date: dt.date,
    reason: str,
    forms: Sequence[str],
    *,
    today: dt.date | None = None,
) -> Visit:
    """Add an unscheduled visit (``U01``, ``U02``, ...) done on ``date`` with its forms."""
    _require(actor, Capability.ENTER_DATA, patient)
    _refuse_if_locked(patient)
    day = _date(date, "date")
    _not_future(day, "date", today)
    why = _reason(reason)
    codes = _forms(forms)
    existing = Visit.objects.filter(patient=patient)
    number = existing.filter(unscheduled=True).count() + 1
    order = (existing.aggregate(n=Max("order"))["n"] or 0) + 1
    return audit.create(
        Visit(
            patient=patient,
            code=f"U{number:02d}",
            label=f"Unscheduled visit {number}",
            order=order,
            unscheduled=True,
            planned_date=day,
            earliest=day,
            latest=day,
            actual_date=day,
            status=Status.DONE,
            expected_forms=codes,
            note=why,
        ),
        actor=actor,
        action="visit.unscheduled.added",
        reason=why,
    )

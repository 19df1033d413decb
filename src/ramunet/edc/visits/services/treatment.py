"""Study treatment extended by further cycles, or ended: the calendar re-planned to match.

- Ending treatment cancels the cycle visits after the last dose and re-dates ``EOT`` to 14 days
  and ``SFU`` to 30 days after the last dose (in the regular plan the last dose is cycle 6
  day 15, day 154, and EOT falls on day 168, 14 days later). Assessments and follow-up visits
  stay: every patient is followed to month 24 and the month-6 assessment is the primary
  endpoint.

References
----------
PROTOCOL-NOTES.md, "Schedule of assessments".
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.services.calendar import (
    DAY15_OFFSET,
    FOLLOW_UP_VISIT,
    _cycle_count,
    _first_dose_reference,
    _new_visit,
    cycle_of,
)
from ramunet.edc.visits.services.guards import (
    Actor,
    Status,
    _date,
    _not_future,
    _reason,
    _refuse_if_locked,
    _require,
)
from ramunet.edc.visits.services.shifts import _move
from ramunet.protocol.schedule import planned_calendar
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


def _on_treatment(patient: Patient) -> Patient:
    current = Patient.objects.select_for_update().select_related("centre").get(pk=patient.pk)
    if current.status not in (Patient.Status.REGISTERED, Patient.Status.ON_TREATMENT):
        raise WorkflowError(
            f"treatment of {current.code} has ended (status: {current.get_status_display()})"
        )
    return current


@transaction.atomic
def extend_treatment(
    actor: Actor,
    patient: Patient,
    cycles: int,
    *,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> list[Visit]:
    """Add ``cycles`` further cycles (treatment continuing after month 6).

    The calendar is re-planned for the new number of cycles: new cycle visits and 12-weekly
    assessments are added (moved by the delay the last cycle has accumulated), ``EOT`` and
    ``SFU`` re-dated, and follow-up months that now fall within treatment cancelled (the
    12-weekly assessments replace them, as in ``visit_plan``). Returns the visits added.
    """
    _require(actor, Capability.ENTER_DATA, patient)
    _refuse_if_locked(patient)
    if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
        raise InvalidInput("cycles", "must be a whole number >= 1", cycles)
    current = _on_treatment(patient)
    visits = {v.code: v for v in Visit.objects.filter(patient=current)}
    count = _cycle_count(current)
    total = count + cycles
    first = _first_dose_reference(current)
    last_c1 = visits[f"C{count}D1"]
    offset = (
        last_c1.planned_date - (first + dt.timedelta(days=settings.cycle_length_days * (count - 1)))
    ).days
    why = f"treatment extended by {cycles} cycles to {total}"
    order = max(v.order for v in visits.values())
    plan = planned_calendar(first, total, settings)
    planned_codes = {item.code for item in plan}
    added: list[Visit] = []
    for item in plan:
        shift = 0 if FOLLOW_UP_VISIT.match(item.code) or item.code == "SCR" else offset
        existing = visits.get(item.code)
        if existing is None:
            order += 1
            added.append(
                audit.create(
                    _new_visit(current, item, order, shift),
                    actor=actor,
                    action="visit.planned",
                    reason=why,
                )
            )
        elif item.code in ("EOT", "SFU") and existing.status == Status.PLANNED:
            target = item.target + dt.timedelta(days=shift)
            _move(existing, (target - existing.planned_date).days, actor=actor, reason=why,
                  action="visit.rescheduled")  # fmt: skip
    for code, visit in visits.items():
        replaced = code not in planned_codes and FOLLOW_UP_VISIT.match(code)
        if replaced and visit.status == Status.PLANNED:
            audit.update(
                visit,
                {"status": Status.CANCELLED.value, "note": why},
                actor=actor,
                expected_version=visit.version,
                reason=f"{why}: the 12-weekly assessments replace it",
                action="visit.cancelled",
            )
    return added


def _redate(visit: Visit, target: dt.date, window_days: int, actor: Actor, reason: str) -> Visit:
    window = dt.timedelta(days=window_days)
    return audit.update(
        visit,
        {"planned_date": target, "earliest": target - window, "latest": target + window},
        actor=actor,
        expected_version=visit.version,
        reason=reason,
        action="visit.rescheduled",
    )


@transaction.atomic
def end_treatment(
    actor: Actor,
    patient: Patient,
    last_dose_date: dt.date,
    reason: str,
    *,
    today: dt.date | None = None,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> Patient:
    """End study treatment: cancel later cycle visits, schedule EOT and the safety follow-up.

    ``EOT`` is planned 14 days and ``SFU`` 30 days (``safety_follow_up_days``) after the last
    dose, each with the assessment window; the patient goes to follow-up.
    """
    _require(actor, Capability.ENTER_DATA, patient)
    _refuse_if_locked(patient)
    why = _reason(reason)
    last = _date(last_dose_date, "last_dose_date")
    _not_future(last, "last_dose_date", today)
    current = _on_treatment(patient)
    if current.first_dose is None:
        raise WorkflowError(f"{current.code} has no first dose recorded (cycle 1 day 1)")
    if last < current.first_dose:
        raise InvalidInput(
            "last_dose_date",
            f"is before the first dose {current.first_dose.isoformat()} of {current.code}",
            last.isoformat(),
        )
    note = f"treatment ended: {why}"
    planned = Visit.objects.filter(patient=current, status=Status.PLANNED)
    for visit in planned.select_related("patient__centre").order_by("order"):
        if cycle_of(visit) is not None and visit.planned_date > last:
            audit.update(
                visit,
                {"status": Status.CANCELLED.value, "note": note},
                actor=actor,
                expected_version=visit.version,
                reason=note,
                action="visit.cancelled",
            )
    window = settings.assessment_window_days
    after_last_dose = {
        "EOT": settings.cycle_length_days - DAY15_OFFSET,
        "SFU": settings.safety_follow_up_days,
    }
    for code, days in after_last_dose.items():
        visit = Visit.objects.select_related("patient__centre").get(patient=current, code=code)
        if visit.status != Status.PLANNED:
            raise WorkflowError(f"{visit} is {visit.get_status_display()} already")
        _redate(visit, last + dt.timedelta(days=days), window, actor, note)
    return audit.update(
        current,
        {"status": Patient.Status.FOLLOW_UP.value},
        actor=actor,
        expected_version=current.version,
        reason=note,
        action="patient.treatment_ended",
    )

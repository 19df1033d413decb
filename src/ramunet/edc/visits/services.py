"""A patient's visit calendar: generated from the protocol schedule, then kept up to date.

Every change is audited (``audit.services``), permission-checked and atomic. Readings where
the protocol is silent (PROTOCOL-NOTES.md, "Schedule of assessments"):

- The calendar comes from ``ramunet.protocol.schedule.planned_calendar`` (6 cycles by default);
  the screening visit ``SCR`` is recorded done on the screening-log date at registration.
- Cycle 1 day 1 is the first dose and defines day 0: recording it on another date than planned,
  or delaying it, moves the whole calendar, follow-up months included (they count from the
  start of treatment).
- Delaying cycle k day 1 (k >= 2) by n days moves that visit, every later cycle visit, and the
  visits tied to treatment days on or after its old date (12-weekly assessments ``W<nn>``,
  ``EOT``, ``SFU``) by n days with their windows; follow-up visits ``M<nn>``, fixed to calendar
  months after the first dose ("until 24 months after the start of treatment"), stay. Delaying
  a day-15 visit moves that visit only. Other visits are not delayed: recording one late is
  flagged (below) or it is marked missed.
- A visit done outside its window is allowed and flagged: its audit action is
  ``visit.done.outside_window`` and ``days_outside_window`` gives the deviation, derived from the
  stored dates; the worklist lists such visits for review.
- A day-1 visit done inside its window on another day does not move later cycles (only a
  delay does).
- Ending treatment cancels the cycle visits after the last dose and re-dates ``EOT`` to 14 days
  and ``SFU`` to 30 days after the last dose (in the regular plan the last dose is cycle 6
  day 15, day 154, and EOT falls on day 168, 14 days later). Assessments and follow-up visits
  stay: every patient is followed to month 24 and the month-6 assessment is the primary
  endpoint.

Permissions: ENTER_DATA at the patient's centre for every change (the nurse documents visits);
REGISTER for generating the calendar. Actor ``"system"`` is not permission-checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, LockedError, UnknownTerm, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.protocol.schedule import FORM_CODES, PlannedVisit, planned_calendar
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings

Actor = Any  # a Django user, or "system" for internal and demo writes

CYCLE_VISIT = re.compile(r"^C(?P<cycle>\d+)D(?P<day>1|15)$")
TREATMENT_DAY_VISIT = re.compile(r"^(W\d+|EOT|SFU)$")
FOLLOW_UP_VISIT = re.compile(r"^M\d+$")
DAY15_OFFSET = 14  # cycle k day 15 is 14 days after cycle k day 1
Status = Visit.Status


def _require(actor: Actor, capability: Capability, patient: Patient) -> None:
    if isinstance(actor, str):  # "system": internal and demo writes act as themselves
        return
    access.require(actor, capability, patient.centre_id)


def _refuse_if_locked(patient: Patient) -> None:
    if patient.locked:
        raise LockedError(f"patient {patient.code} is locked")
    if audit.database_locked():  # audit refuses the write anyway; refuse before any work
        raise LockedError("the database is locked; no trial data can change")


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise InvalidInput("reason", "a reason is required")
    return reason.strip()


def _date(value: object, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a date", value)
    return value


def _not_future(day: dt.date, field: str, today: dt.date | None) -> None:
    now = today or timezone.localdate()
    if day > now:
        raise InvalidInput(field, f"is in the future (today is {now.isoformat()})", day.isoformat())


def _planned(visit: Visit) -> Visit:
    """The stored visit, locked; refused unless still planned."""
    current = Visit.objects.select_for_update().select_related("patient__centre").get(pk=visit.pk)
    if current.status != Status.PLANNED:
        raise WorkflowError(
            f"{current} is {current.get_status_display()}; only a planned visit can change"
        )
    return current


def cycle_of(visit: Visit) -> tuple[int, int] | None:
    """``(cycle, day)`` of a cycle visit (``C3D15`` -> ``(3, 15)``), else None."""
    match = CYCLE_VISIT.match(visit.code)
    return (int(match["cycle"]), int(match["day"])) if match else None


def days_outside_window(visit: Visit) -> int:
    """How far the actual date lies outside the window: 0 inside, < 0 early, > 0 late."""
    if visit.actual_date is None:
        return 0
    if visit.actual_date < visit.earliest:
        return (visit.actual_date - visit.earliest).days
    if visit.actual_date > visit.latest:
        return (visit.actual_date - visit.latest).days
    return 0


def _new_visit(patient: Patient, item: PlannedVisit, order: int, shift_days: int = 0) -> Visit:
    shift = dt.timedelta(days=shift_days)
    return Visit(
        patient=patient,
        code=item.code,
        label=item.visit.label,
        order=order,
        planned_date=item.target + shift,
        earliest=item.earliest + shift,
        latest=item.latest + shift,
        expected_forms=list(item.visit.forms),
    )


@transaction.atomic
def generate_calendar(
    actor: Actor,
    patient: Patient,
    first_dose: dt.date,
    *,
    cycles: int | None = None,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> list[Visit]:
    """Create the patient's visits from ``planned_calendar`` (6 cycles unless ``cycles``).

    ``SCR`` is created done on the screening-log date; the others planned.

    References
    ----------
    PROTOCOL-NOTES.md, "Schedule of assessments"; ``ramunet.protocol.schedule``.
    """
    _require(actor, Capability.REGISTER, patient)
    _refuse_if_locked(patient)
    first = _date(first_dose, "first_dose")
    if Visit.objects.filter(patient=patient).exists():
        raise WorkflowError(f"{patient.code} already has a calendar")
    created = []
    for index, item in enumerate(planned_calendar(first, cycles, settings), start=1):
        visit = _new_visit(patient, item, order=index)
        if item.code == "SCR":
            visit.status = Status.DONE
            visit.actual_date = patient.screening.screened_on
        created.append(audit.create(visit, actor=actor, action="visit.planned"))
    return created


def _move(visit: Visit, days: int, *, actor: Actor, reason: str, action: str) -> Visit:
    shift = dt.timedelta(days=days)
    return audit.update(
        visit,
        {
            "planned_date": visit.planned_date + shift,
            "earliest": visit.earliest + shift,
            "latest": visit.latest + shift,
        },
        actor=actor,
        expected_version=visit.version,
        reason=reason,
        action=action,
    )


def _first_dose_reference(patient: Patient) -> dt.date:
    """Day 0 of the calendar: cycle 1 day 1 as done, else as planned."""
    c1 = Visit.objects.get(patient=patient, code="C1D1")
    return c1.actual_date or c1.planned_date


def _cycle_count(patient: Patient) -> int:
    return sum(1 for v in Visit.objects.filter(patient=patient) if (cycle_of(v) or (0, 0))[1] == 1)


def _shift_from(
    actor: Actor,
    visit: Visit,
    days: int,
    reason: str,
    settings: ProtocolSettings,
) -> list[Visit]:
    """Move ``visit`` and what depends on it by ``days`` (module docstring); the moved visits."""
    cycle, day = cycle_of(visit) or (0, 0)
    patient = visit.patient
    why = f"{visit.code} moved by {days} days: {reason}"
    if day == 15:
        return [_move(visit, days, actor=actor, reason=why, action="visit.delayed")]
    later = Visit.objects.filter(patient=patient, status=Status.PLANNED, unscheduled=False)
    later = later.select_related("patient__centre")  # each move is audited with its scope
    later = later.exclude(pk=visit.pk).order_by("planned_date", "order")
    moved = [_move(visit, days, actor=actor, reason=why, action="visit.delayed")]
    if cycle == 1:
        # The first dose moved: day 0 moves, follow-up months are recomputed from it.
        new_first = visit.planned_date + dt.timedelta(days=days)
        months = {p.code: p for p in planned_calendar(new_first, _cycle_count(patient), settings)}
        for other in later:
            if other.code == "SCR":
                continue
            if FOLLOW_UP_VISIT.match(other.code) and other.code in months:
                target = months[other.code]
                offset = (target.target - other.planned_date).days
                moved.append(
                    _move(other, offset, actor=actor, reason=why, action="visit.rescheduled")
                )
            else:
                moved.append(
                    _move(other, days, actor=actor, reason=why, action="visit.rescheduled")
                )
        return moved
    for other in later:
        other_cycle = cycle_of(other)
        tied = (
            bool(TREATMENT_DAY_VISIT.match(other.code)) and other.planned_date >= visit.planned_date
        )
        if (other_cycle is not None and other_cycle[0] >= cycle) or tied:
            moved.append(_move(other, days, actor=actor, reason=why, action="visit.rescheduled"))
    return moved


@transaction.atomic
def delay_visit(
    actor: Actor,
    visit: Visit,
    new_date: dt.date,
    reason: str,
    *,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> list[Visit]:
    """Delay a cycle visit to ``new_date``; a day-1 delay moves the later schedule too.

    Returns the moved visits, the delayed one first (module docstring for what moves).
    """
    _require(actor, Capability.ENTER_DATA, visit.patient)
    _refuse_if_locked(visit.patient)
    why = _reason(reason)
    day = _date(new_date, "new_date")
    current = _planned(visit)
    if cycle_of(current) is None:
        raise InvalidInput(
            "visit",
            "only cycle visits (C<k>D1, C<k>D15) can be delayed; record an assessment late "
            "(flagged outside its window) or mark it missed",
            current.code,
        )
    days = (day - current.planned_date).days
    if days <= 0:
        raise InvalidInput(
            "new_date",
            f"must be after the planned date {current.planned_date.isoformat()} of {current.code}",
            day.isoformat(),
        )
    return _shift_from(actor, current, days, why, settings)


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


def planned_visits(patient: Patient) -> Iterable[Visit]:
    """The patient's visits in date order (planned date, then calendar order)."""
    return Visit.objects.filter(patient=patient).order_by("planned_date", "order")

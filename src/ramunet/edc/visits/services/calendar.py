"""The calendar itself: visit codes, windows, and the visits generated at registration.

The calendar comes from ``ramunet.protocol.schedule.planned_calendar`` (6 cycles by default);
the screening visit ``SCR`` is recorded done on the screening-log date at registration
(PROTOCOL-NOTES.md, "Schedule of assessments"; the other readings are in ``shifts``,
``recording`` and ``treatment``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction

from ramunet.clinical.errors import WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.services.guards import Actor, Status, _date, _refuse_if_locked, _require
from ramunet.protocol.schedule import PlannedVisit, planned_calendar
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings

CYCLE_VISIT = re.compile(r"^C(?P<cycle>\d+)D(?P<day>1|15)$")
TREATMENT_DAY_VISIT = re.compile(r"^(W\d+|EOT|SFU)$")
FOLLOW_UP_VISIT = re.compile(r"^M\d+$")
DAY15_OFFSET = 14  # cycle k day 15 is 14 days after cycle k day 1


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


def _first_dose_reference(patient: Patient) -> dt.date:
    """Day 0 of the calendar: cycle 1 day 1 as done, else as planned."""
    c1 = Visit.objects.get(patient=patient, code="C1D1")
    return c1.actual_date or c1.planned_date


def _cycle_count(patient: Patient) -> int:
    return sum(1 for v in Visit.objects.filter(patient=patient) if (cycle_of(v) or (0, 0))[1] == 1)


def planned_visits(patient: Patient) -> Iterable[Visit]:
    """The patient's visits in date order (planned date, then calendar order)."""
    return Visit.objects.filter(patient=patient).order_by("planned_date", "order")

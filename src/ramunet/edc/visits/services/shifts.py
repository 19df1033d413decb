"""Moving visits: a delayed cycle visit, and what moves with it (a delayed or late first dose).

- Cycle 1 day 1 is the first dose and defines day 0: recording it on another date than planned,
  or delaying it, moves the whole calendar, follow-up months included (they count from the
  start of treatment).
- Delaying cycle k day 1 (k >= 2) by n days moves that visit, every later cycle visit, and the
  visits tied to treatment days on or after its old date (12-weekly assessments ``W<nn>``,
  ``EOT``, ``SFU``) by n days with their windows; follow-up visits ``M<nn>``, fixed to calendar
  months after the first dose ("until 24 months after the start of treatment"), stay. Delaying
  a day-15 visit moves that visit only. Other visits are not delayed: recording one late is
  flagged or it is marked missed (``recording``).

References
----------
PROTOCOL-NOTES.md, "Schedule of assessments".
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.services.calendar import (
    FOLLOW_UP_VISIT,
    TREATMENT_DAY_VISIT,
    _cycle_count,
    cycle_of,
)
from ramunet.edc.visits.services.guards import (
    Actor,
    Status,
    _date,
    _planned,
    _reason,
    _refuse_if_locked,
    _require,
)
from ramunet.protocol.schedule import planned_calendar
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


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

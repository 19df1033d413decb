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

Modules
-------
guards      permission, lock and input checks every service runs first
calendar    visit codes and windows, the calendar generated at registration, planned visits
shifts      a delayed cycle visit and what moves with it
recording   a planned visit done or missed, an unscheduled visit added
treatment   treatment extended by further cycles, or ended

Every public name is re-exported here, so callers keep ``from ramunet.edc.visits import
services as visits``.
"""

from __future__ import annotations

from ramunet.edc.visits.services.calendar import (
    CYCLE_VISIT,
    DAY15_OFFSET,
    FOLLOW_UP_VISIT,
    TREATMENT_DAY_VISIT,
    cycle_of,
    days_outside_window,
    generate_calendar,
    planned_visits,
)
from ramunet.edc.visits.services.guards import Actor, Status
from ramunet.edc.visits.services.recording import add_unscheduled, mark_missed, record_visit
from ramunet.edc.visits.services.shifts import delay_visit
from ramunet.edc.visits.services.treatment import end_treatment, extend_treatment

__all__ = [
    "CYCLE_VISIT",
    "DAY15_OFFSET",
    "FOLLOW_UP_VISIT",
    "TREATMENT_DAY_VISIT",
    "Actor",
    "Status",
    "add_unscheduled",
    "cycle_of",
    "days_outside_window",
    "delay_visit",
    "end_treatment",
    "extend_treatment",
    "generate_calendar",
    "mark_missed",
    "planned_visits",
    "record_visit",
]

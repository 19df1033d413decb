"""A patient's visit calendar: generated from the protocol schedule, then kept up to date.

Every change is audited (``audit.services``), permission-checked (``guards``) and atomic.
Where the protocol is silent (PROTOCOL-NOTES.md, "Schedule of assessments"), each module
states the reading it implements: the calendar and the screening visit (``calendar``), a
late or delayed first dose and a delayed cycle (``shifts``), a visit done outside its window
or on another day inside it (``recording``), and the end of treatment (``treatment``).

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

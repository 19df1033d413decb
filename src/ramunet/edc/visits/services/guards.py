"""The checks every visit service runs first: permission, patient and database lock, inputs.

Permissions: ENTER_DATA at the patient's centre for every change (the nurse documents visits);
REGISTER for generating the calendar. Actor ``"system"`` is not permission-checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, LockedError, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit

Actor = Any  # a Django user, or "system" for internal and demo writes
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

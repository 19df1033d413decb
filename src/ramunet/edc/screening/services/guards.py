"""The checks every screening service runs first: permission, database lock, an open entry.

Actor ``"system"`` (a string) stands for internal and demo writes and is not permission-checked.
"""

from __future__ import annotations

from typing import Any

from ramunet.clinical.errors import InvalidInput, LockedError, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

Actor = Any  # a Django user, or "system" for internal and demo writes


def _require(actor: Actor, capability: Capability, centre: Centre | None) -> None:
    if isinstance(actor, str):  # "system": internal and demo writes act as themselves
        return
    access.require(actor, capability, centre)


def _reason(reason: str, field: str = "reason") -> str:
    if not reason or not reason.strip():
        raise InvalidInput(field, "a reason is required")
    return reason.strip()


def _refuse_if_database_locked() -> None:
    """Refuse before any work; ``audit`` refuses every write of trial data anyway."""
    if audit.database_locked():
        raise LockedError("the database is locked; no trial data can change")


def _open_entry(entry: ScreeningEntry) -> ScreeningEntry:
    """The stored entry, locked for this transaction; refused unless still in screening."""
    current = ScreeningEntry.objects.select_for_update().select_related("centre").get(pk=entry.pk)
    if current.status != ScreeningEntry.Status.OPEN:
        raise WorkflowError(
            f"{current.label} is {current.get_status_display()}; only a candidate in screening "
            "can be changed"
        )
    return current

"""Enrolment: the study-wide status (target, closure) and a data manager's enrolment override.

- OVERRIDE_ENROLMENT (data manager, study-wide): set the enrolment target, close or reopen
  enrolment (``set_enrolment``), and allow one candidate's registration beyond the target or
  after enrolment closed (``grant_enrolment_override``), each with a reason.
"""

from __future__ import annotations

from django.db import transaction

from ramunet.clinical.errors import InvalidInput, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient, ScreeningEntry, StudyStatus
from ramunet.edc.screening.services.guards import Actor, _open_entry, _reason
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability


@transaction.atomic
def study_status() -> StudyStatus:
    """The study-wide status singleton (pk=1), created through the audit trail when missing."""
    status = StudyStatus.objects.filter(pk=1).first()
    if status is None:
        status = audit.create(StudyStatus(pk=1), actor="system", action="study.status.created")
    return status


@transaction.atomic
def set_enrolment(
    actor: Actor,
    *,
    expected_version: int,
    reason: str,
    target: int | None = None,
    closed: bool | None = None,
) -> StudyStatus:
    """A data manager sets the enrolment target and/or closes or reopens enrolment.

    Registration then needs an override beyond the target or while enrolment is closed
    (``_enrolment_override``). A target below the number of patients already registered is
    refused (close enrolment instead); a target equal to it closes registration to new
    patients without an override. Nothing to change is refused too, so that every call
    leaves its reason in the audit trail.
    """
    if isinstance(actor, str):
        raise PermissionRefused("the enrolment is set by a data manager, not the system")
    access.require(actor, Capability.OVERRIDE_ENROLMENT)
    if access.centre_ids(actor, Capability.OVERRIDE_ENROLMENT) is not None:
        raise PermissionRefused(
            f"{actor.get_username()} may override enrolment only at some centres; the "
            "enrolment of the whole study needs a study-wide data manager"
        )
    why = _reason(reason)
    current = _locked_study_status()
    changes: dict[str, object] = {}
    if target is not None:
        registered = Patient.objects.count()
        if target < 1:
            raise InvalidInput("enrolment_target", "at least 1 patient", target)
        if target < registered:
            raise InvalidInput(
                "enrolment_target",
                f"not below the {registered} patients already registered (close enrolment instead)",
                target,
            )
        if target != current.enrolment_target:
            changes["enrolment_target"] = target
    if closed is not None and closed != current.enrolment_closed:
        changes["enrolment_closed"] = closed
    if not changes:
        raise InvalidInput(
            "enrolment",
            f"nothing to change: the target is {current.enrolment_target} and enrolment is "
            f"{'closed' if current.enrolment_closed else 'open'}",
        )
    action = "study.enrolment.changed"
    if set(changes) == {"enrolment_closed"}:
        action = "study.enrolment.closed" if closed else "study.enrolment.reopened"
    return audit.update(
        current, changes, actor=actor, expected_version=expected_version, reason=why, action=action
    )


def _locked_study_status() -> StudyStatus:
    study_status()
    return StudyStatus.objects.select_for_update().get(pk=1)


def _enrolment_override(
    actor: Actor, entry: ScreeningEntry, status: StudyStatus, override_reason: str
) -> str:
    """The override reason when enrolment is full or closed ('' when not needed)."""
    registered = Patient.objects.count()
    why: list[str] = []
    if status.enrolment_closed:
        why.append("enrolment is closed")
    if registered >= status.enrolment_target:
        why.append(
            f"the enrolment target of {status.enrolment_target} is reached "
            f"({registered} registered)"
        )
    if not why:
        if override_reason.strip():
            raise InvalidInput(
                "override_reason",
                f"no override is needed: {registered} of {status.enrolment_target} registered "
                "and enrolment open",
                override_reason,
            )
        return ""
    if entry.enrolment_override_reason:
        return f"{entry.enrolment_override_reason} (granted by {entry.enrolment_override_by})"
    refusal = (
        f"{entry.label} cannot be registered: {' and '.join(why)}; registration beyond the "
        "target or after closure needs a data manager's override (override enrolment) "
        "with a reason"
    )
    if not override_reason.strip():
        raise PermissionRefused(refusal)
    may_override = isinstance(actor, str) or access.can(
        actor, Capability.OVERRIDE_ENROLMENT, entry.centre
    )
    if not may_override:
        raise PermissionRefused(refusal)
    return f"{override_reason.strip()} (granted by {audit.actor_name(actor)})"


@transaction.atomic
def grant_enrolment_override(actor: Actor, entry: ScreeningEntry, *, reason: str) -> ScreeningEntry:
    """A data manager allows this candidate's registration beyond the target or after closure.

    The investigator then registers as usual; the reason and the data manager's name are copied
    to the patient (``Patient.override_reason``).
    """
    if isinstance(actor, str):
        raise PermissionRefused("an enrolment override needs a data manager, not the system")
    access.require(actor, Capability.OVERRIDE_ENROLMENT, entry.centre)
    why = _reason(reason)
    current = _open_entry(entry)
    return audit.update(
        current,
        {"enrolment_override_reason": why, "enrolment_override_by": actor.get_username()},
        actor=actor,
        expected_version=entry.version,
        reason=why,
        action="screening.enrolment_override.granted",
    )

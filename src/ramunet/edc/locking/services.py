"""Freezing a form and locking a patient, and lifting either with a reason.

A frozen form or a locked patient refuses every write through every path, because every path
writes through ``audit.services``, which asks the row's ``check_writable`` first. Lifting a
freeze or a lock needs a data manager (UNLOCK), a reason, and is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import FormRecord
from ramunet.edc.locking.checklist import Checklist, checklist
from ramunet.edc.queries.models import Query
from ramunet.edc.review.models import FormMark
from ramunet.edc.review.services import mark_status
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("reason", "a reason is required to lift a freeze or a lock")
    return reason.strip()


@transaction.atomic
def freeze_form(actor: Any, form: FormRecord) -> FormRecord:
    """Freeze a reviewed form: no change until a data manager lifts the freeze."""
    access.require(actor, Capability.REVIEW, form.patient.centre_id)
    if form.frozen:
        raise WorkflowError(f"{form.FORM_CODE} form #{form.pk} is frozen already")
    if not mark_status(form, FormMark.Kind.REVIEW).valid:
        raise WorkflowError(
            f"{form.FORM_CODE} form #{form.pk} must be reviewed by data management "
            "before it is frozen"
        )
    return audit.update(
        form,
        {"frozen": True},
        actor=actor,
        expected_version=form.version,
        reason="frozen after review",
        action="locking.form.frozen",
    )


@transaction.atomic
def unfreeze_form(actor: Any, form: FormRecord, *, reason: str) -> FormRecord:
    access.require(actor, Capability.UNLOCK, form.patient.centre_id)
    if not form.frozen:
        raise WorkflowError(f"{form.FORM_CODE} form #{form.pk} is not frozen")
    return audit.update(
        form,
        {"frozen": False},
        actor=actor,
        expected_version=form.version,
        reason=_reason(reason),
        action="locking.form.unfrozen",
        unlocking=True,
    )


@transaction.atomic
def lock_patient(actor: Any, patient: Patient) -> Patient:
    """Lock a patient's whole casebook once no query about it is open."""
    access.require(actor, Capability.REVIEW, patient.centre_id)
    if patient.locked:
        raise WorkflowError(f"patient {patient.code} is locked already")
    open_queries = Query.objects.filter(patient=patient).exclude(status=Query.Status.CLOSED)
    if open_queries.exists():
        raise WorkflowError(
            f"patient {patient.code} has {open_queries.count()} open queries; close them first"
        )
    return audit.update(
        patient,
        {"locked": True},
        actor=actor,
        expected_version=patient.version,
        reason="patient locked",
        action="locking.patient.locked",
    )


@transaction.atomic
def unlock_patient(actor: Any, patient: Patient, *, reason: str) -> Patient:
    access.require(actor, Capability.UNLOCK, patient.centre_id)
    if not patient.locked:
        raise WorkflowError(f"patient {patient.code} is not locked")
    return audit.update(
        patient,
        {"locked": False},
        actor=actor,
        expected_version=patient.version,
        reason=_reason(reason),
        action="locking.patient.unlocked",
        unlocking=True,
    )


@transaction.atomic
def lock_database(
    actor: Any, *, justifications: dict[str, str] | None = None, today: Any = None
) -> Checklist:
    """Lock the database once the checklist is green, or every open item is justified.

    The checklist as it stood and the justifications are kept in the audit record.
    """
    access.require(actor, Capability.REVIEW)
    access.require(actor, Capability.UNLOCK)  # only a data manager locks the database
    if audit.database_locked():
        raise WorkflowError("the database is locked already")
    status = checklist(actor, today)
    given = {k: v.strip() for k, v in (justifications or {}).items() if v.strip()}
    unjustified = [item for item in status.open_items() if item.code not in given]
    if unjustified:
        listed = "; ".join(f"{item.label}: {item.count}" for item in unjustified)
        raise WorkflowError(f"the database cannot be locked: {listed} (justify or resolve each)")
    audit.set_database_lock(
        True,
        actor=actor,
        reason="database lock",
        data={
            "checklist": {item.code: item.count for item in status.items},
            "justifications": given,
        },
    )
    return status


@transaction.atomic
def unlock_database(actor: Any, *, reason: str) -> None:
    access.require(actor, Capability.UNLOCK)
    if not audit.database_locked():
        raise WorkflowError("the database is not locked")
    audit.set_database_lock(False, actor=actor, reason=_reason(reason), data={})

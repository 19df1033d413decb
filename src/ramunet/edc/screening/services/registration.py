"""Registration: an eligible candidate becomes a patient with a pseudonymous code (``HAL-003``)
and the visit calendar, in one transaction.

- REGISTER and the centre's investigator role: registration. Registering confirms the
  eligibility attestations and the consent date, which is the investigator's responsibility
  (ICH E6(R2) 4.3, 4.8; the protocol's screening log is kept by the investigator), so a nurse,
  who holds REGISTER for preparing the registration, is refused with that reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.screening.services.eligibility import evaluate
from ramunet.edc.screening.services.enrolment import _enrolment_override, _locked_study_status
from ramunet.edc.screening.services.guards import (
    Actor,
    _open_entry,
    _refuse_if_database_locked,
    _require,
)
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability, Role
from ramunet.edc.visits import services as visits
from ramunet.protocol.eligibility import EligibilityResult, Verdict


def _require_investigator(actor: Actor, centre: Centre) -> None:
    """Only the centre's investigator confirms the attestations (module docstring)."""
    if isinstance(actor, str):
        return
    if any(g.role is Role.INVESTIGATOR and g.centre_id == centre.pk for g in access.grants(actor)):
        return
    held = ", ".join(sorted(r.value for r in access.roles(actor))) or "no role"
    raise PermissionRefused(
        f"{actor.get_username()} ({held}) may not confirm the eligibility attestations at "
        f"centre {centre.code}: only the centre's investigator registers a patient"
    )


def _check_verdict(
    entry: ScreeningEntry, result: EligibilityResult, confirmed_criteria: Iterable[str]
) -> list[str]:
    """The criteria the investigator confirms; refuses unless eligible or fully confirmed."""
    confirmed = sorted(set(confirmed_criteria))
    needed = list(result.needs_confirmation())
    if result.verdict in (Verdict.NOT_ELIGIBLE, Verdict.INCOMPLETE):
        open_ids = result.failing() or result.missing()
        state = "not met" if result.verdict is Verdict.NOT_ELIGIBLE else "data missing"
        raise WorkflowError(
            f"{entry.label} is {result.verdict.value} ({state}: {', '.join(open_ids)}); "
            "only an eligible candidate can be registered"
        )
    for criterion in confirmed:
        if criterion not in needed:
            raise InvalidInput(
                "confirmed_criteria",
                "does not need the investigator's confirmation; needed: "
                f"{', '.join(needed) or 'none'}",
                criterion,
            )
    for criterion in needed:
        if criterion not in confirmed:
            raise InvalidInput(
                "confirmed_criteria",
                f"{criterion} needs the investigator's confirmation: "
                f"{result.result(criterion).reason}",
            )
    return confirmed


def _check_dates(
    entry: ScreeningEntry,
    result: EligibilityResult,
    consent_date: dt.date,
    planned_first_dose: dt.date,
    registered_on: dt.date,
) -> None:
    data = result.screening
    for field, given, recorded in (
        ("consent_date", consent_date, data.consent_date),
        ("planned_first_dose", planned_first_dose, data.planned_first_dose_date),
    ):
        if given != recorded:
            raise InvalidInput(
                field,
                f"differs from {recorded.isoformat()} in the screening data of {entry.label}, "
                "on which eligibility was assessed; correct the screening data first",
                given.isoformat(),
            )
    if consent_date > registered_on:
        raise InvalidInput(
            "consent_date",
            f"is after the registration date {registered_on.isoformat()}; consent comes first",
            consent_date.isoformat(),
        )
    if planned_first_dose < registered_on:
        raise InvalidInput(
            "planned_first_dose",
            f"is before the registration date {registered_on.isoformat()}; "
            "registration comes before the first dose",
            planned_first_dose.isoformat(),
        )


@transaction.atomic
def register(
    actor: Actor,
    entry: ScreeningEntry,
    *,
    consent_date: dt.date,
    planned_first_dose: dt.date,
    attestations_confirmed: bool,
    override_reason: str = "",
    confirmed_criteria: Iterable[str] = (),
    registered_on: dt.date | None = None,
) -> Patient:
    """Register an eligible candidate: pseudonymous code, patient row and visit calendar.

    Parameters
    ----------
    actor
        The centre's investigator (REGISTER at the entry's centre and the investigator role).
    entry
        An open screening entry whose stored data the engine finds eligible, or "needs review"
        with every criterion needing confirmation listed in ``confirmed_criteria``.
    consent_date, planned_first_dose
        Must equal the screening data's (eligibility windows count from the first dose).
    attestations_confirmed
        The investigator's confirmation of the eligibility attestations; required.
    override_reason
        Only beyond the enrolment target or after closure, and only from an actor holding
        OVERRIDE_ENROLMENT; otherwise a data manager grants the override beforehand
        (``grant_enrolment_override``).
    registered_on
        Default: today (local date).

    Returns
    -------
    Patient
        Coded ``<centre>-<nnn>`` (``HAL-003``) in the centre's registration order, with its
        calendar (``visits.services.generate_calendar``) made in the same transaction.
    """
    centre = entry.centre
    _require(actor, Capability.REGISTER, centre)
    _require_investigator(actor, centre)
    _refuse_if_database_locked()
    status = _locked_study_status()
    current = _open_entry(entry)
    if not attestations_confirmed:
        raise InvalidInput(
            "attestations_confirmed",
            "the investigator must confirm the eligibility attestations to register",
            attestations_confirmed,
        )
    if not current.data:
        raise WorkflowError(f"{current.label} has no screening data; enter them first")
    result = evaluate(current)
    confirmed = _check_verdict(current, result, confirmed_criteria)
    day = registered_on or timezone.localdate()
    _check_dates(current, result, consent_date, planned_first_dose, day)
    override = _enrolment_override(actor, current, status, override_reason)
    last = Patient.objects.filter(centre=centre).aggregate(n=Max("sequence"))["n"] or 0
    sequence = last + 1
    patient = audit.create(
        Patient(
            code=f"{centre.code}-{sequence:03d}",
            centre=centre,
            sequence=sequence,
            screening=current,
            sex=current.sex,
            year_of_birth=current.year_of_birth,
            consent_date=consent_date,
            registered_on=day,
            planned_first_dose=planned_first_dose,
            override_reason=override,
        ),
        actor=actor,
        action="patient.registered",
        reason=override,
    )
    confirmation = f"; investigator confirmed {', '.join(confirmed)}" if confirmed else ""
    audit.update(
        current,
        {"status": ScreeningEntry.Status.REGISTERED.value},
        actor=actor,
        expected_version=current.version,
        reason=f"registered as {patient.code} ({result.verdict.value}{confirmation})",
        action="screening.candidate.registered",
    )
    visits.generate_calendar(actor, patient, planned_first_dose)
    return patient

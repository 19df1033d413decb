"""The screening log and registration: every change audited, permission-checked, atomic.

A candidate is logged at a centre without a name (``log_candidate``), the screening data are
entered and evaluated by the eligibility engine (``update_screening_data``), and the entry ends
as a screening failure with its reasons, a withdrawal, or a registration (``register``), which
gives the patient a pseudonymous code (``HAL-003``) and the visit calendar in one transaction.

Who may do what (``ramunet.edc.sites.roles``):

- SCREEN (investigator, nurse of the centre): log candidates, enter screening data, record a
  screening failure, withdraw a candidate. The nurse prepares everything.
- REGISTER and the centre's investigator role: registration. Registering confirms the
  eligibility attestations and the consent date, which is the investigator's responsibility
  (ICH E6(R2) 4.3, 4.8; the protocol's screening log is kept by the investigator), so a nurse,
  who holds REGISTER for preparing the registration, is refused with that reason.
- OVERRIDE_ENROLMENT (data manager): allow one candidate's registration beyond the enrolment
  target or after enrolment closed, with a reason (``grant_enrolment_override``).

Actor ``"system"`` (a string) stands for internal and demo writes and is not permission-checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ramunet.clinical.errors import (
    InvalidInput,
    LockedError,
    PermissionRefused,
    WorkflowError,
)
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.screening.models import Patient, ScreeningEntry, StudyStatus
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability, Role
from ramunet.edc.visits import services as visits
from ramunet.protocol.eligibility import EligibilityResult, Verdict, evaluate_eligibility
from ramunet.protocol.screening_input import screening_from_dict

Actor = Any  # a Django user, or "system" for internal and demo writes

_INITIALS = re.compile(r"^[A-Z]{0,3}$")
_CRITERION_ID = re.compile(r"^(IN|EX)\d\d$")
SEXES = ("female", "male")
OLDEST_YEARS = 120


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


# -- study status --------------------------------------------------------------------------


@transaction.atomic
def study_status() -> StudyStatus:
    """The study-wide status singleton (pk=1), created through the audit trail when missing."""
    status = StudyStatus.objects.filter(pk=1).first()
    if status is None:
        status = audit.create(StudyStatus(pk=1), actor="system", action="study.status.created")
    return status


def _locked_study_status() -> StudyStatus:
    study_status()
    return StudyStatus.objects.select_for_update().get(pk=1)


# -- screening log -------------------------------------------------------------------------


@transaction.atomic
def log_candidate(
    actor: Actor,
    centre: Centre,
    *,
    screened_on: dt.date,
    year_of_birth: int,
    sex: str,
    initials: str = "",
) -> ScreeningEntry:
    """Log a candidate considered at ``centre``; numbered per centre (``HAL-S001``).

    No names: year of birth, sex and optional initials (at most 3 letters) only. Every
    candidate is logged, screening failures included (PROTOCOL-NOTES.md, "Population").
    """
    _require(actor, Capability.SCREEN, centre)
    _refuse_if_database_locked()
    if not isinstance(screened_on, dt.date) or isinstance(screened_on, dt.datetime):
        raise InvalidInput("screened_on", "must be a date", screened_on)
    if sex not in SEXES:
        raise InvalidInput("sex", f"not recognised; expected {', '.join(SEXES)}", sex)
    oldest = screened_on.year - OLDEST_YEARS
    if isinstance(year_of_birth, bool) or not isinstance(year_of_birth, int):
        raise InvalidInput("year_of_birth", "must be a whole number", year_of_birth)
    if not oldest <= year_of_birth <= screened_on.year:
        raise InvalidInput(
            "year_of_birth", f"must lie between {oldest} and {screened_on.year}", year_of_birth
        )
    letters = (initials or "").strip().upper()
    if not _INITIALS.match(letters):
        raise InvalidInput("initials", "at most 3 letters A-Z, no names", initials)
    # One candidate number at a time per centre: lock the centre row for the transaction.
    Centre.objects.select_for_update().get(pk=centre.pk)
    last = ScreeningEntry.objects.filter(centre=centre).aggregate(n=Max("number"))["n"] or 0
    return audit.create(
        ScreeningEntry(
            centre=centre,
            number=last + 1,
            screened_on=screened_on,
            year_of_birth=year_of_birth,
            sex=sex,
            initials=letters,
        ),
        actor=actor,
        action="screening.candidate.logged",
    )


def findings_of(result: EligibilityResult) -> list[dict[str, str]]:
    """The engine's per-criterion findings as stored on the screening entry."""
    return [
        {"id": item.id, "state": item.state.value, "reason": item.reason}
        for item in result.criteria
    ]


def evaluate(entry: ScreeningEntry) -> EligibilityResult:
    """Re-run the eligibility engine on the entry's stored screening data."""
    return evaluate_eligibility(screening_from_dict(entry.data))


@transaction.atomic
def update_screening_data(
    actor: Actor,
    entry: ScreeningEntry,
    data: Mapping[str, Any],
    *,
    expected_version: int,
    reason: str = "",
) -> ScreeningEntry:
    """Store the screening data as posted and the eligibility engine's verdict and findings.

    The engine validates the data; its ``InvalidInput`` (naming the dotted field, e.g.
    ``labs.0.uln``) reaches the caller unchanged and nothing is saved. Sex and year of birth
    must agree with the screening log. The first entry needs no reason; a change does.

    References
    ----------
    ``ramunet.protocol.eligibility`` and PROTOCOL-NOTES.md, "Eligibility conventions".
    """
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    current = _open_entry(entry)
    screening = screening_from_dict(data)
    if screening.sex.value != current.sex:
        raise InvalidInput(
            "sex",
            f"differs from the screening log's {current.sex} for {current.label}",
            data["sex"],
        )
    if screening.date_of_birth.year != current.year_of_birth:
        raise InvalidInput(
            "date_of_birth",
            f"differs from the screening log's year of birth {current.year_of_birth} "
            f"for {current.label}",
            screening.date_of_birth.isoformat(),
        )
    result = evaluate_eligibility(screening)
    why = reason.strip() or ("" if current.data else "screening data entered")
    return audit.update(
        current,
        {
            "data": jsonable(dict(data)),
            "verdict": result.verdict.value,
            "findings": findings_of(result),
        },
        actor=actor,
        expected_version=expected_version,
        reason=why,
        action="screening.data.updated",
    )


def _failure_reasons(entry: ScreeningEntry, reasons: Sequence[str]) -> list[dict[str, str]]:
    if isinstance(reasons, str) or not reasons:
        raise InvalidInput("reasons", "name at least one reason (criterion not met or free text)")
    findings = {item["id"]: item for item in entry.findings}
    not_met = [key for key, item in findings.items() if item["state"] == "not met"]
    kept: list[dict[str, str]] = []
    for index, raw in enumerate(reasons):
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            raise InvalidInput(f"reasons.{index}", "must be a criterion id or a text", raw)
        if _CRITERION_ID.match(text):
            if text not in not_met:
                raise InvalidInput(
                    f"reasons.{index}",
                    f"is not a criterion found not met; not met: {', '.join(not_met) or 'none'}",
                    text,
                )
            kept.append({"criterion": text, "reason": findings[text]["reason"]})
        else:
            kept.append({"criterion": "", "reason": text})
    return kept


@transaction.atomic
def record_screening_failure(
    actor: Actor, entry: ScreeningEntry, reasons: Sequence[str]
) -> ScreeningEntry:
    """Close the entry as a screening failure, keeping each reason.

    ``reasons`` holds criterion ids found not met by the engine (``"IN09"``: kept with the
    engine's reason) and free text (e.g. ``"declined participation"``).
    """
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    current = _open_entry(entry)
    kept = _failure_reasons(current, reasons)
    summary = "; ".join(
        f"{item['criterion']}: {item['reason']}" if item["criterion"] else item["reason"]
        for item in kept
    )
    return audit.update(
        current,
        {"status": ScreeningEntry.Status.FAILED.value, "failure_reasons": kept},
        actor=actor,
        expected_version=entry.version,
        reason=f"screening failure: {summary}",
        action="screening.candidate.failed",
    )


@transaction.atomic
def withdraw_candidate(actor: Actor, entry: ScreeningEntry, reason: str) -> ScreeningEntry:
    """Close the entry: the candidate withdrew (or was withdrawn) before registration."""
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    why = _reason(reason)
    current = _open_entry(entry)
    return audit.update(
        current,
        {"status": ScreeningEntry.Status.WITHDRAWN.value, "closed_reason": why},
        actor=actor,
        expected_version=entry.version,
        reason=why,
        action="screening.candidate.withdrawn",
    )


# -- registration --------------------------------------------------------------------------


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

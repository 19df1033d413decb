"""A simulated candidate written through the screening log and registration services.

The centre's nurse logs the candidate and enters the screening data (the eligibility engine
evaluates them); a failing candidate is closed with the criteria the engine found not met, or
with the free-text reason; an eligible one is registered by the centre's investigator, which
makes the visit calendar.
"""

from __future__ import annotations

from typing import Any

from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.simulate.cast import Cast
from ramunet.simulate.screening_model import FREE_TEXT_FAILURES
from ramunet.simulate.trial_model import Candidate


def write_candidate(cast: Cast, candidate: Candidate) -> Patient | ScreeningEntry:
    """Log, screen and close or register one candidate; the patient when registered."""
    nurse = cast.nurses[candidate.centre]
    entry = screening.log_candidate(
        nurse,
        cast.centres[candidate.centre],
        screened_on=candidate.screened_on,
        year_of_birth=candidate.base.date_of_birth.year,
        sex=candidate.base.sex,
        initials=candidate.initials,
    )
    entry = screening.update_screening_data(
        nurse, entry, candidate.payload, expected_version=entry.version
    )
    if candidate.failure == "withdrew":
        return screening.withdraw_candidate(nurse, entry, FREE_TEXT_FAILURES["withdrew"])
    if candidate.failure in FREE_TEXT_FAILURES:
        return screening.record_screening_failure(
            nurse, entry, [FREE_TEXT_FAILURES[candidate.failure]]
        )
    if candidate.failure is not None:
        not_met = [item["id"] for item in entry.findings if item["state"] == "not met"]
        return screening.record_screening_failure(nurse, entry, not_met)
    return screening.register(
        cast.investigators[candidate.centre],
        entry,
        consent_date=candidate.consent_date,
        planned_first_dose=candidate.first_dose,
        attestations_confirmed=True,
        registered_on=candidate.registered_on,
    )


def ensure_enrolment_target(data_manager: Any, patients: int) -> None:
    """Raise the study's enrolment target to ``patients`` (a synthetic trial larger than the
    protocol's 45), as the data manager, through the audit service."""
    status = screening.study_status()
    if status.enrolment_target >= patients:
        return
    screening.set_enrolment(
        data_manager,
        expected_version=status.version,
        reason=f"synthetic trial of {patients} patients (ramunet simulate)",
        target=patients,
    )

"""Registration: eligible candidates only, the investigator's confirmation, codes, enrolment cap."""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import InvalidInput, LockedError, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import services as sites
from ramunet.edc.visits.models import Visit
from tests.factories import FIRST_DOSE, make_person, make_registered, make_screened


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


CONSENT = dt.date(2026, 3, 2)
REGISTERED_ON = dt.date(2026, 3, 9)
TEMOZOLOMIDE = [
    {"category": "ssa", "agent": "lanreotide", "start_date": "2023-01-10",
     "end_date": "2024-06-01", "progression": True},
    {"category": "temozolomide", "agent": "temozolomide", "start_date": "2024-07-01",
     "end_date": "2025-01-10", "progression": True},
]  # fmt: skip


def register(actor, entry, **fields):
    fields.setdefault("consent_date", CONSENT)
    fields.setdefault("planned_first_dose", FIRST_DOSE)
    fields.setdefault("attestations_confirmed", True)
    fields.setdefault("registered_on", REGISTERED_ON)
    return screening.register(actor, entry, **fields)


def set_status(**changes):
    status = screening.study_status()
    audit.update(
        status, changes, actor="system", expected_version=status.version, reason="test setup"
    )


def stored(entry: ScreeningEntry) -> ScreeningEntry:
    return ScreeningEntry.objects.get(pk=entry.pk)


# -- the happy path ------------------------------------------------------------------------


def test_investigator_registers_an_eligible_candidate(investigator_a, centre_a):
    entry = make_screened(centre_a)
    patient = register(investigator_a, entry)
    assert patient.code == "HAL-001"
    assert (patient.sex, patient.year_of_birth) == ("female", 1961)
    assert (patient.consent_date, patient.planned_first_dose) == (CONSENT, FIRST_DOSE)
    assert (patient.registered_on, patient.status) == (REGISTERED_ON, "registered")
    assert stored(entry).status == "registered"
    assert audit.verify().ok


def test_registration_makes_the_calendar_in_the_same_step(investigator_a, centre_a):
    patient = register(investigator_a, make_screened(centre_a))
    visits = Visit.objects.filter(patient=patient)
    assert visits.count() == 23  # SCR, 6 x (D1, D15), W12, W24, EOT, SFU, M09..M24
    assert visits.get(code="C1D1").planned_date == FIRST_DOSE
    assert visits.get(code="SCR").status == "done"


def test_pseudonyms_count_per_centre_in_registration_order(
    investigator_a, investigator_b, centre_a, centre_b
):
    codes = [
        register(investigator_a, make_screened(centre_a)).code,
        register(investigator_b, make_screened(centre_b)).code,
        register(investigator_a, make_screened(centre_a)).code,
    ]
    failed = make_screened(centre_a)
    screening.record_screening_failure(investigator_a, failed, ["declined participation"])
    codes.append(register(investigator_a, make_screened(centre_a)).code)
    assert codes == ["HAL-001", "MAR-001", "HAL-002", "HAL-003"]


def test_registration_is_audited_with_patient_and_centre(investigator_a, centre_a):
    patient = register(investigator_a, make_screened(centre_a))
    record = AuditRecord.objects.get(action="patient.registered")
    assert (record.actor, record.patient, record.centre) == ("investigator.a", patient.code, "HAL")
    entry_record = AuditRecord.objects.get(action="screening.candidate.registered")
    assert entry_record.reason == "registered as HAL-001 (eligible)"


# -- who may register ----------------------------------------------------------------------


def test_nurse_may_prepare_but_not_confirm_the_attestations(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    with pytest.raises(PermissionRefused) as error:
        register(nurse_a, entry)
    assert str(error.value) == (
        "nurse.a (nurse) may not confirm the eligibility attestations at centre HAL: "
        "only the centre's investigator registers a patient"
    )
    assert not Patient.objects.exists()


def test_another_centres_investigator_may_not_register(investigator_b, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(PermissionRefused) as error:
        register(investigator_b, entry)
    assert str(error.value) == "investigator.b (investigator) may not register at centre HAL"


def test_attestations_must_be_confirmed(investigator_a, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, entry, attestations_confirmed=False)
    assert str(error.value) == (
        "attestations_confirmed False: the investigator must confirm the eligibility "
        "attestations to register"
    )


# -- the verdict ---------------------------------------------------------------------------


def test_a_candidate_not_eligible_is_refused(investigator_a, centre_a):
    entry = make_screened(centre_a, ecog={"value": 2, "date": "2026-03-09"})
    with pytest.raises(WorkflowError) as error:
        register(investigator_a, entry)
    assert str(error.value) == (
        "HAL-S001 is not eligible (not met: IN05); only an eligible candidate can be registered"
    )
    assert stored(entry).status == "open"


def test_an_incomplete_candidate_is_refused(investigator_a, centre_a):
    entry = make_screened(centre_a, ecog=None)
    with pytest.raises(WorkflowError) as error:
        register(investigator_a, entry)
    assert str(error.value) == (
        "HAL-S001 is incomplete (data missing: IN05); only an eligible candidate can be registered"
    )


def test_a_candidate_without_screening_data_is_refused(investigator_a, centre_a):
    entry = screening.log_candidate(
        "system", centre_a, screened_on=CONSENT, year_of_birth=1961, sex="female"
    )
    with pytest.raises(WorkflowError) as error:
        register(investigator_a, entry)
    assert str(error.value) == "HAL-S001 has no screening data; enter them first"


def test_needs_review_is_refused_until_the_investigator_confirms_the_item(investigator_a, centre_a):
    entry = make_screened(centre_a, prior_therapies=TEMOZOLOMIDE)
    assert entry.verdict == "needs review"
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, entry)
    assert str(error.value).startswith(
        "confirmed_criteria: IN04 needs the investigator's confirmation: progression under "
    )
    patient = register(investigator_a, entry, confirmed_criteria=["IN04"])
    assert patient.code == "HAL-001"
    record = AuditRecord.objects.get(action="screening.candidate.registered")
    assert record.reason == "registered as HAL-001 (needs review; investigator confirmed IN04)"


def test_confirming_a_criterion_that_needs_no_confirmation_is_refused(investigator_a, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, entry, confirmed_criteria=["IN04"])
    assert str(error.value) == (
        "confirmed_criteria 'IN04': does not need the investigator's confirmation; needed: none"
    )


# -- dates ---------------------------------------------------------------------------------


def test_a_consent_date_other_than_screened_is_refused(investigator_a, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, entry, consent_date=dt.date(2026, 3, 3))
    assert str(error.value) == (
        "consent_date '2026-03-03': differs from 2026-03-02 in the screening data of HAL-S001, "
        "on which eligibility was assessed; correct the screening data first"
    )


def test_a_first_dose_other_than_screened_is_refused(investigator_a, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, entry, planned_first_dose=dt.date(2026, 3, 17))
    assert error.value.field == "planned_first_dose"


def test_registration_on_the_first_dose_day_is_allowed_and_a_day_later_refused(
    investigator_a, centre_a
):
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, make_screened(centre_a), registered_on=dt.date(2026, 3, 17))
    assert str(error.value) == (
        "planned_first_dose '2026-03-16': is before the registration date 2026-03-17; "
        "registration comes before the first dose"
    )
    entry = make_screened(centre_a)
    assert register(investigator_a, entry, registered_on=FIRST_DOSE).registered_on == FIRST_DOSE


def test_registration_before_consent_is_refused_and_on_the_consent_day_allowed(
    investigator_a, centre_a
):
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, make_screened(centre_a), registered_on=dt.date(2026, 3, 1))
    assert str(error.value) == (
        "consent_date '2026-03-02': is after the registration date 2026-03-01; consent comes first"
    )
    assert register(investigator_a, make_screened(centre_a), registered_on=CONSENT).pk


# -- the enrolment target and closure ------------------------------------------------------


def test_registration_beyond_the_target_is_refused_then_allowed_with_an_override(
    investigator_a, data_manager, centre_a
):
    set_status(enrolment_target=1)
    register(investigator_a, make_screened(centre_a))
    entry = make_screened(centre_a)
    before = AuditRecord.objects.count()
    with pytest.raises(PermissionRefused) as error:
        register(investigator_a, entry)
    assert str(error.value) == (
        "HAL-S002 cannot be registered: the enrolment target of 1 is reached (1 registered); "
        "registration beyond the target or after closure needs a data manager's override "
        "(override enrolment) with a reason"
    )
    assert AuditRecord.objects.count() == before
    screening.grant_enrolment_override(data_manager, entry, reason="replaces HAL-001 (no dose)")
    patient = register(investigator_a, entry)
    assert patient.code == "HAL-002"
    assert patient.override_reason == "replaces HAL-001 (no dose) (granted by datamanager)"
    assert audit.verify().ok


def test_the_last_place_below_the_target_is_allowed_and_the_next_refused(investigator_a, centre_a):
    set_status(enrolment_target=2)
    register(investigator_a, make_screened(centre_a))
    assert register(investigator_a, make_screened(centre_a)).code == "HAL-002"  # the 2nd of 2
    with pytest.raises(PermissionRefused):
        register(investigator_a, make_screened(centre_a))


def test_registration_after_closure_needs_an_override(investigator_a, data_manager, centre_a):
    set_status(enrolment_closed=True)
    entry = make_screened(centre_a)
    with pytest.raises(PermissionRefused) as error:
        register(investigator_a, entry)
    assert str(error.value).startswith("HAL-S001 cannot be registered: enrolment is closed; ")
    screening.grant_enrolment_override(data_manager, entry, reason="DSMB approved")
    assert register(investigator_a, entry).override_reason == (
        "DSMB approved (granted by datamanager)"
    )


def test_an_override_reason_from_an_investigator_is_not_an_override(investigator_a, centre_a):
    set_status(enrolment_closed=True)
    with pytest.raises(PermissionRefused) as error:
        register(investigator_a, make_screened(centre_a), override_reason="urgent")
    assert "needs a data manager's override" in str(error.value)


def test_an_investigator_who_is_also_data_manager_may_override_with_a_reason(
    investigator_a, centre_a
):
    sites.grant_role("system", investigator_a, "data_manager")
    set_status(enrolment_closed=True)
    patient = register(investigator_a, make_screened(centre_a), override_reason="DSMB approved")
    assert patient.override_reason == "DSMB approved (granted by investigator.a)"


def test_the_system_actor_may_override_with_a_reason(centre_a):
    set_status(enrolment_closed=True)
    patient = register("system", make_screened(centre_a), override_reason="demo data")
    assert patient.override_reason == "demo data (granted by system)"


def test_an_override_reason_when_none_is_needed_is_refused(investigator_a, centre_a):
    with pytest.raises(InvalidInput) as error:
        register(investigator_a, make_screened(centre_a), override_reason="just in case")
    assert str(error.value) == (
        "override_reason 'just in case': no override is needed: 0 of 45 registered and "
        "enrolment open"
    )


def test_only_a_data_manager_grants_an_enrolment_override(investigator_a, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(PermissionRefused) as error:
        screening.grant_enrolment_override(investigator_a, entry, reason="please")
    assert str(error.value) == (
        "investigator.a (investigator) may not override enrolment at centre HAL"
    )
    assert stored(entry).enrolment_override_reason == ""


def test_an_enrolment_override_needs_a_reason(data_manager, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(InvalidInput) as error:
        screening.grant_enrolment_override(data_manager, entry, reason=" ")
    assert str(error.value) == "reason: a reason is required"


def test_a_registered_candidate_cannot_be_registered_twice(investigator_a, centre_a):
    entry = make_screened(centre_a)
    register(investigator_a, entry)
    with pytest.raises(WorkflowError) as error:
        register(investigator_a, entry)
    assert str(error.value) == (
        "HAL-S001 is registered; only a candidate in screening can be changed"
    )


def test_a_refused_registration_saves_nothing(investigator_a, centre_a):
    entry = make_screened(centre_a)
    before = AuditRecord.objects.count()
    with pytest.raises(InvalidInput):
        register(investigator_a, entry, consent_date=dt.date(2026, 3, 3))
    assert AuditRecord.objects.count() == before
    assert not Patient.objects.exists()
    assert not Visit.objects.exists()
    assert stored(entry).version == 2


def test_the_system_actor_registers_without_a_persona(centre_a):
    patient = make_registered(centre_a)
    assert patient.code == "HAL-001"
    assert AuditRecord.objects.get(action="patient.registered").actor == "system"


def test_a_second_person_with_the_investigator_role_elsewhere_may_not_register(centre_a, centre_b):
    user = make_person("nurse.x", "nurse", centre_a)
    sites.grant_role("system", user, "investigator", centre_b)
    with pytest.raises(PermissionRefused) as error:
        register(user, make_screened(centre_a))
    assert "may not confirm the eligibility attestations at centre HAL" in str(error.value)


def test_a_locked_database_refuses_registration(investigator_a, centre_a):
    entry = make_screened(centre_a)
    audit.set_database_lock(True, actor="system", reason="database lock", data={})
    with pytest.raises(LockedError):
        register(investigator_a, entry)
    assert not Patient.objects.exists()

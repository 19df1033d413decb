"""SDV marks, data manager review, e-signatures, freeze and patient lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, LockedError, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.locking import services as locking
from ramunet.edc.queries import services as queries
from ramunet.edc.review import services as review
from tests.factories import PASSWORD, edit_haem, make_patient, save_haem

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


@pytest.fixture
def form(nurse_a, patient):
    return save_haem(nurse_a, patient, today=TODAY)


def change(user, form, anc, reason="corrected"):
    return edit_haem(user, form, anc, reason, today=TODAY)


def test_source_verification_mark_is_valid_until_the_form_changes(monitor, nurse_a, form):
    review.verify_source(monitor, form)
    assert review.mark_status(form, "sdv").valid
    changed = change(nurse_a, form, "2.3")
    status = review.mark_status(changed, "sdv")
    assert (status.marked, status.valid) == (True, False)
    assert status.describe() == "invalidated: changed after monitor's mark (version 1, now 2)"


def test_verifying_a_verified_form_again_is_refused(monitor, form):
    review.verify_source(monitor, form)
    with pytest.raises(WorkflowError) as error:
        review.verify_source(monitor, form)
    assert str(error.value) == f"HAEM form #{form.pk} is verified already"


def test_nurse_cannot_verify_source(nurse_a, form):
    with pytest.raises(PermissionRefused):
        review.verify_source(nurse_a, form)


def test_sdv_progress_counts_planned_forms_per_centre(monitor, nurse_a, monitor_plan_haem, form):
    assert [(p.centre, p.required, p.verified) for p in review.sdv_progress(monitor)] == [
        ("HAL", 1, 0)
    ]
    review.verify_source(monitor, form)
    assert review.sdv_progress(monitor)[0].percent == 100.0
    change(nurse_a, form, "2.4")
    progress = review.sdv_progress(monitor)[0]
    assert (progress.verified, progress.invalidated) == (0, 1)


@pytest.fixture
def monitor_plan_haem(monitor, db):
    return review.set_sdv_plan(monitor, "HAEM", True)


def test_sdv_plan_for_an_unknown_form_is_refused(monitor):
    with pytest.raises(InvalidInput) as error:
        review.set_sdv_plan(monitor, "XRAY", True)
    assert error.value.field == "form_code"


def test_investigator_signs_with_password_name_time_and_meaning(investigator_a, patient, form):
    signature = review.sign_casebook(investigator_a, patient, password=PASSWORD)
    assert signature.printed_name == "Investigator.A"
    assert signature.meaning.startswith("I am the investigator responsible for this patient.")
    assert signature.forms_signed == 1
    status = review.signature_status(patient)
    assert status.valid
    assert status.describe().startswith("signed by Investigator.A (investigator.a) at ")


def test_wrong_password_refuses_the_signature_and_is_audited(investigator_a, patient, form):
    with pytest.raises(PermissionRefused) as error:
        review.sign_casebook(investigator_a, patient, password="not-my-password")
    assert str(error.value) == "the password is not correct; the casebook was not signed"
    assert AuditRecord.objects.filter(action="review.signature.refused").count() == 1
    assert not review.signature_status(patient).signed


def test_a_later_change_invalidates_the_signature_visibly(investigator_a, nurse_a, patient, form):
    review.sign_casebook(investigator_a, patient, password=PASSWORD)
    change(nurse_a, form, "2.2")
    status = review.signature_status(patient)
    assert (status.signed, status.valid) == (True, False)
    assert "invalidated: the casebook changed since" in status.describe()
    review.sign_casebook(investigator_a, patient, password=PASSWORD)
    assert review.signature_status(patient).valid


def test_signing_another_centres_casebook_is_refused(investigator_b, patient, form):
    with pytest.raises(PermissionRefused):
        review.sign_casebook(investigator_b, patient, password=PASSWORD)


def test_nurse_cannot_sign(nurse_a, patient, form):
    with pytest.raises(PermissionRefused):
        review.sign_casebook(nurse_a, patient, password=PASSWORD)


def test_form_must_be_reviewed_before_it_is_frozen(data_manager, form):
    with pytest.raises(WorkflowError) as error:
        locking.freeze_form(data_manager, form)
    assert str(error.value) == (
        f"HAEM form #{form.pk} must be reviewed by data management before it is frozen"
    )


def test_frozen_form_refuses_changes_until_unfrozen_with_a_reason(data_manager, nurse_a, form):
    review.review_form(data_manager, form)
    frozen = locking.freeze_form(data_manager, form)
    with pytest.raises(LockedError) as error:
        change(nurse_a, frozen, "2.0")
    assert str(error.value) == "HAEM form of HAL-001 is frozen"
    with pytest.raises(InvalidInput):
        locking.unfreeze_form(data_manager, frozen, reason=" ")
    locking.unfreeze_form(data_manager, Haematology.objects.get(pk=form.pk), reason="query 12")
    assert change(nurse_a, form, "2.0").anc == Decimal("2.0")
    assert audit.verify().ok


def test_direct_audit_update_of_a_frozen_form_is_refused_too(data_manager, form):
    review.review_form(data_manager, form)
    frozen = locking.freeze_form(data_manager, form)
    with pytest.raises(LockedError):
        audit.update(
            frozen,
            {"crf_page": "12"},
            actor="system",
            expected_version=frozen.version,
            reason="admin edit",
        )


def test_monitor_cannot_freeze_or_unlock(monitor, data_manager, form, patient):
    with pytest.raises(PermissionRefused):
        locking.freeze_form(monitor, form)
    locking.lock_patient(data_manager, patient)
    with pytest.raises(PermissionRefused):
        locking.unlock_patient(monitor, patient.__class__.objects.get(pk=patient.pk), reason="x")


def test_patient_lock_refused_while_a_query_is_open(data_manager, monitor, form, patient):
    queries.raise_query(monitor, form, "anc", "check")
    with pytest.raises(WorkflowError) as error:
        locking.lock_patient(data_manager, patient)
    assert str(error.value) == "patient HAL-001 has 1 open queries; close them first"


def test_locked_patient_refuses_new_forms_and_changes(data_manager, nurse_a, form, patient):
    locked = locking.lock_patient(data_manager, patient)
    with pytest.raises(LockedError):
        change(nurse_a, form, "2.1")
    with pytest.raises(LockedError):
        save_form(
            nurse_a,
            Haematology,
            patient=locked,
            today=TODAY,
            values={"form_date": dt.date(2026, 1, 20), "anc": Decimal("2")},
        )
    unlocked = locking.unlock_patient(data_manager, locked, reason="late lab result")
    assert not unlocked.locked
    record = AuditRecord.objects.filter(action="locking.patient.unlocked").get()
    assert (record.actor, record.reason) == ("datamanager", "late lab result")

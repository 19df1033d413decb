"""The ready-to-lock checklist and the database lock: refused until green or justified, then
no write of trial data succeeds by any path until a data manager unlocks with a reason."""

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
from ramunet.edc.locking.checklist import checklist
from ramunet.edc.queries import services as queries
from ramunet.edc.review import services as review
from ramunet.edc.sites import services as sites
from tests.factories import PASSWORD, make_patient

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


@pytest.fixture
def form(nurse_a, patient):
    return save_form(
        nurse_a,
        Haematology,
        patient=patient,
        today=TODAY,
        values={"form_date": dt.date(2026, 1, 19), "anc": Decimal("2.5")},
    ).form


def test_checklist_counts_open_queries_and_unsigned_casebooks_per_centre(
    monitor, data_manager, form
):
    queries.raise_query(monitor, form, "anc", "check")
    status = checklist(data_manager, TODAY)
    assert status.for_centre("HAL")["open_queries"] == 1
    assert status.for_centre("HAL")["signatures"] == 1
    assert status.for_centre("HAL")["patients_unlocked"] == 1
    assert not status.green


def test_lock_is_refused_listing_each_open_item(data_manager, monitor, form):
    queries.raise_query(monitor, form, "anc", "check")
    with pytest.raises(WorkflowError) as error:
        locking.lock_database(data_manager, today=TODAY)
    assert str(error.value) == (
        "the database cannot be locked: open queries: 1; casebooks without a valid "
        "investigator signature: 1; patients not yet locked: 1 (justify or resolve each)"
    )
    assert not audit.database_locked()


def make_green(monitor, investigator_a, data_manager, form, patient):
    query = queries.raise_query(monitor, form, "anc", "check")
    queries.close_query(monitor, query, "fine")
    review.sign_casebook(investigator_a, patient, password=PASSWORD)
    locking.lock_patient(data_manager, patient)


def test_green_checklist_allows_the_lock(monitor, investigator_a, data_manager, form, patient):
    make_green(monitor, investigator_a, data_manager, form, patient)
    assert checklist(data_manager, TODAY).green
    locking.lock_database(data_manager, today=TODAY)
    assert audit.database_locked()


def test_justified_items_allow_the_lock_and_are_kept(data_manager, form):
    justifications = {
        "signatures": "PI on leave; signs on return, agreed with sponsor",
        "patients_unlocked": "locked with the database",
    }
    locking.lock_database(data_manager, justifications=justifications, today=TODAY)
    record = AuditRecord.objects.get(action="locking.database.locked")
    assert '"signatures":"PI on leave' in record.payload


def test_after_the_lock_no_write_of_trial_data_succeeds(data_manager, nurse_a, monitor, form):
    locking.lock_database(
        data_manager, today=TODAY, justifications={"signatures": "x", "patients_unlocked": "x"}
    )
    current = Haematology.objects.get(pk=form.pk)
    with pytest.raises(LockedError) as error:
        save_form(
            nurse_a,
            Haematology,
            patient=current.patient,
            instance=current,
            values={"anc": Decimal("2.0")},
            expected_version=1,
            reason="x",
            today=TODAY,
        )
    assert str(error.value) == "the database is locked; no trial data can change"
    with pytest.raises(LockedError):  # the service layer itself, as the admin and API use it
        audit.update(current, {"crf_page": "3"}, actor="system", expected_version=1, reason="x")
    with pytest.raises(LockedError):
        queries.raise_query(monitor, current, "anc", "late question")
    assert Haematology.objects.get(pk=form.pk).anc == Decimal("2.5")


def test_people_can_still_log_in_after_the_lock(data_manager, nurse_a, form):
    locking.lock_database(
        data_manager, today=TODAY, justifications={"signatures": "x", "patients_unlocked": "x"}
    )
    account = sites.record_login(nurse_a, success=False)
    assert account.failed_logins == 1  # the account row still changes after the lock
    assert AuditRecord.objects.filter(action="people.login.failed", actor="nurse.a").exists()


def test_unlock_needs_a_data_manager_and_a_reason(data_manager, monitor, nurse_a, form):
    locking.lock_database(
        data_manager, today=TODAY, justifications={"signatures": "x", "patients_unlocked": "x"}
    )
    with pytest.raises(PermissionRefused):
        locking.unlock_database(monitor, reason="x")
    with pytest.raises(InvalidInput):
        locking.unlock_database(data_manager, reason="")
    locking.unlock_database(data_manager, reason="late SAE follow-up information")
    assert not audit.database_locked()
    current = Haematology.objects.get(pk=form.pk)
    save_form(
        nurse_a,
        Haematology,
        patient=current.patient,
        instance=current,
        values={"anc": Decimal("2.0")},
        expected_version=1,
        reason="x",
        today=TODAY,
    )
    assert audit.verify().ok


def test_only_a_data_manager_locks_the_database(monitor, form):
    with pytest.raises(PermissionRefused):
        locking.lock_database(monitor, today=TODAY)


def test_locking_twice_is_refused(data_manager, form):
    locking.lock_database(
        data_manager, today=TODAY, justifications={"signatures": "x", "patients_unlocked": "x"}
    )
    with pytest.raises(WorkflowError) as error:
        locking.lock_database(data_manager, today=TODAY)
    assert str(error.value) == "the database is locked already"

"""A small simulated trial written through the services: complete, consistent, reproducible.

One trial is simulated once for the module inside a transaction that is rolled back at the
end; each test runs in its own savepoint within it (pytest-django's ``db``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ramunet.clinical.errors import WorkflowError
from ramunet.edc.audit.services import database_locked, verify
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.queries.models import Query
from ramunet.edc.review.services import patient_forms
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.visits.models import Visit
from ramunet.simulate import SimulationConfig, simulate_trial
from ramunet.simulate.cast import assemble_cast
from ramunet.simulate.closing import close_trial

START = dt.date(2021, 1, 1)
TODAY = dt.date(2024, 6, 1)
CONFIG = SimulationConfig(patients=6, centres=3, seed=11, start=START)


@pytest.fixture(scope="module")
def trial(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield simulate_trial(CONFIG, progress=False, today=TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_audit_trail_verifies_after_the_simulation(trial, db):
    result = verify()
    assert result.ok, result.problems[:3]
    assert result.rows > 1000


def test_the_requested_number_of_patients_is_registered(trial, db):
    assert trial.registered == Patient.objects.count() == 6


def test_every_patient_has_a_calendar_and_forms(trial, db):
    for patient in Patient.objects.all():
        codes = set(Visit.objects.filter(patient=patient).values_list("code", flat=True))
        assert {"SCR", "C1D1", "W24", "EOT", "M24"} <= codes
        assert sum(1 for _ in patient_forms(patient)) > 40


def test_failed_candidates_keep_their_reasons(trial, db):
    closed = ScreeningEntry.objects.exclude(status=ScreeningEntry.Status.REGISTERED)
    assert trial.screened == ScreeningEntry.objects.count()
    for entry in closed:
        assert entry.failure_reasons or entry.closed_reason


def test_nothing_is_written_after_the_data_cut_off(trial, db):
    assert not Visit.objects.filter(actual_date__gt=trial.cutoff).exists()
    assert trial.cutoff == TODAY - dt.timedelta(days=1)


def test_derived_disease_control_agrees_with_the_model_patient_by_patient(trial, db):
    derived = {
        e.patient.code: e.month6_success for e in PatientEndpoints.objects.select_related("patient")
    }
    assert [derived[code] for code in trial.patient_codes] == list(trial.intended_control)
    assert trial.month6_successes == sum(trial.intended_control)


def test_every_query_is_answered_and_closed(trial, db):
    assert Query.objects.filter(origin=Query.Origin.MANUAL).count() == trial.queries
    assert not Query.objects.exclude(status=Query.Status.CLOSED).exists()


def test_a_database_with_patients_is_refused_without_append(trial, db):
    with pytest.raises(WorkflowError) as error:
        simulate_trial(CONFIG, progress=False, today=TODAY)
    assert str(error.value) == (
        "the database holds 6 patients already; simulate into a fresh database or append to "
        "this one (--append)"
    )


def test_closing_signs_locks_and_locks_the_database(trial, db):
    closing = close_trial(assemble_cast(3, START))
    assert closing.signed == closing.locked_patients == 6
    assert [item.code for item in closing.checklist.open_items()] == ["missing_forms"]
    assert database_locked()

"""Audit completeness: in a scripted session, the audit records written equal the writes made.

The SQL the session sends is captured; every INSERT, UPDATE or DELETE on a table of an audited
model must have exactly one audit record, and every row's version must equal its records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.factories import FIRST_DOSE, screening_payload


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


D = dt.date
TODAY = D(2026, 6, 1)
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def audited_writes(queries) -> Counter[str]:
    """Writes per audited model label, read from the captured SQL."""
    tables = {m._meta.db_table: audit.model_label(m) for m in audit.audited_models()}
    writes: Counter[str] = Counter()
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match[2] in tables:
            writes[tables[match[2]]] += 1
    return writes


def session(nurse, investigator, centre) -> Patient:
    """Screen, register, dose, delay, an unscheduled visit, a missed visit, end of treatment."""
    entry = screening.log_candidate(
        nurse, centre, screened_on=D(2026, 3, 2), year_of_birth=1961, sex="female", initials="AB"
    )
    entry = screening.update_screening_data(
        nurse, entry, screening_payload(), expected_version=entry.version
    )
    patient = screening.register(
        investigator,
        entry,
        consent_date=D(2026, 3, 2),
        planned_first_dose=FIRST_DOSE,
        attestations_confirmed=True,
        registered_on=D(2026, 3, 9),
    )

    def visit(code: str) -> Visit:
        return Visit.objects.get(patient=patient, code=code)

    visits.record_visit(nurse, visit("C1D1"), D(2026, 3, 18), today=TODAY)  # 2 days late
    visits.delay_visit(nurse, visit("C2D1"), D(2026, 4, 22), "neutropenia grade 3")
    visits.add_unscheduled(nurse, patient, D(2026, 3, 25), "fever", ["VITALS", "HAEM"], today=TODAY)
    visits.mark_missed(nurse, visit("C1D15"), "patient in hospital")
    visits.end_treatment(nurse, patient, D(2026, 5, 6), "progression", today=TODAY)
    return patient


def test_every_write_of_a_session_has_exactly_one_audit_record(nurse_a, investigator_a, centre_a):
    first_new = AuditRecord.objects.count() + 1
    with CaptureQueriesContext(connection) as captured:
        session(nurse_a, investigator_a, centre_a)
    records = AuditRecord.objects.filter(seq__gte=first_new)
    assert Counter(records.values_list("model", flat=True)) == audited_writes(captured)


def test_every_row_of_a_session_has_as_many_records_as_its_version(
    nurse_a, investigator_a, centre_a
):
    patient = session(nurse_a, investigator_a, centre_a)
    patient = Patient.objects.get(pk=patient.pk)
    rows = [*Visit.objects.filter(patient=patient), patient, patient.screening]
    for row in rows:
        count = AuditRecord.objects.filter(
            model=audit.model_label(row), object_pk=str(row.pk)
        ).count()
        assert count == row.version, row


def test_a_session_is_recorded_with_the_actors_and_actions(nurse_a, investigator_a, centre_a):
    first_new = AuditRecord.objects.count() + 1
    patient = session(nurse_a, investigator_a, centre_a)
    records = AuditRecord.objects.filter(seq__gte=first_new)
    actions = Counter((r.actor, r.action) for r in records)
    assert actions[("nurse.a", "screening.candidate.logged")] == 1
    assert actions[("system", "study.status.created")] == 1
    assert actions[("investigator.a", "patient.registered")] == 1
    assert actions[("investigator.a", "visit.planned")] == 23
    assert actions[("nurse.a", "patient.first_dose")] == 1
    assert actions[("nurse.a", "visit.unscheduled.added")] == 1
    assert actions[("nurse.a", "patient.treatment_ended")] == 1
    assert {r.patient for r in records if r.model == "visits.Visit"} == {patient.code}
    assert audit.verify().ok


def test_a_session_ends_with_a_verified_trail_and_the_expected_state(
    nurse_a, investigator_a, centre_a
):
    patient = session(nurse_a, investigator_a, centre_a)
    patient.refresh_from_db()
    assert (patient.code, patient.first_dose, patient.status) == (
        "HAL-001",
        D(2026, 3, 18),
        "follow_up",
    )
    assert ScreeningEntry.objects.get(pk=patient.screening_id).status == "registered"
    statuses = Counter(Visit.objects.filter(patient=patient).values_list("status", flat=True))
    # done: SCR, C1D1, U01; missed: C1D15; cancelled: cycles after 2026-05-06 (C3D1..C6D15)
    assert statuses == Counter(done=3, missed=1, cancelled=8, planned=12)
    result = audit.verify()
    assert result.ok, result.problems

"""Every visit service against each persona, own and other centre.

A refused call raises ``PermissionRefused`` and writes nothing (no audit record, no row).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.factories import make_registered


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


D = dt.date
TODAY = D(2027, 1, 1)
PERSONAS = (
    "investigator_a", "nurse_a", "investigator_b", "monitor", "data_manager", "biometrician",
    "sponsor",
)  # fmt: skip


def visit(patient, code):
    return Visit.objects.get(patient=patient, code=code)


def generate_calendar(user, patient):
    visits.generate_calendar(user, patient, D(2026, 3, 16))


def record_visit(user, patient):
    visits.record_visit(user, visit(patient, "C1D15"), D(2026, 3, 30), today=TODAY)


def delay_visit(user, patient):
    visits.delay_visit(user, visit(patient, "C2D1"), D(2026, 4, 20), "neutropenia")


def mark_missed(user, patient):
    visits.mark_missed(user, visit(patient, "C1D15"), "patient in hospital")


def add_unscheduled(user, patient):
    visits.add_unscheduled(user, patient, D(2026, 3, 25), "fever", ["VITALS"], today=TODAY)


def extend_treatment(user, patient):
    visits.extend_treatment(user, patient, 2)


def end_treatment(user, patient):
    visits.end_treatment(user, patient, D(2026, 4, 27), "progression", today=TODAY)


SITE_STAFF = {"investigator_a", "nurse_a"}
ALLOWED = {
    generate_calendar: SITE_STAFF,
    record_visit: SITE_STAFF,
    delay_visit: SITE_STAFF,
    mark_missed: SITE_STAFF,
    add_unscheduled: SITE_STAFF,
    extend_treatment: SITE_STAFF,
    end_treatment: SITE_STAFF,
}


@pytest.fixture
def patient(centre_a):
    patient = make_registered(centre_a)
    visits.record_visit("system", visit(patient, "C1D1"), D(2026, 3, 16), today=TODAY)
    return patient


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("service", list(ALLOWED), ids=lambda f: f.__name__)
def test_service_is_allowed_only_to_site_staff_of_the_patients_centre(
    request, centre_b, patient, service, persona
):
    user = request.getfixturevalue(persona)
    if service is generate_calendar:  # remove the calendar first, as the system
        for v in Visit.objects.filter(patient=patient).order_by("-order"):
            audit.delete(v, actor="system", reason="test: calendar to be remade")
    before = AuditRecord.objects.count()
    if persona in ALLOWED[service]:
        service(user, patient)
        assert AuditRecord.objects.count() > before
    else:
        with pytest.raises(PermissionRefused):
            service(user, patient)
        assert AuditRecord.objects.count() == before


def test_another_centres_investigator_is_refused_by_name(investigator_b, patient):
    with pytest.raises(PermissionRefused) as error:
        record_visit(investigator_b, patient)
    assert str(error.value) == "investigator.b (investigator) may not enter data at centre HAL"

"""Every screening and registration service against each persona, own and other centre.

A refused call raises ``PermissionRefused`` and writes nothing (no audit record, no row).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening import services as screening
from tests.factories import FIRST_DOSE, make_screened, screening_payload


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


PERSONAS = (
    "investigator_a", "nurse_a", "investigator_b", "monitor", "data_manager", "biometrician",
    "sponsor",
)  # fmt: skip


def log_candidate(user, entry):
    screening.log_candidate(
        user, entry.centre, screened_on=dt.date(2026, 3, 2), year_of_birth=1970, sex="male"
    )


def update_screening_data(user, entry):
    screening.update_screening_data(
        user,
        entry,
        screening_payload(ecog={"value": 0, "date": "2026-03-09"}),
        expected_version=entry.version,
        reason="ECOG corrected",
    )


def record_screening_failure(user, entry):
    screening.record_screening_failure(user, entry, ["declined participation"])


def withdraw_candidate(user, entry):
    screening.withdraw_candidate(user, entry, "consent withdrawn")


def register(user, entry):
    screening.register(
        user,
        entry,
        consent_date=FIRST_DOSE - dt.timedelta(days=14),
        planned_first_dose=FIRST_DOSE,
        attestations_confirmed=True,
        registered_on=FIRST_DOSE - dt.timedelta(days=7),
    )


def grant_enrolment_override(user, entry):
    screening.grant_enrolment_override(user, entry, reason="DSMB approved")


SCREENERS = {"investigator_a", "nurse_a"}
ALLOWED = {
    log_candidate: SCREENERS,
    update_screening_data: SCREENERS,
    record_screening_failure: SCREENERS,
    withdraw_candidate: SCREENERS,
    register: {"investigator_a"},
    grant_enrolment_override: {"data_manager"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("service", list(ALLOWED), ids=lambda f: f.__name__)
def test_service_is_allowed_only_to_its_roles_at_their_centre(
    request, centre_a, centre_b, service, persona
):
    user = request.getfixturevalue(persona)
    entry = make_screened(centre_a)
    before = AuditRecord.objects.count()
    if persona in ALLOWED[service]:
        service(user, entry)
        assert AuditRecord.objects.count() > before
    else:
        with pytest.raises(PermissionRefused):
            service(user, entry)
        assert AuditRecord.objects.count() == before


def test_another_centres_refusal_names_the_person_and_the_centre(investigator_b, centre_a):
    entry = make_screened(centre_a)
    with pytest.raises(PermissionRefused) as error:
        update_screening_data(investigator_b, entry)
    assert str(error.value) == "investigator.b (investigator) may not screen at centre HAL"


def test_a_monitor_may_not_screen(monitor, centre_a):
    with pytest.raises(PermissionRefused) as error:
        log_candidate(monitor, make_screened(centre_a))
    assert str(error.value) == "monitor (monitor) may not screen at centre HAL"

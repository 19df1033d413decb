"""The study's enrolment: a data manager sets the target and closes or reopens enrolment, with
a reason, through the service and the API; registration then follows it."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from ramunet.clinical.errors import ConflictError, InvalidInput, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import StudyStatus
from tests.factories import FIRST_DOSE, make_patient, make_screened

URL = "/api/v1/study/enrolment/"


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


def status() -> StudyStatus:
    return screening.study_status()


def set_enrolment(actor, **given):
    given.setdefault("reason", "amendment 2")
    return screening.set_enrolment(actor, expected_version=status().version, **given)


def register(investigator, entry):
    return screening.register(
        investigator,
        entry,
        consent_date=dt.date(2026, 3, 2),
        planned_first_dose=FIRST_DOSE,
        attestations_confirmed=True,
        registered_on=dt.date(2026, 3, 9),
    )


def test_a_data_manager_raises_the_target_with_a_reason_in_the_trail(data_manager):
    saved = set_enrolment(data_manager, target=50, reason="amendment 2: 50 patients")
    assert (saved.enrolment_target, saved.version) == (50, 2)
    last = AuditRecord.objects.order_by("-seq").first()
    assert (last.action, last.actor, last.reason) == (
        "study.enrolment.changed", "datamanager", "amendment 2: 50 patients",
    )  # fmt: skip


def test_a_target_equal_to_the_registered_patients_is_allowed_and_one_below_refused(
    data_manager, centre_a
):
    make_patient(centre_a, 1)
    make_patient(centre_a, 2)
    with pytest.raises(InvalidInput) as error:
        set_enrolment(data_manager, target=1)
    assert str(error.value) == (
        "enrolment_target 1: not below the 2 patients already registered (close enrolment instead)"
    )
    assert set_enrolment(data_manager, target=2).enrolment_target == 2


def test_a_target_below_one_is_refused(data_manager):
    with pytest.raises(InvalidInput) as error:
        set_enrolment(data_manager, target=0)
    assert error.value.field == "enrolment_target"
    assert status().enrolment_target == 45


def test_closing_enrolment_holds_registration_until_an_override(
    data_manager, investigator_a, centre_a
):
    set_enrolment(data_manager, closed=True, reason="recruitment complete")
    assert AuditRecord.objects.order_by("-seq").first().action == "study.enrolment.closed"
    entry = make_screened(centre_a)
    with pytest.raises(PermissionRefused, match="enrolment is closed"):
        register(investigator_a, entry)
    screening.grant_enrolment_override(data_manager, entry, reason="DSMB approved")
    assert register(investigator_a, entry).code == "HAL-001"
    set_enrolment(data_manager, closed=False, reason="amendment reopens recruitment")
    assert AuditRecord.objects.order_by("-seq").first().action == "study.enrolment.reopened"
    assert register(investigator_a, make_screened(centre_a)).code == "HAL-002"


def test_nothing_to_change_is_refused_naming_the_state(data_manager):
    with pytest.raises(InvalidInput) as error:
        set_enrolment(data_manager, target=45, closed=False)
    assert (
        str(error.value) == "enrolment: nothing to change: the target is 45 and enrolment is open"
    )


def test_a_reason_is_required(data_manager):
    with pytest.raises(InvalidInput) as error:
        set_enrolment(data_manager, closed=True, reason=" ")
    assert error.value.field == "reason"
    assert not status().enrolment_closed


def test_a_stale_version_gets_a_conflict(data_manager):
    version = status().version
    set_enrolment(data_manager, target=50)
    with pytest.raises(ConflictError):
        screening.set_enrolment(data_manager, expected_version=version, reason="x", closed=True)
    assert not status().enrolment_closed


@pytest.mark.parametrize("persona", ["investigator_a", "nurse_a", "monitor", "sponsor"])
def test_only_a_data_manager_sets_the_enrolment(request, persona):
    with pytest.raises(PermissionRefused):
        set_enrolment(request.getfixturevalue(persona), closed=True)
    assert not status().enrolment_closed


def test_the_system_does_not_set_the_enrolment(db):
    with pytest.raises(PermissionRefused):
        set_enrolment("system", closed=True)


# -- the API ---------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_shows_the_enrolment_with_the_patients_registered(sponsor, centre_a):
    make_patient(centre_a)
    response = api(sponsor).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "enrolment_target": 45, "enrolment_closed": False, "registered": 1, "version": 1,
    }  # fmt: skip


def test_the_api_closes_enrolment_for_a_data_manager(data_manager):
    body = {"expected_version": status().version, "reason": "complete", "enrolment_closed": True}
    response = api(data_manager).patch(URL, body, format="json")
    assert response.status_code == 200
    assert response.json()["enrolment_closed"] is True
    assert status().enrolment_closed


def test_the_api_answers_a_bad_target_with_the_field_and_rule(data_manager):
    body = {"expected_version": status().version, "reason": "typo", "enrolment_target": 0}
    response = api(data_manager).patch(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "enrolment_target"
    assert status().enrolment_target == 45


def test_the_api_grants_an_override_for_one_candidate(data_manager, centre_a):
    entry = make_screened(centre_a)
    path = f"/api/v1/screening/{entry.label}/enrolment-override/"
    response = api(data_manager).post(path, {"reason": "DSMB approved"}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.enrolment_override_reason, entry.enrolment_override_by) == (
        "DSMB approved", "datamanager",
    )  # fmt: skip

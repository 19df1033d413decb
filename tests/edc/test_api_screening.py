"""The screening log and the visit calendar over the API: the services' rules, answered."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from ramunet.edc.audit import services as audit
from ramunet.edc.visits.models import Visit
from tests.factories import FIRST_DOSE, make_registered, make_screened, screening_payload

NOW = dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def log_candidate(user, centre="HAL"):
    return client_for(user).post(
        "/api/v1/screening/",
        {"centre": centre, "screened_on": "2026-03-02", "year_of_birth": 1961, "sex": "female",
         "initials": "ab"},
        format="json",
    )  # fmt: skip


def test_nurse_logs_a_candidate_numbered_per_centre(nurse_a):
    response = log_candidate(nurse_a)
    assert response.status_code == 201
    assert (response.json()["label"], response.json()["initials"]) == ("HAL-S001", "AB")


def test_candidate_at_an_unknown_centre_is_answered_400(nurse_a):
    response = log_candidate(nurse_a, centre="XXX")
    assert response.status_code == 400
    assert response.json()["message"] == "centre 'XXX': not a centre; expected HAL"


def test_screening_data_give_the_eligibility_verdict_and_findings(nurse_a):
    log_candidate(nurse_a)
    response = client_for(nurse_a).put(
        "/api/v1/screening/HAL-S001/data/",
        {"data": screening_payload(), "expected_version": 1},
        format="json",
    )
    assert response.status_code == 200
    body = client_for(nurse_a).get("/api/v1/screening/HAL-S001/").json()
    assert body["verdict"] == "eligible"
    assert {f["id"] for f in body["findings"]} >= {"IN01", "EX01"}


def test_screening_data_breaking_a_rule_name_the_dotted_field(nurse_a):
    log_candidate(nurse_a)
    response = client_for(nurse_a).put(
        "/api/v1/screening/HAL-S001/data/",
        {"data": screening_payload(sex="other"), "expected_version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "sex"


def test_investigator_registers_an_eligible_candidate(investigator_a, centre_a):
    make_screened(centre_a)
    response = client_for(investigator_a).post(
        "/api/v1/screening/HAL-S001/register/",
        {"consent_date": "2026-03-02", "planned_first_dose": FIRST_DOSE.isoformat(),
         "attestations_confirmed": True, "registered_on": "2026-03-09"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["code"] == "HAL-001"
    visits = client_for(investigator_a).get("/api/v1/patients/HAL-001/visits/").json()
    assert visits[0]["code"] == "SCR"


def test_nurse_may_not_register(nurse_a, centre_a):
    make_screened(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/screening/HAL-S001/register/",
        {"consent_date": "2026-03-02", "planned_first_dose": FIRST_DOSE.isoformat(),
         "attestations_confirmed": True, "registered_on": "2026-03-09"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert "only the centre's investigator registers a patient" in response.json()["detail"]


def test_other_centres_screening_entry_is_not_found(investigator_b, centre_a):
    make_screened(centre_a)
    assert client_for(investigator_b).get("/api/v1/screening/HAL-S001/").status_code == 404


def test_screening_failure_keeps_its_reasons(nurse_a, centre_a):
    make_screened(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/screening/HAL-S001/failure/",
        {"reasons": ["declined participation"]},
        format="json",
    )
    assert response.json()["status"] == "failed"


def test_first_dose_recorded_puts_the_patient_on_treatment(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/C1D1/record/", {"actual_date": "2026-03-16"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    patient = client_for(nurse_a).get("/api/v1/patients/HAL-001/").json()
    assert patient["status"] == "on_treatment"


def test_visit_recorded_twice_is_answered_409(nurse_a, centre_a):
    make_registered(centre_a)
    url = "/api/v1/patients/HAL-001/visits/C1D1/record/"
    client_for(nurse_a).post(url, {"actual_date": "2026-03-16"}, format="json")
    response = client_for(nurse_a).post(url, {"actual_date": "2026-03-16"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "HAL-001 C1D1 is done; only a planned visit can change"


def test_visit_in_the_future_is_refused(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/C1D1/record/", {"actual_date": "2026-03-21"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "actual_date"


def test_delayed_cycle_moves_the_later_visits(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/C1D1/delay/",
        {"new_date": "2026-03-23", "reason": "patient travelling"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()[0]["planned_date"] == "2026-03-23"
    assert len(response.json()) > 1


def test_missed_visit_keeps_its_reason(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/C1D15/missed/", {"reason": "admitted"}, format="json"
    )
    assert (response.json()["status"], response.json()["note"]) == ("missed", "admitted")


def test_unknown_visit_is_not_found(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/C99D1/missed/", {"reason": "admitted"}, format="json"
    )
    assert response.status_code == 404


def test_unscheduled_visit_with_an_unknown_form_names_the_form(nurse_a, centre_a):
    make_registered(centre_a)
    response = client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/unscheduled/",
        {"date": "2026-03-19", "reason": "fever", "forms": ["HAEM", "XRAY"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "forms.1"
    assert not Visit.objects.filter(unscheduled=True).exists()
    assert audit.verify().ok

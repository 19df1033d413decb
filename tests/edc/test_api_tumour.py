"""Tumour assessments over the API: lesions and sizes in, RECIST 1.1 responses out, through
``ramunet.edc.crfs.tumour`` only (the generic form endpoints read ``TUMOUR`` forms only)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import Lesion, TumourAssessment
from tests.factories import make_patient

NOW = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
TUMOUR = "/api/v1/patients/HAL-001/tumour/"
BASELINE = {
    "form_date": "2026-01-12",
    "method": "ct",
    "lesions": [
        {"label": "T1", "target": True, "organ": "liver", "diameter_mm": "30"},
        {"label": "T2", "target": True, "organ": "lung", "diameter_mm": "20"},
        {"label": "N1", "target": False, "organ": "bone"},
    ],
}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)  # first dose 2026-01-19


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def followup(t1: str | None, t2: str | None, day: str = "2026-03-16", **extra):
    return {
        "form_date": day,
        "measurements": {"T1": t1, "T2": t2},
        "non_target": "NON-CR/NON-PD",
        **extra,
    }


def test_baseline_through_the_api_declares_the_lesions_and_their_sum(nurse_a, patient):
    response = client_for(nurse_a).post(f"{TUMOUR}baseline/", BASELINE, format="json")
    assert response.status_code == 201
    body = response.json()
    assert [lesion["label"] for lesion in body["lesions"]] == ["T1", "T2", "N1"]
    (assessment,) = body["assessments"]
    assert assessment["baseline"] is True
    assert assessment["sizes"] == {"T1": "30.0", "T2": "20.0"}
    assert assessment["derived"]["sum_diameters_mm"] == "50"
    assert assessment["version"] == 1
    assert audit.verify().ok


def test_followup_with_a_thirty_percent_decrease_is_a_partial_response(nurse_a, patient):
    client = client_for(nurse_a)
    client.post(f"{TUMOUR}baseline/", BASELINE, format="json")
    response = client.post(f"{TUMOUR}followups/", followup("21", "14"), format="json")
    assert response.status_code == 201
    (assessment,) = response.json()["assessments"]
    assert assessment["sizes"] == {"T1": "21.0", "T2": "14.0"}
    assert assessment["derived"]["overall"] == "PR"  # 35 mm = -30% (RECIST 1.1 §4.3.1)


def test_followup_just_short_of_thirty_percent_decrease_is_stable_disease(nurse_a, patient):
    client = client_for(nurse_a)
    client.post(f"{TUMOUR}baseline/", BASELINE, format="json")
    response = client.post(f"{TUMOUR}followups/", followup("21.1", "14"), format="json")
    assert response.json()["assessments"][0]["derived"]["overall"] == "SD"  # -29.8%


def test_course_lists_every_assessment_with_its_response(nurse_a, patient):
    client = client_for(nurse_a)
    client.post(f"{TUMOUR}baseline/", BASELINE, format="json")
    client.post(f"{TUMOUR}followups/", followup("21", "14"), format="json")
    body = client.get(TUMOUR).json()
    assert [(a["baseline"], a["derived"].get("overall")) for a in body["assessments"]] == [
        (True, None),
        (False, "PR"),
    ]


def test_change_of_a_measurement_rederives_the_response_and_needs_the_version(nurse_a, patient):
    client = client_for(nurse_a)
    client.post(f"{TUMOUR}baseline/", BASELINE, format="json")
    created = client.post(f"{TUMOUR}followups/", followup("21", "14"), format="json").json()
    pk = created["assessments"][0]["id"]
    change = {"expected_version": 1, "reason": "misread the scan", "sizes": {"T1": "40"}}
    response = client.patch(f"{TUMOUR}{pk}/", change, format="json")
    assert response.status_code == 200
    assert response.json()["assessments"][0]["derived"]["overall"] == "SD"  # 54 mm = +8%
    stale = client.patch(f"{TUMOUR}{pk}/", change, format="json")
    assert stale.status_code == 409


def test_sixth_target_lesion_is_refused_naming_the_lesion_and_saves_nothing(nurse_a, patient):
    organs = ["liver", "lung", "pancreas", "spleen", "adrenal", "kidney"]
    lesions = [
        {"label": f"T{i + 1}", "target": True, "organ": organ, "diameter_mm": "20"}
        for i, organ in enumerate(organs)
    ]
    response = client_for(nurse_a).post(
        f"{TUMOUR}baseline/", {**BASELINE, "lesions": lesions}, format="json"
    )
    assert response.status_code == 400
    assert "lesions[5]" in str(response.json())
    assert "RECIST 1.1 §4.2" in str(response.json())
    assert TumourAssessment.objects.count() == 0
    assert Lesion.objects.count() == 0


def test_followup_before_any_baseline_is_refused(nurse_a, patient):
    response = client_for(nurse_a).post(f"{TUMOUR}followups/", followup("21", "14"), format="json")
    assert response.status_code == 400
    assert "no baseline tumour assessment" in str(response.json())


def test_generic_form_endpoint_reads_tumour_forms_but_does_not_write_them(nurse_a, patient):
    client = client_for(nurse_a)
    client.post(f"{TUMOUR}baseline/", BASELINE, format="json")
    generic = "/api/v1/patients/HAL-001/forms/TUMOUR/"
    assert client.get(generic).status_code == 200
    refused = client.post(generic, {"values": {"form_date": "2026-01-12"}}, format="json")
    assert refused.status_code == 405
    assert TumourAssessment.objects.count() == 1


def test_other_centres_investigator_gets_not_found(investigator_b, nurse_a, patient):
    client_for(nurse_a).post(f"{TUMOUR}baseline/", BASELINE, format="json")
    assert client_for(investigator_b).get(TUMOUR).status_code == 404
    response = client_for(investigator_b).post(
        f"{TUMOUR}followups/", followup("21", "14"), format="json"
    )
    assert response.status_code == 404


def test_monitor_reads_but_may_not_enter_an_assessment(monitor, nurse_a, patient):
    client_for(nurse_a).post(f"{TUMOUR}baseline/", BASELINE, format="json")
    assert client_for(monitor).get(TUMOUR).status_code == 200
    response = client_for(monitor).post(f"{TUMOUR}followups/", followup("21", "14"), format="json")
    assert response.status_code == 403

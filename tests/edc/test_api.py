"""The REST API: forms through ``save_form``, errors mapped to statuses, scoping, the audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from ramunet.edc.api.forms import form_models
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.locking import services as locking
from ramunet.edc.sites import services as site_services
from tests.factories import make_patient

NOW = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
HAEM = "/api/v1/patients/HAL-001/forms/HAEM/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def patient(centre_a):
    site_services.add_reference_range(
        "system", centre_a, analyte="anc", unit="10^9/L", lln=Decimal("1.8"),
        uln=Decimal("7.5"), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    return make_patient(centre_a)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def create_haem(user, **values):
    values.setdefault("form_date", "2026-01-19")
    return client_for(user).post(HAEM, {"values": values}, format="json")


def test_lab_form_created_through_the_api_carries_version_and_derived_values(nurse_a, patient):
    response = create_haem(nurse_a, anc="0.8", anc_unit="10^9/L")
    assert response.status_code == 201
    body = response.json()
    assert (body["form_code"], body["patient"], body["version"]) == ("HAEM", "HAL-001", 1)
    assert body["values"]["anc"] == "0.8000"
    assert body["derived"]["anc"]["worst_grade"] == 3
    assert [d["rule"] for d in body["discrepancies"]] == ["lab.grade3_without_ae"]


def test_form_is_saved_through_the_service_with_its_audit_record(nurse_a, patient):
    body = create_haem(nurse_a, anc="2.1").json()
    record = AuditRecord.objects.get(model="crfs.Haematology", object_pk=str(body["id"]))
    assert (record.action, record.actor, record.patient) == (
        "crf.haem.created",
        "nurse.a",
        "HAL-001",
    )


def test_form_on_a_visit_is_named_by_the_visit_code(nurse_a, patient):
    response = create_haem(nurse_a, anc="2.1")
    assert response.json()["visit"] is None
    unknown = client_for(nurse_a).post(
        HAEM, {"visit": "C9D1", "values": {"form_date": "2026-01-19"}}, format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "visit"


def test_stale_version_is_answered_409_with_the_other_persons_change(
    nurse_a, investigator_a, patient
):
    created = create_haem(nurse_a, anc="2.1").json()
    url = f"{HAEM}{created['id']}/"
    first = client_for(investigator_a).patch(
        url,
        {"expected_version": 1, "reason": "transcription error", "values": {"anc": "2.4"}},
        format="json",
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = client_for(nurse_a).patch(
        url,
        {"expected_version": 1, "reason": "typo", "values": {"anc": "2.2"}},
        format="json",
    )
    assert stale.status_code == 409
    conflict = stale.json()["conflict"]
    assert conflict["by"] == "investigator.a"
    assert conflict["changes"]["anc"] == ["2.1", "2.4"]
    assert Haematology.objects.get(pk=created["id"]).anc == Decimal("2.4")


def test_unknown_unit_is_answered_400_naming_the_field(nurse_a, patient):
    response = create_haem(nurse_a, anc="2", anc_unit="kg")
    assert response.status_code == 400
    assert response.json() == {
        "field": "anc_unit",
        "rule": "lab.unit",
        "message": "anc_unit 'kg': unit not recognised; expected one of 10^9/L, 10^3/uL, /mm3, /uL",
        "value": "kg",
    }
    assert not Haematology.objects.exists()


def test_unparsable_date_is_answered_400_naming_the_field(nurse_a, patient):
    response = create_haem(nurse_a, form_date="19.01.2026")
    assert response.status_code == 400
    assert response.json()["field"] == "form_date"
    assert response.json()["rule"] == "invalid"


def test_unknown_form_field_is_answered_400(nurse_a, patient):
    response = create_haem(nurse_a, haemoglobin="12")
    assert response.status_code == 400
    assert response.json()["field"] == "haemoglobin"
    assert response.json()["message"].startswith(
        "haemoglobin: not a field of the HAEM form; expected anc, anc_unit, crf_page"
    )


def test_change_without_reason_is_refused_and_nothing_changes(nurse_a, patient):
    created = create_haem(nurse_a, anc="2.1").json()
    response = client_for(nurse_a).patch(
        f"{HAEM}{created['id']}/", {"expected_version": 1, "values": {"anc": "3"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert Haematology.objects.get(pk=created["id"]).version == 1


def test_change_without_expected_version_is_refused(nurse_a, patient):
    created = create_haem(nurse_a, anc="2.1").json()
    response = client_for(nurse_a).patch(
        f"{HAEM}{created['id']}/", {"reason": "typo", "values": {"anc": "3"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "expected_version"


def test_locked_patient_refuses_a_new_form_with_423(nurse_a, data_manager, patient):
    locking.lock_patient(data_manager, patient)
    response = create_haem(nurse_a, anc="2.1")
    assert response.status_code == 423
    assert response.json() == {"detail": "patient HAL-001 is locked"}
    assert not Haematology.objects.exists()


def test_locked_patient_refuses_a_change_with_423(nurse_a, data_manager, patient):
    created = create_haem(nurse_a, anc="2.1").json()
    locking.lock_patient(data_manager, patient)
    response = client_for(nurse_a).patch(
        f"{HAEM}{created['id']}/",
        {"expected_version": 1, "reason": "typo", "values": {"anc": "3"}},
        format="json",
    )
    assert response.status_code == 423
    assert Haematology.objects.get(pk=created["id"]).version == 1


def test_form_audit_trail_lists_every_change_with_its_reason(nurse_a, investigator_a, patient):
    created = create_haem(nurse_a, anc="2.1").json()
    client_for(investigator_a).patch(
        f"{HAEM}{created['id']}/",
        {"expected_version": 1, "reason": "transcription error", "values": {"anc": "2.4"}},
        format="json",
    )
    trail = client_for(nurse_a).get(f"{HAEM}{created['id']}/history/").json()
    assert [(e["action"], e["actor"], e["reason"]) for e in trail] == [
        ("crf.haem.created", "nurse.a", ""),
        ("crf.haem.updated", "investigator.a", "transcription error"),
    ]
    assert trail[1]["changes"]["anc"] == ["2.1", "2.4"]


def test_form_list_shows_the_patients_forms_of_one_code(nurse_a, patient):
    create_haem(nurse_a, anc="2.1")
    create_haem(nurse_a, anc="2.2", form_date="2026-01-26")
    forms = client_for(nurse_a).get(HAEM).json()
    assert [f["values"]["form_date"] for f in forms] == ["2026-01-19", "2026-01-26"]


def test_form_of_another_patient_is_not_found(nurse_a, centre_a, patient):
    make_patient(centre_a, sequence=2)
    created = create_haem(nurse_a, anc="2.1").json()
    response = client_for(nurse_a).get(f"/api/v1/patients/HAL-002/forms/HAEM/{created['id']}/")
    assert response.status_code == 404


def test_patients_list_holds_only_the_own_centres_patients(investigator_a, centre_b, patient):
    make_patient(centre_b)
    codes = [p["code"] for p in client_for(investigator_a).get("/api/v1/patients/").json()]
    assert codes == ["HAL-001"]


def test_monitor_sees_every_centres_patients(monitor, centre_b, patient):
    make_patient(centre_b)
    codes = [p["code"] for p in client_for(monitor).get("/api/v1/patients/").json()]
    assert codes == ["HAL-001", "MAR-001"]


def test_centres_list_is_scoped(investigator_a, centre_b):
    centres = client_for(investigator_a).get("/api/v1/centres/").json()
    assert [c["code"] for c in centres] == ["HAL"]


def test_discrepancies_list_filters_by_patient_and_status(nurse_a, centre_b, patient):
    create_haem(nurse_a, anc="0.8")
    rows = client_for(nurse_a).get("/api/v1/discrepancies/?patient=HAL-001&status=open").json()
    assert [(r["form_code"], r["field"], r["status"]) for r in rows] == [("HAEM", "anc", "open")]


def test_discrepancy_closes_when_the_value_is_corrected(nurse_a, patient):
    created = create_haem(nurse_a, anc="0.8").json()
    changed = client_for(nurse_a).patch(
        f"{HAEM}{created['id']}/",
        {"expected_version": 1, "reason": "decimal point misread", "values": {"anc": "8"}},
        format="json",
    )
    assert changed.json()["discrepancies"] == []


def test_form_catalogue_lists_every_form_model(nurse_a):
    from ramunet.edc.crfs.models import FORMS

    codes = {row["code"] for row in client_for(nurse_a).get("/api/v1/forms/").json()}
    assert codes == set(FORMS)


def test_scripted_session_leaves_a_verified_audit_trail_with_one_record_per_write(
    nurse_a, investigator_a, patient
):
    before = AuditRecord.objects.count()
    created = create_haem(nurse_a, anc="2.1").json()  # 1 write
    client_for(investigator_a).patch(
        f"{HAEM}{created['id']}/",
        {"expected_version": 1, "reason": "transcription error", "values": {"anc": "2.4"}},
        format="json",
    )  # 1 write
    client_for(nurse_a).patch(
        f"{HAEM}{created['id']}/",
        {"expected_version": 1, "reason": "stale", "values": {"anc": "9"}},
        format="json",
    )  # refused: no write
    create_haem(nurse_a, anc="2", anc_unit="kg")  # refused: no write
    client_for(nurse_a).post(
        "/api/v1/patients/HAL-001/visits/unscheduled/",
        {"date": "2026-01-30", "reason": "fever", "forms": ["HAEM"]},
        format="json",
    )  # 1 write
    actions = list(AuditRecord.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions == ["crf.haem.created", "crf.haem.updated", "visit.unscheduled.added"]
    assert audit.verify().ok


def test_service_written_form_is_served_with_its_version(nurse_a, patient):
    result = save_form(
        "system", Haematology, patient=patient, values={"form_date": dt.date(2026, 1, 19)}
    )
    body = client_for(nurse_a).get(f"{HAEM}{result.form.pk}/").json()
    assert (body["id"], body["version"]) == (result.form.pk, 1)


@pytest.fixture
def pathologist(db):
    from tests.factories import make_person

    return make_person("pathologist", "pathology")


def save_sample(patient):
    from ramunet.edc.crfs.models import Biosample

    values = {"form_date": dt.date(2026, 1, 19), "kind": Biosample.Kind.values[0],
              "sample_id": f"S-{patient.code}"}  # fmt: skip
    return save_form("system", Biosample, patient=patient, values=values).form


def test_central_pathology_enters_a_translational_result(pathologist, patient):
    sample = save_sample(patient)
    response = client_for(pathologist).post(
        "/api/v1/patients/HAL-001/forms/TRANSL/",
        {"values": {"form_date": "2026-01-25", "sample": sample.pk, "marker": "ki67",
                    "value": "8"}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["values"]["sample"] == sample.pk


def test_central_pathology_may_not_read_clinical_forms(pathologist, patient):
    assert client_for(pathologist).get(HAEM).status_code == 403


def test_result_may_not_name_another_patients_sample(pathologist, centre_b, patient):
    other = save_sample(make_patient(centre_b))
    response = client_for(pathologist).post(
        "/api/v1/patients/HAL-001/forms/TRANSL/",
        {"values": {"form_date": "2026-01-25", "sample": other.pk, "marker": "ki67"}},
        format="json",
    )
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["rule"]) == ("sample", "does_not_exist")


@pytest.mark.parametrize(
    "model", [m for m in form_models() if not m.SERVICE], ids=lambda m: m.FORM_CODE
)
def test_every_form_is_served_and_checks_its_required_date(request, patient, model):
    translational = model.CAPABILITY.value == "enter_translational"
    user = request.getfixturevalue("pathologist" if translational else "investigator_a")
    url = f"/api/v1/patients/HAL-001/forms/{model.FORM_CODE}/"
    assert client_for(user).get(url).json() == []
    response = client_for(user).post(url, {"values": {}}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "form_date"

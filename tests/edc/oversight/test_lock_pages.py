"""Lock pages: freeze/unfreeze forms, lock/unlock patients, the checklist, the database lock."""

from __future__ import annotations

from django.urls import reverse

from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.queries import services as queries
from ramunet.edc.review import services as review
from ramunet.edc.screening.models import Patient


def patient_url(patient):
    return reverse("oversight:lock_patient", args=[patient.code])


def test_data_manager_locks_a_patient(signed_in, data_manager, patient, haem):
    response = signed_in(data_manager).post(patient_url(patient), {"action": "lock"})
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).locked


def test_lock_with_an_open_query_is_refused_with_the_reason(
    signed_in, data_manager, monitor, patient, haem
):
    queries.raise_query(monitor, haem, "anc", "check")
    response = signed_in(data_manager).post(patient_url(patient), {"action": "lock"})
    assert response.status_code == 400
    assert response.context["error"]["rule"] == (
        "patient HAL-001 has 1 open queries; close them first"
    )
    assert not Patient.objects.get(pk=patient.pk).locked


def test_unlock_without_a_reason_is_refused_naming_the_field(
    signed_in, data_manager, patient, haem
):
    client = signed_in(data_manager)
    client.post(patient_url(patient), {"action": "lock"})
    response = client.post(patient_url(patient), {"action": "unlock", "reason": " "})
    assert response.status_code == 400
    assert response.context["error"]["field"] == "reason"
    assert Patient.objects.get(pk=patient.pk).locked


def test_unlock_with_a_reason_is_audited(signed_in, data_manager, patient, haem):
    client = signed_in(data_manager)
    client.post(patient_url(patient), {"action": "lock"})
    client.post(patient_url(patient), {"action": "unlock", "reason": "late lab result"})
    assert not Patient.objects.get(pk=patient.pk).locked
    record = audit.history("screening.Patient", str(patient.pk))
    assert any(r.get("reason") == "late lab result" for r in record)


def test_freeze_needs_review_first(signed_in, data_manager, patient, haem):
    response = signed_in(data_manager).post(
        patient_url(patient), {"action": "freeze", "form": f"HAEM:{haem.pk}"}
    )
    assert response.status_code == 400
    assert "must be reviewed by data management" in response.context["error"]["rule"]


def test_reviewed_form_is_frozen_and_unfrozen_with_a_reason(signed_in, data_manager, patient, haem):
    review.review_form(data_manager, haem)
    client = signed_in(data_manager)
    client.post(patient_url(patient), {"action": "freeze", "form": f"HAEM:{haem.pk}"})
    assert Haematology.objects.get(pk=haem.pk).frozen
    client.post(
        patient_url(patient), {"action": "unfreeze", "form": f"HAEM:{haem.pk}", "reason": "fix"}
    )
    assert not Haematology.objects.get(pk=haem.pk).frozen


def test_a_form_of_another_patient_is_refused(signed_in, data_manager, centre_a, patient, haem):
    from tests.factories import make_patient

    other = make_patient(centre_a, 2)
    response = signed_in(data_manager).post(
        patient_url(other), {"action": "freeze", "form": f"HAEM:{haem.pk}"}
    )
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "form",
        "rule": "not a form of patient HAL-002",
        "value": f"HAEM:{haem.pk}",
    }


def test_monitor_is_refused_the_lock_pages(signed_in, monitor, patient):
    client = signed_in(monitor)
    assert client.get(reverse("oversight:locks")).status_code == 403
    assert client.post(patient_url(patient), {"action": "lock"}).status_code == 403
    assert not Patient.objects.get(pk=patient.pk).locked


def test_locks_page_lists_patients_per_centre(signed_in, data_manager, patient):
    response = signed_in(data_manager).get(reverse("oversight:locks"))
    assert response.context["per_centre"] == [{"centre__code": "HAL", "total": 1, "locked": 0}]
    assert [p.code for p in response.context["page"]] == ["HAL-001"]


def test_checklist_fragment_lists_open_items(signed_in, data_manager, patient, haem):
    response = signed_in(data_manager).get(reverse("oversight:lock_checklist"))
    assert response.status_code == 200
    codes = {i.code for i in response.context["checklist"].open_items()}
    assert {"signatures", "patients_unlocked"} <= codes
    assert 'name="justify_signatures"' in response.content.decode()


def test_database_lock_refused_while_items_are_unjustified(signed_in, data_manager, patient):
    response = signed_in(data_manager).post(reverse("oversight:lock_database"), {"action": "lock"})
    assert response.status_code == 400
    assert response.context["error"]["rule"].startswith("the database cannot be locked:")
    assert not audit.database_locked()


def test_database_locks_with_justifications_and_unlocks_with_a_reason(
    signed_in, data_manager, patient
):
    client = signed_in(data_manager)
    open_items = client.get(reverse("oversight:lock_checklist")).context["checklist"].open_items()
    data = {"action": "lock", **{f"justify_{i.code}": "accepted for the test" for i in open_items}}
    assert client.post(reverse("oversight:lock_database"), data).status_code == 302
    assert audit.database_locked()
    response = client.post(
        reverse("oversight:lock_database"), {"action": "unlock", "reason": "late SAE follow-up"}
    )
    assert response.status_code == 302
    assert not audit.database_locked()

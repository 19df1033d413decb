"""The data managers' admin: who gets in, read-only records, changes through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.models import Centre
from tests.factories import make_patient


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


def test_data_manager_opens_the_admin(data_manager):
    assert client_for(data_manager).get("/admin/").status_code == 200


def test_superuser_opens_the_admin(db):
    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    assert client_for(root).get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["investigator_a", "nurse_a", "monitor", "biometrician"])
def test_other_roles_are_sent_to_the_login_page(request, persona):
    response = client_for(request.getfixturevalue(persona)).get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/login/?next=/admin/", 302)


def test_anonymous_visitor_is_sent_to_the_edc_login_page(db):
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/login/?next=/admin/", 302)


def test_data_manager_reads_the_forms_of_every_centre(data_manager, centre_b, patient):
    other = make_patient(centre_b)
    for owner in (patient, other):
        save_form("system", Haematology, patient=owner, values={"form_date": dt.date(2026, 1, 19)})
    response = client_for(data_manager).get("/admin/crfs/haematology/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_form_opens_read_only(data_manager, patient):
    form = save_form(
        "system", Haematology, patient=patient, values={"form_date": dt.date(2026, 1, 19)}
    ).form
    client = client_for(data_manager)
    assert client.get(f"/admin/crfs/haematology/{form.pk}/change/").status_code == 200
    response = client.post(f"/admin/crfs/haematology/{form.pk}/change/", {"anc": "9"})
    assert response.status_code == 403
    assert Haematology.objects.get(pk=form.pk).version == 1


def test_records_cannot_be_added_or_deleted(data_manager, patient):
    client = client_for(data_manager)
    assert client.get("/admin/screening/patient/add/").status_code == 403
    assert client.get(f"/admin/screening/patient/{patient.pk}/delete/").status_code == 403


def test_centre_change_goes_through_the_audit_service_with_its_reason(data_manager, centre_a):
    response = client_for(data_manager).post(
        f"/admin/ramunet_sites/centre/{centre_a.pk}/change/",
        {"code": "HAL", "name": "Universitätsklinikum Halle (Saale)", "city": "Halle",
         "country": "DE", "activated_on": "2019-06-01", "expected_version": 1,
         "reason": "official name"},
    )  # fmt: skip
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="centre.changed")
    assert (record.actor, record.reason) == ("datamanager", "official name")
    assert Centre.objects.get(pk=centre_a.pk).version == 2
    assert audit.verify().ok


def test_centre_change_without_reason_is_refused(data_manager, centre_a):
    response = client_for(data_manager).post(
        f"/admin/ramunet_sites/centre/{centre_a.pk}/change/",
        {"code": "HAL", "name": "Halle", "country": "DE", "expected_version": 1, "reason": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"] == [
        "a reason for the change is required"
    ]
    assert Centre.objects.get(pk=centre_a.pk).name == "Universitätsklinikum Halle"


def test_centre_change_from_a_stale_page_is_refused(data_manager, centre_a):
    response = client_for(data_manager).post(
        f"/admin/ramunet_sites/centre/{centre_a.pk}/change/",
        {"code": "HAL", "name": "Halle", "country": "DE", "expected_version": 0, "reason": "x"},
    )
    assert response.context["adminform"].form.non_field_errors() == [
        "someone changed this centre since you opened it; reload it"
    ]


def test_lock_action_locks_the_casebook_through_the_locking_service(data_manager, patient):
    client_for(data_manager).post(
        "/admin/screening/patient/",
        {"action": "lock_casebooks", "_selected_action": [patient.pk]},
    )
    assert Patient.objects.get(pk=patient.pk).locked
    assert AuditRecord.objects.filter(action="locking.patient.locked").count() == 1


def test_freeze_action_refuses_an_unreviewed_form(data_manager, patient):
    form = save_form(
        "system", Haematology, patient=patient, values={"form_date": dt.date(2026, 1, 19)}
    ).form
    response = client_for(data_manager).post(
        "/admin/crfs/haematology/",
        {"action": "freeze_forms", "_selected_action": [form.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        f"#{form.pk}: HAEM form #{form.pk} must be reviewed by data management before it is frozen"
    ]
    assert not Haematology.objects.get(pk=form.pk).frozen


def test_every_ecrf_model_is_registered(data_manager):
    from ramunet.edc.admin import site
    from ramunet.edc.api.forms import form_models

    assert all(site.is_registered(model) for model in form_models())

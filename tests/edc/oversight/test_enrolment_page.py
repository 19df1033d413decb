"""The data manager's enrolment page: the target, closing enrolment and the override for one
candidate, each with a reason; refusals name the field and save nothing."""

from __future__ import annotations

from django.urls import reverse

from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import ScreeningEntry
from tests.factories import make_screened

URL = reverse("oversight:enrolment")


def change(client, **fields):
    body = {
        "action": "set",
        "expected_version": screening.study_status().version,
        "enrolment_target": 45,
        "reason": "recruitment complete",
    } | fields
    return client.post(URL, body)


def test_the_page_shows_the_patients_registered_of_the_target(signed_in, data_manager, patient):
    response = signed_in(data_manager).get(URL)
    assert response.status_code == 200
    assert "1 of 45 patients registered." in response.content.decode()


def test_a_data_manager_closes_enrolment_with_a_reason(signed_in, data_manager):
    response = change(signed_in(data_manager), enrolment_closed="on")
    assert response.status_code == 302
    assert screening.study_status().enrolment_closed
    assert 'data-enrolment="closed"' in signed_in(data_manager).get(URL).content.decode()


def test_a_change_without_a_reason_names_the_field_and_saves_nothing(signed_in, data_manager):
    response = change(signed_in(data_manager), enrolment_target=50, reason="")
    assert response.status_code == 400
    assert response.context["error"]["field"] == "reason"
    assert screening.study_status().enrolment_target == 45


def test_a_target_below_the_registered_patients_is_refused(signed_in, data_manager, patient):
    response = change(signed_in(data_manager), enrolment_target=0)
    assert response.status_code == 400
    assert response.context["error"]["field"] == "enrolment_target"


def test_an_override_is_granted_for_a_candidate_and_listed(signed_in, data_manager, centre_a):
    entry = make_screened(centre_a)
    client = signed_in(data_manager)
    body = {"action": "override", "candidate": entry.label, "reason": "DSMB approved"}
    assert client.post(URL, body).status_code == 302
    assert ScreeningEntry.objects.get(pk=entry.pk).enrolment_override_reason == "DSMB approved"
    page = client.get(URL).content.decode()
    assert entry.label in page and "DSMB approved" in page


def test_an_unknown_candidate_is_refused_naming_the_field(signed_in, data_manager):
    body = {"action": "override", "candidate": "HAL-S999", "reason": "x"}
    response = signed_in(data_manager).post(URL, body)
    assert response.status_code == 400
    assert response.context["error"]["field"] == "candidate"


def test_a_monitor_is_refused_the_page(signed_in, monitor):
    assert signed_in(monitor).get(URL).status_code == 403


def test_an_investigator_may_not_close_enrolment(signed_in, investigator_a):
    response = change(signed_in(investigator_a), enrolment_closed="on")
    assert response.status_code == 403
    assert not screening.study_status().enrolment_closed


def test_the_page_in_german(signed_in, data_manager):
    client = signed_in(data_manager)
    client.cookies["django_language"] = "de"
    page = client.get(URL).content.decode()
    assert "Rekrutierung ändern" in page and "0 von 45 Patienten registriert." in page

"""Every site page refuses another centre's patient or candidate (404, as if absent) and
a role without the page's capability (403)."""

from __future__ import annotations

import pytest

from ramunet.edc.visits.models import Visit
from tests.factories import make_screened


def _patient_urls(patient):
    visit = Visit.objects.get(patient=patient, code="C1D1")
    base = f"/site/patients/{patient.code}/"
    return [
        ("get", base),
        ("get", f"{base}visits/{visit.pk}/forms/HAEM/"),
        ("get", f"{base}visits/{visit.pk}/forms/TUMOUR/"),
        ("post", f"{base}visits/{visit.pk}/forms/HAEM/"),
        ("post", f"{base}visits/{visit.pk}/dose/"),
        ("post", f"{base}visits/{visit.pk}/tumour/preview/"),
        ("post", f"{base}visits/{visit.pk}/visit/"),
    ]


def _entry_urls(entry):
    base = f"/site/screening/{entry.pk}/"
    return [
        ("get", base),
        ("post", base),
        ("post", f"{base}check/"),
        ("post", f"{base}failure/"),
        ("get", f"{base}register/"),
    ]


def test_centre_a_nurse_gets_404_for_every_page_of_a_centre_b_patient(client, nurse_a, patient_b):
    client.force_login(nurse_a)
    for method, url in _patient_urls(patient_b):
        assert getattr(client, method)(url).status_code == 404, url


def test_centre_b_investigator_gets_404_for_every_page_of_a_centre_a_candidate(
    client, investigator_b, centre_a
):
    entry = make_screened(centre_a)
    client.force_login(investigator_b)
    for method, url in _entry_urls(entry):
        assert getattr(client, method)(url).status_code == 404, url


def test_unknown_patient_answers_the_same_404_as_another_centres(client, nurse_a, db):
    client.force_login(nurse_a)
    assert client.get("/site/patients/HAL-999/").status_code == 404


@pytest.mark.parametrize("url", ["/site/screening/", "/site/screening/new/"])
def test_monitor_may_not_open_the_screening_pages(client, monitor, url):
    client.force_login(monitor)
    assert client.get(url).status_code == 403


def test_monitor_reads_the_casebook_but_may_not_save_a_form(client, monitor, patient_a, c1d1):
    client.force_login(monitor)
    assert client.get(f"/site/patients/{patient_a.code}/").status_code == 200
    url = f"/site/patients/{patient_a.code}/visits/{c1d1.pk}/forms/HAEM/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="save-form"' not in page.content.decode()
    response = client.post(url, {"form_date": "2026-03-16", "anc": "2.0"})
    assert response.status_code == 403


def test_biometrician_may_not_open_a_casebook(client, biometrician, patient_a):
    client.force_login(biometrician)
    assert client.get(f"/site/patients/{patient_a.code}/").status_code == 404


@pytest.mark.parametrize("url", ["/site/worklist/", "/site/screening/", "/site/patients/HAL-001/"])
def test_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_nurse_may_not_register_only_the_investigator(client, nurse_a, centre_a):
    entry = make_screened(centre_a)
    client.force_login(nurse_a)
    response = client.post(
        f"/site/screening/{entry.pk}/register/",
        {
            "consent_date": "2026-03-02",
            "planned_first_dose": "2026-03-16",
            "attestations_confirmed": "on",
        },
    )
    assert response.status_code == 403


def test_site_pages_send_the_security_headers(client, nurse_a, patient_a):
    client.force_login(nurse_a)
    response = client.get(f"/site/patients/{patient_a.code}/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_other_centres_patient_gets_the_not_found_page_without_its_code(client, nurse_a, patient_b):
    client.force_login(nurse_a)
    response = client.get(f"/site/patients/{patient_b.code}/")
    main = response.content.decode().split('<main id="main"')[1]
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in main
    assert patient_b.code not in main

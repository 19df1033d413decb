"""Screening pages: logging a candidate, the live eligibility checklist, saving, screening
failure and registration."""

from __future__ import annotations

import datetime as dt

import time_machine

from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.web.screening_form import initial_from
from tests.factories import FIRST_DOSE, screening_payload

WEEK_BEFORE_FIRST_DOSE = dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC)


def _posted(**overrides) -> dict:
    values = initial_from(screening_payload())
    values.update(overrides)
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def _logged(client, centre) -> ScreeningEntry:
    client.post(
        "/site/screening/new/",
        {
            "centre": centre.pk,
            "screened_on": (FIRST_DOSE - dt.timedelta(days=14)).isoformat(),
            "year_of_birth": 1961,
            "sex": "female",
            "initials": "AB",
        },
    )
    return ScreeningEntry.objects.get()


def test_nurse_logs_a_candidate_and_lands_on_its_screening_form(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    assert entry.label == "HAL-S001"
    page = client.get(f"/site/screening/{entry.pk}/").content.decode()
    assert 'id="screening-form"' in page


def test_year_of_birth_out_of_range_is_shown_at_the_field_and_nothing_saved(
    client, nurse_a, centre_a
):
    client.force_login(nurse_a)
    response = client.post(
        "/site/screening/new/",
        {
            "centre": centre_a.pk,
            "screened_on": "2026-03-02",
            "year_of_birth": 1850,
            "sex": "female",
        },
    )
    assert response.status_code == 400
    field = response.content.decode().split('for="id_year_of_birth"')[1].split("</div>")[0]
    assert "year_of_birth 1850: must lie between 1906 and 2026" in field
    assert not ScreeningEntry.objects.exists()


def test_checklist_fragment_quotes_the_failing_lab_value(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    response = client.post(f"/site/screening/{entry.pk}/check/", _posted(lab_anc="1000"))
    fragment = response.content.decode()
    assert fragment.startswith('<div id="checklist"')
    in09 = fragment.split('data-criterion="IN09"')[1].split("</li>")[0]
    assert 'data-state="error"' in in09
    assert "ANC 1000 /mm3 not &gt; 1500 /mm3" in in09


def test_checklist_marks_criteria_without_data_as_missing(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    fragment = client.post(f"/site/screening/{entry.pk}/check/", _posted(lab_anc="")).content
    in09 = fragment.decode().split('data-criterion="IN09"')[1].split("</li>")[0]
    assert "data missing" in in09


def test_checklist_preview_saves_nothing(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    client.post(f"/site/screening/{entry.pk}/check/", _posted())
    assert ScreeningEntry.objects.get(pk=entry.pk).data == {}


def test_saving_the_screening_form_stores_the_engine_verdict(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    response = client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version))
    assert response.status_code == 302
    assert ScreeningEntry.objects.get(pk=entry.pk).verdict == "eligible"


def test_stale_version_is_refused_with_409(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version))
    response = client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version))
    assert response.status_code == 409


def test_screening_failure_keeps_the_criterion_not_met(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version, lab_anc="1000"))
    response = client.post(f"/site/screening/{entry.pk}/failure/", {"criteria": ["IN09"]})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "failed"
    assert entry.failure_reasons[0]["criterion"] == "IN09"


def test_investigator_registers_an_eligible_candidate_into_its_casebook(
    client, investigator_a, centre_a
):
    with time_machine.travel(WEEK_BEFORE_FIRST_DOSE, tick=False):
        client.force_login(investigator_a)
        entry = _logged(client, centre_a)
        client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version))
        response = client.post(
            f"/site/screening/{entry.pk}/register/",
            {
                "consent_date": screening_payload()["consent_date"],
                "planned_first_dose": FIRST_DOSE.isoformat(),
                "attestations_confirmed": "on",
            },
        )
    patient = Patient.objects.get()
    assert response["Location"] == f"/site/patients/{patient.code}/"


def test_registration_without_attestations_is_refused_at_the_checkbox(
    client, investigator_a, centre_a
):
    client.force_login(investigator_a)
    entry = _logged(client, centre_a)
    client.post(f"/site/screening/{entry.pk}/", _posted(version=entry.version))
    response = client.post(
        f"/site/screening/{entry.pk}/register/",
        {
            "consent_date": screening_payload()["consent_date"],
            "planned_first_dose": FIRST_DOSE.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "must confirm the eligibility attestations" in response.content.decode()
    assert not Patient.objects.exists()


def test_screening_form_posts_to_the_live_checklist_on_change(client, nurse_a, centre_a):
    client.force_login(nurse_a)
    entry = _logged(client, centre_a)
    page = client.get(f"/site/screening/{entry.pk}/").content.decode()
    form = page.split('<form method="post" id="screening-form"')[1].split(">")[0]
    assert f'hx-post="/site/screening/{entry.pk}/check/"' in form
    assert 'hx-target="#checklist"' in form
    assert '<div id="checklist" class="card" aria-live="polite">' in page

"""The casebook: visit calendar with status colours, forms per visit, derived values."""

from __future__ import annotations

import datetime as dt

import time_machine

from ramunet.edc.visits.models import Visit
from tests.factories import save_haem


def _visit(page: str, code: str) -> str:
    return page.split(f'id="visit-{code}"')[1].split("</article>")[0]


def test_calendar_colours_done_and_overdue_visits(client, nurse_a, patient_a, c1d1):
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(nurse_a)
        page = client.get(f"/site/patients/{patient_a.code}/").content.decode()
    assert 'data-state="done"' in page.split('id="visit-C1D1"')[1][:80]
    assert 'data-state="overdue"' in page.split('id="visit-C1D15"')[1][:80]


def test_done_visit_lists_its_forms_with_entered_ones_ticked(client, nurse_a, patient_a, c1d1):
    Visit.objects.filter(pk=c1d1.pk)  # the visit is done (fixture)
    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.crfs.services import save_form

    save_form(
        "system",
        Haematology,
        patient=patient_a,
        visit=c1d1,
        values={"form_date": dt.date(2026, 3, 16), "anc": 3},
        today=dt.date(2026, 3, 17),
    )
    client.force_login(nurse_a)
    c1 = _visit(client.get(f"/site/patients/{patient_a.code}/").content.decode(), "C1D1")
    assert 'data-form="HAEM"' in c1
    assert c1.split('data-form="HAEM"')[1].split("</li>")[0].count("badge-ok") == 1
    assert "badge-muted" in c1.split('data-form="CHEM"')[1].split("</li>")[0]


def test_nurse_records_the_due_visit(client, nurse_a, patient_a):
    visit = Visit.objects.get(patient=patient_a, code="C1D1")
    client.force_login(nurse_a)
    client.post(
        f"/site/patients/{patient_a.code}/visits/{visit.pk}/visit/",
        {"actual_date": "2026-03-16"},
    )
    visit.refresh_from_db()
    assert (visit.status, visit.actual_date) == ("done", dt.date(2026, 3, 16))


def test_bad_visit_date_is_reported_and_nothing_changes(client, nurse_a, patient_a):
    visit = Visit.objects.get(patient=patient_a, code="C1D1")
    client.force_login(nurse_a)
    response = client.post(
        f"/site/patients/{patient_a.code}/visits/{visit.pk}/visit/",
        {"actual_date": "16.03.2026"},
        follow=True,
    )
    assert "actual_date &#x27;16.03.2026&#x27;: enter the date" in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).status == "planned"


def test_casebook_query_count_is_fixed(
    client, nurse_a, patient_a, c1d1, django_assert_max_num_queries
):
    save_haem("system", patient_a)
    client.force_login(nurse_a)
    with django_assert_max_num_queries(40):
        assert client.get(f"/site/patients/{patient_a.code}/").status_code == 200

"""The site home and worklist: visits due and overdue, open queries, candidates in screening;
other roles go to oversight's home."""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.factories import FIRST_DOSE, make_screened

ON_FIRST_DOSE = dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)


def test_nurse_home_lists_the_visit_due_today(client, nurse_a, patient_a):
    with time_machine.travel(ON_FIRST_DOSE, tick=False):
        client.force_login(nurse_a)
        page = client.get("/").content.decode()
    due = page.split('id="due-h"')[1].split("</section>")[0]
    assert f"{patient_a.code}</a></td><td>C1D1" in due


def test_worklist_counts_overdue_visits_with_days_late(client, nurse_a, patient_a):
    with time_machine.travel(ON_FIRST_DOSE + dt.timedelta(days=40), tick=False):
        client.force_login(nurse_a)
        page = client.get("/site/worklist/").content.decode()
    overdue = page.split('id="overdue-h"')[1].split("</section>")[0]
    assert "C1D1" in overdue
    assert '<td class="num">' in overdue


def test_site_home_lists_candidates_in_screening(client, nurse_a, centre_a):
    entry = make_screened(centre_a)
    client.force_login(nurse_a)
    page = client.get("/").content.decode()
    assert f"/site/screening/{entry.pk}/" in page


def test_site_home_hides_other_centres_visits(client, investigator_b, patient_a):
    with time_machine.travel(ON_FIRST_DOSE, tick=False):
        client.force_login(investigator_b)
        page = client.get("/").content.decode()
    assert patient_a.code not in page


def test_monitor_home_is_oversights(client, monitor):
    client.force_login(monitor)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/oversight/"


def test_worklist_query_count_does_not_grow_with_patients(
    client, nurse_a, centre_a, django_assert_max_num_queries
):
    from tests.factories import make_registered

    for offset in range(3):
        make_registered(centre_a, first_dose=FIRST_DOSE + dt.timedelta(days=offset))
    with time_machine.travel(ON_FIRST_DOSE, tick=False):
        client.force_login(nurse_a)
        with django_assert_max_num_queries(14):
            assert client.get("/site/worklist/").status_code == 200

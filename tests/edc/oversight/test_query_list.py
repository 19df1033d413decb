"""The list of queries with ageing filters, scoped to the centres the person may see."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from ramunet.edc.queries import services as queries
from tests.factories import make_patient, save_haem

URL = reverse("oversight:queries")


def raise_on(day, monitor, form, text="check"):
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        return queries.raise_query(monitor, form, "anc", text)


def test_filter_by_age_band_keeps_only_that_band(signed_in, monitor, haem):
    today = dt.date(2026, 6, 30)
    recent = raise_on(today - dt.timedelta(days=3), monitor, haem)
    old = raise_on(today - dt.timedelta(days=20), monitor, haem)
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC), tick=False):
        client = signed_in(monitor)
        fresh = client.get(URL, {"age": "0-7 days"}).context["items"]
        middle = client.get(URL, {"age": "15-30 days"}).context["items"]
    assert [i["query"].pk for i in fresh] == [recent.pk]
    assert [(i["query"].pk, i["age_days"]) for i in middle] == [(old.pk, 20)]


def test_band_boundaries_are_inclusive(signed_in, monitor, haem):
    today = dt.date(2026, 6, 30)
    seven = raise_on(today - dt.timedelta(days=7), monitor, haem)
    eight = raise_on(today - dt.timedelta(days=8), monitor, haem)
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC), tick=False):
        client = signed_in(monitor)
        first = [i["query"].pk for i in client.get(URL, {"age": "0-7 days"}).context["items"]]
        second = [i["query"].pk for i in client.get(URL, {"age": "8-14 days"}).context["items"]]
    assert (first, second) == ([seven.pk], [eight.pk])


def test_closed_queries_are_hidden_unless_asked_for(signed_in, monitor, haem):
    query = queries.raise_query(monitor, haem, "anc", "check")
    queries.close_query(monitor, query)
    client = signed_in(monitor)
    assert client.get(URL).context["items"] == []
    assert [i["query"].pk for i in client.get(URL, {"status": "closed"}).context["items"]] == [
        query.pk
    ]


def test_unknown_age_band_is_refused_naming_the_allowed_bands(signed_in, monitor, db):
    response = signed_in(monitor).get(URL, {"age": "ancient"})
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "age",
        "rule": "not an age band; expected 0-7 days, 8-14 days, 15-30 days, over 30 days",
        "value": "ancient",
    }


def test_unknown_status_is_refused(signed_in, monitor, db):
    response = signed_in(monitor).get(URL, {"status": "pending"})
    assert response.status_code == 400
    assert response.context["error"]["field"] == "status"


def test_unknown_centre_is_refused(signed_in, monitor, db):
    response = signed_in(monitor).get(URL, {"centre": "XYZ"})
    assert response.context["error"] == {
        "field": "centre",
        "rule": "not a centre of the study",
        "value": "XYZ",
    }


def test_htmx_filter_returns_only_the_rows(signed_in, monitor, haem):
    queries.raise_query(monitor, haem, "anc", "check")
    response = signed_in(monitor).get(URL, HTTP_HX_REQUEST="true")
    assert response.content.decode().startswith('<section id="query-rows" aria-live="polite">')


def test_investigator_sees_only_own_centre(signed_in, monitor, investigator_b, centre_b, haem):
    queries.raise_query(monitor, haem, "anc", "check at HAL")
    other = save_haem("system", make_patient(centre_b, 1))
    mine = queries.raise_query(monitor, other, "anc", "check at MAR")
    items = signed_in(investigator_b).get(URL).context["items"]
    assert [i["query"].pk for i in items] == [mine.pk]


def test_sponsor_is_refused_the_query_list(signed_in, sponsor):
    assert signed_in(sponsor).get(URL).status_code == 403


def test_list_reads_in_constant_queries(
    signed_in, monitor, centre_a, nurse_a, django_assert_max_num_queries
):
    for n in range(1, 6):
        form = save_haem(nurse_a, make_patient(centre_a, n))
        queries.raise_query(monitor, form, "anc", "check")
    client = signed_in(monitor)
    client.get(URL)
    with django_assert_max_num_queries(11):
        client.get(URL)

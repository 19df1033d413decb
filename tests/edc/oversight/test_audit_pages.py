"""The audit trail of a form and of a field: who, when (UTC), old -> new, reason."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from tests.factories import edit_haem


def form_url(form):
    return reverse("oversight:form_audit", args=["HAEM", form.pk])


def field_url(form, field="anc"):
    return reverse("oversight:field_audit", args=["HAEM", form.pk, field])


def test_field_trail_shows_old_and_new_value_with_reason(signed_in, monitor, nurse_a, haem):
    edit_haem(nurse_a, haem, "2.3", reason="transcription error")
    response = signed_in(monitor).get(field_url(haem))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["actor"], r["field"], r["old"], r["new"], r["reason"]) for r in rows] == [
        ("nurse.a", "anc", "2.5", "2.3", "transcription error"),
        ("nurse.a", "anc", "", "2.5", ""),
    ]


def test_field_trail_times_are_shown_in_utc(signed_in, monitor, nurse_a, haem):
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 30, tzinfo=dt.UTC), tick=False):
        edit_haem(nurse_a, haem, "2.3")  # 12:30 in Berlin (CEST)
    response = signed_in(monitor).get(field_url(haem))
    assert response.context["rows"][0]["at_utc"] == "2026-06-01 10:30:00"
    assert "When (UTC)" in response.content.decode()


def test_form_trail_lists_every_change_newest_first(signed_in, data_manager, nurse_a, haem):
    edit_haem(nurse_a, haem, "2.3")
    rows = signed_in(data_manager).get(form_url(haem)).context["rows"]
    assert rows[0]["seq"] > rows[-1]["seq"]
    assert {r["field"] for r in rows} >= {"anc", "form_date"}


def test_nurse_may_read_the_trail_of_her_centre(signed_in, nurse_a, haem):
    assert signed_in(nurse_a).get(form_url(haem)).status_code == 200


def test_other_centres_investigator_finds_no_trail(signed_in, investigator_b, haem):
    assert signed_in(investigator_b).get(form_url(haem)).status_code == 404


def test_sponsor_is_refused_the_trail(signed_in, sponsor, haem):
    assert signed_in(sponsor).get(field_url(haem)).status_code == 403


def test_unknown_field_trail_is_not_found(signed_in, monitor, haem):
    assert signed_in(monitor).get(field_url(haem, "nonsense")).status_code == 404


def test_missing_form_is_not_found(signed_in, monitor, db):
    url = reverse("oversight:form_audit", args=["HAEM", 999])
    assert signed_in(monitor).get(url).status_code == 404

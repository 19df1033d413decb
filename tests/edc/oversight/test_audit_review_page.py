"""The audit review page: the flags of the visible trail (changed after SDV or signature,
back and forth, late entries, bursts), newest first, each linked to its form's trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ramunet.edc.review import services as review
from tests.factories import edit_haem, save_haem

URL = reverse("oversight:audit_review")
FORM_DATE = dt.date(2026, 1, 19)


@pytest.fixture
def haem(nurse_a, patient):
    """A haematology form entered the day after its date (not a late entry)."""
    with time_machine.travel(dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        return save_haem(nurse_a, patient, form_date=FORM_DATE, today=FORM_DATE)


def test_a_change_after_sdv_is_listed_with_a_link_to_the_forms_trail(
    signed_in, monitor, nurse_a, haem
):
    review.verify_source(monitor, haem)
    edit_haem(nurse_a, haem, "2.1", reason="corrected after SDV")
    response = signed_in(monitor).get(URL)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row["kind"], row["actor"], row["patient"]) == ("after_sdv", "nurse.a", "HAL-001")
    assert (row["form_code"], row["object_pk"]) == ("HAEM", str(haem.pk))
    page = response.content.decode()
    assert reverse("oversight:form_audit", args=["HAEM", haem.pk]) in page
    assert "Changed after source data verification" in page
    counts = {code: count for code, _label, count in response.context["kinds"]}
    assert counts == {
        "after_signature": 0, "after_sdv": 1, "back_and_forth": 0, "late_entry": 0, "burst": 0,
    }  # fmt: skip


def test_a_new_write_shows_on_the_next_load(signed_in, monitor, nurse_a, haem):
    client = signed_in(monitor)
    assert client.get(URL).context["rows"] == []
    edit_haem(nurse_a, haem, "2.9")
    edit_haem(nurse_a, haem, "2.5")  # back to the first value
    assert [r["kind"] for r in client.get(URL).context["rows"]] == ["back_and_forth"]


def test_the_kind_filter_keeps_the_counts_of_every_kind(signed_in, monitor, nurse_a, haem):
    review.verify_source(monitor, haem)
    edit_haem(nurse_a, haem, "2.9")
    edit_haem(nurse_a, haem, "2.5")
    client = signed_in(monitor)
    shown = client.get(URL, {"kind": "back_and_forth"}).context
    assert {r["kind"] for r in shown["rows"]} == {"back_and_forth"}
    assert dict((c, n) for c, _l, n in shown["kinds"])["after_sdv"] == 2
    assert client.get(URL, {"kind": "late_entry"}).context["rows"] == []


def test_a_form_entered_months_after_its_date_is_flagged_late(signed_in, monitor, nurse_a, patient):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        save_haem(nurse_a, patient, form_date=FORM_DATE, today=dt.date(2026, 6, 1))
    [row] = signed_in(monitor).get(URL).context["rows"]
    assert (row["kind"], row["at_utc"]) == ("late_entry", "2026-06-01 09:00:00")
    assert "dated 2026-01-19 entered 133 days later by nurse.a" in row["message"]


def test_an_unknown_kind_is_refused_naming_the_field_and_the_kinds(signed_in, monitor):
    response = signed_in(monitor).get(URL, {"kind": "nonsense"})
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "kind",
        "rule": "not recognised; expected one of after_signature, after_sdv, back_and_forth, "
        "late_entry, burst",
        "value": "nonsense",
    }
    assert "nonsense" in response.content.decode()


def test_another_centres_investigator_sees_no_flag_of_centre_a(
    signed_in, monitor, nurse_a, investigator_b, haem
):
    review.verify_source(monitor, haem)
    edit_haem(nurse_a, haem, "2.1")
    response = signed_in(investigator_b).get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_the_sponsor_is_refused_the_review(signed_in, sponsor):
    assert signed_in(sponsor).get(URL).status_code == 403


def test_the_monitors_home_links_to_the_review(signed_in, monitor):
    assert URL in signed_in(monitor).get(reverse("oversight:home")).content.decode()


def test_the_review_in_german(signed_in, monitor, nurse_a, haem):
    review.verify_source(monitor, haem)
    edit_haem(nurse_a, haem, "2.1")
    client = signed_in(monitor)
    client.cookies["django_language"] = "de"
    page = client.get(URL).content.decode()
    assert "Audit-Trail-Prüfung" in page
    assert "Nach der Quelldatenverifizierung geändert" in page

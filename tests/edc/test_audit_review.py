"""Audit-trail review: filter, stream the export, flag what a reviewer must look at."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine

from ramunet.edc.audit import review
from ramunet.edc.review import services as sdv
from tests.factories import PASSWORD, edit_haem, make_patient, save_haem

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


def new_form(user, patient, anc="2.5", form_date=dt.date(2026, 1, 19)):
    return save_haem(user, patient, anc, form_date, today=TODAY)


def edit(user, form, anc, reason="corrected"):
    return edit_haem(user, form, anc, reason, today=TODAY)


def test_filter_by_patient_form_and_field_gives_one_row_per_change(nurse_a, monitor, patient):
    form = new_form(nurse_a, patient)
    edit(nurse_a, form, "2.3", reason="lab printout")
    where = review.TrailFilter(
        patient="HAL-001", model="crfs.Haematology", object_pk=str(form.pk), field="anc"
    )
    got = [(r["action"], r["old"], r["new"], r["reason"]) for r in review.rows(monitor, where)]
    assert got == [
        ("crf.haem.created", "", "2.5", ""),
        ("crf.haem.updated", "2.5", "2.3", "lab printout"),
    ]


def test_filter_by_person_and_time(nurse_a, investigator_a, monitor, patient):
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)):
        form = new_form(nurse_a, patient)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)):
        edit(investigator_a, form, "2.2")
    where = review.TrailFilter(
        actor="investigator.a", since=dt.datetime(2026, 2, 15, tzinfo=dt.UTC)
    )
    assert {r["actor"] for r in review.rows(monitor, where)} == {"investigator.a"}
    before = review.TrailFilter(until=dt.datetime(2026, 2, 15, tzinfo=dt.UTC), patient="HAL-001")
    assert {r["action"] for r in review.rows(monitor, before)} >= {"crf.haem.created"}
    assert "crf.haem.updated" not in {r["action"] for r in review.rows(monitor, before)}


def test_other_centre_sees_none_of_the_trail(nurse_a, investigator_b, patient):
    new_form(nurse_a, patient)
    assert list(review.rows(investigator_b, review.TrailFilter(patient="HAL-001"))) == []


def test_role_without_audit_access_sees_nothing(nurse_a, sponsor, patient):
    new_form(nurse_a, patient)
    assert list(review.rows(sponsor)) == []


def test_csv_export_streams_every_change_with_formula_escaping(nurse_a, data_manager, patient):
    form = new_form(nurse_a, patient)
    edit(nurse_a, form, "2.4", reason="=HYPERLINK(evil)")
    lines = review.export_csv(data_manager, review.TrailFilter(patient="HAL-001"))
    assert next(lines).startswith("seq,at,actor,action")
    table = list(
        csv.DictReader(
            io.StringIO(
                "seq,at,actor,action,model,object_pk,patient,centre,"
                "field,old,new,reason,hash\r\n" + "".join(lines)
            )
        )
    )
    reasons = {row["reason"] for row in table}
    assert "'=HYPERLINK(evil)" in reasons


def test_edit_after_source_verification_is_flagged(nurse_a, monitor, data_manager, patient):
    form = new_form(nurse_a, patient)
    sdv.verify_source(monitor, form)
    edit(nurse_a, form, "2.1")
    kinds = [(f.kind, f.actor) for f in review.review_flags(data_manager)]
    assert ("after_sdv", "nurse.a") in kinds


def test_edit_after_signature_is_flagged(nurse_a, investigator_a, data_manager, patient):
    form = new_form(nurse_a, patient)
    sdv.sign_casebook(investigator_a, patient, password=PASSWORD)
    edit(nurse_a, form, "2.1")
    assert "after_signature" in {f.kind for f in review.review_flags(data_manager)}


def test_value_changed_back_and_forth_is_flagged(nurse_a, data_manager, patient):
    form = new_form(nurse_a, patient, anc="2.5")
    edit(nurse_a, form, "2.9")
    edit(nurse_a, form, "2.5")
    flags = [f for f in review.review_flags(data_manager) if f.kind == "back_and_forth"]
    assert len(flags) == 1
    assert flags[0].message.endswith("anc changed back to '2.5' (values: 2.5 -> 2.9 -> 2.5)")


def test_entry_long_after_the_visit_is_flagged(nurse_a, data_manager, patient):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)):
        new_form(nurse_a, patient, form_date=dt.date(2026, 1, 19))
    with time_machine.travel(dt.datetime(2026, 1, 25, 9, tzinfo=dt.UTC)):
        new_form(nurse_a, patient, form_date=dt.date(2026, 1, 20))
    late = [f for f in review.review_flags(data_manager) if f.kind == "late_entry"]
    assert [f.message.split(" entered ")[1] for f in late] == ["41 days later by nurse.a"]


def test_burst_of_changes_by_one_person_is_flagged_once(nurse_a, data_manager, patient):
    settings = review.ReviewSettings(burst_changes=5, burst_minutes=10)
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False) as clock:
        for i in range(8):
            new_form(nurse_a, patient, anc=f"2.{i}")
            clock.shift(dt.timedelta(seconds=30))
    bursts = [f for f in review.review_flags(data_manager, settings) if f.kind == "burst"]
    assert [(f.actor, f.message) for f in bursts] == [
        ("nurse.a", "nurse.a made 5 changes within 10 minutes")
    ]

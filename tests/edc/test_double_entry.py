"""Paper-CRF double data entry: blind second entry, differences, third-person resolution,
error rates, and the lock checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.entry import services as entry
from ramunet.edc.entry.models import EntryDifference
from ramunet.edc.locking.checklist import checklist
from tests.factories import make_patient, make_person

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def second_nurse(centre_a):
    return make_person("nurse.two", "nurse", centre_a)


@pytest.fixture
def entry_clerk(db):
    return make_person("entry.clerk", "central_entry")


@pytest.fixture
def form(nurse_a, data_manager, centre_a):
    entry.set_double_entry(data_manager, "HAEM", True)
    patient = make_patient(centre_a)
    return save_form(
        nurse_a,
        Haematology,
        patient=patient,
        today=TODAY,
        values={
            "form_date": dt.date(2026, 1, 19),
            "crf_page": "7/v2",
            "anc": Decimal("2.5"),
            "platelets": Decimal("180"),
            "hemoglobin": Decimal("11.9"),
        },
    ).form


def second(user, form, **changes):
    values = {
        "form_date": "2026-01-19",
        "crf_page": "7/v2",
        "anc": "2.50",
        "platelets": "180",
        "hemoglobin": "11.9",
    } | changes
    return entry.enter_second(user, form, values)


def test_identical_transcriptions_leave_no_difference(second_nurse, form):
    made = second(second_nurse, form)
    assert made.first_by == "nurse.a" and made.second_by == "nurse.two"
    assert list(made.differences.all()) == []


def test_differences_are_listed_field_by_field(second_nurse, form):
    made = second(second_nurse, form, anc="2.8", hemoglobin="11.6")
    assert [(d.field, d.first_value, d.second_value) for d in made.differences.all()] == [
        ("anc", "2.5", "2.8"),
        ("hemoglobin", "11.9", "11.6"),
    ]


def test_a_field_left_out_of_the_second_entry_is_a_difference(second_nurse, form):
    values = {"form_date": "2026-01-19", "crf_page": "7/v2", "anc": "2.5", "hemoglobin": "11.9"}
    made = entry.enter_second(second_nurse, form, values)
    assert [(d.field, d.second_value) for d in made.differences.all()] == [("platelets", "")]


def test_the_first_transcriber_cannot_enter_the_second(nurse_a, form):
    with pytest.raises(PermissionRefused) as error:
        second(nurse_a, form)
    assert (
        str(error.value) == "nurse.a entered this form first; the second entry needs another person"
    )


def test_second_entry_only_where_the_data_manager_turned_it_on(second_nurse, data_manager, form):
    entry.set_double_entry(data_manager, "HAEM", False)
    with pytest.raises(WorkflowError) as error:
        second(second_nurse, form)
    assert str(error.value) == "double entry is not turned on for HAEM forms"


def test_only_a_data_manager_changes_the_plan(nurse_a):
    with pytest.raises(PermissionRefused):
        entry.set_double_entry(nurse_a, "HAEM", True)


def test_bad_value_in_the_second_entry_names_the_field(second_nurse, form):
    with pytest.raises(InvalidInput) as error:
        second(second_nurse, form, anc="two point five")
    assert error.value.field == "anc"


def test_third_person_resolves_against_the_paper_and_the_form_follows(
    second_nurse, entry_clerk, form
):
    made = second(second_nurse, form, anc="2.8")
    difference = made.differences.get()
    entry.resolve(entry_clerk, difference, "2.8", today=TODAY)
    corrected = Haematology.objects.get(pk=form.pk)
    assert corrected.anc == Decimal("2.8")
    history = list(audit.history("crfs.Haematology", str(form.pk)))
    assert history[-1]["reason"] == "double-entry resolution against paper page 7/v2"
    assert EntryDifference.objects.get(pk=difference.pk).status == "resolved"
    assert audit.verify().ok


def test_neither_transcriber_may_resolve(nurse_a, second_nurse, form):
    difference = second(second_nurse, form, anc="2.8").differences.get()
    for person in (nurse_a, second_nurse):
        with pytest.raises(PermissionRefused):
            entry.resolve(person, difference, "2.8", today=TODAY)


def test_error_rates_per_form_and_per_person(second_nurse, entry_clerk, data_manager, form):
    made = second(second_nurse, form, anc="2.8", hemoglobin="11.6")
    for difference in made.differences.all():
        paper = {"anc": "2.5", "hemoglobin": "11.6"}[difference.field]
        entry.resolve(entry_clerk, difference, paper, today=TODAY)
    per_form, per_person = entry.error_rates(data_manager)
    assert [(r.key, r.fields, r.errors) for r in per_form] == [("Haematology", 10, 2)]
    assert [(r.key, r.fields, r.errors, r.rate) for r in per_person] == [
        ("nurse.a", 5, 1, 0.2),
        ("nurse.two", 5, 1, 0.2),
    ]


def test_open_differences_hold_the_database_lock_checklist(second_nurse, data_manager, form):
    second(second_nurse, form, anc="2.8")
    assert checklist(data_manager, TODAY).for_centre("HAL")["double_entry"] == 1

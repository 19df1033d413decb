"""The centre worklist: due, overdue, forms missing, off-window; scoped to the user's centres."""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.worklist import (
    crf_forms_present,
    expected_forms,
    forms_present_from,
    missing_form_counts,
    worklist,
)
from ramunet.protocol.schedule import DAY1_FORMS
from tests.factories import make_registered


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


D = dt.date
TODAY = D(2026, 4, 11)  # C1D15 window 03-27..04-02 closed 9 days ago; C2D1 window 04-10..04-16


@pytest.fixture
def hal(centre_a):
    patient = make_registered(centre_a)
    visits.record_visit(
        "system", Visit.objects.get(patient=patient, code="C1D1"), D(2026, 3, 16), today=TODAY
    )
    return patient


@pytest.fixture
def mar(centre_b):
    return make_registered(centre_b, first_dose=D(2026, 4, 13))


def visit(patient: Patient, code: str) -> Visit:
    return Visit.objects.get(patient=patient, code=code)


def codes(items) -> list[tuple[str, str]]:
    return [(item.patient, item.visit) for item in items]


def test_a_visit_whose_window_is_open_today_is_due(hal, investigator_a):
    assert codes(worklist(investigator_a, today=TODAY).due) == [("HAL-001", "C2D1")]


def test_a_window_opening_today_is_due_and_one_opening_tomorrow_is_not(hal, investigator_a):
    assert codes(worklist(investigator_a, today=D(2026, 4, 10)).due) == [("HAL-001", "C2D1")]
    assert worklist(investigator_a, today=D(2026, 4, 9)).due == ()


def test_a_window_closing_today_is_due_not_overdue(hal, investigator_a):
    today = D(2026, 4, 2)  # last day of C1D15's window
    result = worklist(investigator_a, today=today)
    assert codes(result.due) == [("HAL-001", "C1D15")]
    assert result.overdue == ()


def test_a_visit_whose_window_closed_is_overdue_with_the_days_late(hal, investigator_a):
    overdue = worklist(investigator_a, today=TODAY).overdue
    assert codes(overdue) == [("HAL-001", "C1D15")]
    assert overdue[0].days_late == 9


def test_done_and_missed_visits_are_not_overdue(hal, investigator_a):
    visits.mark_missed(investigator_a, visit(hal, "C1D15"), "patient in hospital")
    assert worklist(investigator_a, today=TODAY).overdue == ()


def test_forms_missing_lists_the_expected_forms_not_entered(hal, investigator_a):
    c1d1 = visit(hal, "C1D1")
    scr = visit(hal, "SCR")
    entered = {c1d1.pk: [f for f in DAY1_FORMS if f != "HAEM"], scr.pk: list(scr.expected_forms)}
    result = worklist(investigator_a, today=TODAY, forms_present=entered)
    assert [(item.visit, item.missing_forms) for item in result.forms_missing] == [
        ("C1D1", ("HAEM",))
    ]


def test_event_forms_are_never_missing_at_a_visit(hal, investigator_a):
    result = worklist(investigator_a, today=TODAY, forms_present={})
    c1d1 = next(item for item in result.forms_missing if item.visit == "C1D1")
    assert c1d1.missing_forms == ("PE", "ECOG", "VITALS", "HAEM", "CHEM", "URINE", "EXPOSURE")


def test_a_lookup_function_can_supply_the_forms_present(hal, investigator_a):
    def everything(done):
        return {v.pk: v.expected_forms for v in done}

    assert worklist(investigator_a, today=TODAY, forms_present=everything).forms_missing == ()
    assert forms_present_from({1: ["HAEM"]})([]) == {}


def test_without_ecrfs_every_expected_form_is_missing(hal, investigator_a):
    assert dict(crf_forms_present(list(Visit.objects.filter(status="done")))) == {
        visit(hal, "SCR").pk: set(),
        visit(hal, "C1D1").pk: set(),
    }
    result = worklist(investigator_a, today=TODAY)
    assert [item.visit for item in result.forms_missing] == ["SCR", "C1D1"]


def test_a_man_is_not_expected_to_have_a_pregnancy_test():
    man, woman = Patient(sex="male"), Patient(sex="female")
    assert expected_forms(Visit(patient=man, expected_forms=["PREG", "HAEM"])) == ("HAEM",)
    assert expected_forms(Visit(patient=woman, expected_forms=["PREG", "HAEM"])) == (
        "PREG",
        "HAEM",
    )


def test_a_visit_done_outside_its_window_is_listed_for_review(hal, investigator_a):
    visits.record_visit(investigator_a, visit(hal, "C1D15"), D(2026, 4, 3), today=TODAY)
    flagged = worklist(investigator_a, today=TODAY).outside_window
    assert [(item.visit, item.days_outside_window) for item in flagged] == [("C1D15", 1)]


# -- scope ---------------------------------------------------------------------------------


def test_a_site_user_sees_only_their_centre(hal, mar, investigator_b):
    result = worklist(investigator_b, today=D(2026, 4, 13))
    assert {item.centre for item in result.due + result.overdue + result.forms_missing} == {"MAR"}


def test_a_monitor_sees_every_centre(hal, mar, monitor):
    result = worklist(monitor, today=TODAY)
    assert result.centres == ("HAL", "MAR")


def test_a_monitor_can_narrow_to_one_centre(hal, mar, monitor, centre_b):
    result = worklist(monitor, centre_b, today=TODAY)
    assert result.centres == ("MAR",)


def test_another_centres_worklist_is_refused(hal, investigator_b, centre_a):
    with pytest.raises(PermissionRefused) as error:
        worklist(investigator_b, centre_a, today=TODAY)
    assert str(error.value) == "investigator.b (investigator) may not view patients at centre HAL"


def test_a_role_without_patient_access_gets_an_empty_worklist(hal, sponsor):
    assert worklist(sponsor, today=TODAY).is_empty()


def test_missing_form_counts_per_centre_equal_the_worklists_forms_missing(
    hal, mar, monitor, investigator_a
):
    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.crfs.services import save_form

    c1d1 = visit(hal, "C1D1")
    save_form("system", Haematology, patient=hal, visit=c1d1, values={"form_date": D(2026, 3, 16)})
    listed = worklist(monitor, today=TODAY).forms_missing
    expected: dict[str, int] = {}
    for item in listed:
        expected[item.centre] = expected.get(item.centre, 0) + len(item.missing_forms)
    assert missing_form_counts(monitor) == expected
    assert missing_form_counts(monitor)["HAL"] == expected["HAL"] > 0


def test_missing_form_counts_are_scoped_to_the_persons_centres(hal, mar, investigator_b):
    assert "HAL" not in missing_form_counts(investigator_b)

"""The visit calendar: generated dates, delays, first dose, windows, end and extension.

Expected dates are counted from the first dose 2026-03-16 (day 0) by the plan of
``ramunet.protocol.schedule`` (PROTOCOL-NOTES.md, "Schedule of assessments"): cycle k day 1 on
day 28(k-1), day 15 fourteen days later, 12-weekly assessments on days 84 and 168, EOT on
day 168, safety follow-up 30 days after the last dose (day 154 + 30 = 184), follow-up months
9..24 in calendar months.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import InvalidInput, LockedError, UnknownTerm, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.factories import make_registered


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


D = dt.date
TODAY = D(2027, 1, 1)


@pytest.fixture
def patient(centre_a):
    return make_registered(centre_a)


@pytest.fixture
def dosed(patient, nurse_a):
    visits.record_visit(nurse_a, visit(patient, "C1D1"), D(2026, 3, 16), today=TODAY)
    return Patient.objects.get(pk=patient.pk)


def visit(patient, code: str) -> Visit:
    return Visit.objects.get(patient=patient, code=code)


def planned(patient) -> dict[str, str]:
    return {v.code: v.planned_date.isoformat() for v in Visit.objects.filter(patient=patient)}


def window(patient, code: str) -> tuple[str, str]:
    v = visit(patient, code)
    return (v.earliest.isoformat(), v.latest.isoformat())


def last_action(v: Visit) -> str:
    return AuditRecord.objects.filter(object_pk=str(v.pk), model="visits.Visit").last().action


# -- the generated calendar ----------------------------------------------------------------


def test_calendar_follows_the_protocol_plan(patient):
    assert planned(patient) == {
        "SCR": "2026-03-16", "C1D1": "2026-03-16", "C1D15": "2026-03-30",
        "C2D1": "2026-04-13", "C2D15": "2026-04-27", "C3D1": "2026-05-11",
        "C3D15": "2026-05-25", "C4D1": "2026-06-08", "W12": "2026-06-08",
        "C4D15": "2026-06-22", "C5D1": "2026-07-06", "C5D15": "2026-07-20",
        "C6D1": "2026-08-03", "C6D15": "2026-08-17", "W24": "2026-08-31", "EOT": "2026-08-31",
        "SFU": "2026-09-16", "M09": "2026-12-16", "M12": "2027-03-16", "M15": "2027-06-16",
        "M18": "2027-09-16", "M21": "2027-12-16", "M24": "2028-03-16",
    }  # fmt: skip


def test_windows_are_three_days_for_cycles_and_seven_for_assessments(patient):
    assert window(patient, "C1D1") == ("2026-03-16", "2026-03-16")  # the first dose: day 0
    assert window(patient, "C2D1") == ("2026-04-10", "2026-04-16")
    assert window(patient, "W12") == ("2026-06-01", "2026-06-15")
    assert window(patient, "SCR") == ("2026-02-16", "2026-03-16")  # day -28..0


def test_screening_visit_is_done_on_the_screening_log_date(patient):
    scr = visit(patient, "SCR")
    assert (scr.status, scr.actual_date) == ("done", D(2026, 3, 2))


def test_a_second_calendar_is_refused(patient):
    with pytest.raises(WorkflowError) as error:
        visits.generate_calendar("system", patient, D(2026, 3, 16))
    assert str(error.value) == "HAL-001 already has a calendar"


# -- the first dose ------------------------------------------------------------------------


def test_first_dose_on_the_planned_day_starts_treatment(dosed):
    assert (dosed.first_dose, dosed.status) == (D(2026, 3, 16), "on_treatment")
    assert planned(dosed)["C2D1"] == "2026-04-13"
    assert last_action(visit(dosed, "C1D1")) == "visit.done"


def test_first_dose_two_days_late_moves_the_whole_calendar(patient, nurse_a):
    visits.record_visit(nurse_a, visit(patient, "C1D1"), D(2026, 3, 18), today=TODAY)
    dates = planned(patient)
    assert (dates["C1D1"], dates["C1D15"], dates["W12"]) == (
        "2026-03-18", "2026-04-01", "2026-06-10",
    )  # fmt: skip
    assert (dates["SFU"], dates["M09"], dates["M24"]) == ("2026-09-18", "2026-12-18", "2028-03-18")
    assert dates["SCR"] == "2026-03-16"
    assert last_action(visit(patient, "C1D1")) == "visit.done"
    assert Patient.objects.get(pk=patient.pk).first_dose == D(2026, 3, 18)


def test_a_first_dose_before_registration_is_refused_and_on_its_day_allowed(patient, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.record_visit(nurse_a, visit(patient, "C1D1"), D(2026, 3, 8), today=TODAY)
    assert str(error.value) == (
        "actual_date '2026-03-08': is before the registration date 2026-03-09 of HAL-001; "
        "the first dose follows registration"
    )
    visits.record_visit(nurse_a, visit(patient, "C1D1"), D(2026, 3, 9), today=TODAY)
    assert planned(patient)["C1D15"] == "2026-03-23"


def test_delayed_first_dose_moves_follow_up_months_by_calendar_month(patient, nurse_a):
    # day 0 moves from 2026-03-16 to 2026-03-31: month 9 is 2026-12-31, month 12 2027-03-31
    visits.delay_visit(nurse_a, visit(patient, "C1D1"), D(2026, 3, 31), "bed not available")
    dates = planned(patient)
    assert (dates["C1D1"], dates["C2D1"], dates["M09"], dates["M12"]) == (
        "2026-03-31", "2026-04-28", "2026-12-31", "2027-03-31",
    )  # fmt: skip


# -- delays --------------------------------------------------------------------------------


def test_delayed_cycles_move_later_cycles_and_treatment_day_assessments(dosed, nurse_a):
    visits.delay_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 20), "neutropenia grade 3")
    visits.delay_visit(nurse_a, visit(dosed, "C4D1"), D(2026, 6, 29), "hypertension")
    assert planned(dosed) == {
        "SCR": "2026-03-16", "C1D1": "2026-03-16", "C1D15": "2026-03-30",
        # C2D1 +7 days: everything from cycle 2 on moves 7 days
        "C2D1": "2026-04-20", "C2D15": "2026-05-04", "C3D1": "2026-05-18",
        "C3D15": "2026-06-01",
        # C4D1 (then 2026-06-15) +14 days: cycles 4-6, W12 (on the same day), W24, EOT, SFU
        "C4D1": "2026-06-29", "W12": "2026-06-29", "C4D15": "2026-07-13",
        "C5D1": "2026-07-27", "C5D15": "2026-08-10", "C6D1": "2026-08-24",
        "C6D15": "2026-09-07", "W24": "2026-09-21", "EOT": "2026-09-21", "SFU": "2026-10-07",
        # follow-up months stay fixed to the first dose
        "M09": "2026-12-16", "M12": "2027-03-16", "M15": "2027-06-16", "M18": "2027-09-16",
        "M21": "2027-12-16", "M24": "2028-03-16",
    }  # fmt: skip
    assert window(dosed, "C4D1") == ("2026-06-26", "2026-07-02")
    assert window(dosed, "W24") == ("2026-09-14", "2026-09-28")


def test_a_delay_is_audited_with_its_reason_on_every_moved_visit(dosed, nurse_a):
    moved = visits.delay_visit(nurse_a, visit(dosed, "C6D1"), D(2026, 8, 5), "holiday")
    assert [v.code for v in moved] == ["C6D1", "C6D15", "W24", "EOT", "SFU"]
    records = AuditRecord.objects.filter(action__in=["visit.delayed", "visit.rescheduled"])
    assert {r.reason for r in records} == {"C6D1 moved by 2 days: holiday"}
    assert [r.action for r in records] == ["visit.delayed"] + ["visit.rescheduled"] * 4
    assert audit.verify().ok


def test_a_day_15_delay_moves_only_that_visit(dosed, nurse_a):
    before = planned(dosed)
    visits.delay_visit(nurse_a, visit(dosed, "C2D15"), D(2026, 4, 29), "infusion postponed")
    after = planned(dosed)
    assert after["C2D15"] == "2026-04-29"
    assert {k: v for k, v in after.items() if k != "C2D15"} == {
        k: v for k, v in before.items() if k != "C2D15"
    }


def test_a_delay_to_the_planned_day_is_refused_and_one_day_later_allowed(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.delay_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 13), "x")
    assert str(error.value) == (
        "new_date '2026-04-13': must be after the planned date 2026-04-13 of C2D1"
    )
    visits.delay_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 14), "x")
    assert planned(dosed)["C3D1"] == "2026-05-12"


def test_an_assessment_cannot_be_delayed(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.delay_visit(nurse_a, visit(dosed, "W12"), D(2026, 6, 20), "scanner broken")
    assert str(error.value) == (
        "visit 'W12': only cycle visits (C<k>D1, C<k>D15) can be delayed; record an assessment "
        "late (flagged outside its window) or mark it missed"
    )


def test_a_delay_needs_a_reason(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.delay_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 20), "")
    assert str(error.value) == "reason: a reason is required"


def test_a_done_visit_cannot_be_delayed(dosed, nurse_a):
    with pytest.raises(WorkflowError) as error:
        visits.delay_visit(nurse_a, visit(dosed, "C1D1"), D(2026, 3, 20), "x")
    assert str(error.value) == "HAL-001 C1D1 is done; only a planned visit can change"


# -- recording visits ----------------------------------------------------------------------


def test_a_visit_on_the_last_day_of_its_window_is_inside(dosed, nurse_a):
    done = visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 16), today=TODAY)
    assert (done.status, visits.days_outside_window(done)) == ("done", 0)
    assert last_action(done) == "visit.done"


def test_a_visit_a_day_after_its_window_is_recorded_and_flagged(dosed, nurse_a):
    done = visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 17), today=TODAY)
    assert (done.status, visits.days_outside_window(done)) == ("done", 1)
    assert last_action(done) == "visit.done.outside_window"
    assert AuditRecord.objects.filter(object_pk=str(done.pk)).last().reason == (
        "done 1 days after its window"
    )


def test_a_visit_on_the_first_day_of_its_window_is_inside_and_a_day_before_is_not(dosed, nurse_a):
    inside = visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 10), today=TODAY)
    early = visits.record_visit(nurse_a, visit(dosed, "C2D15"), D(2026, 4, 23), today=TODAY)
    assert visits.days_outside_window(inside) == 0
    assert visits.days_outside_window(early) == -1
    assert last_action(early) == "visit.done.outside_window"


def test_a_day_1_visit_done_inside_its_window_does_not_move_later_cycles(dosed, nurse_a):
    visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 15), today=TODAY)
    assert planned(dosed)["C3D1"] == "2026-05-11"


def test_a_visit_in_the_future_is_refused(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 13), today=D(2026, 4, 12))
    assert str(error.value) == "actual_date '2026-04-13': is in the future (today is 2026-04-12)"


def test_a_visit_today_is_allowed(dosed, nurse_a):
    done = visits.record_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 13), today=D(2026, 4, 13))
    assert done.actual_date == D(2026, 4, 13)


def test_a_missed_visit_keeps_its_reason(dosed, nurse_a):
    missed = visits.mark_missed(nurse_a, visit(dosed, "C1D15"), "patient in hospital")
    assert (missed.status, missed.note) == ("missed", "patient in hospital")
    assert last_action(missed) == "visit.missed"


def test_a_missed_visit_needs_a_reason(dosed, nurse_a):
    with pytest.raises(InvalidInput):
        visits.mark_missed(nurse_a, visit(dosed, "C1D15"), " ")
    assert visit(dosed, "C1D15").status == "planned"


# -- unscheduled visits --------------------------------------------------------------------


def test_unscheduled_visits_are_numbered_per_patient(dosed, nurse_a):
    first = visits.add_unscheduled(
        nurse_a, dosed, D(2026, 3, 25), "fever", ["VITALS", "HAEM"], today=TODAY
    )
    second = visits.add_unscheduled(nurse_a, dosed, D(2026, 4, 2), "rash", ["AE"], today=TODAY)
    assert [first.code, second.code] == ["U01", "U02"]
    assert (first.status, first.actual_date, first.expected_forms) == (
        "done", D(2026, 3, 25), ["VITALS", "HAEM"],
    )  # fmt: skip
    assert (first.unscheduled, first.note) == (True, "fever")


def test_an_unscheduled_visit_with_an_unknown_form_is_refused(dosed, nurse_a):
    with pytest.raises(UnknownTerm) as error:
        visits.add_unscheduled(nurse_a, dosed, D(2026, 3, 25), "fever", ["HAEM", "XRAY"])
    assert str(error.value).startswith("forms.1 'XRAY': not recognised; expected CONSENT, ELIG,")


def test_an_unscheduled_visit_without_forms_is_refused(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.add_unscheduled(nurse_a, dosed, D(2026, 3, 25), "fever", [])
    assert str(error.value).startswith("forms: name at least one form; expected CONSENT")


def test_unscheduled_visits_do_not_move_with_a_delay(dosed, nurse_a):
    visits.add_unscheduled(nurse_a, dosed, D(2026, 4, 2), "rash", ["AE"], today=TODAY)
    visits.delay_visit(nurse_a, visit(dosed, "C1D15"), D(2026, 4, 1), "rash")
    assert planned(dosed)["U01"] == "2026-04-02"


# -- end of treatment ----------------------------------------------------------------------


def test_ending_treatment_cancels_later_cycles_and_plans_eot_and_safety_follow_up(dosed, nurse_a):
    ended = visits.end_treatment(nurse_a, dosed, D(2026, 4, 27), "progression", today=TODAY)
    assert ended.status == "follow_up"
    statuses = {v.code: v.status for v in Visit.objects.filter(patient=dosed)}
    assert statuses["C2D15"] == "planned"  # on the last dose day: still to be recorded
    assert {statuses[f"C{k}D{d}"] for k in range(3, 7) for d in (1, 15)} == {"cancelled"}
    assert statuses["W12"] == statuses["W24"] == statuses["M09"] == "planned"
    assert (planned(dosed)["EOT"], window(dosed, "EOT")) == (
        "2026-05-11", ("2026-05-04", "2026-05-18"),
    )  # fmt: skip
    assert planned(dosed)["SFU"] == "2026-05-27"  # last dose + 30 days
    assert visit(dosed, "C3D1").note == "treatment ended: progression"
    assert audit.verify().ok


def test_treatment_cannot_end_twice(dosed, nurse_a):
    visits.end_treatment(nurse_a, dosed, D(2026, 4, 27), "progression", today=TODAY)
    with pytest.raises(WorkflowError) as error:
        visits.end_treatment(nurse_a, dosed, D(2026, 4, 27), "progression", today=TODAY)
    assert str(error.value) == "treatment of HAL-001 has ended (status: follow-up)"


def test_treatment_cannot_end_before_the_first_dose(patient, nurse_a):
    with pytest.raises(WorkflowError) as error:
        visits.end_treatment(nurse_a, patient, D(2026, 3, 16), "declined", today=TODAY)
    assert str(error.value) == "HAL-001 has no first dose recorded (cycle 1 day 1)"


def test_a_last_dose_before_the_first_is_refused_and_on_the_first_day_allowed(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.end_treatment(nurse_a, dosed, D(2026, 3, 15), "toxicity", today=TODAY)
    assert str(error.value) == (
        "last_dose_date '2026-03-15': is before the first dose 2026-03-16 of HAL-001"
    )
    ended = visits.end_treatment(nurse_a, dosed, D(2026, 3, 16), "toxicity", today=TODAY)
    assert planned(ended)["SFU"] == "2026-04-15"


# -- continuing treatment ------------------------------------------------------------------


def test_extension_adds_cycles_and_re_plans_eot_and_follow_up(dosed, nurse_a):
    added = visits.extend_treatment(nurse_a, dosed, 3)
    assert [v.code for v in added] == [
        "C7D1", "C7D15", "C8D1", "C8D15", "C9D1", "C9D15", "W36",
    ]  # fmt: skip
    dates = planned(dosed)
    # days 168, 238 and 252 after the first dose
    assert (dates["C7D1"], dates["C9D15"], dates["W36"]) == (
        "2026-08-31",
        "2026-11-09",
        "2026-11-23",
    )
    assert (dates["EOT"], dates["SFU"]) == ("2026-11-23", "2026-12-09")  # day 252, 238 + 30
    assert visit(dosed, "M09").status == "cancelled"  # month 9 now falls within treatment
    assert visit(dosed, "M12").status == "planned"
    assert audit.verify().ok


def test_extension_keeps_the_delay_the_treatment_has_accumulated(dosed, nurse_a):
    visits.delay_visit(nurse_a, visit(dosed, "C2D1"), D(2026, 4, 20), "neutropenia")
    visits.extend_treatment(nurse_a, dosed, 1)
    dates = planned(dosed)
    assert (dates["C7D1"], dates["C7D15"], dates["EOT"]) == (
        "2026-09-07", "2026-09-21", "2026-10-05",
    )  # fmt: skip
    assert dates["M09"] == "2026-12-16"


def test_extension_by_zero_cycles_is_refused(dosed, nurse_a):
    with pytest.raises(InvalidInput) as error:
        visits.extend_treatment(nurse_a, dosed, 0)
    assert str(error.value) == "cycles 0: must be a whole number >= 1"


def test_extension_after_the_end_of_treatment_is_refused(dosed, nurse_a):
    visits.end_treatment(nurse_a, dosed, D(2026, 4, 27), "progression", today=TODAY)
    with pytest.raises(WorkflowError):
        visits.extend_treatment(nurse_a, dosed, 1)


# -- locks ---------------------------------------------------------------------------------


def test_a_locked_patients_calendar_cannot_change(dosed, nurse_a):
    audit.update(dosed, {"locked": True}, actor="system", expected_version=dosed.version,
                 reason="patient lock")  # fmt: skip
    with pytest.raises(LockedError) as error:
        visits.record_visit(nurse_a, visit(dosed, "C1D15"), D(2026, 3, 30), today=TODAY)
    assert str(error.value) == "patient HAL-001 is locked"


def test_a_locked_database_refuses_a_visit(dosed, nurse_a):
    audit.set_database_lock(True, actor="system", reason="database lock", data={})
    with pytest.raises(LockedError) as error:
        visits.mark_missed(nurse_a, visit(dosed, "C1D15"), "patient in hospital")
    assert str(error.value) == "the database is locked; no trial data can change"

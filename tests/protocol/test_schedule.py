"""Schedule of assessments and the planned calendar (PROTOCOL-NOTES.md, "Schedule"; E04)."""

from datetime import date

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.protocol.schedule import (
    EVENT_FORMS,
    FORM_CODES,
    planned_calendar,
    visit_plan,
)
from ramunet.protocol.settings import ProtocolSettings

FIRST_DOSE = date(2026, 1, 5)


DEFAULTS = ProtocolSettings()


def _calendar(cycles=None, settings=DEFAULTS):
    return {item.code: item for item in planned_calendar(FIRST_DOSE, cycles, settings)}


def test_six_cycle_calendar_visit_codes_in_date_order():
    codes = [item.code for item in planned_calendar(FIRST_DOSE)]
    assert codes == [
        "SCR", "C1D1", "C1D15", "C2D1", "C2D15", "C3D1", "C3D15", "C4D1", "W12", "C4D15",
        "C5D1", "C5D15", "C6D1", "C6D15", "W24", "EOT", "SFU",
        "M09", "M12", "M15", "M18", "M21", "M24",
    ]  # fmt: skip


def test_screening_window_is_28_days_up_to_first_dose():
    screening = _calendar()["SCR"]
    assert (screening.earliest, screening.latest) == (date(2025, 12, 8), FIRST_DOSE)


def test_cycle_1_day_1_is_the_first_dose_without_window():
    c1d1 = _calendar()["C1D1"]
    assert (c1d1.target, c1d1.earliest, c1d1.latest) == (FIRST_DOSE,) * 3


def test_cycle_day_15_is_14_days_after_day_1_with_3_day_window():
    c1d15 = _calendar()["C1D15"]
    assert (c1d15.target, c1d15.earliest, c1d15.latest) == (
        date(2026, 1, 19),
        date(2026, 1, 16),
        date(2026, 1, 22),
    )


def test_cycle_6_day_1_is_day_140():
    assert _calendar()["C6D1"].target == date(2026, 5, 25)  # 2026-01-05 + 140 days


def test_12_weekly_assessments_on_day_84_and_168_with_7_day_window():
    calendar = _calendar()
    assert calendar["W12"].target == date(2026, 3, 30)  # day 84
    assert calendar["W24"].target == date(2026, 6, 22)  # day 168, end of cycle 6
    assert (calendar["W24"].earliest, calendar["W24"].latest) == (
        date(2026, 6, 15),
        date(2026, 6, 29),
    )


def test_safety_follow_up_30_days_after_last_dose():
    # last planned dose C6D15 = day 154 (2026-06-08); + 30 days
    assert _calendar()["SFU"].target == date(2026, 7, 8)


def test_follow_up_every_3_calendar_months_to_month_24():
    calendar = _calendar()
    assert calendar["M09"].target == date(2026, 10, 5)
    assert calendar["M24"].target == date(2028, 1, 5)
    assert "M27" not in calendar


def test_no_follow_up_visit_during_treatment_months():
    assert "M03" not in _calendar() and "M06" not in _calendar()


def test_window_edges_inside():
    c2d1 = _calendar()["C2D1"]  # target 2026-02-02, +/- 3 days
    assert c2d1.in_window(date(2026, 1, 30)) and c2d1.in_window(date(2026, 2, 5))


def test_window_edges_outside():
    c2d1 = _calendar()["C2D1"]
    assert not c2d1.in_window(date(2026, 1, 29)) and not c2d1.in_window(date(2026, 2, 6))


def test_window_settings_change_windows():
    calendar = _calendar(settings=ProtocolSettings(cycle_visit_window_days=2))
    assert calendar["C2D1"].earliest == date(2026, 1, 31)


def test_continuation_beyond_six_cycles_adds_cycles_and_assessments():
    calendar = _calendar(cycles=9)
    assert "C9D15" in calendar and "W36" in calendar  # day 252 <= 9 x 28
    assert calendar["EOT"].target == date(2026, 9, 14)  # day 252
    assert "M09" not in calendar and "M12" in calendar


def test_one_cycle_calendar_has_no_assessment_before_end_of_treatment():
    codes = [item.code for item in planned_calendar(FIRST_DOSE, cycles=1)]
    assert codes[:5] == ["SCR", "C1D1", "C1D15", "EOT", "SFU"]
    assert "W12" not in codes and codes[5] == "M03"


def test_calendar_is_pure_and_repeatable():
    assert planned_calendar(FIRST_DOSE) == planned_calendar(FIRST_DOSE)


@pytest.mark.parametrize("cycles", [0, -1, True])
def test_cycles_must_be_positive_whole_number(cycles):
    with pytest.raises(InvalidInput) as error:
        visit_plan(cycles)
    assert str(error.value) == f"cycles {cycles!r}: must be a whole number >= 1"


def test_every_visit_form_is_a_known_form_code():
    used = {form for visit in visit_plan(6) for form in visit.forms}
    assert used <= set(FORM_CODES)
    assert set(EVENT_FORMS) <= set(FORM_CODES)


def test_screening_collects_eligibility_data_forms():
    screening = visit_plan(6)[0]
    assert {"CONSENT", "ELIG", "HAEM", "CHEM", "COAG", "URINE", "PREG", "TUMOUR"} <= set(
        screening.forms
    )


def test_day_15_has_blood_pressure_urine_protein_and_ramucirumab():
    c1d15 = next(visit for visit in visit_plan(6) if visit.code == "C1D15")
    assert c1d15.forms == ("VITALS", "URINE", "AE", "EXPOSURE")

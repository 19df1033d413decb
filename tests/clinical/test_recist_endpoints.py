"""Disease control at month 6, progression date and PFS inputs.

PROTOCOL-NOTES.md "Endpoints" (month-6 assessment: first evaluable on day 154..182 after the
first dose; PFS censored at the last adequate assessment); clinical-rules.md §1.10-1.11 and
register A-R9 to A-R12; RECIST 1.1 §4.3.5 (back-dating of confirmed equivocal new lesions).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.recist import (
    Assessment,
    Baseline,
    Lesion,
    NewLesions,
    RecistResult,
    RecistSettings,
    Response,
    evaluate,
)

FIRST_DOSE = dt.date(2024, 1, 8)
BASELINE = Baseline(
    FIRST_DOSE - dt.timedelta(days=10), (Lesion("L1", "liver", longest_diameter_mm=40),)
)


def on_day(day: int) -> dt.date:
    return FIRST_DOSE + dt.timedelta(days=day)


def scan(
    day: int, mm: object = 40, new: NewLesions = NewLesions.NONE, confirms: int | None = None
) -> Assessment:
    return Assessment(
        on_day(day),
        {"L1": mm},  # type: ignore[dict-item]
        new_lesions=new,
        equivocal_confirmed_from=None if confirms is None else on_day(confirms),
    )


def course(*scans: Assessment, death_day: int | None = None, **settings: int) -> RecistResult:
    death = None if death_day is None else on_day(death_day)
    return evaluate(
        BASELINE, scans, RecistSettings(**settings), first_dose=FIRST_DOSE, death_date=death
    )


def test_stable_disease_on_day_154_is_disease_control():
    control = course(scan(84), scan(154)).disease_control
    assert control.success
    assert control.reason == "SD at the month-6 assessment on 2024-06-10 (day 154)"


def test_assessment_on_day_153_is_outside_the_window():
    control = course(scan(84), scan(153)).disease_control
    assert not control.success
    assert control.reason == "no evaluable assessment between day 154 and day 182"


def test_stable_disease_on_day_182_is_disease_control():
    assert course(scan(84), scan(182)).disease_control.success


def test_assessment_on_day_183_is_outside_the_window():
    control = course(scan(84), scan(183)).disease_control
    assert not control.success
    assert control.reason == "no evaluable assessment between day 154 and day 182"


def test_window_is_a_setting():
    # landmark 182 +/- 7: day 175..189
    assert course(scan(189), landmark_day=182, landmark_window_days=7).disease_control.success
    assert not course(scan(174), landmark_day=182, landmark_window_days=7).disease_control.success


def test_first_evaluable_assessment_in_the_window_decides():
    # NE on day 160 is skipped; SD on day 175 is the month-6 assessment
    control = course(scan(160, None), scan(175)).disease_control
    assert control.success
    assert control.assessment_date == on_day(175)


def test_ne_only_month_6_assessment_is_failure():
    # register A-R9
    assert not course(scan(168, None), scan(200)).disease_control.success


def test_no_scan_at_all_is_failure():
    # register A-R10: intention to treat
    control = course().disease_control
    assert not control.success
    assert control.reason == "no evaluable assessment between day 154 and day 182"


def test_partial_response_at_month_6_is_disease_control():
    control = course(scan(168, 20)).disease_control
    assert control.success
    assert control.response is Response.PR


def test_progression_at_month_6_is_failure():
    control = course(scan(168, 60)).disease_control
    assert not control.success
    assert control.reason == "PD at the month-6 assessment on 2024-06-24 (day 168)"


def test_progression_before_month_6_is_failure_even_after_response():
    # register A-R12: early PR, PD on day 112, SD-sized scan later is after progression
    control = course(scan(56, 20), scan(112, 30), scan(168, 25)).disease_control
    assert not control.success
    assert control.reason == ("progression on 2024-04-29 (day 112) before the month-6 assessment")


def test_progression_after_the_window_without_month_6_scan_is_failure():
    # register A-R11
    assert not course(scan(84), scan(200, 60)).disease_control.success


def test_death_before_month_6_assessment_is_failure():
    control = course(scan(84), death_day=120).disease_control
    assert not control.success
    assert control.reason == "death on 2024-05-07 (day 120) before the month-6 assessment"


def test_death_after_month_6_assessment_keeps_success():
    assert course(scan(84), scan(168), death_day=200).disease_control.success


def test_death_on_the_day_of_the_month_6_assessment_is_not_before_it():
    assert course(scan(168), death_day=168).disease_control.success


def test_progression_date_is_the_first_progression():
    assert course(scan(84), scan(168, 60), scan(252, 70)).progression_date == on_day(168)


def test_confirmed_equivocal_new_lesion_dates_progression_back():
    # RECIST 1.1 §4.3.5: equivocal on day 84, confirmed on day 168 -> PD on day 84
    result = course(
        scan(84, new=NewLesions.EQUIVOCAL),
        scan(168, new=NewLesions.UNEQUIVOCAL, confirms=84),
    )
    assert result.progression_date == on_day(84)
    assert result.timepoints[0].overall is Response.PD
    assert result.timepoints[0].backdated_progression
    assert result.pfs.date == on_day(84)
    assert result.best_overall_response is Response.PD


def test_confirmation_of_an_unknown_equivocal_lesion_is_refused():
    with pytest.raises(InvalidInput) as caught:
        course(scan(84), scan(168, new=NewLesions.UNEQUIVOCAL, confirms=84))
    assert str(caught.value) == (
        "followups[1].equivocal_confirmed_from '2024-04-01': no earlier "
        "assessment on that date showed an equivocal new lesion"
    )


def test_confirmation_without_unequivocal_new_lesion_is_refused():
    with pytest.raises(InvalidInput) as caught:
        course(scan(84, new=NewLesions.EQUIVOCAL), scan(168, confirms=84))
    assert caught.value.field == "followups[1].equivocal_confirmed_from"


def test_pfs_event_at_progression():
    pfs = course(scan(84), scan(168, 60)).pfs
    assert (pfs.event, pfs.date, pfs.days, pfs.reason) == (True, on_day(168), 168, "progression")


def test_pfs_event_at_death_without_progression():
    pfs = course(scan(84), death_day=100).pfs
    assert (pfs.event, pfs.date, pfs.reason) == (True, on_day(100), "death")


def test_pfs_takes_the_earlier_of_progression_and_death():
    pfs = course(scan(84, 60), death_day=100).pfs
    assert (pfs.date, pfs.reason) == (on_day(84), "progression")


def test_pfs_censored_at_last_adequate_assessment():
    # the NE scan on day 252 is not adequate
    pfs = course(scan(84), scan(168), scan(252, None)).pfs
    assert (pfs.event, pfs.date, pfs.days) == (False, on_day(168), 168)
    assert pfs.reason == "censored at the last adequate assessment"


def test_pfs_without_adequate_assessment_is_censored_at_first_dose():
    pfs = course(scan(84, None)).pfs
    assert (pfs.event, pfs.date, pfs.days) == (False, FIRST_DOSE, 0)

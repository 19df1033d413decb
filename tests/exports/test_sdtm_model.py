"""SDTM conventions: study days, ISO 8601, subject IDs."""

from __future__ import annotations

import datetime as dt

from ramunet.exports.sdtm_model import iso8601, study_day, usubjid, yes_no

FIRST_DOSE = dt.date(2026, 3, 16)


def test_reference_day_is_day_one():
    assert study_day(FIRST_DOSE, FIRST_DOSE) == 1


def test_day_before_the_reference_is_minus_one_there_is_no_day_zero():
    assert study_day(dt.date(2026, 3, 15), FIRST_DOSE) == -1


def test_study_day_of_a_date_time_uses_its_date():
    assert study_day(dt.datetime(2026, 3, 17, 23, 0, tzinfo=dt.UTC), FIRST_DOSE) == 2


def test_no_study_day_without_a_reference():
    assert study_day(FIRST_DOSE, None) is None


def test_partial_date_stays_partial():
    assert iso8601("2015-04") == "2015-04"


def test_date_time_is_the_local_clock_time_to_the_minute():
    # 09:00 UTC is 11:00 in Germany in April (CEST)
    assert iso8601(dt.datetime(2026, 4, 5, 9, 0, 30, tzinfo=dt.UTC)) == "2026-04-05T11:00"


def test_usubjid_joins_study_and_pseudonym():
    assert usubjid("HAL-003") == "RAMUNET-HAL-003"


def test_yes_no_keeps_unknown_apart():
    assert (yes_no(True), yes_no(False), yes_no(None)) == ("Y", "N", None)

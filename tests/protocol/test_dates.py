"""Calendar arithmetic: calendar months, completed years, 29 February (PROTOCOL-NOTES.md)."""

from datetime import date

from ramunet.protocol.dates import add_months, add_years, completed_years


def test_month_back_clamps_to_end_of_shorter_month():
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)


def test_month_back_crosses_year():
    assert add_months(date(2026, 1, 15), -3) == date(2025, 10, 15)


def test_month_forward_keeps_day():
    assert add_months(date(2026, 1, 5), 24) == date(2028, 1, 5)


def test_year_back_from_29_february_is_28_february():
    assert add_years(date(2028, 2, 29), -5) == date(2023, 2, 28)


def test_age_increases_on_birthday():
    assert completed_years(date(2000, 5, 10), date(2018, 5, 10)) == 18


def test_age_day_before_birthday():
    assert completed_years(date(2000, 5, 10), date(2018, 5, 9)) == 17


def test_29_february_birthday_not_yet_on_28_february_of_non_leap_year():
    assert completed_years(date(2008, 2, 29), date(2026, 2, 28)) == 17


def test_29_february_birthday_counts_on_1_march_of_non_leap_year():
    assert completed_years(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_29_february_birthday_on_29_february_of_leap_year():
    assert completed_years(date(2008, 2, 29), date(2028, 2, 29)) == 20

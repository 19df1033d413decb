"""Calendar arithmetic of the protocol: calendar months, completed years, windows.

Conventions (PROTOCOL-NOTES.md, "Eligibility conventions"): every window is counted back from the
planned first dose and includes its boundary; month windows are calendar months (the day is
clamped to the end of a shorter month: 31 August minus 6 months is 28 February); age is in
completed years, and someone born on 29 February turns a year older on 1 March in non-leap years.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative goes back), clamped to month end.

    >>> add_months(date(2026, 8, 31), -6)
    datetime.date(2026, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a non-leap year."""
    return add_months(day, 12 * years)


def completed_years(born: date, on: date) -> int:
    """Age in completed years on ``on``; a 29 February birthday falls on 1 March in non-leap years.

    >>> completed_years(date(2008, 2, 29), date(2026, 2, 28))
    17
    >>> completed_years(date(2008, 2, 29), date(2026, 3, 1))
    18
    """
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - (1 if before_birthday else 0)


def window_start_days(reference: date, days: int) -> date:
    """First date of a window of ``days`` days back from ``reference`` (boundary inside)."""
    return reference - timedelta(days=days)


def window_start_months(reference: date, months: int) -> date:
    """First date of a window of ``months`` calendar months back from ``reference``."""
    return add_months(reference, -months)

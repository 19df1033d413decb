"""Report tables as plain text cells, and the number formats every table shares.

A ``Table`` holds its cells already formatted, so that the HTML and PDF show exactly the same
text and two runs on the same data give byte-identical tables.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ramunet.stats.binomial import ProportionInterval

#: Days per month (365.25 / 12), the conversion of every time-to-event axis.
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class Table:
    """A table of text cells.

    Attributes
    ----------
    key
        A stable identifier (the HTML id).
    caption
        The table's title.
    columns
        Column headings.
    rows
        One tuple of cells per row, each as long as ``columns``.
    emphasised
        (row, column) cells to highlight (e.g. CTCAE grade >= 3).
    note
        A footnote: population, denominators, rules.
    """

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    emphasised: tuple[tuple[int, int], ...] = ()
    note: str = ""


def percent(x: int, n: int) -> str:
    """``"12 (26.7%)"``; ``"0"`` when ``n`` is 0."""
    if n == 0:
        return str(x)
    return f"{x} ({100 * x / n:.1f}%)"


def interval(ci: ProportionInterval | None) -> str:
    """``"62.1% to 88.4%"``, or an em dash when there is none."""
    return "\u2014" if ci is None else ci.as_percent()


def number(value: float | None, digits: int = 1) -> str:
    """A number to ``digits`` decimals; an em dash for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2014"
    return f"{value:.{digits}f}"


def median_range(values: Sequence[float], digits: int = 1) -> str:
    """``"median 61.0 (range 42.0-74.0)"``; an em dash when empty."""
    if not values:
        return "\u2014"
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}\u2013{max(values):.{digits}f})"
    )


def median_iqr(values: Sequence[float], digits: int = 1) -> str:
    """``"92.3 (IQR 85.0-100.0)"`` (quartiles by the inclusive method); a dash when empty."""
    if not values:
        return "\u2014"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return f"{q2:.{digits}f} (IQR {q1:.{digits}f}\u2013{q3:.{digits}f})"

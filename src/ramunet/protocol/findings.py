"""Building blocks of the eligibility rules: criterion states, findings, windows, formatting.

Conventions (PROTOCOL-NOTES.md, "Eligibility conventions"): a screening assessment counts only
inside the screening window (28 days back from the planned first dose, boundary inside); older
results make the criterion "data missing", not "not met"; the latest result counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar

from ramunet.protocol.dates import window_start_days


class CriterionState(StrEnum):
    """The state of one criterion; for an exclusion criterion "met" means the patient is clear."""

    MET = "met"
    NOT_MET = "not met"
    DATA_MISSING = "data missing"
    CONFIRMATION_NEEDED = "investigator confirmation needed"
    NOT_APPLIED = "not applied (erratum)"


# Severity order used when parts of a criterion are combined (PROTOCOL-NOTES verdict order).
_SEVERITY = {
    CriterionState.NOT_MET: 0,
    CriterionState.DATA_MISSING: 1,
    CriterionState.CONFIRMATION_NEEDED: 2,
    CriterionState.MET: 3,
    CriterionState.NOT_APPLIED: 4,
}


@dataclass(frozen=True)
class Finding:
    """A state with a one-line reason quoting the values."""

    state: CriterionState
    reason: str


def met(reason: str) -> Finding:
    return Finding(CriterionState.MET, reason)


def not_met(reason: str) -> Finding:
    return Finding(CriterionState.NOT_MET, reason)


def missing(reason: str) -> Finding:
    return Finding(CriterionState.DATA_MISSING, reason)


def confirm(reason: str) -> Finding:
    return Finding(CriterionState.CONFIRMATION_NEEDED, reason)


def combine(parts: Sequence[Finding]) -> Finding:
    """The most severe state of ``parts``; the reason joins the parts in that state."""
    worst = min(parts, key=lambda part: _SEVERITY[part.state]).state
    reasons = [part.reason for part in parts if part.state is worst and part.reason]
    return Finding(worst, "; ".join(reasons))


def fmt(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros: ``1500``, ``1.8``, ``0.05``."""
    return format(value.normalize(), "f")


def fmt_ratio(value: Decimal, limit: Decimal) -> str:
    """A multiple of ULN to two decimals, with more digits when rounding would hide a boundary."""
    shown = value.quantize(Decimal("0.01"))
    if shown == limit and value != limit:
        return fmt(value.quantize(Decimal("1e-6")))
    return fmt(shown)


class Dated(Protocol):
    @property
    def date(self) -> date: ...


D = TypeVar("D", bound=Dated)


def latest(items: Iterable[D]) -> D | None:
    """The item with the latest date (the first of equals), or None."""
    best: D | None = None
    for item in items:
        if best is None or item.date > best.date:
            best = item
    return best


def pick_in_window(
    items: Sequence[D], first_dose: date, days: int, what: str
) -> tuple[D | None, Finding | None]:
    """The latest of ``items`` dated within ``days`` before ``first_dose``, else data missing.

    Returns ``(item, None)`` or ``(None, finding)`` with a "data missing" finding that says
    whether nothing was recorded or the latest result is too old.
    """
    start = window_start_days(first_dose, days)
    chosen = latest(item for item in items if start <= item.date <= first_dose)
    if chosen is not None:
        return chosen, None
    newest = latest(items)
    if newest is None:
        return None, missing(f"no {what} recorded")
    age_days = (first_dose - newest.date).days
    return None, missing(
        f"{what} of {newest.date.isoformat()} is {age_days} days before the first dose "
        f"(> {days}): repeat"
    )

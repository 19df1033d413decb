"""Biochemical response: change of chromogranin A (or the specific hormone) from baseline.

There is no universal standard (clinical-rules.md §5). The defaults follow §5's recommendation
and PROTOCOL-NOTES.md "Endpoints": response at a decrease of >= 50% from baseline, progression
at an increase of >= 25%, both inclusive, stable between; assessed only when the baseline is
elevated (> ULN). Compared exactly in decimal: ``100 x (value - baseline) <= -50 x baseline``.

References
----------
- clinical-rules.md §5 (parameterised rule; defaults: baseline > ULN, response <= -50%,
  progression >= +25%, both inclusive).
- Response >= 50% decrease in patients with elevated baseline CgA: phase II trial of
  ramucirumab with a somatostatin analogue in extra-pancreatic NET, NCT02795858.
- Progression >= 25% increase: prospective multicentre NET cohort, Neuroendocrinology
  2020;110:217 ff. (increased / unchanged / decreased CgA split at 25%).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ramunet.clinical.dosing import fmt
from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import ANALYTES, Number, normalise_unit, to_canonical, to_decimal


class BiochemicalCategory(StrEnum):
    RESPONSE = "response"
    STABLE = "stable"
    PROGRESSION = "progression"
    NOT_EVALUABLE = "not evaluable"


@dataclass(frozen=True)
class BiochemicalSettings:
    """Thresholds of the biochemical response, as positive percentages (clinical-rules.md §5).

    Parameters
    ----------
    response_decrease_pct
        Response at a decrease of at least this percentage from baseline (default 50).
    progression_increase_pct
        Progression at an increase of at least this percentage (default 25).
    baseline_uln_multiple
        Evaluable only when baseline > this multiple of the ULN (default 1, i.e. > ULN);
        ``None`` = no requirement (then ``uln`` may be omitted).
    """

    response_decrease_pct: Decimal = Decimal(50)
    progression_increase_pct: Decimal = Decimal(25)
    baseline_uln_multiple: Decimal | None = Decimal(1)

    def __post_init__(self) -> None:
        for name in ("response_decrease_pct", "progression_increase_pct", "baseline_uln_multiple"):
            raw = getattr(self, name)
            if raw is None and name == "baseline_uln_multiple":
                continue
            value = to_decimal(raw, name)
            if value <= 0:
                raise InvalidInput(name, "must be positive", raw)
            object.__setattr__(self, name, value)
        if self.response_decrease_pct > 100:
            raise InvalidInput(
                "response_decrease_pct", "must be at most 100", self.response_decrease_pct
            )


DEFAULT_BIOCHEMICAL = BiochemicalSettings()
_IMPLAUSIBLE = Decimal("1e12")


@dataclass(frozen=True)
class BiochemicalResponse:
    """A marker's change from baseline and its category, with the reasoning in words."""

    marker: str
    unit: str
    baseline_value: Decimal
    value: Decimal
    uln: Decimal | None
    change: Decimal
    change_pct: Decimal
    category: BiochemicalCategory
    reason: str
    settings: BiochemicalSettings


def _amount(marker: str, value: Number, unit: str, field: str) -> Decimal:
    amount = to_decimal(value, field)
    if amount < 0:
        raise InvalidInput(field, "must not be negative", value)
    if amount >= _IMPLAUSIBLE:
        raise InvalidInput(field, "implausibly large (>= 1e12)", value)
    if marker in ANALYTES:
        amount = to_canonical(marker, amount, unit, field=field)
    return amount


def biochemical_response(
    baseline_value: Number,
    value: Number,
    *,
    unit: str = "ng/mL",
    baseline_unit: str | None = None,
    uln: Number | None = None,
    marker: str = "chromogranin_a",
    settings: BiochemicalSettings = DEFAULT_BIOCHEMICAL,
) -> BiochemicalResponse:
    """Classify the change of a tumour marker from baseline (clinical-rules.md §5).

    A marker known to ``units.py`` (``chromogranin_a``) is converted to its canonical unit, so
    ``baseline_unit`` may differ from ``unit``; any other marker (a specific hormone) must give
    both values in ``unit``; ``uln`` is in ``unit``. Response when ``change <= -50%``,
    progression when ``change >= +25%`` (defaults; inclusive), else stable; not evaluable when
    the baseline is not above ``baseline_uln_multiple x uln``.

    Raises
    ------
    InvalidInput
        A value not a number or negative, a baseline not positive, an unknown unit, differing
        units for a marker without conversions, or ``uln`` missing when the settings need it.
    """
    if not isinstance(marker, str) or not marker.strip():
        raise InvalidInput("marker", "must be a non-empty text", marker)
    stated_baseline_unit = unit if baseline_unit is None else baseline_unit
    if marker in ANALYTES:
        ANALYTES[marker].factor(unit, "unit")
        ANALYTES[marker].factor(
            stated_baseline_unit, "unit" if baseline_unit is None else "baseline_unit"
        )
        shown_unit = ANALYTES[marker].canonical
    else:
        if normalise_unit(stated_baseline_unit) != normalise_unit(unit):
            raise InvalidInput(
                "baseline_unit",
                f"must equal unit {unit!r}: no conversion is known for marker {marker!r}",
                baseline_unit,
            )
        shown_unit = normalise_unit(unit)
    base = _amount(marker, baseline_value, stated_baseline_unit, "baseline_value")
    now = _amount(marker, value, unit, "value")
    if base <= 0:
        raise InvalidInput("baseline_value", "must be positive", baseline_value)
    limit = None
    if uln is not None:
        limit = _amount(marker, uln, unit, "uln")
        if limit <= 0:
            raise InvalidInput("uln", "must be positive", uln)
    change = now - base
    change_pct = (change * 100 / base).quantize(Decimal("0.1"), ROUND_HALF_UP)
    multiple = settings.baseline_uln_multiple
    down, up = settings.response_decrease_pct, settings.progression_increase_pct
    shown = f"{fmt(base)} -> {fmt(now)} {shown_unit} ({change_pct:+}%)"
    if multiple is not None:
        if limit is None:
            raise InvalidInput(
                "uln", "required when settings.baseline_uln_multiple is set (baseline > ULN rule)"
            )
        if not base > multiple * limit:
            category = BiochemicalCategory.NOT_EVALUABLE
            reason = (
                f"baseline {fmt(base)} {shown_unit} not above "
                f"{fmt(multiple)} x ULN {fmt(limit)} {shown_unit}"
            )
            return BiochemicalResponse(
                marker, shown_unit, base, now, limit, change, change_pct, category, reason, settings
            )
    if change * 100 <= -down * base:
        category = BiochemicalCategory.RESPONSE
        reason = f"{shown}: decrease >= {fmt(down)}%"
    elif change * 100 >= up * base:
        category = BiochemicalCategory.PROGRESSION
        reason = f"{shown}: increase >= {fmt(up)}%"
    else:
        category = BiochemicalCategory.STABLE
        reason = f"{shown}: between -{fmt(down)}% and +{fmt(up)}%"
    return BiochemicalResponse(
        marker, shown_unit, base, now, limit, change, change_pct, category, reason, settings
    )

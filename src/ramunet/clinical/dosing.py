"""Body surface area and the RamuNET doses: ramucirumab mg/kg, dacarbazine mg/m2.

Every figure is computed in exact decimal arithmetic at full precision and rounded once at the
end, half-up (clinical-rules.md §4.5). Every result is a frozen dataclass that carries the
inputs, the formula written out with the numbers, and the result with its unit, so that a
nurse can check it on paper.

References
----------
- Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.
- Du Bois D, Du Bois EF. A formula to estimate the approximate surface area if height and
  weight be known. Arch Intern Med 1916;17:863-871.
- RamuNET protocol (Krug et al., BMC Cancer 2021): ramucirumab 8 mg/kg actual body weight d1 +
  d15, dacarbazine 650 mg/m2 d1, q28d; PROTOCOL-NOTES.md "Treatment"; clinical-rules.md §4.1-4.3.
- Griggs JJ et al. Appropriate chemotherapy dosing for obese adult patients with cancer: ASCO
  clinical practice guideline. J Clin Oncol 2012;30:1553-1561 (why a BSA cap is off by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.units import Number, to_decimal

WEIGHT_RANGE_KG = (Decimal(20), Decimal(300))
HEIGHT_RANGE_CM = (Decimal(100), Decimal(250))
RAMUCIRUMAB_MG_PER_KG = Decimal(8)
DACARBAZINE_MG_PER_M2 = Decimal(650)
RAMUCIRUMAB_CONCENTRATION_MG_PER_ML = Decimal(10)

_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")


class BsaFormula(StrEnum):
    """The body surface area formula; the protocol names one and the record stores it."""

    MOSTELLER = "mosteller"
    DUBOIS = "dubois"


@dataclass(frozen=True)
class DosingSettings:
    """Site and protocol dosing choices (clinical-rules.md §4.1-4.3, §4.5).

    Parameters
    ----------
    bsa_formula
        Mosteller (RamuNET default) or DuBois & DuBois.
    bsa_cap_m2
        Cap the BSA used for mg/m2 doses at this value; ``None`` (default) = no cap. A cap is an
        institutional policy, not a RamuNET rule (ASCO, Griggs et al. 2012).
    dose_rounding_mg
        Round the final dose half-up to a multiple of this many mg (pharmacy rule, e.g. 10);
        ``None`` (default) = record to 0.01 mg.
    recalculation_threshold_pct
        Recalculate when body weight changed by at least this percentage of the weight used for
        the last calculation (default 10, inclusive).
    """

    bsa_formula: BsaFormula = BsaFormula.MOSTELLER
    bsa_cap_m2: Decimal | None = None
    dose_rounding_mg: Decimal | None = None
    recalculation_threshold_pct: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "bsa_formula", BsaFormula(self.bsa_formula))
        except ValueError:
            raise UnknownTerm("bsa_formula", self.bsa_formula, list(BsaFormula)) from None
        for name in ("bsa_cap_m2", "dose_rounding_mg", "recalculation_threshold_pct"):
            raw = getattr(self, name)
            if raw is None and name != "recalculation_threshold_pct":
                continue
            value = to_decimal(raw, name)
            if value <= 0:
                raise InvalidInput(name, "must be positive", raw)
            object.__setattr__(self, name, value)


DEFAULT_DOSING = DosingSettings()


@dataclass(frozen=True)
class BsaCalculation:
    """A body surface area with the formula written out.

    ``bsa_m2`` is the full-precision value (to 1e-6 m2) that doses use; ``bsa_rounded_m2`` is
    the 2-decimal figure for the record (clinical-rules.md §4.3, §4.5: BSA is not rounded
    before dosing).
    """

    method: BsaFormula
    height_cm: Decimal
    weight_kg: Decimal
    bsa_uncapped_m2: Decimal
    bsa_m2: Decimal
    cap_m2: Decimal | None
    formula: str
    unit: str = "m2"

    @property
    def bsa_rounded_m2(self) -> Decimal:
        return self.bsa_m2.quantize(_CENT, ROUND_HALF_UP)

    @property
    def capped(self) -> bool:
        return self.bsa_m2 != self.bsa_uncapped_m2


@dataclass(frozen=True)
class DoseCalculation:
    """A dose with its basis, inputs and the formula written out, e.g.
    ``8 mg/kg x 72.5 kg = 580 mg``.

    ``dose_mg`` is the dose to record: 0.01 mg, or the pharmacy rounding of the settings.
    """

    drug: str
    dose_mg: Decimal
    dose_unrounded_mg: Decimal
    basis: str
    dose_per_unit: Decimal
    per_unit: str
    weight_kg: Decimal
    bsa: BsaCalculation | None
    formula: str
    unit: str = "mg"

    def volume_ml(self, concentration_mg_per_ml: Number) -> Decimal:
        """Volume of concentrate for ``dose_mg`` at this concentration, to 0.01 mL.

        Ramucirumab concentrate is 10 mg/mL (clinical-rules.md §4.2): 580 mg -> 58 mL.
        """
        concentration = to_decimal(concentration_mg_per_ml, "concentration_mg_per_ml")
        if concentration <= 0:
            raise InvalidInput(
                "concentration_mg_per_ml", "must be positive", concentration_mg_per_ml
            )
        return (self.dose_mg / concentration).quantize(_CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class WeightChangeCheck:
    """Whether a dose must be recalculated for a change of body weight (PROTOCOL-NOTES.md
    "Treatment": recalculate at a change of 10% or more from the weight last used)."""

    weight_used_kg: Decimal
    weight_now_kg: Decimal
    change_kg: Decimal
    change_pct: Decimal
    threshold_pct: Decimal
    recalculate: bool
    formula: str


def fmt(value: Decimal) -> str:
    """A decimal for a formula: plain notation, no trailing zeros (``580.00`` -> ``580``)."""
    text = format(value.normalize(), "f")
    return text


def checked_measure(
    value: Number, field: str, bounds: tuple[Decimal, Decimal], unit: str
) -> Decimal:
    """``value`` as a Decimal, positive and inside the plausible ``bounds`` (inclusive)."""
    amount = to_decimal(value, field)
    if amount <= 0:
        raise InvalidInput(field, "must be positive", value)
    low, high = bounds
    if not low <= amount <= high:
        raise InvalidInput(
            field, f"outside the plausible range {fmt(low)} to {fmt(high)} {unit}", value
        )
    return amount


def body_surface_area(
    height_cm: Number, weight_kg: Number, settings: DosingSettings = DEFAULT_DOSING
) -> BsaCalculation:
    """Body surface area by the formula of ``settings`` (Mosteller unless set), capped if set.

    Mosteller 1987: ``sqrt(height_cm x weight_kg / 3600)``; DuBois & DuBois 1916:
    ``0.007184 x weight_kg^0.425 x height_cm^0.725``. 170 cm / 70 kg gives 1.8181 m2 and
    1.8097 m2 (clinical-rules.md §4.1).

    Raises
    ------
    InvalidInput
        ``height_cm`` / ``weight_kg`` not positive or outside 100-250 cm / 20-300 kg.
    """
    height = checked_measure(height_cm, "height_cm", HEIGHT_RANGE_CM, "cm")
    weight = checked_measure(weight_kg, "weight_kg", WEIGHT_RANGE_KG, "kg")
    with localcontext() as ctx:
        ctx.prec = 28
        if settings.bsa_formula is BsaFormula.MOSTELLER:
            exact = (height * weight / Decimal(3600)).sqrt()
            text = f"sqrt({fmt(height)} cm x {fmt(weight)} kg / 3600)"
        else:
            exact = Decimal("0.007184") * weight ** Decimal("0.425") * height ** Decimal("0.725")
            text = f"0.007184 x {fmt(weight)} kg^0.425 x {fmt(height)} cm^0.725"
    bsa = exact.quantize(_MICRO, ROUND_HALF_UP)
    text = f"{text} = {fmt(bsa)} m2"
    used = bsa
    cap = settings.bsa_cap_m2
    if cap is not None and bsa > cap:
        used = cap
        text = f"{text}, capped at {fmt(cap)} m2 (site policy)"
    return BsaCalculation(settings.bsa_formula, height, weight, bsa, used, cap, text)


def _final_dose(unrounded: Decimal, settings: DosingSettings) -> tuple[Decimal, str]:
    dose = unrounded.quantize(_CENT, ROUND_HALF_UP)
    step = settings.dose_rounding_mg
    if step is None:
        return dose, f"{fmt(dose)} mg"
    rounded = (unrounded / step).quantize(Decimal(1), ROUND_HALF_UP) * step
    return rounded, f"{fmt(dose)} mg, rounded to the nearest {fmt(step)} mg = {fmt(rounded)} mg"


def ramucirumab_dose(
    weight_kg: Number,
    *,
    mg_per_kg: Number = RAMUCIRUMAB_MG_PER_KG,
    settings: DosingSettings = DEFAULT_DOSING,
) -> DoseCalculation:
    """Ramucirumab dose on actual body weight: ``mg_per_kg x weight_kg`` (default 8 mg/kg).

    72.5 kg -> 580 mg (58 mL of the 10 mg/mL concentrate). Label reduction levels are 6 and
    5 mg/kg (clinical-rules.md §4.2; CYRAMZA PI §2).

    Raises
    ------
    InvalidInput
        ``weight_kg`` not positive or outside 20-300 kg; ``mg_per_kg`` not positive.
    """
    weight = checked_measure(weight_kg, "weight_kg", WEIGHT_RANGE_KG, "kg")
    per_kg = to_decimal(mg_per_kg, "mg_per_kg")
    if per_kg <= 0:
        raise InvalidInput("mg_per_kg", "must be positive", mg_per_kg)
    unrounded = per_kg * weight
    dose, shown = _final_dose(unrounded, settings)
    return DoseCalculation(
        drug="ramucirumab",
        dose_mg=dose,
        dose_unrounded_mg=unrounded,
        basis=f"{fmt(per_kg)} mg/kg x actual body weight",
        dose_per_unit=per_kg,
        per_unit="mg/kg",
        weight_kg=weight,
        bsa=None,
        formula=f"{fmt(per_kg)} mg/kg x {fmt(weight)} kg = {shown}",
    )


def dacarbazine_dose(
    height_cm: Number,
    weight_kg: Number,
    *,
    mg_per_m2: Number = DACARBAZINE_MG_PER_M2,
    settings: DosingSettings = DEFAULT_DOSING,
) -> DoseCalculation:
    """Dacarbazine dose on body surface area: ``mg_per_m2 x BSA`` (default 650 mg/m2).

    BSA by ``settings`` (Mosteller default), carried at 1e-6 m2 (not rounded to 0.01 m2 before
    dosing, clinical-rules.md §4.3), capped only if the site set a cap:
    170 cm / 70 kg -> 1.818119 m2 -> 1181.78 mg (clinical-rules.md §4.3).

    Raises
    ------
    InvalidInput
        Height or weight implausible (see ``body_surface_area``); ``mg_per_m2`` not positive.
    """
    bsa = body_surface_area(height_cm, weight_kg, settings)
    per_m2 = to_decimal(mg_per_m2, "mg_per_m2")
    if per_m2 <= 0:
        raise InvalidInput("mg_per_m2", "must be positive", mg_per_m2)
    unrounded = per_m2 * bsa.bsa_m2
    dose, shown = _final_dose(unrounded, settings)
    capped = f" (BSA {fmt(bsa.bsa_uncapped_m2)} m2, capped)" if bsa.capped else ""
    return DoseCalculation(
        drug="dacarbazine",
        dose_mg=dose,
        dose_unrounded_mg=unrounded,
        basis=f"{fmt(per_m2)} mg/m2 x BSA ({bsa.method.value})",
        dose_per_unit=per_m2,
        per_unit="mg/m2",
        weight_kg=bsa.weight_kg,
        bsa=bsa,
        formula=f"{fmt(per_m2)} mg/m2 x {fmt(bsa.bsa_m2)} m2{capped} = {shown}",
    )


def weight_change(
    weight_used_kg: Number, weight_now_kg: Number, settings: DosingSettings = DEFAULT_DOSING
) -> WeightChangeCheck:
    """Recalculate the dose when weight changed by >= the threshold (default 10%, inclusive)
    from the weight used for the last calculation, in either direction.

    Compared exactly: ``|now - used| x 100 >= threshold x used``; 72.5 -> 65.25 kg (exactly
    -10%) recalculates, 72.5 -> 65.26 kg does not (PROTOCOL-NOTES.md "Treatment";
    clinical-rules.md §4.2).
    """
    used = checked_measure(weight_used_kg, "weight_used_kg", WEIGHT_RANGE_KG, "kg")
    now = checked_measure(weight_now_kg, "weight_now_kg", WEIGHT_RANGE_KG, "kg")
    threshold = settings.recalculation_threshold_pct
    change = now - used
    recalculate = abs(change) * 100 >= threshold * used
    change_pct = (change * 100 / used).quantize(_CENT, ROUND_HALF_UP)
    verdict = (
        f">= {fmt(threshold)}%: recalculate" if recalculate else f"< {fmt(threshold)}%: keep dose"
    )
    formula = (
        f"|{fmt(now)} kg - {fmt(used)} kg| / {fmt(used)} kg = {fmt(abs(change_pct))}% {verdict}"
    )
    return WeightChangeCheck(used, now, change, change_pct, threshold, recalculate, formula)

"""Cockcroft-Gault creatinine clearance, in exact decimal arithmetic.

References
----------
- Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron
  1976;16:31-41.
- clinical-rules.md §4.4 (actual body weight, no creatinine floor, not normalised to 1.73 m2;
  SCr mg/dL = SCr umol/L / 88.4) and §4.5 (round once, half-up, 2 decimals).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ramunet.clinical.dosing import WEIGHT_RANGE_KG, checked_measure, fmt
from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.units import Number, normalise_unit, to_canonical, to_decimal

AGE_RANGE_YEARS = (Decimal(18), Decimal(120))
CREATININE_MAX_MG_DL = Decimal(30)
FEMALE_FACTOR = Decimal("0.85")
_CAP = Decimal(10**6)  # any creatinine above this is implausible in every unit


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


@dataclass(frozen=True)
class CreatinineClearance:
    """An estimated creatinine clearance with the formula written out.

    ``crcl_ml_min`` is rounded half-up to 2 decimals; ``crcl_unrounded_ml_min`` keeps the full
    precision. ``creatinine_mg_dl`` is the serum creatinine converted by ``units.py``.
    """

    sex: Sex
    age_years: Decimal
    weight_kg: Decimal
    creatinine_value: Decimal
    creatinine_unit: str
    creatinine_mg_dl: Decimal
    crcl_unrounded_ml_min: Decimal
    crcl_ml_min: Decimal
    formula: str
    unit: str = "mL/min"


def cockcroft_gault(
    *,
    sex: Sex | str,
    age_years: Number,
    weight_kg: Number,
    creatinine: Number,
    creatinine_unit: str = "mg/dL",
) -> CreatinineClearance:
    """Creatinine clearance (mL/min) by Cockcroft & Gault (1976).

    ``(140 - age_years) x weight_kg / (72 x SCr_mg/dL)``, x 0.85 for women; SCr in umol/L is
    converted first (/ 88.4). A man of 60 years, 72 kg, SCr 1.0 mg/dL: 80 mL/min; a woman with
    the same figures: 68 mL/min.

    Raises
    ------
    InvalidInput
        Sex not female/male; age outside 18-120 years; weight outside 20-300 kg; creatinine
        not positive or above 30 mg/dL; an unknown creatinine unit (``UnknownUnit``).
    """
    try:
        sex_code = Sex(sex)
    except ValueError:
        raise UnknownTerm("sex", sex, list(Sex)) from None
    age = checked_measure(age_years, "age_years", AGE_RANGE_YEARS, "years")
    weight = checked_measure(weight_kg, "weight_kg", WEIGHT_RANGE_KG, "kg")
    reported = to_decimal(creatinine, "creatinine")
    if reported <= 0:
        raise InvalidInput("creatinine", "must be positive", creatinine)
    scr = to_canonical("creatinine", min(reported, _CAP), creatinine_unit, field="creatinine")
    if scr > CREATININE_MAX_MG_DL:
        raise InvalidInput(
            "creatinine",
            f"outside the plausible range up to {CREATININE_MAX_MG_DL} mg/dL",
            creatinine,
        )
    crcl = (140 - age) * weight / (72 * scr)
    text = f"(140 - {fmt(age)} y) x {fmt(weight)} kg / (72 x {fmt(scr)} mg/dL)"
    if sex_code is Sex.FEMALE:
        crcl *= FEMALE_FACTOR
        text += " x 0.85 (female)"
    rounded = crcl.quantize(Decimal("0.01"), ROUND_HALF_UP)
    text += f" = {fmt(rounded)} mL/min"
    unit = normalise_unit(creatinine_unit)
    if unit != "mg/dL":
        text = f"creatinine {fmt(reported)} {unit} / 88.4 = {fmt(scr)} mg/dL; {text}"
    return CreatinineClearance(
        sex=sex_code,
        age_years=age,
        weight_kg=weight,
        creatinine_value=reported,
        creatinine_unit=unit,
        creatinine_mg_dl=scr,
        crcl_unrounded_ml_min=crcl,
        crcl_ml_min=rounded,
        formula=text,
    )

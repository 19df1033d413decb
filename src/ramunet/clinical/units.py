"""Laboratory unit conversions, in exact decimal arithmetic.

Every analyte has one canonical unit; a value in any known unit converts to it exactly
(``Decimal``), so that thresholds such as "1.5 mg/dL = 25.65 umol/L" compare exactly. An
unknown unit is an error (``UnknownUnit``), never a guess.

References
----------
- Creatinine 1 mg/dL = 88.4 umol/L; bilirubin 1 mg/dL = 17.1 umol/L (the RamuNET protocol
  states 1.5 mg/dL = 25.65 umol/L); haemoglobin 1 g/dL = 10 g/L = 0.6206 mmol/L (monomer,
  MW 16.114 kDa); 1 x 10^9/L = 1000/mm3 = 1000/uL. Young DS, "Implementation of SI units for
  clinical laboratory data", Ann Intern Med 1987;106:114-129; clinical-rules.md §4.6.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit

Number = Decimal | int | float | str


def to_decimal(value: Number, field: str = "value") -> Decimal:
    """Turn a number into a ``Decimal`` via its decimal string (``0.1`` stays ``0.1``).

    Raises ``InvalidInput`` naming ``field`` for something that is not a finite number.
    """
    if isinstance(value, bool):
        raise InvalidInput(field, "must be a number, not a boolean", value)
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(field, "is not a number", value) from None
    if not result.is_finite():
        raise InvalidInput(field, "must be a finite number", value)
    return result


# Spellings seen on laboratory reports, folded to one spelling each.
_ALIASES: dict[str, str] = {
    "umol/l": "umol/L",
    "µmol/l": "umol/L",
    "μmol/l": "umol/L",
    "mcmol/l": "umol/L",
    "mg/dl": "mg/dL",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "mmol/l": "mmol/L",
    "meq/l": "mEq/L",
    "/mm3": "/mm3",
    "/mm^3": "/mm3",
    "cells/mm3": "/mm3",
    "/ul": "/uL",
    "/µl": "/uL",
    "/μl": "/uL",
    "cells/ul": "/uL",
    "10^9/l": "10^9/L",
    "x10^9/l": "10^9/L",
    "10e9/l": "10^9/L",
    "g/l (cells)": "10^9/L",
    "gpt/l": "10^9/L",
    "10^3/ul": "10^3/uL",
    "x10^3/ul": "10^3/uL",
    "ng/ml": "ng/mL",
    "ug/l": "ug/L",
    "µg/l": "ug/L",
    "μg/l": "ug/L",
    "mg/24h": "mg/24h",
    "mg/d": "mg/24h",
    "g/24h": "g/24h",
    "ml/min": "mL/min",
    "s": "s",
    "sec": "s",
    "mmhg": "mmHg",
    "%": "%",
    "ratio": "ratio",
    "u/l": "U/L",
    "iu/l": "U/L",
}


def normalise_unit(unit: str) -> str:
    """Fold a unit's spelling (case, micro sign, ``x10^9/L``) to ramunet's spelling."""
    key = unit.strip().replace(" ", "").lower()
    return _ALIASES.get(key, unit.strip())


@dataclass(frozen=True)
class Analyte:
    """A laboratory analyte: its canonical unit and each known unit's factor to it.

    ``factors[unit]`` multiplies a value in ``unit`` to give the value in ``canonical``.
    """

    code: str
    name: str
    canonical: str
    factors: tuple[tuple[str, Decimal], ...]

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(unit for unit, _ in self.factors)

    def factor(self, unit: str, field: str = "unit") -> Decimal:
        folded = normalise_unit(unit)
        for known, factor in self.factors:
            if known == folded:
                return factor
        raise UnknownUnit(field, unit, self.units)


def _counts(code: str, name: str) -> Analyte:
    return Analyte(
        code,
        name,
        "10^9/L",
        (
            ("10^9/L", Decimal(1)),
            ("10^3/uL", Decimal(1)),
            ("/mm3", Decimal("0.001")),
            ("/uL", Decimal("0.001")),
        ),
    )


_ANALYTE_LIST: tuple[Analyte, ...] = (
    Analyte(
        "creatinine",
        "Serum creatinine",
        "mg/dL",
        (("mg/dL", Decimal(1)), ("umol/L", Decimal(1) / Decimal("88.4"))),
    ),
    Analyte(
        "bilirubin",
        "Total bilirubin",
        "mg/dL",
        (("mg/dL", Decimal(1)), ("umol/L", Decimal(1) / Decimal("17.1"))),
    ),
    Analyte(
        "hemoglobin",
        "Haemoglobin",
        "g/dL",
        (
            ("g/dL", Decimal(1)),
            ("g/L", Decimal("0.1")),
            ("mmol/L", Decimal(1) / Decimal("0.6206")),
        ),
    ),
    _counts("anc", "Absolute neutrophil count"),
    _counts("platelets", "Platelet count"),
    _counts("wbc", "White blood cell count"),
    _counts("lymphocytes", "Lymphocyte count"),
    Analyte("potassium", "Potassium", "mmol/L", (("mmol/L", Decimal(1)), ("mEq/L", Decimal(1)))),
    Analyte("sodium", "Sodium", "mmol/L", (("mmol/L", Decimal(1)), ("mEq/L", Decimal(1)))),
    Analyte("albumin", "Albumin", "g/dL", (("g/dL", Decimal(1)), ("g/L", Decimal("0.1")))),
    Analyte("ast", "Aspartate aminotransferase", "U/L", (("U/L", Decimal(1)),)),
    Analyte("alt", "Alanine aminotransferase", "U/L", (("U/L", Decimal(1)),)),
    Analyte("alp", "Alkaline phosphatase", "U/L", (("U/L", Decimal(1)),)),
    Analyte("inr", "International normalised ratio", "ratio", (("ratio", Decimal(1)),)),
    Analyte("ptt", "Partial thromboplastin time", "s", (("s", Decimal(1)),)),
    Analyte(
        "urine_protein_24h",
        "24-hour urine protein",
        "mg/24h",
        (("mg/24h", Decimal(1)), ("g/24h", Decimal(1000))),
    ),
    Analyte("creatinine_clearance", "Creatinine clearance", "mL/min", (("mL/min", Decimal(1)),)),
    Analyte(
        "chromogranin_a", "Chromogranin A", "ng/mL", (("ng/mL", Decimal(1)), ("ug/L", Decimal(1)))
    ),
)

ANALYTES: dict[str, Analyte] = {analyte.code: analyte for analyte in _ANALYTE_LIST}


def analyte(code: str, field: str = "analyte") -> Analyte:
    """The analyte with this code, or ``UnknownTerm`` naming ``field``."""
    try:
        return ANALYTES[code]
    except KeyError:
        raise UnknownTerm(field, code, sorted(ANALYTES)) from None


def to_canonical(code: str, value: Number, unit: str, field: str | None = None) -> Decimal:
    """Convert ``value`` in ``unit`` to the analyte's canonical unit, exactly.

    >>> to_canonical("bilirubin", "25.65", "umol/L")
    Decimal('1.5')
    >>> to_canonical("anc", 1500, "/mm3")
    Decimal('1.5')
    """
    name = field or code
    amount = to_decimal(value, f"{name}.value")
    return _tidy(amount * analyte(code).factor(unit, f"{name}.unit"))


def convert(code: str, value: Number, unit: str, to_unit: str, field: str | None = None) -> Decimal:
    """Convert ``value`` of analyte ``code`` from ``unit`` to ``to_unit``, exactly."""
    name = field or code
    canonical = to_canonical(code, value, unit, field)
    return _tidy(canonical / analyte(code).factor(to_unit, f"{name}.to_unit"))


def _tidy(value: Decimal) -> Decimal:
    """Round away the noise of a repeating factor (1/88.4) at 1e-12, drop trailing zeros."""
    if value.adjusted() >= 15:  # 1e-12 steps would need more than 28 digits: nothing to tidy
        return value.normalize()
    tidy = value.quantize(Decimal("1e-12")).normalize()
    return tidy.quantize(Decimal(1)) if tidy.as_tuple().exponent > 0 else tidy  # type: ignore[operator]

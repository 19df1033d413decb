"""Values the system derives from one form, with their provenance (inputs, rule, version).

Each function takes the form row and a ``FormContext`` (the centre's reference ranges and the
patient's baseline values, read once by the service) and returns the ``derived`` mapping that
is stored on the row. The clinical rules themselves live in ``ramunet.clinical``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ramunet import __version__
from ramunet.clinical import ctcae, dosing, units
from ramunet.clinical.ctcae_criteria import LAB_TERMS
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.crfs.models import Chemistry, Exposure, FormRecord, Haematology, VitalSigns

# analyte code -> the CTCAE v5.0 terms graded from it
TERMS_BY_ANALYTE: dict[str, tuple[str, ...]] = {}
for _spec in LAB_TERMS:
    TERMS_BY_ANALYTE.setdefault(_spec.analyte, ())
    TERMS_BY_ANALYTE[_spec.analyte] += (_spec.term,)

# analytes whose CTCAE v5.0 grade depends on the patient's baseline (clinical-rules.md §2.4)
BASELINE_ANALYTES: frozenset[str] = frozenset(
    spec.analyte
    for spec in LAB_TERMS
    if getattr(spec.rule, "abnormal_baseline", None) or getattr(spec.rule, "baseline_also", ())
)

LAB_FIELDS: dict[type[FormRecord], tuple[str, ...]] = {
    Haematology: ("hemoglobin", "anc", "platelets", "wbc", "lymphocytes"),
    Chemistry: ("creatinine", "bilirubin", "ast", "alt", "alp", "potassium", "sodium"),
}


@dataclass(frozen=True)
class Range:
    lln: Decimal | None
    uln: Decimal | None
    unit: str


@dataclass(frozen=True)
class FormContext:
    """What derivations and checks need beyond the form itself, read once per save."""

    ranges: dict[str, Range] = field(default_factory=dict)  # analyte -> centre's range
    baseline: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # analyte -> value
    today: dt.date | None = None


def provenance(rule: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"rule": rule, "inputs": inputs, "software": f"ramunet {__version__}"}


def _in_unit(code: str, amount: Decimal | None, unit_from: str, unit_to: str) -> Decimal | None:
    if amount is None:
        return None
    return units.convert(code, amount, unit_from, unit_to)


def derive_lab(form: FormRecord, context: FormContext) -> dict[str, Any]:
    """Reference-range flag (L/N/H) and CTCAE v5.0 grade of every value on a lab form.

    Grades use the centre's LLN/ULN converted to the value's unit, and the patient's baseline
    for the terms whose v5.0 rule depends on an abnormal baseline (clinical-rules.md §2.4).
    """
    result: dict[str, Any] = {}
    for name in LAB_FIELDS[type(form)]:
        value: Decimal | None = getattr(form, name)
        if value is None:
            continue
        unit = getattr(form, f"{name}_unit")
        if units.normalise_unit(unit) not in units.analyte(name).units or value < 0:
            continue  # the edit checks refuse an unknown unit or a negative value
        reference = context.ranges.get(name)
        lln = _in_unit(name, reference.lln, reference.unit, unit) if reference else None
        uln = _in_unit(name, reference.uln, reference.unit, unit) if reference else None
        flag = "N"
        if lln is not None and value < lln:
            flag = "L"
        elif uln is not None and value > uln:
            flag = "H"
        entry: dict[str, Any] = {"flag": flag, "lln": lln, "uln": uln, "unit": unit}
        grades = []
        base = context.baseline.get(name)
        baseline = _in_unit(name, base[0], base[1], unit) if base else None
        for term in TERMS_BY_ANALYTE.get(name, ()):
            try:
                graded = ctcae.grade(term, value, unit, lln=lln, uln=uln, baseline=baseline)
            except InvalidInput as error:
                grades.append({"term": term, "grade": None, "rule": str(error)})
                continue
            grades.append({"term": graded.term, "grade": graded.grade, "rule": graded.rule})
        entry["ctcae"] = grades
        entry["worst_grade"] = max(
            (g["grade"] for g in grades if g["grade"] is not None), default=0
        )
        result[name] = entry
    result["_provenance"] = provenance(
        "CTCAE v5.0 grading and reference-range flag",
        {"ranges": {k: vars(v) for k, v in context.ranges.items()}},
    )
    return result


def derive_vitals(form: VitalSigns, context: FormContext) -> dict[str, Any]:
    """CTCAE v5.0 hypertension grade from the blood pressure reading."""
    if form.systolic_mmhg is None or form.diastolic_mmhg is None:
        return {}
    if form.diastolic_mmhg >= form.systolic_mmhg:
        return {}  # a swapped reading: the edit check refuses it
    graded = ctcae.grade_hypertension(form.systolic_mmhg, form.diastolic_mmhg)
    return {
        "hypertension": {"term": graded.term, "grade": graded.grade, "rule": graded.rule},
        "_provenance": provenance("CTCAE v5.0 Hypertension", {}),
    }


def derive_exposure(form: Exposure, context: FormContext) -> dict[str, Any]:
    """The protocol dose from the weight (and height) on the form: 8 mg/kg or 650 mg/m2."""
    if form.drug == Exposure.Drug.RAMUCIRUMAB:
        calc = dosing.ramucirumab_dose(form.weight_kg)
    else:
        if form.height_cm is None:
            raise InvalidInput("height_cm", "is required to compute the dacarbazine dose (mg/m2)")
        calc = dosing.dacarbazine_dose(form.height_cm, form.weight_kg)
    form.computed_dose_mg = calc.dose_mg
    return {
        "dose": {
            "drug": calc.drug,
            "dose_mg": calc.dose_mg,
            "formula": calc.formula,
            "bsa_m2": calc.bsa.bsa_m2 if calc.bsa else None,
        },
        "_provenance": provenance(calc.formula, {"weight_kg": form.weight_kg}),
    }


def derive(form: FormRecord, context: FormContext) -> dict[str, Any]:
    """The form's derived values, JSON-ready (decimals as exact strings)."""
    derived: dict[str, Any] = {}
    if isinstance(form, Haematology | Chemistry):
        derived = derive_lab(form, context)
    elif isinstance(form, VitalSigns):
        derived = derive_vitals(form, context)
    elif isinstance(form, Exposure):
        derived = derive_exposure(form, context)
    result: dict[str, Any] = jsonable(derived)
    return result

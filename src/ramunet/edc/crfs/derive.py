"""Values the system derives from one form, with their provenance (inputs, rule, version).

Each function takes the form row and a ``FormContext`` (the centre's reference ranges and the
patient's baseline values, read once by the service) and returns the ``derived`` mapping that
is stored on the row. The clinical rules themselves live in ``ramunet.clinical``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ramunet import __version__
from ramunet.clinical import biochemical, ctcae, dosing, qlqc30, units
from ramunet.clinical.ctcae_criteria import LAB_TERMS
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.crfs.models import (
    Chemistry,
    ChromograninA,
    Coagulation,
    Demographics,
    Exposure,
    FormRecord,
    Haematology,
    QlqC30,
    UrineProtein,
    VitalSigns,
)

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
    # no CTCAE v5.0 term is graded from INR or PTT here: flags against the centre range only
    Coagulation: ("inr", "ptt"),
}

# forms whose values are compared with the centre's reference ranges (analytes read per save)
RANGE_FIELDS: dict[type[FormRecord], tuple[str, ...]] = LAB_FIELDS | {
    UrineProtein: ("urine_protein_24h",),
}

_HUNDREDTH = Decimal("0.01")


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
    # the patient's baseline form of the same kind (CGA: the last one on or before first dose)
    baseline_form: FormRecord | None = None


def provenance(rule: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"rule": rule, "inputs": inputs, "software": f"ramunet {__version__}"}


@functools.lru_cache(maxsize=4096)
def _in_unit(code: str, amount: Decimal | None, unit_from: str, unit_to: str) -> Decimal | None:
    """``amount`` in ``unit_to``; remembered, since a centre's few limits and a patient's
    baseline are converted again for every lab form (equal amounts give the same tidy
    result, so 1.5 and 1.50 may share an entry)."""
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


def derive_urine(form: UrineProtein, context: FormContext) -> dict[str, Any]:
    """CTCAE v5.0 Proteinuria grade; the 24-h collection takes precedence over the dipstick.

    The 24-h grade 1 needs the centre's ULN (reference range ``urine_protein_24h``); without
    it the 24-h value cannot be graded and the dipstick, if read, is graded instead (CTCAE
    v5.0 Proteinuria, navigational note; clinical-rules.md §2.5).
    """
    amount, unit = form.urine_protein_24h, form.urine_protein_24h_unit
    if amount is not None and (
        amount < 0 or units.normalise_unit(unit) not in units.analyte("urine_protein_24h").units
    ):
        amount = None  # the edit checks refuse a negative value or an unknown unit
    if amount is None and not form.dipstick:
        return {}
    reference = context.ranges.get("urine_protein_24h")
    uln = (
        _in_unit("urine_protein_24h", reference.uln, reference.unit, unit)
        if reference and amount is not None
        else None
    )
    notes = []
    graded = None
    if amount is not None:
        try:
            graded = ctcae.grade_proteinuria(None, amount, unit, uln_24h=uln)
        except InvalidInput as error:
            notes.append(f"24-h urine protein not graded: {error}")
    if graded is None and form.dipstick:
        graded = ctcae.grade_proteinuria(form.dipstick)
    entry: dict[str, Any] = {"term": "Proteinuria", "grade": None, "rule": "; ".join(notes)}
    if graded is not None:
        rule = "; ".join([*notes, graded.rule])
        entry = {"term": graded.term, "grade": graded.grade, "rule": rule}
    return {
        "proteinuria": entry,
        "_provenance": provenance("CTCAE v5.0 Proteinuria", {"uln_24h": uln, "unit": unit}),
    }


def _cga_baseline(form: ChromograninA, context: FormContext) -> ChromograninA | None:
    base = context.baseline_form
    if not isinstance(base, ChromograninA) or base.value is None:
        return None
    first_dose = form.patient.first_dose
    if first_dose is not None and form.form_date <= first_dose:
        return None  # a value before treatment is a baseline value itself
    if base.pk == form.pk or form.form_date <= base.form_date or base.marker != form.marker:
        return None
    return base


def derive_cga(form: ChromograninA, context: FormContext) -> dict[str, Any]:
    """% change from the patient's baseline CgA (or hormone) and the biochemical category.

    Baseline: the last form of the same marker dated on or before the first dose. Response at a
    decrease >= 50%, progression at an increase >= 25%, evaluable only with a baseline above
    the ULN (``ramunet.clinical.biochemical``; clinical-rules.md §5; PROTOCOL-NOTES.md
    "Endpoints").
    """
    if form.value is None:
        return {}
    base = _cga_baseline(form, context)
    if base is None or base.value is None:
        return {"biochemical": {"baseline": True}}
    uln = base.uln if base.uln is not None else form.uln
    rule = "biochemical response (clinical-rules.md §5): -50% response, +25% progression"
    inputs = {"baseline_form": base.pk, "baseline_date": base.form_date}
    try:
        result = biochemical.biochemical_response(
            base.value, form.value, unit=form.unit, baseline_unit=base.unit, uln=uln,
            marker=form.marker,
        )  # fmt: skip
    except InvalidInput as error:
        entry = {"baseline": False, "category": "not evaluable", "reason": str(error)}
        return {"biochemical": entry, "_provenance": provenance(rule, inputs)}
    entry = {
        "baseline": False,
        "baseline_value": result.baseline_value,
        "unit": result.unit,
        "change_pct": result.change_pct,
        "category": result.category.value,
        "reason": result.reason,
    }
    return {"biochemical": entry, "_provenance": provenance(rule, inputs)}


def qlq_scores(form: QlqC30) -> dict[str, Decimal | None]:
    """The 15 scale scores and the summary score, exact, rounded half-up to 0.01."""
    return {
        code: None if value is None else _hundredths(value)
        for code, value in qlqc30.exact_scores(form.answers()).items()
    }


def _hundredths(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_HUNDREDTH, ROUND_HALF_UP)


def derive_qlqc30(form: QlqC30, context: FormContext) -> dict[str, Any]:
    """EORTC QLQ-C30 v3.0 scale scores and the summary score (Fayers et al. 2001; Giesinger
    et al. 2016), each 0..100 to 0.01, ``None`` where the half-of-items rule leaves it out."""
    if all(answer is None for answer in form.answers().values()):
        return {}
    return {
        "scores": qlq_scores(form),
        "_provenance": provenance("EORTC QLQ-C30 Scoring Manual, 3rd ed. (2001)", {}),
    }


def derive_demographics(form: Demographics, context: FormContext) -> dict[str, Any]:
    """Age at consent in completed years, as the range a year of birth allows."""
    consent = form.patient.consent_date
    low = consent.year - form.year_of_birth - 1
    return {
        "age_at_consent_years": {"min": max(low, 0), "max": low + 1},
        "_provenance": provenance("year of consent minus year of birth", {"consent": consent}),
    }


def derive(form: FormRecord, context: FormContext) -> dict[str, Any]:
    """The form's derived values, JSON-ready (decimals as exact strings)."""
    derived: dict[str, Any] = {}
    if isinstance(form, Haematology | Chemistry | Coagulation):
        derived = derive_lab(form, context)
    elif isinstance(form, UrineProtein):
        derived = derive_urine(form, context)
    elif isinstance(form, ChromograninA):
        derived = derive_cga(form, context)
    elif isinstance(form, QlqC30):
        derived = derive_qlqc30(form, context)
    elif isinstance(form, Demographics):
        derived = derive_demographics(form, context)
    elif isinstance(form, VitalSigns):
        derived = derive_vitals(form, context)
    elif isinstance(form, Exposure):
        derived = derive_exposure(form, context)
    result: dict[str, Any] = jsonable(derived)
    return result

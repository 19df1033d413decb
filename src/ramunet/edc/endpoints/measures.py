"""Patient-level measures beyond RECIST: last contact alive, CgA best response, dose intensity
and QLQ-C30 change from baseline. Each reads one patient's forms and returns JSON-ready data.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Max

from ramunet.clinical import biochemical, qlqc30
from ramunet.clinical.biochemical import BiochemicalCategory
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.crfs.models import (
    FORMS,
    ChromograninA,
    Death,
    EndOfStudy,
    Exposure,
    FollowUp,
    QlqC30,
    TranslationalResult,
)
from ramunet.edc.screening.models import Patient
from ramunet.protocol.regimen import REGIMEN

_THOUSANDTH = Decimal("0.001")
_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")

# forms whose date is not a contact with the patient alive: a central lab result, the death
# and end-of-study records; a follow-up counts only when it found the patient alive
NOT_A_CONTACT = (TranslationalResult, Death, EndOfStudy, FollowUp)
CGA_RANK = {
    BiochemicalCategory.RESPONSE: 0,
    BiochemicalCategory.STABLE: 1,
    BiochemicalCategory.PROGRESSION: 2,
    BiochemicalCategory.NOT_EVALUABLE: 3,
}


def last_contact_alive(patient: Patient) -> tuple[dt.date | None, str]:
    """The latest date the patient is known alive and the form it comes from.

    PROTOCOL-NOTES.md "Endpoints" (OS censored at last contact alive): the latest form date
    of any form of the patient (a visit, a lab sample, a dose, an adverse event onset), a
    follow-up contact with vital status alive, and the first dose.
    """
    best: tuple[dt.date | None, str] = (patient.first_dose, "first dose")
    for code, model in FORMS.items():
        if model in NOT_A_CONTACT:
            continue
        day = model.objects.filter(patient=patient).aggregate(last=Max("form_date"))["last"]
        if day is not None and (best[0] is None or day > best[0]):
            best = (day, f"{code} form")
    alive = FollowUp.objects.filter(patient=patient, vital_status=FollowUp.Status.ALIVE)
    day = alive.aggregate(last=Max("form_date"))["last"]
    if day is not None and (best[0] is None or day > best[0]):
        best = (day, "FOLLOWUP contact (alive)")
    return best


def _baseline_row(rows: list[Any], first_dose: dt.date) -> Any:
    """The last row dated on or before the first dose."""
    before = [row for row in rows if row.form_date <= first_dose]
    return before[-1] if before else None


def cga_best_response(patient: Patient, first_dose: dt.date) -> tuple[str, dict[str, Any]]:
    """Best biochemical response of CgA (or the baseline's hormone) after the first dose.

    Baseline: the last value on or before the first dose; each later value of the same marker
    is classified by ``ramunet.clinical.biochemical`` (response >= 50% decrease, progression
    >= 25% increase, baseline above the ULN; clinical-rules.md §5); best: response, then
    stable, then progression, then not evaluable.
    """
    rows = list(
        ChromograninA.objects.filter(patient=patient, value__isnull=False).order_by(
            "form_date", "pk"
        )
    )
    base = _baseline_row(rows, first_dose)
    if base is None:
        return "not evaluable", {"reason": "no CgA value on or before the first dose"}
    later = [row for row in rows if row.marker == base.marker and row.form_date > first_dose]
    details: dict[str, Any] = {
        "marker": base.marker,
        "baseline_date": base.form_date,
        "baseline_value": base.value,
        "unit": base.unit,
        "values_after_baseline": len(later),
    }
    best: tuple[BiochemicalCategory, Any, str] | None = None
    for row in later:
        try:
            result = biochemical.biochemical_response(
                base.value, row.value, unit=row.unit, baseline_unit=base.unit,
                uln=base.uln if base.uln is not None else row.uln, marker=base.marker,
            )  # fmt: skip
            found = (result.category, row, result.reason)
            change = result.change_pct
        except InvalidInput as error:
            found = (BiochemicalCategory.NOT_EVALUABLE, row, str(error))
            change = None
        if best is None or CGA_RANK[found[0]] < CGA_RANK[best[0]]:
            best = found
            details |= {"best_date": row.form_date, "best_change_pct": change}
    if best is None:
        return "not evaluable", details | {"reason": "no value after the first dose"}
    return best[0].value, details | {"reason": best[2]}


def _ratio(given: Decimal, planned: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    if not planned:
        return None, None
    exact = given / planned
    return exact.quantize(_THOUSANDTH, ROUND_HALF_UP), (exact * 100).quantize(_TENTH, ROUND_HALF_UP)


def dose_intensity(patient: Patient) -> dict[str, Any]:
    """Relative dose intensity per drug: mg given / mg planned over the treatment period.

    The treatment period is cycles 1 to the last cycle with an administration of either drug;
    the protocol plans ramucirumab on days 1 and 15, dacarbazine on day 1 of each cycle
    (``ramunet.protocol.regimen``). A planned administration counts at the protocol dose the
    system computed for it (8 mg/kg; 650 mg/m2 from the weight and height on the form); one
    not given counts at the dose computed for the drug's last earlier administration (its
    first one before any). A dose given is ``dose_given_mg``; an empty one counts 0 mg.
    """
    rows = list(Exposure.objects.filter(patient=patient).order_by("cycle", "day", "pk"))
    if not rows:
        return {}
    last_cycle = max(row.cycle for row in rows)
    result: dict[str, Any] = {"cycles": last_cycle}
    for drug in REGIMEN.drugs:
        mine = [row for row in rows if row.drug == drug.name]
        given = sum((row.dose_given_mg or Decimal(0) for row in mine), Decimal(0))
        computed = [row.computed_dose_mg for row in mine if row.computed_dose_mg is not None]
        reference = computed[0] if computed else None
        by_slot = {(row.cycle, row.day): row for row in mine}
        planned: Decimal | None = Decimal(0)
        slots = 0
        for cycle in range(1, last_cycle + 1):
            for day in drug.cycle_days:
                slots += 1
                row = by_slot.get((cycle, day))
                if row is not None and row.computed_dose_mg is not None:
                    reference = row.computed_dose_mg
                planned = None if planned is None or reference is None else planned + reference
        ratio, percent = _ratio(given, planned)
        result[drug.name] = {
            "given_mg": given,
            "planned_mg": planned,
            "administrations_planned": slots,
            "administrations_recorded": len(mine),
            "relative_dose_intensity": ratio,
            "percent": percent,
        }
    return result


def _hundredths(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_HUNDREDTH, ROUND_HALF_UP)


def qol_change(patient: Patient, first_dose: dt.date) -> dict[str, Any]:
    """QLQ-C30 change from baseline per scale at the last assessment.

    Baseline: the last questionnaire on or before the first dose; last: the latest one after
    it. Change = last - baseline (points, 0.01); classified improved / stable / worsened at
    >= 10 points in the scale's direction (Osoba et al. 1998; PROTOCOL-NOTES.md "Endpoints").
    """
    rows = [
        row
        for row in QlqC30.objects.filter(patient=patient).order_by("form_date", "pk")
        if any(answer is not None for answer in row.answers().values())
    ]
    base = _baseline_row(rows, first_dose)
    later = [row for row in rows if row.form_date > first_dose]
    if base is None or not later:
        missing = (
            "no questionnaire on or before the first dose"
            if base is None
            else ("no questionnaire after the first dose")
        )
        return {"reason": missing}
    last = later[-1]
    before, after = qlqc30.exact_scores(base.answers()), qlqc30.exact_scores(last.answers())
    scales: dict[str, Any] = {}
    for code in before:
        old, new = before[code], after[code]
        change = None if old is None or new is None else _hundredths(new - old)
        scales[code] = {
            "baseline": None if old is None else _hundredths(old),
            "last": None if new is None else _hundredths(new),
            "change": change,
            "classification": qlqc30.classify_change(code, old, new),
        }
    return {"baseline_date": base.form_date, "last_date": last.form_date, "scales": scales}

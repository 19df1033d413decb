"""Grade one lab value (or one blood-pressure reading) by CTCAE v5.0, in exact decimals.

Conventions (clinical-rules.md §2.2, §2.10):

* ``value``, ``lln``, ``uln`` and ``baseline`` are in the one reporting ``unit``. Multiples of
  ULN or baseline are compared in that unit, exactly (``Decimal``): bilirubin 1.8 mg/dL with
  ULN 1.2 is exactly 1.5 x ULN, grade 1. Absolute cut-offs are compared after an exact
  conversion (``ramunet.clinical.units``) to the unit CTCAE states them in: 1,500/mm3 is
  1.5 x10^9/L. Haemoglobin is graded with the cut-offs of its reporting unit (g/dL, g/L or
  mmol/L; register A-C2).
* Decreasing labs: "<A - B" is ``B <= value < A``; increasing labs: ">A - B" is
  ``A < value <= B``; a value equal to LLN/ULN is grade 0. Proteinuria is read literally
  (">= ULN - < 1.0 g/24 h").
* Only the numeric component is graded (grades 0-4). Clinical components (transfusion,
  symptoms, intervention, grade 5) can raise a grade and are captured elsewhere.
* Readings the rules leave open are graded as the register says and flagged in ``Grade.flags``
  with the register id (A-C1, A-C3, A-C4; a missing baseline for the liver tests).

References
----------
U.S. DHHS/NIH/NCI, CTCAE v5.0 (27 Nov 2017); clinical-rules.md §2.2-§2.6, §2.10.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from ramunet.clinical.ctcae_criteria import (
    AbnormalBaseline,
    AboveUln,
    BelowLln,
    BloodPressure,
    LabTerm,
    Protein24h,
    TimesUln,
    lab_term,
)
from ramunet.clinical.ctcae_result import (
    Grade,
    make_grade,
    non_negative,
    plain,
    positive,
    shown_unit,
    term_unit,
)
from ramunet.clinical.ctcae_vitals import grade_dipstick, grade_hypertension
from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import Number, analyte


def grade(
    term: str,
    value: Number | tuple[Number, Number],
    unit: str,
    lln: Number | None = None,
    uln: Number | None = None,
    baseline: Number | None = None,
) -> Grade:
    """Grade a lab value by CTCAE v5.0.

    Parameters
    ----------
    term
        A graded CTCAE v5.0 term (``GRADED_TERMS``, case-insensitive; aliases such as
        "AST increased" or "neutropenia" are accepted and reported under the CTCAE name).
    value
        The result, in ``unit``. Proteinuria by dipstick: ``"negative"``, ``"trace"``, ``"1+"`` ..
        ``"4+"`` with unit ``"dipstick"``. Hypertension: a ``(systolic, diastolic)`` pair in
        ``"mmHg"`` (see ``grade_hypertension``).
    unit
        The reporting unit; one the term's analyte knows in ``ramunet.clinical.units``.
    lln, uln
        The laboratory's normal limits, in ``unit``. LLN is required for decreasing labs
        (counts, anaemia, hypokalaemia, hyponatraemia), ULN for increasing ones and for the 24-h
        urine protein.
    baseline
        The baseline value in ``unit`` (default reading: last value before the first dose,
        A-C5). Used by bilirubin, AST, ALT, ALP (abnormal baseline = above ULN: multiples of
        baseline replace multiples of ULN) and creatinine (x baseline criteria always apply).

    Returns
    -------
    Grade
        Grade 0-4 of the numeric criteria, with the rule applied as text.

    Raises
    ------
    UnknownTerm
        ``term`` is not a graded term.
    UnknownUnit
        ``unit`` is not one of the term's units.
    InvalidInput
        A value that is not a number, negative, or a limit that is missing or not positive.

    References
    ----------
    CTCAE v5.0 (NCI 2017); clinical-rules.md §2.2 (boundaries), §2.3-§2.6, §2.10.

    Examples
    --------
    >>> grade("Neutrophil count decreased", "0.8", "10^9/L", lln="1.8").rule
    'ANC 0.8 x10^9/L: <1.0-0.5 x10^9/L -> grade 3'
    """
    spec = lab_term(term)
    unit_key = term_unit(spec, unit)
    rule = spec.rule
    if isinstance(rule, BloodPressure):
        systolic, diastolic = _reading(value)
        return grade_hypertension(systolic, diastolic)
    if unit_key == "dipstick":
        return grade_dipstick(spec, value)
    amount = non_negative(value, "value")
    lln_d = None if lln is None else positive(lln, "lln")
    uln_d = None if uln is None else positive(uln, "uln")
    baseline_d = None if baseline is None else positive(baseline, "baseline")
    if spec.needs_lln and lln_d is None:
        raise InvalidInput("lln", f"required to grade {spec.term}")
    if spec.needs_uln and uln_d is None:
        raise InvalidInput("uln", f"required to grade {spec.term}")
    inputs = {"lln": lln_d, "uln": uln_d, "baseline": baseline_d}
    if isinstance(rule, BelowLln):
        assert lln_d is not None
        return _grade_below(spec, rule, amount, unit_key, lln_d, inputs)
    assert uln_d is not None
    if isinstance(rule, AboveUln):
        return _grade_above(spec, rule, amount, unit_key, uln_d, inputs)
    if isinstance(rule, TimesUln):
        return _grade_times_uln(spec, rule, amount, unit_key, uln_d, baseline_d, inputs)
    return _grade_protein_24h(spec, rule, amount, unit_key, uln_d, inputs)


def _reading(value: object) -> tuple[Number, Number]:
    if isinstance(value, tuple | list) and len(value) == 2:
        return cast("Number", value[0]), cast("Number", value[1])
    raise InvalidInput("value", "must be a (systolic, diastolic) pair in mmHg", value)


def _grade_below(
    spec: LabTerm,
    rule: BelowLln,
    amount: Decimal,
    unit: str,
    lln: Decimal,
    inputs: dict[str, Decimal | None],
) -> Grade:
    cuts = rule.cuts(unit)
    shown_value = f"{amount} {shown_unit(unit)}"
    cut_unit = unit
    value_c, lln_c = amount, lln
    if cuts is None:  # convert exactly to the unit CTCAE states the cut-offs in
        assert spec.analyte is not None
        found = analyte(spec.analyte)
        cut_unit = found.canonical
        cuts = rule.cuts(cut_unit)
        assert cuts is not None
        factor = found.factor(unit)
        value_c, lln_c = amount * factor, lln * factor
        shown_value += f" (= {plain(value_c)} {shown_unit(cut_unit)})"
    first = cuts[0][0]
    u = shown_unit(cut_unit)
    if value_c >= first:
        if value_c >= lln_c:
            return make_grade(
                spec, 0, shown_value, f">=LLN {lln} {shown_unit(unit)}", amount, unit, inputs
            )
        return make_grade(spec, 1, shown_value, f"<LLN-{first} {u}", amount, unit, inputs)
    flags: tuple[str, ...] = ()
    if value_c >= lln_c:
        flags = (
            f"A-C1: value at or above LLN {lln} {shown_unit(unit)} but below the grade-2 cut-off "
            f"{first} {u}: graded by the absolute cut-off",
        )
    upper = first
    for bound, grade_ in cuts[1:]:
        if value_c >= bound:
            return make_grade(
                spec, grade_, shown_value, f"<{upper}-{bound} {u}", amount, unit, inputs, flags
            )
        upper = bound
    return make_grade(spec, rule.floor, shown_value, f"<{upper} {u}", amount, unit, inputs, flags)


def _grade_above(
    spec: LabTerm,
    rule: AboveUln,
    amount: Decimal,
    unit: str,
    uln: Decimal,
    inputs: dict[str, Decimal | None],
) -> Grade:
    assert spec.analyte is not None
    found = analyte(spec.analyte)
    factor = found.factor(unit)
    value_c, uln_c = amount * factor, uln * factor
    u = shown_unit(found.canonical)
    shown_value = f"{amount} {shown_unit(unit)}"
    if unit != found.canonical:
        shown_value += f" (= {plain(value_c)} {u})"
    for index in range(len(rule.cuts) - 1, -1, -1):
        bound, grade_ = rule.cuts[index]
        if value_c > bound:
            upper = f"-{rule.cuts[index + 1][0]}" if index + 1 < len(rule.cuts) else ""
            flags: tuple[str, ...] = ()
            if value_c <= uln_c:
                flags = (
                    f"A-C1: value at or below ULN {uln} {shown_unit(unit)} but above the grade-2 "
                    f"cut-off {rule.cuts[0][0]} {u}: graded by the absolute cut-off",
                )
            return make_grade(
                spec, grade_, shown_value, f">{bound}{upper} {u}", amount, unit, inputs, flags
            )
    if value_c > uln_c:
        return make_grade(spec, 1, shown_value, f">ULN-{rule.cuts[0][0]} {u}", amount, unit, inputs)
    return make_grade(spec, 0, shown_value, f"<=ULN {uln} {shown_unit(unit)}", amount, unit, inputs)


def _band(
    multiples: tuple[Decimal, ...], grade_: int, reference: str, ref: Decimal, unit: str
) -> str:
    """Text of band ``grade_`` of increasing multiples: ">1.5-3.0 x ULN (>1.8-3.6 mg/dL)"."""
    low = multiples[grade_ - 1]
    low_text = "ULN" if grade_ == 1 and reference == "ULN" else f"{low}"
    if grade_ < len(multiples):
        high = multiples[grade_]
        return (
            f">{low_text}-{high} x {reference} "
            f"(>{plain(low * ref)}-{plain(high * ref)} {shown_unit(unit)})"
        )
    return f">{low_text} x {reference} (>{plain(low * ref)} {shown_unit(unit)})"


def _times_uln_grade(amount: Decimal, multiples: tuple[Decimal, ...], uln: Decimal) -> int:
    for index in range(len(multiples) - 1, -1, -1):
        if amount > multiples[index] * uln:
            return index + 1
    return 0


def _grade_times_uln(
    spec: LabTerm,
    rule: TimesUln,
    amount: Decimal,
    unit: str,
    uln: Decimal,
    baseline: Decimal | None,
    inputs: dict[str, Decimal | None],
) -> Grade:
    shown_value = f"{amount} {shown_unit(unit)}"
    flags: list[str] = []
    abnormal = rule.abnormal_baseline
    if abnormal is not None and baseline is not None and baseline > uln:
        return _grade_abnormal_baseline(spec, abnormal, amount, unit, uln, baseline, inputs)
    if abnormal is not None and baseline is None:
        flags.append("baseline missing: graded against ULN (clinical-rules.md §2.4)")
    grade_uln = _times_uln_grade(amount, rule.multiples, uln)
    if grade_uln:
        criterion = _band(rule.multiples, grade_uln, "ULN", uln, unit)
    else:
        criterion = f"<=ULN {uln} {shown_unit(unit)}"
    final = grade_uln
    if rule.baseline_also and baseline is not None:
        grade_bl = 0
        for multiple, grade_ in rule.baseline_also:
            if amount > multiple * baseline:
                grade_bl = grade_
        if grade_bl:
            cuts = rule.baseline_also
            index = [g for _, g in cuts].index(grade_bl)
            low = cuts[index][0]
            high = f"-{cuts[index + 1][0]}" if index + 1 < len(cuts) else ""
            criterion += (
                f" (grade {grade_uln}); >{low}{high} x baseline {baseline} (grade {grade_bl})"
            )
            if grade_uln == 0 and grade_bl >= 2:
                flags.append(
                    "A-C4: value within the normal range but above 1.5 x baseline: "
                    "literal grade from the baseline criterion"
                )
        else:
            criterion += f" (grade 0); <=1.5 x baseline {baseline} (grade 0)"
        final = max(grade_uln, grade_bl)
    return make_grade(spec, final, shown_value, criterion, amount, unit, inputs, tuple(flags))


def _grade_abnormal_baseline(
    spec: LabTerm,
    rule_bl: AbnormalBaseline,
    amount: Decimal,
    unit: str,
    uln: Decimal,
    baseline: Decimal,
    inputs: dict[str, Decimal | None],
) -> Grade:
    shown_value = f"{amount} {shown_unit(unit)}"
    prefix = f"baseline {baseline} > ULN {uln}: "
    multiples = (rule_bl.first, *rule_bl.multiples)
    above = _times_uln_grade(amount, multiples[1:], baseline)
    if above:
        criterion = _band(multiples, above + 1, "baseline", baseline, unit)
        return make_grade(spec, above + 1, shown_value, prefix + criterion, amount, unit, inputs)
    first_at = rule_bl.first * baseline
    reaches = amount >= first_at if rule_bl.first_inclusive else amount > first_at
    if reaches:
        sign = "" if rule_bl.first_inclusive else ">"
        criterion = (
            f"{sign}{rule_bl.first}-{multiples[1]} x baseline "
            f"({sign}{plain(first_at)}-{plain(multiples[1] * baseline)} {shown_unit(unit)})"
        )
        return make_grade(spec, 1, shown_value, prefix + criterion, amount, unit, inputs)
    sign = "<" if rule_bl.first_inclusive else "<="
    flags: tuple[str, ...] = ()
    if amount > uln:
        flags = (
            f"A-C3: abnormal baseline, value above ULN but {sign}{rule_bl.first} x baseline has "
            "no listed grade: graded 0",
        )
    criterion = f"{sign}{rule_bl.first} x baseline ({sign}{plain(first_at)} {shown_unit(unit)})"
    return make_grade(spec, 0, shown_value, prefix + criterion, amount, unit, inputs, flags)


def _grade_protein_24h(
    spec: LabTerm,
    rule: Protein24h,
    amount: Decimal,
    unit: str,
    uln: Decimal,
    inputs: dict[str, Decimal | None],
) -> Grade:
    assert spec.analyte is not None
    factor = analyte(spec.analyte).factor(unit)
    value_mg, uln_mg = amount * factor, uln * factor
    shown_value = f"{amount} {unit}"
    (g2_mg, _), (g3_mg, _) = rule.cuts
    flags: tuple[str, ...] = ()
    if value_mg >= g3_mg:
        grade_, criterion = 3, ">=3.5 g/24 h"
    elif value_mg >= g2_mg:
        grade_, criterion = 2, "1.0-<3.5 g/24 h"
    elif value_mg >= uln_mg:
        grade_, criterion = 1, f">=ULN {uln} {unit}-<1.0 g/24 h"
    else:
        grade_, criterion = 0, f"<ULN {uln} {unit}"
    if grade_ >= 2 and value_mg < uln_mg:
        flags = (
            "A-C1: value below ULN but at or above 1.0 g/24 h: graded by the absolute cut-off",
        )
    return make_grade(spec, grade_, shown_value, criterion, amount, unit, inputs, flags)


def grade_proteinuria(
    dipstick: str | None = None,
    protein_24h: Number | None = None,
    unit_24h: str = "mg/24h",
    uln_24h: Number | None = None,
) -> Grade:
    """Grade proteinuria from a dipstick and/or a 24-h collection; the 24-h result wins.

    CTCAE v5.0 Proteinuria, navigational note: "24-hour urine collection takes precedence over
    dipstick" (clinical-rules.md §2.5).
    """
    if protein_24h is not None:
        return grade("Proteinuria", protein_24h, unit_24h, uln=uln_24h)
    if dipstick is not None:
        return grade("Proteinuria", dipstick, "dipstick")
    raise InvalidInput("dipstick", "a dipstick reading or a 24-h urine protein is required")

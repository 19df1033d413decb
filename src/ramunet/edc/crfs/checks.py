"""Edit checks of the eCRFs: hard checks block the save, soft ones become discrepancies.

A hard check is for a value that cannot be right (a negative count, an end before its start,
a dose deviation without a reason); the save is refused with the field and the rule. A soft
check is for a value that needs a second look (an implausible level, a grade 3 laboratory
value without an adverse event); the form is saved and an open discrepancy is kept for the
query workflow, and closes itself when a later save no longer raises it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ramunet.clinical import ctcae, units
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.crfs.derive import LAB_FIELDS, FormContext
from ramunet.edc.crfs.models import (
    AdverseEvent,
    Chemistry,
    Coagulation,
    Exposure,
    FormRecord,
    Haematology,
    MissingCode,
    VitalSigns,
)


@dataclass(frozen=True)
class Finding:
    field: str
    rule: str  # a stable code, e.g. "lab.grade3_without_ae"
    message: str
    hard: bool


# Plausible ranges in each analyte's canonical unit (ramunet.clinical.units): a value outside
# is possible but rare enough to confirm against the source.
PLAUSIBLE: dict[str, tuple[Decimal, Decimal]] = {
    "hemoglobin": (Decimal(3), Decimal(22)),
    "anc": (Decimal(0), Decimal(60)),
    "platelets": (Decimal(1), Decimal(1500)),
    "wbc": (Decimal("0.1"), Decimal(200)),
    "lymphocytes": (Decimal(0), Decimal(100)),
    "creatinine": (Decimal("0.1"), Decimal(15)),
    "bilirubin": (Decimal(0), Decimal(30)),
    "ast": (Decimal(1), Decimal(5000)),
    "alt": (Decimal(1), Decimal(5000)),
    "alp": (Decimal(5), Decimal(5000)),
    "potassium": (Decimal("1.5"), Decimal(9)),
    "sodium": (Decimal(100), Decimal(180)),
    "inr": (Decimal("0.5"), Decimal(10)),
    "ptt": (Decimal(10), Decimal(200)),
}

# Hard limits of vital signs: outside these the reading cannot be a living adult's.
VITAL_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "systolic_mmhg": (Decimal(50), Decimal(300)),
    "diastolic_mmhg": (Decimal(20), Decimal(200)),
    "heart_rate_bpm": (Decimal(20), Decimal(250)),
    "temperature_c": (Decimal(30), Decimal(45)),
    "weight_kg": (Decimal(25), Decimal(300)),
    "height_cm": (Decimal(100), Decimal(230)),
}

DOSE_TOLERANCE = Decimal("0.10")  # a dose more than 10% from the computed one needs a reason


def check_missing_codes(form: FormRecord) -> list[Finding]:
    """A missing-value code is one of ND/UNK/NA, for a field of the form left empty."""
    names = {f.name for f in form._meta.concrete_fields}
    codes = set(MissingCode.values)
    findings = []
    for name, code in (form.missing or {}).items():
        if name not in names:
            findings.append(
                Finding(
                    f"missing.{name}",
                    "missing.unknown_field",
                    f"missing.{name}: no such field on this form",
                    True,
                )
            )
        elif code not in codes:
            findings.append(
                Finding(
                    f"missing.{name}",
                    "missing.bad_code",
                    f"missing.{name} {code!r}: expected one of {', '.join(sorted(codes))}",
                    True,
                )
            )
        elif getattr(form, name) not in (None, ""):
            findings.append(
                Finding(
                    name,
                    "missing.with_value",
                    f"{name}: has both a value and the missing code {code}",
                    True,
                )
            )
    return findings


def check_lab(
    form: FormRecord, context: FormContext, adverse_events: list[AdverseEvent]
) -> list[Finding]:
    findings: list[Finding] = []
    for name in LAB_FIELDS[type(form)]:
        value: Decimal | None = getattr(form, name)
        if value is None:
            continue
        unit = getattr(form, f"{name}_unit")
        if value < 0:
            findings.append(
                Finding(name, "lab.negative", f"{name} {value}: must not be negative", True)
            )
            continue
        try:
            canonical = value * units.analyte(name).factor(unit, f"{name}_unit")
        except InvalidInput as error:
            findings.append(Finding(f"{name}_unit", "lab.unit", str(error), True))
            continue
        low, high = PLAUSIBLE[name]
        if not low <= canonical <= high:
            shown = units.analyte(name).canonical
            findings.append(
                Finding(
                    name,
                    "lab.implausible",
                    f"{name} {value} {unit}: outside the plausible range {low}-{high} {shown}; "
                    "confirm against the source",
                    False,
                )
            )
    for name, entry in (form.derived or {}).items():
        if name.startswith("_"):
            continue
        for graded in entry.get("ctcae", []):
            grade = graded.get("grade")
            if (
                grade is not None
                and grade >= 3
                and not _has_matching_ae(graded["term"], grade, form.form_date, adverse_events)
            ):
                findings.append(
                    Finding(
                        name,
                        "lab.grade3_without_ae",
                        f"{name}: CTCAE grade {grade} {graded['term']} on {form.form_date} "
                        "has no matching adverse event; record one or explain",
                        False,
                    )
                )
    return findings


def _overlaps(event: AdverseEvent, day: dt.date) -> bool:
    return event.form_date <= day and (event.end_date is None or event.end_date >= day)


def _has_matching_ae(term: str, grade: int, day: dt.date, events: list[AdverseEvent]) -> bool:
    folded = term.casefold()
    return any(e.term.casefold() == folded and _overlaps(e, day) for e in events)


def check_vitals(form: VitalSigns) -> list[Finding]:
    findings = []
    for name, (low, high) in VITAL_LIMITS.items():
        value = getattr(form, name)
        if value is not None and not low <= Decimal(value) <= high:
            findings.append(
                Finding(name, "vitals.range", f"{name} {value}: outside {low}-{high}", True)
            )
    if (
        form.systolic_mmhg is not None
        and form.diastolic_mmhg is not None
        and form.systolic_mmhg <= form.diastolic_mmhg
    ):
        findings.append(
            Finding(
                "diastolic_mmhg",
                "vitals.bp_order",
                f"diastolic_mmhg {form.diastolic_mmhg}: "
                f"must be below systolic {form.systolic_mmhg}",
                True,
            )
        )
    return findings


def check_adverse_event(form: AdverseEvent, lab_grades: list[dict[str, Any]]) -> list[Finding]:
    findings = []
    try:
        ctcae.lookup_term(form.term)
    except InvalidInput as error:
        findings.append(Finding("term", "ae.term", str(error), True))
    if not 1 <= form.grade <= 5:
        findings.append(
            Finding("grade", "ae.grade", f"grade {form.grade}: expected 1 to 5 (CTCAE v5.0)", True)
        )
    if form.end_date and form.end_date < form.form_date:
        findings.append(
            Finding(
                "end_date",
                "ae.dates",
                f"end_date {form.end_date}: before the onset {form.form_date}",
                True,
            )
        )
    unknown = set(form.seriousness or []) - set(AdverseEvent.SERIOUSNESS)
    if unknown:
        findings.append(
            Finding(
                "seriousness",
                "ae.seriousness",
                f"seriousness {sorted(unknown)}: expected {', '.join(AdverseEvent.SERIOUSNESS)}",
                True,
            )
        )
    if form.serious and not form.seriousness:
        findings.append(
            Finding(
                "seriousness",
                "ae.serious_criteria",
                "seriousness: a serious adverse event needs at least one seriousness criterion",
                True,
            )
        )
    if form.serious and form.sae_aware_at is None:
        findings.append(
            Finding(
                "sae_aware_at",
                "ae.sae_clock",
                "sae_aware_at: a serious adverse event needs the time the site became aware "
                "(24-hour reporting clock)",
                True,
            )
        )
    if form.grade == 5 and form.outcome != AdverseEvent.Outcome.FATAL:
        findings.append(
            Finding(
                "outcome",
                "ae.grade5",
                f"outcome {form.outcome!r}: grade 5 means the outcome is fatal",
                True,
            )
        )
    if (
        form.serious
        and form.sae_aware_at
        and form.sae_reported_at
        and (form.sae_reported_at - form.sae_aware_at > dt.timedelta(hours=24))
    ):
        findings.append(
            Finding(
                "sae_reported_at",
                "ae.sae_late",
                "sae_reported_at: the SAE was reported more than 24 hours after the site "
                "became aware",
                False,
            )
        )
    folded = form.term.casefold()
    worst = max((g["grade"] for g in lab_grades if g["term"].casefold() == folded), default=0)
    if worst > form.grade:
        findings.append(
            Finding(
                "grade",
                "ae.below_lab_grade",
                f"grade {form.grade}: below the laboratory-derived CTCAE grade {worst} "
                f"of {form.term} in this period",
                False,
            )
        )
    return findings


def check_exposure(form: Exposure) -> list[Finding]:
    findings = []
    if form.drug == Exposure.Drug.DACARBAZINE and form.day != 1:
        findings.append(
            Finding(
                "day", "exposure.day", f"day {form.day}: dacarbazine is given on day 1 only", True
            )
        )
    if form.drug == Exposure.Drug.RAMUCIRUMAB and form.day not in (1, 15):
        findings.append(
            Finding(
                "day",
                "exposure.day",
                f"day {form.day}: ramucirumab is given on days 1 and 15",
                True,
            )
        )
    if form.infusion_start and form.infusion_end and form.infusion_end <= form.infusion_start:
        findings.append(
            Finding(
                "infusion_end",
                "exposure.infusion",
                f"infusion_end {form.infusion_end:%H:%M}: "
                f"must be after the start {form.infusion_start:%H:%M}",
                True,
            )
        )
    computed, given = form.computed_dose_mg, form.dose_given_mg
    if computed and given is not None:
        deviation = (given - computed) / computed
        if abs(deviation) > DOSE_TOLERANCE and not form.deviation_reason.strip():
            pct = (abs(deviation) * 100).quantize(Decimal("0.1"))
            direction = "above" if deviation > 0 else "below"
            findings.append(
                Finding(
                    "deviation_reason",
                    "exposure.deviation",
                    f"dose_given_mg {given}: {pct}% {direction} the computed {computed} mg; "
                    "a reason for the deviation is required",
                    True,
                )
            )
    return findings


def run_checks(
    form: FormRecord,
    context: FormContext,
    *,
    adverse_events: list[AdverseEvent],
    lab_grades: list[dict[str, Any]],
) -> list[Finding]:
    findings = check_missing_codes(form)
    if context.today and form.form_date > context.today:
        findings.append(
            Finding(
                "form_date", "date.future", f"form_date {form.form_date}: lies in the future", True
            )
        )
    if isinstance(form, Haematology | Chemistry | Coagulation):
        findings += check_lab(form, context, adverse_events)
    elif isinstance(form, VitalSigns):
        findings += check_vitals(form)
    elif isinstance(form, AdverseEvent):
        findings += check_adverse_event(form, lab_grades)
    elif isinstance(form, Exposure):
        findings += check_exposure(form)
    else:
        from ramunet.edc.crfs import form_checks  # it imports ``Finding`` from here

        findings += form_checks.check_form(form, context)
    visit = form.visit
    in_plan = visit is not None and not visit.unscheduled and not isinstance(form, AdverseEvent)
    if in_plan and visit is not None and not visit.earliest <= form.form_date <= visit.latest:
        findings.append(
            Finding(
                "form_date",
                "date.window",
                f"form_date {form.form_date}: outside the {visit.code} window "
                f"{visit.earliest} to {visit.latest}",
                False,
            )
        )
    return findings

"""History and medication exclusion rules EX02-EX16 (EX01 is in ``eligibility_population``).

Source: RamuNET protocol, "Exclusion criteria"; PROTOCOL-NOTES.md, "Population" (time windows,
hypertension, antiplatelet therapy) and "Eligibility conventions" (every window counted back from
the planned first dose, boundary inside, calendar months); errata E02, E09, E17, E19, E20.
For an exclusion criterion, "met" means the patient is clear of it.
"""

from __future__ import annotations

from datetime import date

from ramunet.protocol.dates import add_years, window_start_days, window_start_months
from ramunet.protocol.eligibility_population import attested
from ramunet.protocol.findings import Finding, combine, fmt, met, missing, not_met
from ramunet.protocol.screening import (
    ChildPugh,
    HistoryItem,
    HistoryKind,
    MalignancyKind,
    MedicationCategory,
    ScreeningData,
)
from ramunet.protocol.settings import ProtocolSettings

_EXCEPTED_MALIGNANCIES = frozenset(
    {MalignancyKind.BASALIOMA_SKIN, MalignancyKind.CERVICAL_CARCINOMA}
)
_ANTIPLATELET = frozenset(
    {
        MedicationCategory.NSAID,
        MedicationCategory.CLOPIDOGREL,
        MedicationCategory.DIPYRIDAMOLE,
        MedicationCategory.OTHER_ANTIPLATELET,
    }
)


def _describe(item: HistoryItem) -> str:
    name = item.term or item.kind.value.replace("_", " ")
    return f"{name} ongoing" if item.ongoing else f"{name} on {item.date}"


def events_since(
    data: ScreeningData, kinds: frozenset[HistoryKind], start: date, what: str, window: str
) -> Finding:
    """Exclusion by a dated event: any event of ``kinds`` ongoing or dated from ``start`` up to
    the first dose (both inside) excludes; older events are quoted in the reason."""
    history = data.medical_history
    if history is None:
        return missing("medical history not recorded")
    first_dose = data.planned_first_dose_date
    relevant = [item for item in history if item.kind in kinds]
    inside = [
        item
        for item in relevant
        if item.ongoing or (item.date is not None and start <= item.date <= first_dose)
    ]
    if inside:
        listed = ", ".join(_describe(item) for item in inside)
        return not_met(f"{listed}: within {window} before the first dose (since {start})")
    older = [item for item in relevant if item not in inside]
    note = "" if not older else f" ({', '.join(_describe(item) for item in older)}: older)"
    return met(f"no {what} since {start} ({window} before the first dose){note}")


def secondary_malignancy(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX02: another malignancy excludes unless disease-free > 5 years before the first dose, or a
    successfully treated basalioma of the skin or carcinoma of the cervix (errata E02, E17)."""
    malignancies = data.other_malignancies
    if malignancies is None:
        return missing("other malignancies not recorded")
    if not malignancies:
        return met("no other malignancy")
    years = settings.malignancy_disease_free_years
    limit = add_years(data.planned_first_dose_date, -years)
    parts: list[Finding] = []
    for item in malignancies:
        name = item.term or item.kind.value.replace("_", " ")
        since = item.disease_free_since
        if since is None:
            parts.append(not_met(f"{name}: not disease-free"))
        elif item.kind in _EXCEPTED_MALIGNANCIES:
            parts.append(met(f"{name}: successfully treated (exception)"))
        elif since < limit:
            parts.append(met(f"{name}: disease-free since {since}, > {years} years"))
        else:
            parts.append(
                not_met(f"{name}: disease-free since {since}, not > {years} years (limit {limit})")
            )
    return combine(parts)


def study_drug_allergy(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX03: known allergy to dacarbazine or ramucirumab."""
    answer = data.allergy_to_study_drugs
    if answer is None:
        return missing("allergy to study drugs not recorded")
    if answer:
        return not_met("allergy to dacarbazine or ramucirumab")
    return met("no allergy to dacarbazine or ramucirumab")


def other_trial(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX04: current enrolment, or participation within 4 weeks, in a clinical drug trial."""
    days = settings.other_trial_days
    start = window_start_days(data.planned_first_dose_date, days)
    return events_since(
        data, frozenset({HistoryKind.CLINICAL_TRIAL}), start, "clinical drug trial", f"{days} days"
    )


def arterial_thromboembolism(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX05: arterial thromboembolic event within 6 calendar months."""
    months = settings.arterial_thromboembolism_months
    start = window_start_months(data.planned_first_dose_date, months)
    kinds = frozenset({HistoryKind.ARTERIAL_THROMBOEMBOLISM})
    return events_since(data, kinds, start, "arterial thromboembolic event", f"{months} months")


def liver_cirrhosis(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX06: cirrhosis Child-Pugh B or worse, or any cirrhosis with hepatic encephalopathy or
    ascites requiring diuretics or paracentesis."""
    cirrhosis = data.liver_cirrhosis
    if cirrhosis is None:
        return missing("liver cirrhosis not recorded")
    if not cirrhosis.present:
        return met("no liver cirrhosis")
    problems: list[str] = []
    if cirrhosis.child_pugh in (ChildPugh.B, ChildPugh.C):
        problems.append(f"cirrhosis Child-Pugh {cirrhosis.child_pugh}")
    if cirrhosis.hepatic_encephalopathy:
        problems.append("cirrhosis with hepatic encephalopathy")
    if cirrhosis.ascites_requiring_treatment:
        problems.append("cirrhosis with ascites requiring diuretics or paracentesis")
    if problems:
        return not_met("; ".join(problems))
    if cirrhosis.child_pugh is None:
        return missing("cirrhosis present: Child-Pugh class not recorded")
    return met("cirrhosis Child-Pugh A without encephalopathy or ascites")


def hypertension(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX07: > 160 systolic or > 100 diastolic despite treatment for > 4 weeks (erratum E19)."""
    days = data.uncontrolled_hypertension_days
    limit = settings.hypertension_uncontrolled_max_days
    bp = (
        f"> {settings.hypertension_systolic_above_mmhg}/"
        f"{settings.hypertension_diastolic_above_mmhg} mmHg"
    )
    if days is None:
        return missing("days of uncontrolled hypertension not recorded")
    if days > limit:
        return not_met(f"blood pressure {bp} despite treatment for {days} days > {limit} days")
    return met(f"blood pressure {bp} despite treatment for {days} days <= {limit} days")


def antiplatelet_therapy(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX08: chronic antiplatelet therapy or NSAID excludes; aspirin <= 325 mg/day is allowed."""
    medications = data.concomitant_medications
    if medications is None:
        return missing("concomitant medication not recorded")
    maximum = settings.aspirin_max_mg_per_day
    parts: list[Finding] = []
    for item in medications:
        if not item.chronic:
            continue
        if item.category is MedicationCategory.ASPIRIN:
            dose = item.daily_dose_mg
            if dose is None:
                parts.append(missing(f"{item.name}: daily aspirin dose not recorded"))
            elif dose <= maximum:
                parts.append(met(f"{item.name} {fmt(dose)} mg/day <= {maximum} mg/day (allowed)"))
            else:
                parts.append(not_met(f"{item.name} {fmt(dose)} mg/day > {maximum} mg/day"))
        elif item.category in _ANTIPLATELET:
            parts.append(not_met(f"chronic {item.category.value.replace('_', ' ')}: {item.name}"))
    if not parts:
        return met("no chronic antiplatelet therapy")
    return combine(parts)


def gi_bleeding(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX09: grade 3-4 GI bleeding within 3 calendar months."""
    months = settings.gi_bleeding_months
    start = window_start_months(data.planned_first_dose_date, months)
    kinds = frozenset({HistoryKind.GI_BLEEDING_GRADE_3_4})
    return events_since(data, kinds, start, "grade 3-4 GI bleeding", f"{months} months")


def venous_thromboembolism(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX10: significant venous thromboembolism (DVT, PE) within 3 calendar months; port,
    catheter and superficial thromboses are recorded as ``minor_venous_thrombosis`` and ignored."""
    months = settings.venous_thromboembolism_months
    start = window_start_months(data.planned_first_dose_date, months)
    kinds = frozenset({HistoryKind.VENOUS_THROMBOEMBOLISM})
    return events_since(
        data, kinds, start, "significant venous thromboembolism", f"{months} months"
    )


def uncontrolled_disorder(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX11 (attestation): uncontrolled severe physical or mental disorder."""
    return attested(
        data.attestations.uncontrolled_severe_disorder,
        "uncontrolled severe physical or mental disorder",
        yes_excludes=True,
    )


def bleeding_risk(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX12 (attestation): a condition with a high risk of bleeding (erratum E01)."""
    return attested(
        data.attestations.bleeding_risk_condition,
        "condition with a high risk of bleeding",
        yes_excludes=True,
    )


def gi_perforation(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX13: GI perforation or fistula within 6 calendar months, or risk factors for perforation
    (the risk factors are the investigator's attestation)."""
    months = settings.gi_perforation_months
    start = window_start_months(data.planned_first_dose_date, months)
    kinds = frozenset({HistoryKind.GI_PERFORATION_FISTULA})
    event = events_since(data, kinds, start, "GI perforation or fistula", f"{months} months")
    risk = attested(
        data.attestations.perforation_risk_factors,
        "risk factors for perforation",
        yes_excludes=True,
    )
    return combine([event, risk])


def recent_surgery(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX14: major surgery within 28 days; minor surgery or venous access device within 7 days."""
    first_dose = data.planned_first_dose_date
    major_days, minor_days = settings.major_surgery_days, settings.minor_surgery_days
    major = events_since(
        data,
        frozenset({HistoryKind.MAJOR_SURGERY}),
        window_start_days(first_dose, major_days),
        "major surgery",
        f"{major_days} days",
    )
    minor = events_since(
        data,
        frozenset({HistoryKind.MINOR_SURGERY, HistoryKind.VENOUS_ACCESS_DEVICE}),
        window_start_days(first_dose, minor_days),
        "minor surgery or venous access device",
        f"{minor_days} days",
    )
    return combine([major, minor])


def planned_surgery(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX15 (attestation): elective or planned major surgery during the trial."""
    return attested(
        data.attestations.planned_major_surgery,
        "major surgery planned during the trial",
        yes_excludes=True,
    )


def wound_ulcer_fracture(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX16: serious or non-healing wound, ulcer or bone fracture ongoing or within 28 days."""
    days = settings.wound_days
    start = window_start_days(data.planned_first_dose_date, days)
    kinds = frozenset({HistoryKind.WOUND_ULCER_FRACTURE})
    return events_since(
        data, kinds, start, "serious or non-healing wound, ulcer or fracture", f"{days} days"
    )

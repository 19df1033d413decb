"""Laboratory eligibility rules IN07 (renal), IN08 (hepatic), IN09 (marrow), IN10 (coagulation).

Source: RamuNET protocol, "Inclusion criteria"; PROTOCOL-NOTES.md, "Population" and "Eligibility
conventions". Thresholds come from ``ProtocolSettings`` and are compared exactly in ``Decimal``
(clinical-rules.md §0.1: 1.5 x ULN of 1.2 is 1.8); conversions use the factors of
clinical-rules.md §4.6 through ``ramunet.clinical.units``. Each rule takes validated
``ScreeningData`` (every x ULN analyte carries its ULN).
"""

from __future__ import annotations

from decimal import Decimal

from ramunet.clinical.units import convert, to_canonical
from ramunet.protocol.findings import (
    CriterionState,
    Finding,
    combine,
    fmt,
    fmt_ratio,
    met,
    missing,
    not_met,
    pick_in_window,
)
from ramunet.protocol.screening import Dipstick, LabResult, ScreeningData
from ramunet.protocol.settings import ProtocolSettings

LAB_NAMES: dict[str, str] = {
    "creatinine": "creatinine",
    "creatinine_clearance": "24-h creatinine clearance",
    "urine_protein_24h": "24-h urine protein",
    "bilirubin": "bilirubin",
    "ast": "AST",
    "alt": "ALT",
    "anc": "ANC",
    "platelets": "platelets",
    "hemoglobin": "haemoglobin",
    "inr": "INR",
    "ptt": "PTT",
}

# Analytes read against the site's ULN; a result without ULN is invalid input.
ULN_ANALYTES: tuple[str, ...] = ("creatinine", "ast", "alt", "ptt")


def latest_lab(
    data: ScreeningData, analyte: str, settings: ProtocolSettings
) -> tuple[LabResult | None, Finding | None]:
    """The latest result of ``analyte`` within the screening window, else a data-missing finding."""
    results = [lab for lab in data.labs if lab.analyte == analyte]
    return pick_in_window(
        results,
        data.planned_first_dose_date,
        settings.screening_window_days,
        LAB_NAMES.get(analyte, analyte),
    )


def _uln(lab: LabResult) -> Decimal:
    if lab.uln is None:  # excluded by validation; kept for the type checker
        raise AssertionError(f"{lab.analyte} without ULN passed validation")
    return lab.uln


def _x_uln_text(lab: LabResult, factor: Decimal) -> tuple[bool, str]:
    """Whether ``lab`` <= factor x ULN, and the text quoting value, multiple and limit."""
    uln = _uln(lab)
    limit = factor * uln
    within = lab.value <= limit
    sign = "<=" if within else ">"
    name = LAB_NAMES[lab.analyte]
    text = (
        f"{name} {fmt(lab.value)} {lab.unit} = {fmt_ratio(lab.value / uln, factor)} x ULN "
        f"{sign} {factor} x ULN ({fmt(limit)} {lab.unit})"
    )
    return within, text


def renal_function(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN07: creatinine <= 1.5 x ULN, else 24-h clearance >= 40 mL/min; dipstick <= 1+, else
    24-h urine protein < 1000 mg. Fallbacks decide only when the primary test is out of range."""
    parts = [_creatinine_part(data, settings), _protein_part(data, settings)]
    return combine(parts)


def _creatinine_part(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    creatinine, absent = latest_lab(data, "creatinine", settings)
    clearance, clearance_absent = latest_lab(data, "creatinine_clearance", settings)
    if creatinine is None:
        return absent or missing("no creatinine recorded")
    within, text = _x_uln_text(creatinine, settings.creatinine_max_x_uln)
    clearance_ml_min = (
        None
        if clearance is None
        else to_canonical("creatinine_clearance", clearance.value, clearance.unit)
    )
    if within:
        if clearance_ml_min is not None:
            text += f" (24-h creatinine clearance {fmt(clearance_ml_min)} mL/min shown, not used)"
        return met(text)
    minimum = settings.creatinine_clearance_min_ml_min
    if clearance_ml_min is None:
        reason = clearance_absent.reason if clearance_absent else "no 24-h creatinine clearance"
        return missing(f"{text}: 24-h creatinine clearance required ({reason})")
    if clearance_ml_min >= minimum:
        return met(f"{text}; 24-h creatinine clearance {fmt(clearance_ml_min)} mL/min >= {minimum}")
    return not_met(
        f"{text} and 24-h creatinine clearance {fmt(clearance_ml_min)} mL/min < {minimum} mL/min"
    )


def _protein_part(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    dipstick, absent = pick_in_window(
        data.urine_dipsticks,
        data.planned_first_dose_date,
        settings.screening_window_days,
        "urine dipstick",
    )
    if dipstick is None:
        return absent or missing("no urine dipstick recorded")
    maximum = Dipstick(settings.dipstick_max_without_24h)
    protein, protein_absent = latest_lab(data, "urine_protein_24h", settings)
    protein_mg = (
        None if protein is None else to_canonical("urine_protein_24h", protein.value, protein.unit)
    )
    if dipstick.result.rank <= maximum.rank:
        text = f"urine dipstick {dipstick.result} <= {maximum}"
        if protein_mg is not None:
            text += f" (24-h urine protein {fmt(protein_mg)} mg shown, not used)"
        return met(text)
    text = f"urine dipstick {dipstick.result} > {maximum}"
    below = settings.urine_protein_24h_below_mg
    if protein_mg is None:
        reason = protein_absent.reason if protein_absent else "no 24-h urine protein"
        return missing(f"{text}: 24-h urine protein required ({reason})")
    if protein_mg < below:
        return met(f"{text}; 24-h urine protein {fmt(protein_mg)} mg < {below} mg")
    return not_met(f"{text} and 24-h urine protein {fmt(protein_mg)} mg >= {below} mg")


def hepatic_function(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN08: bilirubin <= 1.5 mg/dL (25.65 umol/L); AST and ALT <= 3.0 x ULN, or <= 5.0 x ULN
    with liver metastases."""
    parts = [_bilirubin_part(data, settings)]
    parts.extend(_transaminase_part(data, settings, code) for code in ("ast", "alt"))
    return combine(parts)


def _bilirubin_part(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    bilirubin, absent = latest_lab(data, "bilirubin", settings)
    if bilirubin is None:
        return absent or missing("no bilirubin recorded")
    mg_dl = to_canonical("bilirubin", bilirubin.value, bilirubin.unit)
    maximum = settings.bilirubin_max_mg_dl
    shown = f"bilirubin {fmt(bilirubin.value)} {bilirubin.unit}"
    if bilirubin.unit != "mg/dL":
        shown += f" = {fmt(mg_dl)} mg/dL"
    if mg_dl <= maximum:
        return met(f"{shown} <= {maximum} mg/dL")
    return not_met(f"{shown} > {maximum} mg/dL")


def _transaminase_part(data: ScreeningData, settings: ProtocolSettings, code: str) -> Finding:
    lab, absent = latest_lab(data, code, settings)
    if lab is None:
        return absent or missing(f"no {LAB_NAMES[code]} recorded")
    base = settings.transaminase_max_x_uln
    liver = settings.transaminase_max_x_uln_liver_metastases
    within_base, text_base = _x_uln_text(lab, base)
    if within_base:
        return met(text_base)
    within_liver, text_liver = _x_uln_text(lab, liver)
    if data.liver_metastases is True:
        result = met if within_liver else not_met
        return result(f"{text_liver} (liver metastases)")
    if data.liver_metastases is False:
        return not_met(f"{text_base} (no liver metastases)")
    if within_liver:
        return missing(f"{text_base}; liver metastases not recorded (limit 5.0 x ULN with them)")
    return not_met(f"{text_liver} (even with liver metastases)")


def marrow_function(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN09: ANC > 1500/mm3, platelets > 100,000/mm3, haemoglobin > 9 g/dL, all strict."""
    parts: list[Finding] = []
    for code, unit, minimum in (
        ("anc", "/mm3", settings.anc_above_per_mm3),
        ("platelets", "/mm3", settings.platelets_above_per_mm3),
        ("hemoglobin", "g/dL", settings.hemoglobin_above_g_dl),
    ):
        lab, absent = latest_lab(data, code, settings)
        if lab is None:
            parts.append(absent or missing(f"no {LAB_NAMES[code]} recorded"))
            continue
        value = convert(code, lab.value, lab.unit, unit)
        shown = f"{LAB_NAMES[code]} {fmt(lab.value)} {lab.unit}"
        if lab.unit != unit:
            shown += f" = {fmt(value)} {unit}"
        if value > minimum:
            parts.append(met(f"{shown} > {fmt(minimum)} {unit}"))
        else:
            parts.append(not_met(f"{shown} not > {fmt(minimum)} {unit}"))
    return combine(parts)


def coagulation_function(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN10: INR <= 1.5 and PTT <= ULN + 5 s; both waived under therapeutic anticoagulation."""
    if data.therapeutic_anticoagulation is True:
        return met("INR and PTT waived: therapeutic anticoagulation")
    parts: list[Finding] = []
    inr, inr_absent = latest_lab(data, "inr", settings)
    if inr is None:
        parts.append(inr_absent or missing("no INR recorded"))
    elif inr.value <= settings.inr_max:
        parts.append(met(f"INR {fmt(inr.value)} <= {settings.inr_max}"))
    else:
        parts.append(not_met(f"INR {fmt(inr.value)} > {settings.inr_max}"))
    ptt, ptt_absent = latest_lab(data, "ptt", settings)
    if ptt is None:
        parts.append(ptt_absent or missing("no PTT recorded"))
    else:
        limit = _uln(ptt) + settings.ptt_max_above_uln_s
        sign = "<=" if ptt.value <= limit else ">"
        text = (
            f"PTT {fmt(ptt.value)} s {sign} ULN + {settings.ptt_max_above_uln_s} s ({fmt(limit)} s)"
        )
        parts.append(met(text) if ptt.value <= limit else not_met(text))
    result = combine(parts)
    undecided = (CriterionState.NOT_MET, CriterionState.DATA_MISSING)
    if data.therapeutic_anticoagulation is None and result.state in undecided:
        # an out-of-range or absent value would be waived under anticoagulation
        return missing(f"{result.reason}; therapeutic anticoagulation not recorded")
    return result

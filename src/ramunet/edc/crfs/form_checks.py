"""Edit checks of the forms beyond labs, vitals, adverse events and exposure.

History (MH, PRIOR, CM: partial dates, date order), baseline (DEMOG, ECOG, PE), outcome (EOT,
FOLLOWUP, DEATH, EOS), samples (BIOSAMPLE, TRANSL), urine protein, pregnancy test, CgA and the
QLQ-C30. Hard checks are values that cannot be right; soft ones need a second look (the
module docstring of ``ramunet.edc.crfs.checks``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ramunet.clinical import units
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.crfs.checks import Finding
from ramunet.edc.crfs.derive import FormContext
from ramunet.edc.crfs.models import (
    Biosample,
    ChromograninA,
    ConcomitantMedication,
    Death,
    Demographics,
    Ecog,
    EndOfStudy,
    EndOfTreatment,
    FollowUp,
    FormRecord,
    MedicalHistory,
    PhysicalExam,
    PregnancyTest,
    PriorTherapy,
    QlqC30,
    TranslationalResult,
    UrineProtein,
)

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
AGE_AT_CONSENT = (18, 75)  # protocol inclusion: 18 <= age <= 75 completed years at consent
EARLIEST_BIRTH_YEAR = 1900
PE_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "height_cm": (Decimal(100), Decimal(230)),
    "weight_kg": (Decimal(25), Decimal(300)),
}
PERCENT_MARKERS = frozenset({"ki67"})
GRADES = ("G1", "G2", "G3")


def _hard(field: str, rule: str, message: str) -> Finding:
    return Finding(field, rule, message, True)


def _soft(field: str, rule: str, message: str) -> Finding:
    return Finding(field, rule, message, False)


def parse_partial_date(text: str, field: str) -> tuple[int, ...]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a tuple of its given parts (a real date).

    Raises ``InvalidInput`` naming ``field`` for any other text or an impossible date.
    """
    match = PARTIAL_DATE.match(text)
    if match is None:
        raise InvalidInput(field, "expected YYYY, YYYY-MM or YYYY-MM-DD", text)
    parts = tuple(int(p) for p in match.groups() if p is not None)
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise InvalidInput(field, "not a calendar date", text) from None
    return parts


def _partial_dates(onset: str, end: str) -> list[Finding]:
    """Both partial dates valid, and the end not before the onset at their common precision."""
    parsed: dict[str, tuple[int, ...]] = {}
    findings = []
    for name, text in (("onset", onset), ("end", end)):
        if not text:
            continue
        try:
            parsed[name] = parse_partial_date(text, name)
        except InvalidInput as error:
            findings.append(_hard(name, "date.partial", str(error)))
    if len(parsed) == 2:
        common = min(len(parsed["onset"]), len(parsed["end"]))
        if parsed["end"][:common] < parsed["onset"][:common]:
            findings.append(_hard("end", "date.order", f"end {end!r}: before the onset {onset!r}"))
    return findings


def _date_order(start: dt.date | None, end: dt.date | None) -> list[Finding]:
    if start is not None and end is not None and end < start:
        return [_hard("end_date", "date.order", f"end_date {end}: before the start {start}")]
    return []


def _ongoing_with_end(ongoing: bool, end: object, field: str) -> list[Finding]:
    if ongoing and end:
        return [_hard(field, "date.ongoing", f"{field} {end}: given although ongoing is yes")]
    return []


def check_medical_history(form: MedicalHistory) -> list[Finding]:
    return _partial_dates(form.onset, form.end) + _ongoing_with_end(form.ongoing, form.end, "end")


def check_prior_therapy(form: PriorTherapy) -> list[Finding]:
    return _date_order(form.start_date, form.end_date)


def check_medication(form: ConcomitantMedication) -> list[Finding]:
    findings = _date_order(form.start_date, form.end_date)
    return findings + _ongoing_with_end(form.ongoing, form.end_date, "end_date")


def check_demographics(form: Demographics) -> list[Finding]:
    findings = []
    consent = form.patient.consent_date
    yob = form.year_of_birth
    if not EARLIEST_BIRTH_YEAR <= yob <= consent.year:
        findings.append(
            _hard(
                "year_of_birth",
                "demog.year_of_birth",
                f"year_of_birth {yob}: outside {EARLIEST_BIRTH_YEAR}-{consent.year} "
                "(the year of consent)",
            )
        )
    else:
        youngest, oldest = consent.year - yob - 1, consent.year - yob
        low, high = AGE_AT_CONSENT
        if youngest < low or oldest > high:
            findings.append(
                _soft(
                    "year_of_birth",
                    "demog.age",
                    f"year_of_birth {yob}: age at consent {youngest}-{oldest} years may be "
                    f"outside {low}-{high} (protocol inclusion); confirm against the source",
                )
            )
    ki67 = form.ki67_percent
    if ki67 is not None and not 0 <= ki67 <= 100:
        findings.append(_hard("ki67_percent", "demog.ki67", f"ki67_percent {ki67}: outside 0-100"))
    return findings


def _empty_without_code(form: FormRecord, name: str) -> list[Finding]:
    if getattr(form, name) is None and name not in (form.missing or {}):
        return [_hard(name, "missing.empty", f"{name}: empty; give the value or a missing code")]
    return []


def check_physical_exam(form: PhysicalExam) -> list[Finding]:
    findings = []
    for name, (low, high) in PE_LIMITS.items():
        value = getattr(form, name)
        if value is not None and not low <= value <= high:
            findings.append(_hard(name, "pe.range", f"{name} {value}: outside {low}-{high}"))
    if form.abnormal and not form.findings.strip():
        findings.append(
            _hard("findings", "pe.findings", "findings: an abnormal examination needs findings")
        )
    return findings


def _after_first_dose(form: FormRecord, name: str, day: dt.date, rule: str) -> list[Finding]:
    first = form.patient.first_dose
    if first is not None and day < first:
        return [_hard(name, rule, f"{name} {day}: before the first dose {first}")]
    return []


def check_end_of_treatment(form: EndOfTreatment) -> list[Finding]:
    findings = []
    if form.last_dose_date > form.form_date:
        findings.append(
            _hard(
                "last_dose_date",
                "eot.last_dose",
                f"last_dose_date {form.last_dose_date}: after the form date {form.form_date}",
            )
        )
    return findings + _after_first_dose(form, "last_dose_date", form.last_dose_date, "eot.first")


def check_follow_up(form: FollowUp) -> list[Finding]:
    if form.progression and form.progression_date is None:
        return [
            _hard(
                "progression_date",
                "followup.progression_date",
                "progression_date: required when progression is yes",
            )
        ]
    if form.progression_date is not None and not form.progression:
        return [
            _hard(
                "progression_date",
                "followup.progression_date",
                f"progression_date {form.progression_date}: given but progression is not yes",
            )
        ]
    if form.progression_date is not None and form.progression_date > form.form_date:
        return [
            _hard(
                "progression_date",
                "followup.progression_date",
                f"progression_date {form.progression_date}: after the contact {form.form_date}",
            )
        ]
    return []


def check_death(form: Death, today: dt.date | None) -> list[Finding]:
    if today is not None and form.death_date > today:
        return [
            _hard("death_date", "death.future", f"death_date {form.death_date}: lies in the future")
        ]
    return _after_first_dose(form, "death_date", form.death_date, "death.first_dose")


def check_end_of_study(form: EndOfStudy, today: dt.date | None) -> list[Finding]:
    consent = form.patient.consent_date
    if today is not None and form.end_date > today:
        return [_hard("end_date", "eos.future", f"end_date {form.end_date}: lies in the future")]
    if form.end_date < consent:
        return [
            _hard(
                "end_date", "eos.consent", f"end_date {form.end_date}: before the consent {consent}"
            )
        ]
    return []


def check_biosample(form: Biosample) -> list[Finding]:
    collected, shipped, received = form.form_date, form.shipped_on, form.received_on
    if shipped is not None and shipped < collected:
        return [
            _hard(
                "shipped_on",
                "sample.dates",
                f"shipped_on {shipped}: before the collection {collected}",
            )
        ]
    if received is not None and shipped is None:
        return [
            _hard("shipped_on", "sample.dates", "shipped_on: required when received_on is given")
        ]
    if received is not None and shipped is not None and received < shipped:
        return [
            _hard(
                "received_on", "sample.dates", f"received_on {received}: before shipping {shipped}"
            )
        ]
    return []


def check_translational(form: TranslationalResult) -> list[Finding]:
    findings = []
    if form.sample.patient_id != form.patient_id:
        findings.append(
            _hard("sample", "transl.sample", f"sample {form.sample.sample_id}: of another patient")
        )
    value = form.value
    if form.marker == TranslationalResult.Marker.GRADING:
        if form.category not in GRADES:
            findings.append(
                _hard(
                    "category",
                    "transl.grading",
                    f"category {form.category!r}: expected {', '.join(GRADES)}",
                )
            )
    elif value is None:
        findings += _empty_without_code(form, "value")
    elif form.marker in PERCENT_MARKERS and not 0 <= value <= 100:
        findings.append(_hard("value", "transl.range", f"value {value}: outside 0-100%"))
    elif value < 0:
        findings.append(_hard("value", "transl.range", f"value {value}: must not be negative"))
    if form.marker in PERCENT_MARKERS and form.unit not in ("", "%"):
        findings.append(_hard("unit", "transl.unit", f"unit {form.unit!r}: expected %"))
    return findings


def _amount_in_unit(code: str, value: Decimal | None, unit: str, name: str) -> list[Finding]:
    if value is None:
        return []
    if value < 0:
        return [_hard(name, "lab.negative", f"{name} {value}: must not be negative")]
    try:
        units.analyte(code).factor(unit, f"{name}_unit")
    except InvalidInput as error:
        return [_hard(f"{name}_unit", "lab.unit", str(error))]
    return []


def check_urine(form: UrineProtein) -> list[Finding]:
    findings = _amount_in_unit(
        "urine_protein_24h", form.urine_protein_24h, form.urine_protein_24h_unit,
        "urine_protein_24h",
    )  # fmt: skip
    findings += _amount_in_unit(
        "creatinine_clearance", form.creatinine_clearance, form.creatinine_clearance_unit,
        "creatinine_clearance",
    )  # fmt: skip
    empty = not form.dipstick and form.urine_protein_24h is None
    if empty and "dipstick" not in (form.missing or {}):
        findings.append(
            _hard(
                "dipstick",
                "urine.empty",
                "dipstick: a dipstick reading or a 24-hour urine protein is required",
            )
        )
    return findings


def check_pregnancy(form: PregnancyTest) -> list[Finding]:
    if form.result and not form.test_type:
        return [
            _hard("test_type", "preg.type", "test_type: required with a result (serum or urine)")
        ]
    if form.result == PregnancyTest.Result.POSITIVE:
        return [
            _soft(
                "result",
                "preg.positive",
                f"result positive ({form.test_type} test on {form.form_date}): "
                "pregnancy: notify the investigator",
            )
        ]
    if not form.result:
        return _empty_without_code(form, "result")
    return []


def check_cga(form: ChromograninA) -> list[Finding]:
    findings = []
    if form.value is None:
        return _empty_without_code(form, "value")
    if form.value < 0:
        findings.append(_hard("value", "cga.negative", f"value {form.value}: must not be negative"))
    if form.marker in units.ANALYTES:
        try:
            units.analyte(form.marker).factor(form.unit, "unit")
        except InvalidInput as error:
            findings.append(_hard("unit", "cga.unit", str(error)))
    elif not form.unit.strip():
        findings.append(_hard("unit", "cga.unit", f"unit: required for marker {form.marker!r}"))
    if form.uln is not None and form.uln <= 0:
        findings.append(_hard("uln", "cga.uln", f"uln {form.uln}: must be positive"))
    return findings


def check_qlqc30(form: QlqC30) -> list[Finding]:
    """Answers are limited by the model's choices; an all-empty form needs its missing codes."""
    empty = [f"q{n}" for n, answer in form.answers().items() if answer is None]
    coded = set(form.missing or {})
    if len(empty) == 30 and not coded.issuperset(empty):
        return [
            _hard(
                "q1",
                "qlq.empty",
                "q1: all 30 items are empty; give each a missing code (ND when the "
                "questionnaire was not done)",
            )
        ]
    return []


def check_form(form: FormRecord, context: FormContext) -> list[Finding]:
    """The checks of this module that apply to ``form`` (none for other forms)."""
    today = context.today
    checks = {
        MedicalHistory: check_medical_history,
        PriorTherapy: check_prior_therapy,
        ConcomitantMedication: check_medication,
        Demographics: check_demographics,
        PhysicalExam: check_physical_exam,
        EndOfTreatment: check_end_of_treatment,
        FollowUp: check_follow_up,
        Biosample: check_biosample,
        TranslationalResult: check_translational,
        UrineProtein: check_urine,
        PregnancyTest: check_pregnancy,
        ChromograninA: check_cga,
        QlqC30: check_qlqc30,
    }
    if isinstance(form, Ecog):
        return _empty_without_code(form, "ecog")
    if isinstance(form, Death):
        return check_death(form, today)
    if isinstance(form, EndOfStudy):
        return check_end_of_study(form, today)
    check = checks.get(type(form))
    return check(form) if check is not None else []  # type: ignore[operator]

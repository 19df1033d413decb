"""Who was screened, registered and treated: the CONSORT flow, baseline, treatment exposure.

References
----------
.. [1] Schulz KF, Altman DG, Moher D, for the CONSORT Group. CONSORT 2010 statement. BMJ
   2010;340:c332 (the flow diagram).
.. [2] PROTOCOL-NOTES.md "Endpoints": the analysis set is every registered patient who received
   at least one dose of study treatment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ramunet.protocol.criteria import CRITERIA
from ramunet.protocol.settings import DEFAULT_SETTINGS
from ramunet.report.dataset import EndpointRow, PatientRow, ScreeningRow, TrialDataset
from ramunet.report.figures.consort import ConsortCounts
from ramunet.report.tables import (
    DAYS_PER_MONTH,
    Table,
    median_iqr,
    median_range,
    percent,
)

CRITERION_TITLES = {criterion.id: f"{criterion.id} {criterion.short}" for criterion in CRITERIA}
#: End-of-treatment reasons (eCRF EOT) in report wording.
TREATMENT_END_REASONS = {
    "progression": "Disease progression",
    "toxicity": "Unacceptable toxicity",
    "patient_decision": "Patient's decision",
    "investigator_decision": "Investigator's decision",
    "death": "Death",
    "completed": "Protocol treatment completed",
    "other": "Other reason",
}
STILL_SCREENING = "Still in screening"
WITHDRAWN = "Withdrawn before registration"
#: Relative dose intensity below which a patient counts as under-dosed (a common convention).
LOW_RDI_PCT = 80.0


def treated(patients: Sequence[PatientRow]) -> tuple[PatientRow, ...]:
    """The primary analysis and safety set: registered patients with a first dose [2]_."""
    return tuple(p for p in patients if p.first_dose is not None)


def failure_reason(text: str) -> str:
    """A criterion id as its id and short text (``IN09 Bone marrow function``); text as is."""
    return CRITERION_TITLES.get(text, text)


def _screening_outcomes(rows: Sequence[ScreeningRow]) -> Counter[str]:
    """Candidates not registered, each under one reason (a failure under its first)."""
    outcomes: Counter[str] = Counter()
    for row in rows:
        if row.status == "failed":
            first = row.failure_reasons[0] if row.failure_reasons else "reason not recorded"
            outcomes[failure_reason(first)] += 1
        elif row.status == "open":
            outcomes[STILL_SCREENING] += 1
        elif row.status == "withdrawn":
            outcomes[WITHDRAWN] += 1
    return outcomes


def evaluable_for_month6(
    row: EndpointRow, first_dose_to_window_end_days: int = DEFAULT_SETTINGS.month6_window[1]
) -> bool:
    """Whether the month-6 outcome rests on data: an assessment in the window, or progression
    (or death, which sets ``pfs_event``) by the end of the window (PROTOCOL-NOTES.md
    "Endpoints"); the others count as failures without an assessment."""
    if row.month6_assessment_date is not None:
        return True
    return bool(
        row.pfs_event and row.pfs_days is not None and row.pfs_days <= first_dose_to_window_end_days
    )


def consort_counts(dataset: TrialDataset) -> ConsortCounts:
    """The counts of the flow diagram [1]_.

    Candidates logged without a registration fall under their first failure reason (or
    "still in screening" / "withdrawn"); patients registered without a screening entry in the
    log are added to the screened count so that the boxes add up.
    """
    outcomes = _screening_outcomes(dataset.screening)
    registered = len(dataset.patients)
    screened = registered + sum(outcomes.values())
    analysis = {p.code for p in treated(dataset.patients)}
    endpoints = [row for row in dataset.endpoints if row.patient in analysis]
    stopped = Counter(
        TREATMENT_END_REASONS.get(p.end_of_treatment_reason, p.end_of_treatment_reason)
        for p in dataset.patients
        if p.code in analysis
        and p.end_of_treatment_reason
        and p.end_of_treatment_reason != "completed"
    )
    return ConsortCounts(
        screened=screened,
        screening_failures=dict(sorted(outcomes.items(), key=lambda item: (-item[1], item[0]))),
        registered=registered,
        treated=len(analysis),
        evaluable_primary=sum(1 for row in endpoints if evaluable_for_month6(row)),
        discontinued=dict(sorted(stopped.items(), key=lambda item: (-item[1], item[0]))),
    )


def screening_table(dataset: TrialDataset) -> Table:
    """Every screening-failure reason (a candidate may have several), by frequency."""
    reasons = Counter(
        failure_reason(text)
        for row in dataset.screening
        if row.status == "failed"
        for text in row.failure_reasons
    )
    failed = sum(1 for row in dataset.screening if row.status == "failed")
    rows = tuple(
        (reason, percent(count, failed))
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    return Table(
        "screening-failures",
        "Screening failures by reason",
        ("Reason", "Candidates (% of failures)"),
        rows or (("No screening failures", "0"),),
        note=f"{failed} screening failures; a candidate may fail on several criteria.",
    )


def _counts(values: Sequence[str], n: int) -> list[tuple[str, str]]:
    tally = Counter(values)
    return [(f"  {key}", percent(tally[key], n)) for key in sorted(tally)]


def characteristics_table(patients: Sequence[PatientRow]) -> Table:
    """Baseline characteristics of the analysis set (age from the year of birth)."""
    n = len(patients)
    known = "not recorded"

    def yes_no(value: bool | None) -> str:
        return known if value is None else ("yes" if value else "no")

    rows: list[tuple[str, str]] = [("Patients", str(n))]
    rows.append(
        (
            "Age at consent, years: median (range)",
            median_range([p.age_at_consent_years for p in patients], 0),
        )
    )
    rows.append(("Sex", ""))
    rows += _counts([p.sex for p in patients], n)
    rows.append(("Centre", ""))
    rows += _counts([p.centre for p in patients], n)
    rows.append(("Tumour grade (WHO)", ""))
    rows += _counts([p.tumour_grade or known for p in patients], n)
    ki67 = [p.ki67_percent for p in patients if p.ki67_percent is not None]
    rows.append(("Ki-67, %: median (range)", median_range(ki67)))
    rows.append(("Functional tumour", ""))
    rows += _counts([yes_no(p.functional_tumour) for p in patients], n)
    rows.append(("Liver metastases", ""))
    rows += _counts([yes_no(p.liver_metastases) for p in patients], n)
    rows.append(("ECOG performance status at baseline", ""))
    rows += _counts(
        [known if p.ecog_baseline is None else str(p.ecog_baseline) for p in patients], n
    )
    return Table(
        "characteristics",
        "Patient characteristics (analysis set)",
        ("Characteristic", "n (%) or median (range)"),
        tuple(rows),
        note="Analysis set: registered patients with at least one dose. Age = year of consent "
        "minus year of birth (the EDC keeps no full date of birth).",
    )


def exposure_table(patients: Sequence[PatientRow], endpoints: Sequence[EndpointRow]) -> Table:
    """Cycles started, relative dose intensity per drug, treatment status and end reasons."""
    n = len(patients)
    codes = {p.code for p in patients}
    mine = [row for row in endpoints if row.patient in codes]
    cycles = [float(row.cycles) for row in mine if row.cycles is not None]
    rows: list[tuple[str, str]] = [
        ("Patients treated", str(n)),
        ("Cycles started: median (range)", median_range(cycles, 0)),
    ]
    for drug, name in (
        ("rdi_ramucirumab_pct", "Ramucirumab 8 mg/kg d1+d15"),
        ("rdi_dacarbazine_pct", "Dacarbazine 650 mg/m\u00b2 d1"),
    ):
        values = [v for row in mine if (v := getattr(row, drug)) is not None]
        rows.append((f"{name}: relative dose intensity, %: median (IQR)", median_iqr(values)))
        low = sum(1 for v in values if v < LOW_RDI_PCT)
        rows.append((f"  patients below {LOW_RDI_PCT:.0f}%", percent(low, len(values))))
    ongoing = sum(1 for p in patients if p.end_of_treatment_date is None)
    rows.append(("Still on treatment", percent(ongoing, n)))
    rows.append(("End of treatment, by reason", ""))
    reasons = [
        TREATMENT_END_REASONS.get(p.end_of_treatment_reason, p.end_of_treatment_reason)
        for p in patients
        if p.end_of_treatment_date is not None
    ]
    rows += _counts(reasons, n)
    durations = [
        (p.end_of_treatment_date - p.first_dose).days / DAYS_PER_MONTH
        for p in patients
        if p.end_of_treatment_date is not None and p.first_dose is not None
    ]
    rows.append(("Months on treatment (ended): median (range)", median_range(durations)))
    return Table(
        "exposure",
        "Treatment exposure and dose intensity",
        ("Measure", "Value"),
        tuple(rows),
        note="Relative dose intensity: mg given / mg planned per drug over cycles 1 to the last "
        "cycle given (computed doses; ramunet.edc.endpoints).",
    )

"""Secondary and exploratory analyses: CgA response, QLQ-C30 change, biomarkers against
response, and recruitment by centre with its projection.

References
----------
.. [1] clinical-rules.md §5: CgA response >= 50% fall, progression >= 25% rise, baseline
   above the ULN.
.. [2] Osoba D, et al. J Clin Oncol 1998;16:139-144 (10-point change); Fayers PM, et al.
   EORTC QLQ-C30 Scoring Manual, 3rd ed. 2001.
.. [3] Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60.
.. [4] Gajewski BJ, Simon SD, Carlson SE. Stat Med 2008;27:2328-2340 (accrual projection).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ramunet.clinical.errors import InvalidInput
from ramunet.report.dataset import (
    BiomarkerValue,
    CentreRow,
    CgaValue,
    EndpointRow,
    PatientRow,
    QlqScores,
)
from ramunet.report.figures.qlq_c30 import QLQ_C30_SCALES
from ramunet.report.tables import Table, interval, number, percent
from ramunet.stats.biochemical import CgaResponseSummary, cga_response_rates
from ramunet.stats.biomarkers import MannWhitneyResult, mann_whitney
from ramunet.stats.qol import QolChangeSummary, qol_change_summary
from ramunet.stats.recruitment import RecruitmentProjection, project_recruitment

#: QLQ-C30 assessments are every 12 weeks (PROTOCOL-NOTES.md "Schedule of assessments").
QOL_INTERVAL_WEEKS = 12
#: Visits the QLQ-C30 table shows (months 3, 6 and 12); the figure shows every visit.
QOL_TABLE_WEEKS: tuple[float, ...] = (12.0, 24.0, 48.0)
#: RamuNET's planned sample size (PROTOCOL-NOTES.md "Design figures").
TARGET_PATIENTS = 45


@dataclass(frozen=True)
class CgaCourse:
    """CgA change from baseline per patient (for the CgA figure) and the response summary."""

    summary: CgaResponseSummary
    ids: tuple[str, ...]
    weeks: tuple[tuple[float, ...], ...]
    change_pct: tuple[tuple[float, ...], ...]
    best_response: tuple[str, ...]


def analyse_cga(
    patients: Sequence[PatientRow], values: Sequence[CgaValue], endpoints: Sequence[EndpointRow]
) -> CgaCourse:
    """Baseline: the last value on or before the first dose; later values of the same marker
    classify the patient [1]_; patients without a baseline ULN are left out."""
    best = {row.patient: row.best_response_confirmed for row in endpoints}
    by_patient: dict[str, list[CgaValue]] = {}
    for value in values:
        by_patient.setdefault(value.patient, []).append(value)
    series = []
    ids, weeks, changes, responses = [], [], [], []
    for patient in patients:
        first = patient.first_dose
        assert first is not None
        mine = by_patient.get(patient.code, [])
        before = [v for v in mine if v.date <= first]
        if not before:
            continue
        base = before[-1]
        uln = base.uln if base.uln is not None else next((v.uln for v in mine if v.uln), None)
        later = [v for v in mine if v.date > first and v.marker == base.marker]
        if uln is None or uln <= 0:
            continue
        series.append((patient.code, base.value, uln, tuple(v.value for v in later)))
        if later and base.value > 0:
            points: dict[float, float] = {}
            for v in later:
                points[(v.date - first).days / 7] = max(100 * (v.value / base.value - 1), -100.0)
            ids.append(patient.code)
            weeks.append(tuple(sorted(points)))
            changes.append(tuple(points[w] for w in sorted(points)))
            responses.append(best.get(patient.code, "NE"))
    return CgaCourse(
        cga_response_rates(series), tuple(ids), tuple(weeks), tuple(changes), tuple(responses)
    )


def cga_table(course: CgaCourse) -> Table:
    summary = course.summary
    n = summary.n_elevated
    rows = [("Patients with a baseline value and ULN", str(len(summary.patients)))]
    rows.append(("  baseline above the ULN (assessable)", str(n)))
    for category in ("response", "stable", "progression", "not evaluable"):
        rows.append((f"  {category}", percent(summary.count(category), n)))
    rows.append(("Biochemical response rate, 95% CI", interval(summary.response)))
    rows.append(("Biochemical progression rate, 95% CI", interval(summary.progression)))
    return Table(
        "cga",
        "Chromogranin A response",
        ("Category", "Patients (% of assessable)"),
        tuple(rows),
        note="Response: a fall of \u2265 50% from baseline at any on-treatment value; "
        "progression: a rise of \u2265 25% without response; baseline above the ULN "
        "(clinical-rules.md \u00a75). Exact (Clopper-Pearson) intervals.",
    )


@dataclass(frozen=True)
class QolResult:
    summary: QolChangeSummary | None
    visit_weeks: tuple[tuple[str, float], ...]


def visit_label(weeks: int) -> str:
    return f"week {weeks}"


def analyse_qol(patients: Sequence[PatientRow], questionnaires: Sequence[QlqScores]) -> QolResult:
    """Change from baseline per scale at each 12-weekly assessment [2]_.

    Baseline: the last questionnaire on or before the first dose. A later questionnaire goes to
    the nearest 12-week assessment (week 12, 24, ...); the last one there counts.
    """
    firsts = {p.code: p.first_dose for p in patients}
    chosen: dict[tuple[str, str], QlqScores] = {}
    weeks_of: dict[str, int] = {}
    for q in questionnaires:
        first = firsts.get(q.patient)
        if first is None:
            continue
        days = (q.date - first).days
        if days <= 0:
            chosen[(q.patient, "baseline")] = q
            continue
        slot = max(1, round(days / (7 * QOL_INTERVAL_WEEKS))) * QOL_INTERVAL_WEEKS
        label = visit_label(slot)
        weeks_of[label] = slot
        chosen[(q.patient, label)] = q
    scores = [
        (patient, visit, scale, score)
        for (patient, visit), q in chosen.items()
        for scale, score in q.scores
        if scale in QLQ_C30_SCALES
    ]
    visits = sorted(weeks_of, key=lambda label: weeks_of[label])
    if not visits or not any(visit == "baseline" for _, visit in chosen):
        return QolResult(None, ())
    summary = qol_change_summary(scores, visits=visits)
    return QolResult(summary, tuple((label, float(weeks_of[label])) for label in visits))


def qol_table(result: QolResult) -> Table:
    columns = ("Scale", "Visit", "n", "Mean change (points)", "Improved", "Stable", "Worsened")
    rows = []
    if result.summary is not None:
        for row in sorted(
            result.summary.rows,
            key=lambda r: (list(QLQ_C30_SCALES).index(r.scale), dict(result.visit_weeks)[r.visit]),
        ):
            if row.n == 0 or dict(result.visit_weeks)[row.visit] not in QOL_TABLE_WEEKS:
                continue
            rows.append(
                (
                    f"{QLQ_C30_SCALES[row.scale][0]} ({row.scale})",
                    row.visit,
                    str(row.n),
                    number(row.mean_change),
                    percent(row.improved, row.n),
                    percent(row.stable, row.n),
                    percent(row.worsened, row.n),
                )
            )
    return Table(
        "qol",
        "EORTC QLQ-C30: change from baseline",
        columns,
        tuple(rows) or (("no questionnaires after baseline", "", "", "", "", "", ""),),
        note="Weeks 12, 24 and 48 (the figure shows every visit). A change of \u2265 10 points "
        "in the scale's direction is clinically meaningful (Osoba et al. 1998).",
    )


@dataclass(frozen=True)
class BiomarkerTest:
    marker: str
    result: MannWhitneyResult


def analyse_biomarkers(
    patients: Sequence[PatientRow],
    values: Sequence[BiomarkerValue],
    endpoints: Sequence[EndpointRow],
) -> tuple[BiomarkerTest, ...]:
    """Each numeric marker against disease control at 6 months, Mann-Whitney U [3]_.

    A patient with several values of a marker contributes the first (by sample order).
    """
    control = {row.patient: row.month6_success is True for row in endpoints}
    codes = {p.code for p in patients}
    first_value: dict[tuple[str, str], float] = {}
    for value in values:
        key = (value.marker, value.patient)
        if value.patient in codes and value.value is not None and key not in first_value:
            first_value[key] = value.value
    tests = []
    for marker in sorted({marker for marker, _ in first_value}):
        pairs = [(v, control.get(p, False)) for (m, p), v in first_value.items() if m == marker]
        try:
            result = mann_whitney([v for v, _ in pairs], [c for _, c in pairs])
        except InvalidInput:
            continue  # one group empty: nothing to compare
        tests.append(BiomarkerTest(marker, result))
    return tuple(tests)


def biomarker_table(tests: Sequence[BiomarkerTest]) -> Table:
    rows = tuple(
        (
            t.marker,
            str(len(t.result.responders)),
            number(statistics.median(t.result.responders), 2),
            str(len(t.result.non_responders)),
            number(statistics.median(t.result.non_responders), 2),
            f"{t.result.p_value:.4f} ({t.result.method})",
        )
        for t in tests
    )
    return Table(
        "biomarkers",
        "Biomarkers against disease control at 6 months",
        (
            "Marker",
            "n (control)",
            "Median (control)",
            "n (no control)",
            "Median (no control)",
            "Mann-Whitney p",
        ),
        rows or (("no marker with patients in both groups", "", "", "", "", ""),),
        note="Exploratory, two-sided, not adjusted for multiplicity (central pathology, Halle).",
    )


def analyse_recruitment(
    patients: Sequence[PatientRow], centres: Sequence[CentreRow], cutoff: dt.date | None
) -> RecruitmentProjection | None:
    """Projection of the 45th registration from the actual dates [4]_; None if undefined."""
    registrations = [(p.centre, p.registered_on) for p in patients]
    if not registrations:
        return None
    first = min(day for _, day in registrations)
    opened = [c.activated_on for c in centres if c.activated_on is not None]
    start = min(opened) if opened and min(opened) <= first else None
    last = max(day for _, day in registrations)
    as_of = cutoff if cutoff is not None and cutoff >= last else last
    try:
        return project_recruitment(registrations, target=TARGET_PATIENTS, as_of=as_of, start=start)
    except InvalidInput:
        return None


def recruitment_table(
    projection: RecruitmentProjection | None, centres: Sequence[CentreRow]
) -> Table:
    columns = ("Centre", "Opened", "Patients", "First", "Last", "Per month")
    if projection is None:
        return Table("recruitment", "Recruitment by centre", columns, ())
    names = {c.code: c for c in centres}
    rows = [
        (
            f"{a.centre} {names[a.centre].name}" if a.centre in names else a.centre,
            str(names[a.centre].activated_on or "\u2014") if a.centre in names else "\u2014",
            str(a.n),
            a.first.isoformat(),
            a.last.isoformat(),
            number(a.rate_per_month, 2),
        )
        for a in projection.centres
    ]
    target = projection.target_date
    if target is None:
        outlook = f"target of {projection.target} reached on {projection.reached_on}"
    else:
        outlook = (
            f"patient {projection.target} projected for {target.median} "
            f"({100 * projection.level:.0f}% interval {target.lower} to {target.upper})"
        )
    return Table(
        "recruitment",
        "Recruitment by centre",
        columns,
        tuple(rows),
        note=f"{len(projection.registrations)} registered by {projection.as_of}; {outlook}. "
        "Poisson-gamma projection from the actual registration dates (Gajewski et al. 2008).",
    )

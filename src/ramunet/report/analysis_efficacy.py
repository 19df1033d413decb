"""Efficacy: disease control at 6 months against the design, best response, tumour course,
PFS and OS.

References
----------
.. [1] A'Hern RP. Sample size tables for exact single-stage phase II designs. Stat Med
   2001;20:859-866 (H0 p <= 0.60, H1 p >= 0.80, alpha 0.05, beta 0.10: n = 45, r = 33).
.. [2] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413.
.. [3] Eisenhauer EA, et al. RECIST 1.1. Eur J Cancer 2009;45:228-247, §4.4.
.. [4] Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481; Brookmeyer R, Crowley J.
   Biometrics 1982;38:29-41 (median interval).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from ramunet.protocol.endpoints import DESIGN
from ramunet.report.dataset import EndpointRow, PatientRow, TumourPoint
from ramunet.report.tables import DAYS_PER_MONTH, Table, interval, percent
from ramunet.stats.binomial import PrimaryAnalysis, primary_analysis
from ramunet.stats.design import AhernDesign, ahern
from ramunet.stats.response import ResponseRates, response_rates
from ramunet.stats.survival import KaplanMeierResult, kaplan_meier

FloatArray = npt.NDArray[np.float64]
#: Landmarks (months) of the survival tables.
LANDMARK_MONTHS: tuple[float, ...] = (6.0, 12.0, 24.0)


@cache
def ramunet_design() -> AhernDesign:
    """The protocol's design recomputed from its hypotheses (H0 p <= 0.60, H1 p >= 0.80,
    alpha 0.05, beta 0.10) [1]_; it must give the protocol's n = 45 and r = 33."""
    design = ahern(float(DESIGN.p0), float(DESIGN.p1), float(DESIGN.alpha), float(DESIGN.beta))
    if (design.n, design.r) != (DESIGN.n, DESIGN.r):  # pragma: no cover - protocol data error
        raise ValueError(f"recomputed design n={design.n}, r={design.r} differs from protocol")
    return design


def months(days: float) -> float:
    return days / DAYS_PER_MONTH


def month6_successes(
    patients: Sequence[PatientRow], endpoints: Sequence[EndpointRow]
) -> tuple[int, int]:
    """(x, n): treated patients with disease control at 6 months, and all treated patients.

    A treated patient without a derived success (no endpoint row yet) counts as a failure
    (intention to treat; PROTOCOL-NOTES.md "Endpoints").
    """
    success = {row.patient for row in endpoints if row.month6_success is True}
    n = len(patients)
    return sum(1 for p in patients if p.code in success), n


def analyse_primary(
    patients: Sequence[PatientRow], endpoints: Sequence[EndpointRow]
) -> PrimaryAnalysis | None:
    """The primary analysis against the design; None without treated patients [1]_ [2]_."""
    x, n = month6_successes(patients, endpoints)
    return primary_analysis(x, n, ramunet_design()) if n else None


def primary_table(result: PrimaryAnalysis | None) -> Table:
    """x of n, the exact one-sided p, Clopper-Pearson 90% and 95%, and the decision."""
    columns = ("Quantity", "Value")
    if result is None:
        return Table("primary", "Primary endpoint", columns, (("Patients treated", "0"),))
    design = result.design
    decision = "H0 rejected: success" if result.rejects_h0 else "H0 not rejected"
    rule = (
        f"success if \u2265 {design.r} of {design.n}"
        if result.decision_rule == "x >= r"
        else f"n = {result.n} differs from the planned {design.n}: exact p \u2264 {design.alpha}"
    )
    rows = (
        ("Disease control at 6 months", f"{result.x} of {result.n} ({100 * result.rate:.1f}%)"),
        ("Exact one-sided p-value, H0: p \u2264 0.60", f"{result.p_value:.4f}"),
        ("Clopper-Pearson 90% CI (two-sided; = one-sided \u03b1 0.05)", interval(result.cp90)),
        ("Clopper-Pearson 95% CI", interval(result.cp95)),
        ("Decision rule", rule),
        ("Decision", decision),
        (
            "Design (A'Hern 2001)",
            f"p0 {design.p0}, p1 {design.p1}, \u03b1 {design.alpha}, \u03b2 {design.beta}; "
            f"n {design.n}, r {design.r}; actual \u03b1 {design.alpha_actual:.4f}, "
            f"power {design.power_actual:.4f}",
        ),
    )
    return Table(
        "primary",
        "Primary endpoint: disease control (CR, PR, SD) at 6 months, RECIST 1.1",
        columns,
        rows,
        emphasised=((5, 1),),
        note="Analysis set: every registered patient with at least one dose; a patient without "
        "an evaluable assessment on day 154-182 counts as a failure (intention to treat).",
    )


def analyse_response(best: Sequence[str]) -> ResponseRates | None:
    return response_rates(list(best)) if best else None


def response_table(confirmed: ResponseRates | None, unconfirmed: ResponseRates | None) -> Table:
    """Best overall response counts and ORR/DCR with exact 95% intervals [3]_."""
    columns = ("Best overall response", "Confirmed", "Unconfirmed")
    if confirmed is None or unconfirmed is None:
        return Table("response", "Best overall response", columns, ())
    n = confirmed.n_patients
    rows = [
        (code, percent(confirmed.count(code), n), percent(unconfirmed.count(code), n))
        for code, _ in confirmed.counts
    ]
    for name, attribute in (
        ("Objective response (CR+PR)", "objective_response"),
        ("Disease control (CR+PR+SD)", "disease_control"),
    ):
        c, u = getattr(confirmed, attribute), getattr(unconfirmed, attribute)
        rows.append((name, percent(c.x, n), percent(u.x, n)))
        rows.append(("  95% CI (Clopper-Pearson)", interval(c), interval(u)))
    return Table(
        "response",
        "Best overall response and objective response rate (RECIST 1.1)",
        columns,
        tuple(rows),
        note="Confirmed: CR/PR confirmed at least 28 days later; SD at least 42 days after the "
        "first dose. Analysis set as the primary endpoint.",
    )


@dataclass(frozen=True)
class TumourCourse:
    """Per-patient tumour data for the waterfall, swimmer and spider plots (months, weeks)."""

    waterfall_ids: tuple[str, ...]
    best_change_pct: tuple[float, ...]
    waterfall_response: tuple[str, ...]
    spider_ids: tuple[str, ...]
    spider_weeks: tuple[tuple[float, ...], ...]
    spider_change_pct: tuple[tuple[float, ...], ...]
    spider_response: tuple[str, ...]
    swimmer_ids: tuple[str, ...]
    follow_up_months: tuple[float, ...]
    treatment_end_months: tuple[float, ...]
    swimmer_response: tuple[str, ...]
    partial_response_months: tuple[float, ...]
    complete_response_months: tuple[float, ...]
    progression_months: tuple[float, ...]
    death_months: tuple[float, ...]


def _since(day: dt.date | None, first: dt.date) -> float:
    return float("nan") if day is None else months((day - first).days)


def tumour_course(
    patients: Sequence[PatientRow], endpoints: Sequence[EndpointRow], points: Sequence[TumourPoint]
) -> TumourCourse:
    """Waterfall (best = smallest % change of the target sum from baseline), spider (every
    follow-up change) and swimmer data (first dose to last contact or death) per patient."""
    best = {row.patient: row.best_response_confirmed for row in endpoints}
    ends = {row.patient: row for row in endpoints}
    by_patient: dict[str, list[TumourPoint]] = {}
    for point in points:
        by_patient.setdefault(point.patient, []).append(point)
    w_ids, w_best, w_resp = [], [], []
    s_ids, s_weeks, s_change, s_resp = [], [], [], []
    sw: dict[str, list[float]] = {k: [] for k in ("fu", "end", "pr", "cr", "pd", "death")}
    sw_ids, sw_resp = [], []
    for patient in patients:
        first = patient.first_dose
        assert first is not None  # the analysis set
        response = best.get(patient.code, "NE")
        mine = [p for p in by_patient.get(patient.code, []) if p.date > first]
        changes = [(p.date, p.change_from_baseline_pct) for p in mine]
        measured = [(day, c) for day, c in changes if c is not None]
        if measured:
            w_ids.append(patient.code)
            w_best.append(min(c for _, c in measured))
            w_resp.append(response)
            weeks: dict[float, float] = {}
            for day, change in measured:
                weeks[(day - first).days / 7] = max(change, -100.0)
            s_ids.append(patient.code)
            s_weeks.append(tuple(sorted(weeks)))
            s_change.append(tuple(weeks[w] for w in sorted(weeks)))
            s_resp.append(response)
        row = ends.get(patient.code)
        follow_days = row.os_days if row is not None and row.os_days is not None else 0
        follow = months(max(follow_days, 1))
        sw_ids.append(patient.code)
        sw_resp.append(response)
        sw["fu"].append(follow)
        sw["end"].append(_since(patient.end_of_treatment_date, first))
        sw["pr"].append(_since(next((p.date for p in mine if p.overall == "PR"), None), first))
        sw["cr"].append(_since(next((p.date for p in mine if p.overall == "CR"), None), first))
        sw["pd"].append(_since(row.progression_date if row else None, first))
        sw["death"].append(_since(patient.death_date, first))
    limit = np.asarray(sw["fu"])

    def clipped(key: str) -> tuple[float, ...]:
        values = np.asarray(sw[key], dtype=np.float64)
        return tuple(
            float(v) for v in np.where(np.isnan(values), values, np.minimum(values, limit))
        )

    return TumourCourse(
        waterfall_ids=tuple(w_ids),
        best_change_pct=tuple(w_best),
        waterfall_response=tuple(w_resp),
        spider_ids=tuple(s_ids),
        spider_weeks=tuple(s_weeks),
        spider_change_pct=tuple(s_change),
        spider_response=tuple(s_resp),
        swimmer_ids=tuple(sw_ids),
        follow_up_months=tuple(sw["fu"]),
        treatment_end_months=clipped("end"),
        swimmer_response=tuple(sw_resp),
        partial_response_months=clipped("pr"),
        complete_response_months=clipped("cr"),
        progression_months=clipped("pd"),
        death_months=clipped("death"),
    )


def survival_fit(
    endpoints: Sequence[EndpointRow], codes: set[str], kind: str
) -> KaplanMeierResult | None:
    """Kaplan-Meier of PFS or OS (months; log-log 95% intervals) over ``codes`` [4]_."""
    times, events = [], []
    for row in endpoints:
        days, event = getattr(row, f"{kind}_days"), getattr(row, f"{kind}_event")
        if row.patient in codes and days is not None and event is not None:
            times.append(months(max(days, 0)))
            events.append(1 if event else 0)
    if not times:
        return None
    return kaplan_meier(np.asarray(times), np.asarray(events, dtype=np.int64))


def survival_table(pfs: KaplanMeierResult | None, os: KaplanMeierResult | None) -> Table:
    """Events, median with 95% CI, and survival at 6, 12 and 24 months."""
    columns = ("Quantity", "Progression-free survival", "Overall survival")
    fits = (pfs, os)

    def cell(fit: KaplanMeierResult | None, what: str) -> str:
        if fit is None:
            return "\u2014"
        if what == "events":
            return f"{int(fit.events.sum())} of {len(fit.events)}"
        if what == "median":
            m = fit.median

            def nr(value: float | None) -> str:
                return "NR" if value is None else f"{value:.1f}"

            return f"{nr(m.estimate)} ({nr(m.lower)}\u2013{nr(m.upper)})"
        at = fit.survival_at([float(what)])
        return (
            f"{100 * at.survival[0]:.1f}% ({100 * at.lower[0]:.1f}\u2013"
            f"{100 * at.upper[0]:.1f}); at risk {int(at.n_at_risk[0])}"
        )

    rows = [
        ("Events / patients", *(cell(f, "events") for f in fits)),
        ("Median, months (95% CI)", *(cell(f, "median") for f in fits)),
    ]
    rows += [
        (f"Event-free at {m:.0f} months, % (95% CI)", *(cell(f, str(m)) for f in fits))
        for m in LANDMARK_MONTHS
    ]
    return Table(
        "survival",
        "Progression-free and overall survival (Kaplan-Meier)",
        columns,
        tuple(rows),
        note="Time from the first dose; NR = not reached. Pointwise log-log 95% intervals; "
        "median interval by Brookmeyer-Crowley. PFS censored at the last adequate tumour "
        "assessment, OS at the last contact alive.",
    )

"""EORTC QLQ-C30 change from baseline per scale and visit, with the 10-point rule.

A change of at least 10 points (inclusive) is clinically meaningful (Osoba et al. 1998). Its
sign depends on the scale: on functional scales and global health status higher is better, on
symptom scales and single items higher is worse. Each patient with a score at baseline and at
the visit is classed improved, stable or worsened; the summary per visit and scale gives the
counts and the mean change.

References
----------
.. [1] Fayers PM, Aaronson NK, Bjordal K, et al. The EORTC QLQ-C30 Scoring Manual, 3rd ed.
   EORTC, Brussels 2001 (scales and their direction).
.. [2] Osoba D, Rodrigues G, Myles J, Zee B, Pater J. Interpreting the significance of changes
   in health-related quality-of-life scores. J Clin Oncol 1998;16:139-144.
.. [3] clinical-rules.md §3.2 (scales), §3.6 (the >= 10-point threshold, inclusive).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm

HIGHER_IS_BETTER = 1
HIGHER_IS_WORSE = -1
#: QLQ-C30 v3.0 scale codes and their direction [1]_.
QLQ_C30_DIRECTIONS: Mapping[str, int] = {
    "QL2": HIGHER_IS_BETTER,
    "PF2": HIGHER_IS_BETTER,
    "RF2": HIGHER_IS_BETTER,
    "EF": HIGHER_IS_BETTER,
    "CF": HIGHER_IS_BETTER,
    "SF": HIGHER_IS_BETTER,
    "FA": HIGHER_IS_WORSE,
    "NV": HIGHER_IS_WORSE,
    "PA": HIGHER_IS_WORSE,
    "DY": HIGHER_IS_WORSE,
    "SL": HIGHER_IS_WORSE,
    "AP": HIGHER_IS_WORSE,
    "CO": HIGHER_IS_WORSE,
    "DI": HIGHER_IS_WORSE,
    "FI": HIGHER_IS_WORSE,
}
#: Osoba et al. 1998: a change of at least 10 points is clinically meaningful.
MEANINGFUL_CHANGE_POINTS = 10.0
#: Scores such as 100/3 carry binary rounding; changes are compared after rounding to this.
CHANGE_DECIMALS = 9

Category = Literal["improved", "stable", "worsened"]
QolScore = tuple[str, str, str, float | None]
"""One scale score: (patient, visit, scale code, score 0-100 or None when not scored)."""


@dataclass(frozen=True)
class QolChange:
    """One patient's change on one scale from baseline to one visit."""

    patient: str
    visit: str
    scale: str
    baseline: float
    score: float
    category: Category

    @property
    def change(self) -> float:
        """Score minus baseline score, in points (positive = higher score)."""
        return self.score - self.baseline


@dataclass(frozen=True)
class QolChangeRow:
    """Change from baseline on one scale at one visit, over patients with both scores.

    Attributes
    ----------
    visit, scale
        The visit and the scale code.
    n
        Patients with a score at baseline and at the visit.
    improved, stable, worsened
        Patients by the 10-point rule, direction-aware.
    mean_change
        Mean of score - baseline (``None`` when n = 0).
    """

    visit: str
    scale: str
    n: int
    improved: int
    stable: int
    worsened: int
    mean_change: float | None

    def percent(self, category: Category) -> float | None:
        """Patients in ``category``, percent of ``n`` (``None`` when n = 0)."""
        return None if self.n == 0 else 100 * getattr(self, category) / self.n


@dataclass(frozen=True)
class QolChangeSummary:
    """Per-patient changes and their summary rows (visits in order, then scales in order)."""

    baseline_visit: str
    threshold_points: float
    changes: tuple[QolChange, ...]
    rows: tuple[QolChangeRow, ...]

    def row(self, visit: str, scale: str) -> QolChangeRow:
        """The summary row of ``scale`` at ``visit``."""
        for row in self.rows:
            if (row.visit, row.scale) == (visit, scale):
                return row
        raise InvalidInput("visit", f"has no summary for scale {scale!r}", visit)


def classify_change(
    baseline: float, score: float, direction: int, threshold: float = MEANINGFUL_CHANGE_POINTS
) -> Category:
    """Improved, stable or worsened by the ``threshold``-point rule (inclusive) [2]_ [3]_.

    ``direction`` is ``HIGHER_IS_BETTER`` (functional scales, QL2) or ``HIGHER_IS_WORSE``
    (symptom scales and single items).
    """
    gain = round((score - baseline) * direction, CHANGE_DECIMALS)
    if gain >= threshold:
        return "improved"
    if gain <= -threshold:
        return "worsened"
    return "stable"


def _check_score(index: int, entry: QolScore, directions: Mapping[str, int]) -> QolScore:
    field = f"scores[{index}]"
    if not isinstance(entry, tuple) or len(entry) != 4:
        raise InvalidInput(field, "must be a (patient, visit, scale, score) tuple", entry)
    patient, visit, scale, score = entry
    if scale not in directions:
        raise UnknownTerm(f"{field}.scale", scale, tuple(directions))
    if score is None:
        return entry
    if isinstance(score, bool) or not isinstance(score, int | float) or math.isnan(score):
        raise InvalidInput(f"{field}.score", "must be a number from 0 to 100 or None", score)
    if not 0 <= score <= 100:
        raise InvalidInput(f"{field}.score", "must lie from 0 to 100", score)
    return patient, visit, scale, float(score)


def qol_change_summary(
    scores: Iterable[QolScore],
    baseline_visit: str = "baseline",
    visits: Sequence[str] | None = None,
    threshold: float = MEANINGFUL_CHANGE_POINTS,
    directions: Mapping[str, int] = QLQ_C30_DIRECTIONS,
) -> QolChangeSummary:
    """Change from baseline per scale and visit, classed by the 10-point rule.

    Parameters
    ----------
    scores
        Scale scores as (patient, visit, scale code, score); ``None`` for a scale not scored
        (fewer than half of its items answered, scoring manual [1]_).
    baseline_visit
        The visit that is the baseline.
    visits
        Post-baseline visits in report order; by default in order of first appearance.
    threshold
        Points of change that count as meaningful (inclusive); 10 by default [2]_.
    directions
        Scale code -> ``HIGHER_IS_BETTER`` or ``HIGHER_IS_WORSE``; QLQ-C30 v3.0 by default.

    Raises
    ------
    InvalidInput
        A malformed entry, a score outside 0-100, a repeated (patient, visit, scale), a
        threshold <= 0, or a listed visit that is the baseline; ``UnknownTerm`` for a scale
        outside ``directions``.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not threshold > 0:
        raise InvalidInput("threshold", "must be a positive number of points", threshold)
    table: dict[tuple[str, str, str], float | None] = {}
    seen_visits: list[str] = []
    for index, entry in enumerate(scores):
        patient, visit, scale, score = _check_score(index, entry, directions)
        if (patient, visit, scale) in table:
            raise InvalidInput(
                f"scores[{index}]", "repeats a (patient, visit, scale) already given", entry
            )
        table[(patient, visit, scale)] = score
        if visit != baseline_visit and visit not in seen_visits:
            seen_visits.append(visit)
    order = list(visits) if visits is not None else seen_visits
    if baseline_visit in order:
        raise InvalidInput("visits", "must list post-baseline visits only", baseline_visit)
    changes: list[QolChange] = []
    rows: list[QolChangeRow] = []
    # scores grouped by (visit, scale) once, in the order given (linear, not visits x scales)
    by_cell: dict[tuple[str, str], list[tuple[str, float | None]]] = {}
    for (patient, at_visit, at_scale), score in table.items():
        by_cell.setdefault((at_visit, at_scale), []).append((patient, score))
    for visit in order:
        for scale, direction in directions.items():
            found = []
            for patient, score in by_cell.get((visit, scale), []):
                baseline = table.get((patient, baseline_visit, scale))
                if score is None or baseline is None:
                    continue
                category = classify_change(baseline, score, direction, threshold)
                found.append(QolChange(patient, visit, scale, baseline, score, category))
            changes.extend(found)
            categories = [change.category for change in found]
            rows.append(
                QolChangeRow(
                    visit=visit,
                    scale=scale,
                    n=len(found),
                    improved=categories.count("improved"),
                    stable=categories.count("stable"),
                    worsened=categories.count("worsened"),
                    mean_change=statistics.fmean(c.change for c in found) if found else None,
                )
            )
    return QolChangeSummary(baseline_visit, float(threshold), tuple(changes), tuple(rows))

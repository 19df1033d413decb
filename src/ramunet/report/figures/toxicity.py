"""Toxicity bar chart: patients by worst CTCAE grade per adverse-event term.

Each patient counts once per term, at the worst grade recorded for it (PROTOCOL-NOTES.md
"Endpoints": worst grade per patient and term). Bars stack grades 1-5; grades 1-2 are grey,
grades >= 3 warm colours with a hatch, and each bar ends with the grade >= 3 count, so severe
toxicity stands out without relying on colour alone.

References
----------
.. [1] U.S. DHHS/NIH/NCI. Common Terminology Criteria for Adverse Events (CTCAE) v5.0,
   27 November 2017 (grades 1-5; clinical-rules.md §2.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.bars import add_rectangles
from ramunet.report.figures.inputs import IntArray, check_length, labels, positive_int
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    GRADE_COLOURS,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)

GRADES: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Grades from which an adverse event is highlighted as severe.
SEVERE_GRADE = 3
_SEVERE_HATCH = "////"
_BAR_HEIGHT = 0.7


@dataclass(frozen=True, eq=False)
class WorstGradeCounts:
    """Patients by worst grade per term.

    Attributes
    ----------
    terms
        The adverse-event terms, most frequent (any grade) first.
    counts
        Shape (terms, 5): patients whose worst grade of the term is 1, 2, 3, 4, 5.
    """

    terms: tuple[str, ...]
    counts: IntArray

    def any_grade(self) -> IntArray:
        """Patients with the term at any grade."""
        return np.asarray(self.counts.sum(axis=1), dtype=np.int64)

    def severe(self) -> IntArray:
        """Patients with the term at grade >= 3."""
        return np.asarray(self.counts[:, SEVERE_GRADE - 1 :].sum(axis=1), dtype=np.int64)


def worst_grade_counts(
    patient_ids: Sequence[str], terms: Sequence[str], grades: Sequence[int]
) -> WorstGradeCounts:
    """Count patients by their worst grade of each term, from one row per adverse event.

    Terms are ordered by patients at any grade (descending), then at grade >= 3, then name.

    Raises
    ------
    InvalidInput
        Naming the argument when empty, of another length than ``patient_ids``, or a grade
        that is not a whole number 1-5.
    """
    ids = labels(patient_ids, "patient_ids")
    term_list = labels(terms, "terms")
    check_length(term_list, "terms", len(ids), "patient_ids")
    grade_list = list(grades)
    check_length(grade_list, "grades", len(ids), "patient_ids")
    worst: dict[tuple[str, str], int] = {}
    for index, (patient, term, grade) in enumerate(zip(ids, term_list, grade_list, strict=True)):
        if (
            isinstance(grade, bool)
            or not isinstance(grade, int | np.integer)
            or grade not in GRADES
        ):
            raise InvalidInput(f"grades[{index}]", "must be a CTCAE grade 1, 2, 3, 4 or 5", grade)
        key = (term, patient)
        worst[key] = max(worst.get(key, 0), int(grade))
    names = sorted({term for term, _ in worst})
    row_of = {name: row for row, name in enumerate(names)}
    counts = np.zeros((len(names), len(GRADES)), dtype=np.int64)
    for (term, _), grade in worst.items():
        counts[row_of[term], grade - 1] += 1
    any_grade = counts.sum(axis=1)
    severe = counts[:, SEVERE_GRADE - 1 :].sum(axis=1)
    order = sorted(range(len(names)), key=lambda row: (-any_grade[row], -severe[row], names[row]))
    return WorstGradeCounts(terms=tuple(names[row] for row in order), counts=counts[order])


def plot_toxicity(
    ax: Axes,
    counts: WorstGradeCounts,
    *,
    n_patients: int | None = None,
    max_terms: int | None = 20,
) -> Axes:
    """Draw stacked horizontal bars of patients by worst grade per term on ``ax``.

    Parameters
    ----------
    ax
        The axes to draw on.
    counts
        From ``worst_grade_counts``.
    n_patients
        The safety population; when given, bar labels add the percentage of it.
    max_terms
        Show only the most frequent terms (None: all).

    Returns
    -------
    Axes
        ``ax``; the segments of grade g form one collection with gid ``toxicity-grade-g``,
        one rectangle per shown term from the top down.

    Raises
    ------
    InvalidInput
        Naming ``n_patients`` when below 1 or below a term's count; ``max_terms`` when below 1.
    """
    if max_terms is not None:
        positive_int(max_terms, "max_terms")
    shown = slice(0, max_terms)
    terms = counts.terms[shown]
    table = counts.counts[shown]
    any_grade = table.sum(axis=1)
    if n_patients is not None:
        positive_int(n_patients, "n_patients")
        if any_grade.max() > n_patients:
            raise InvalidInput(
                "n_patients",
                f"must be at least the largest term count ({int(any_grade.max())})",
                n_patients,
            )
    rows = np.arange(len(terms), dtype=np.float64)
    left = np.zeros(len(terms))
    for grade in GRADES:
        width = table[:, grade - 1].astype(np.float64)
        collection = add_rectangles(
            ax,
            left,
            left + width,
            rows - _BAR_HEIGHT / 2,
            rows + _BAR_HEIGHT / 2,
            [GRADE_COLOURS[grade]] * len(terms),
            gid=f"toxicity-grade-{grade}",
        )
        if grade >= SEVERE_GRADE:
            collection.set_hatch(_SEVERE_HATCH)
            collection.set_edgecolor("white")
            collection.set_linewidth(0)
        left = left + width
    severe = table[:, SEVERE_GRADE - 1 :].sum(axis=1)
    for row, (total, high) in enumerate(zip(any_grade, severe, strict=True)):
        share = "" if n_patients is None else f" ({100 * total / n_patients:.0f}%)"
        label = f"{total}{share}"
        if high:
            label += f"; grade \u2265 3: {high}"
        ax.annotate(
            label,
            xy=(float(total), float(row)),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_FONT_SIZE_PT,
            fontweight="bold" if high else "normal",
        ).set_gid(f"toxicity-label-{row}")
    ax.set_yticks(rows, list(terms))
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.set_xlim(0, float(any_grade.max()) * 1.35 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    population = "" if n_patients is None else f" (safety population n = {n_patients})"
    ax.set_xlabel(f"Patients by worst grade{population}", fontsize=FONT_SIZE_PT)
    ax.legend(
        handles=[
            Patch(
                facecolor=GRADE_COLOURS[grade],
                hatch=_SEVERE_HATCH if grade >= SEVERE_GRADE else None,
                edgecolor="white",
                label=f"Grade {grade}",
            )
            for grade in GRADES
        ],
        title="Worst CTCAE v5.0 grade",
        loc="lower right",
        fontsize=SMALL_FONT_SIZE_PT,
        title_fontsize=SMALL_FONT_SIZE_PT,
        frameon=False,
    )
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    return ax


def make_toxicity_figure(
    counts: WorstGradeCounts,
    *,
    n_patients: int | None = None,
    max_terms: int | None = 20,
    title: str = "Adverse events by worst grade (CTCAE v5.0)",
) -> Figure:
    """A new figure holding ``plot_toxicity``, its height fitted to the number of terms."""
    shown = len(counts.terms) if max_terms is None else min(len(counts.terms), max_terms)
    height_in = 1.3 + 0.27 * max(shown, 4)
    fig = new_figure(8.0, height_in)
    ax = fig.add_subplot()
    plot_toxicity(ax, counts, n_patients=n_patients, max_terms=max_terms)
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - 0.45 / height_in, bottom=0.6 / height_in)
    return fig

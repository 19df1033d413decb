"""Spider plot: percentage change from baseline over time, one line per patient.

Every line starts at baseline (week 0, 0%) and is coloured by the patient's best overall
response; dashed lines mark the thresholds of the measure (RECIST 1.1: +20% and -30% of the
target-lesion sum). The lines are one ``LineCollection`` and the points one scatter, so
thousands of patients draw quickly.

References
----------
.. [1] Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
   tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247, §4.3.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MultipleLocator

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.inputs import (
    FloatArray,
    check_length,
    float_array,
    response_codes,
    unique_labels,
)
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    REFERENCE_COLOUR,
    RESPONSE_COLOURS,
    RESPONSE_NAMES,
    RESPONSE_ORDER,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)

#: Per patient, a sequence of numbers (list or numpy array).
PatientSeries = Sequence[Sequence[float] | npt.NDArray[np.floating[Any]]]

LINES_GID = "spider-lines"
POINTS_GID = "spider-points"
#: RECIST 1.1 §4.3.1 thresholds on the target-lesion sum, with their labels.
RECIST_REFERENCE_LINES: tuple[tuple[float, str], ...] = ((20.0, "+20%"), (-30.0, "\u221230%"))


def _patient_series(
    ids: tuple[str, ...],
    weeks: PatientSeries,
    change_pct: PatientSeries,
    weeks_name: str,
    change_name: str,
) -> list[FloatArray]:
    check_length(weeks, weeks_name, len(ids), "patient_ids")
    check_length(change_pct, change_name, len(ids), "patient_ids")
    series = []
    for index, (patient_weeks, patient_change) in enumerate(zip(weeks, change_pct, strict=True)):
        x = float_array(patient_weeks, f"{weeks_name}[{index}]")
        y = float_array(patient_change, f"{change_name}[{index}]")
        check_length(y, f"{change_name}[{index}]", len(x), f"{weeks_name}[{index}]")
        if (x < 0).any() or (np.diff(x) <= 0).any():
            raise InvalidInput(
                f"{weeks_name}[{index}]", "must be >= 0 and strictly increasing", x.tolist()
            )
        if (y < -100).any():
            raise InvalidInput(f"{change_name}[{index}]", "must be >= -100 (%)", y.tolist())
        if x[0] > 0:
            x, y = np.append(0.0, x), np.append(0.0, y)
        series.append(np.column_stack([x, y]))
    return series


def plot_spider(
    ax: Axes,
    patient_ids: Sequence[str],
    weeks: PatientSeries,
    change_pct: PatientSeries,
    best_response: Sequence[str],
    *,
    reference_lines: Sequence[tuple[float, str]] = RECIST_REFERENCE_LINES,
    ylabel: str = "Change in sum of target-lesion\ndiameters from baseline (%)",
) -> Axes:
    """Draw the spider plot on ``ax`` and return it.

    Parameters
    ----------
    ax
        The axes to draw on.
    patient_ids
        One unique id per patient.
    weeks
        Per patient, the weeks since the first dose of each assessment, strictly increasing.
        A line starts at (0, 0%) unless its first assessment is at week 0.
    change_pct
        Per patient, the percentage change from baseline at each of those weeks (>= -100).
    best_response
        Best overall response per patient (line colour).
    reference_lines
        Horizontal dashed lines as (percent, label); the RECIST +20% and -30% by default.
    ylabel
        The y-axis label, with its unit.

    Returns
    -------
    Axes
        ``ax``, holding the lines as one collection (gid ``"spider-lines"``, one line per
        patient in input order) and the assessments as one scatter (gid ``"spider-points"``).

    Raises
    ------
    InvalidInput
        Naming the argument (``weeks[i]``, ``change_pct[i]``) when it is empty, lengths differ,
        weeks are negative or not increasing, or a change is below -100%.
    UnknownTerm
        Naming ``best_response[i]`` for a code outside the RECIST categories.
    """
    ids = unique_labels(patient_ids, "patient_ids")
    series = _patient_series(ids, weeks, change_pct, "weeks", "change_pct")
    responses = response_codes(best_response, "best_response")
    check_length(responses, "best_response", len(ids), "patient_ids")
    colours = [RESPONSE_COLOURS[code] for code in responses]
    width = 1.2 if len(ids) <= 100 else 0.5
    lines = LineCollection(series, colors=colours, linewidths=width, alpha=0.9, zorder=2)
    lines.set_gid(LINES_GID)
    ax.add_collection(lines, autolim=False)
    points = np.concatenate(series)
    point_colours = np.repeat(colours, [len(s) for s in series])
    scatter = ax.scatter(
        points[:, 0], points[:, 1], s=10 if len(ids) <= 100 else 2, c=point_colours, zorder=3
    )
    scatter.set_gid(POINTS_GID)

    ax.axhline(0, color="black", linewidth=0.8, zorder=1)
    for level, text in reference_lines:
        ax.axhline(level, color=REFERENCE_COLOUR, linestyle="--", linewidth=0.9, zorder=1)
        ax.annotate(
            text,
            xy=(1.0, level),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_FONT_SIZE_PT,
            color=REFERENCE_COLOUR,
        )
    levels = [level for level, _ in reference_lines]
    low = min(float(points[:, 1].min()), *levels, 0.0)
    high = max(float(points[:, 1].max()), *levels, 0.0)
    margin = 0.08 * (high - low)
    ax.set_ylim(max(low - margin, -105.0), high + margin)
    last_week = float(points[:, 0].max())
    ax.set_xlim(0, last_week * 1.03)
    # tumour assessments every 12 weeks (PROTOCOL-NOTES.md, schedule of assessments)
    ax.xaxis.set_major_locator(MultipleLocator(12 if last_week <= 156 else 52))
    ax.set_xlabel("Weeks since first dose", fontsize=FONT_SIZE_PT)
    ax.set_ylabel(ylabel, fontsize=FONT_SIZE_PT)
    handles = [
        Line2D(
            [],
            [],
            color=RESPONSE_COLOURS[code],
            marker="o",
            markersize=4,
            label=(f"{RESPONSE_NAMES[code]} ({code}), n = {responses.count(code)}"),
        )
        for code in RESPONSE_ORDER
        if code in set(responses)
    ]
    ax.legend(
        handles=handles,
        title="Best overall response",
        loc="upper left",
        bbox_to_anchor=(1.06, 1.0),
        fontsize=SMALL_FONT_SIZE_PT,
        title_fontsize=SMALL_FONT_SIZE_PT,
        frameon=False,
    )
    style_axes(ax)
    return ax


def make_spider_figure(
    patient_ids: Sequence[str],
    weeks: PatientSeries,
    change_pct: PatientSeries,
    best_response: Sequence[str],
    *,
    title: str = "Change in target lesions over time (RECIST 1.1)",
) -> Figure:
    """A new figure holding ``plot_spider``; arguments and errors as there."""
    fig = new_figure(8.5, 4.5)
    ax = fig.add_subplot()
    plot_spider(ax, patient_ids, weeks, change_pct, best_response)
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.11, right=0.7, top=0.9, bottom=0.12)
    return fig

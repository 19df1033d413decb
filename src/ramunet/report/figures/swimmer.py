"""Swimmer plot: one bar per patient from the first dose to the last follow-up.

The darker part of each bar is time on treatment, the lighter part follow-up after the end of
treatment; the colour is the best overall response. Markers show response onset (PR, CR),
progression, death and the end of treatment; an arrow marks a patient still on treatment.
Bars, and each kind of marker, are one artist each, so 5,000 patients draw in well under a
second.

References
----------
.. [1] Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
   tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247, §4.4.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.bars import add_rectangles
from ramunet.report.figures.inputs import (
    FloatArray,
    check_at_least,
    check_length,
    check_not_after,
    float_array,
    optional_float_array,
    response_codes,
    unique_labels,
)
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    OKABE_ITO,
    RESPONSE_COLOURS,
    RESPONSE_NAMES,
    RESPONSE_ORDER,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)

FOLLOW_UP_GID = "swimmer-follow-up"
TREATMENT_GID = "swimmer-treatment"
#: Marker kinds: gid -> (legend label, marker, face colour).
MARKERS = {
    "swimmer-partial-response": ("PR onset", "^", "white"),
    "swimmer-complete-response": ("CR onset", "^", OKABE_ITO["black"]),
    "swimmer-progression": ("Progression", "D", OKABE_ITO["yellow"]),
    "swimmer-death": ("Death", "X", OKABE_ITO["black"]),
    "swimmer-treatment-end": ("End of treatment", "|", OKABE_ITO["black"]),
    "swimmer-ongoing": ("Treatment ongoing", ">", OKABE_ITO["black"]),
}
#: Up to this many patients, each bar is labelled with its patient id.
MAX_LABELLED_BARS = 60
_NEUTRAL = "#5A6E7F"
_BAR_HEIGHT = 0.7


def _marker_size(n: int) -> float:
    """Marker area (pt^2) shrinking with the number of bars so markers stay inside their row."""
    return float(np.clip(1800.0 / n, 2.0, 36.0))


def plot_swimmer(
    ax: Axes,
    patient_ids: Sequence[str],
    follow_up_months: Sequence[float] | np.ndarray,
    *,
    treatment_end_months: Sequence[float] | np.ndarray | None = None,
    best_response: Sequence[str] | None = None,
    partial_response_months: Sequence[float] | np.ndarray | None = None,
    complete_response_months: Sequence[float] | np.ndarray | None = None,
    progression_months: Sequence[float] | np.ndarray | None = None,
    death_months: Sequence[float] | np.ndarray | None = None,
) -> Axes:
    """Draw the swimmer plot on ``ax`` and return it; the longest follow-up at the top.

    Parameters
    ----------
    ax
        The axes to draw on.
    patient_ids
        One unique id per patient.
    follow_up_months
        Months from the first dose to the last follow-up (or death); > 0.
    treatment_end_months
        Months from the first dose to the end of treatment; NaN while treatment is ongoing
        (drawn as an arrow). None: treatment time is not shown.
    best_response
        Best overall response per patient (bar colour); None draws neutral bars.
    partial_response_months, complete_response_months, progression_months, death_months
        Months from the first dose to the first PR, first CR, progression and death; NaN for
        none. None: the kind of marker is not drawn.

    Returns
    -------
    Axes
        ``ax``, whose bar collections have gids ``"swimmer-follow-up"`` (first dose to last
        follow-up) and ``"swimmer-treatment"`` (first dose to end of treatment), one rectangle
        per patient in row order, and whose markers are one scatter per kind with the gids of
        ``MARKERS``.

    Raises
    ------
    InvalidInput
        Naming the argument when it is empty, has another length than ``patient_ids``, holds a
        negative or non-finite time, or a time later than the patient's last follow-up.
    UnknownTerm
        Naming ``best_response[i]`` for a code outside the RECIST categories.
    """
    ids = unique_labels(patient_ids, "patient_ids")
    n = len(ids)
    follow_up = float_array(follow_up_months, "follow_up_months")
    check_length(follow_up, "follow_up_months", n, "patient_ids")
    bad = follow_up <= 0
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"follow_up_months[{index}]",
            "must be > 0 months from the first dose",
            float(follow_up[index]),
        )
    events: dict[str, FloatArray] = {}
    optional: dict[str, Any] = {
        "treatment_end_months": treatment_end_months,
        "partial_response_months": partial_response_months,
        "complete_response_months": complete_response_months,
        "progression_months": progression_months,
        "death_months": death_months,
    }
    for name, values in optional.items():
        if values is None:
            continue
        array = optional_float_array(values, name, n, "patient_ids")
        check_at_least(array, name, 0.0, "must be >= 0 months from the first dose")
        check_not_after(array, name, follow_up, "follow_up_months")
        events[name] = array
    if best_response is None:
        colours = [_NEUTRAL] * n
        responses: tuple[str, ...] = ()
    else:
        responses = response_codes(best_response, "best_response")
        check_length(responses, "best_response", n, "patient_ids")
        colours = [RESPONSE_COLOURS[code] for code in responses]

    order = np.argsort(-follow_up, kind="stable")
    row = np.empty(n, dtype=np.float64)
    row[order] = np.arange(n, dtype=np.float64)
    y0, y1 = row - _BAR_HEIGHT / 2, row + _BAR_HEIGHT / 2
    zero = np.zeros(n)
    has_treatment = "treatment_end_months" in events
    add_rectangles(
        ax, zero, follow_up, y0, y1, colours, gid=FOLLOW_UP_GID, alpha=0.4 if has_treatment else 1.0
    )
    handles: list[Patch | Line2D] = []
    if has_treatment:
        treatment_end = events["treatment_end_months"]
        ongoing = np.isnan(treatment_end)
        on_treatment_until = np.where(ongoing, follow_up, treatment_end)
        add_rectangles(ax, zero, on_treatment_until, y0, y1, colours, gid=TREATMENT_GID, zorder=2.1)
        events["_treatment_end"] = treatment_end
        events["_ongoing"] = np.where(ongoing, follow_up, np.nan)
        handles += [
            Patch(facecolor="#4D4D4D", label="On treatment"),
            Patch(facecolor="#4D4D4D", alpha=0.4, label="Follow-up after treatment"),
        ]

    size = _marker_size(n)
    x_span = float(follow_up.max())
    for gid, source in (
        ("swimmer-treatment-end", "_treatment_end"),
        ("swimmer-partial-response", "partial_response_months"),
        ("swimmer-complete-response", "complete_response_months"),
        ("swimmer-progression", "progression_months"),
        ("swimmer-death", "death_months"),
        ("swimmer-ongoing", "_ongoing"),
    ):
        if source not in events:
            continue
        times = events[source]
        present = ~np.isnan(times)
        label, marker, face = MARKERS[gid]
        x = times[present]
        if gid == "swimmer-ongoing":
            x = x + 0.012 * x_span
        scatter = ax.scatter(
            x,
            row[present],
            s=size * (1.6 if marker == "|" else 1.0),
            marker=marker,
            c=face,
            edgecolors=None if marker == "|" else "black",
            linewidths=1.2 if marker == "|" else 0.6,
            zorder=4,
        )
        scatter.set_gid(gid)
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=marker,
                markerfacecolor=face,
                markeredgecolor="black",
                markersize=6,
                label=label,
            )
        )
    if responses:
        handles += [
            Patch(facecolor=RESPONSE_COLOURS[code], label=f"{RESPONSE_NAMES[code]} ({code})")
            for code in RESPONSE_ORDER
            if code in set(responses)
        ]

    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, x_span * 1.05)
    # follow-up visits every 3 months (PROTOCOL-NOTES.md, schedule of assessments)
    ax.xaxis.set_major_locator(MultipleLocator(3 if x_span <= 48 else 12))
    if n <= MAX_LABELLED_BARS:
        ax.set_yticks(np.arange(n), [ids[i] for i in order])
        ax.tick_params(axis="y", length=0, labelsize=SMALL_FONT_SIZE_PT - 1)
    else:
        ax.set_yticks([])
    ax.set_xlabel("Months since first dose", fontsize=FONT_SIZE_PT)
    ax.set_ylabel(f"Patients (n = {n})", fontsize=FONT_SIZE_PT)
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=SMALL_FONT_SIZE_PT,
        frameon=False,
    )
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    return ax


def make_swimmer_figure(
    patient_ids: Sequence[str],
    follow_up_months: Sequence[float] | np.ndarray,
    *,
    title: str = "Treatment and follow-up per patient",
    **events: Any,
) -> Figure:
    """A new figure holding ``plot_swimmer``; keyword arguments and errors as there.

    The height grows with the number of patients up to 60 labelled rows, then stays fixed.
    """
    n = len(patient_ids)
    height_in = float(np.clip(1.2 + 0.16 * min(n, MAX_LABELLED_BARS), 3.0, 11.0))
    fig = new_figure(8.5, height_in)
    ax = fig.add_subplot()
    plot_swimmer(ax, patient_ids, follow_up_months, **events)
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.1, right=0.74, top=1 - 0.45 / height_in, bottom=0.6 / height_in)
    return fig

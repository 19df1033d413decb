"""Waterfall plot: best percentage change of the target-lesion sum, one bar per patient.

Bars are ordered from the largest increase to the largest decrease and coloured by best
overall response; dashed lines mark the RECIST 1.1 thresholds, +20% (progression, measured
from the nadir) and -30% (partial response, from baseline).

References
----------
.. [1] Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
   tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247, §4.3.1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ramunet.report.figures.bars import add_rectangles
from ramunet.report.figures.inputs import (
    check_at_least,
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

#: RECIST 1.1 §4.3.1: progression at >= 20% increase (from the nadir), partial response at
#: >= 30% decrease (from baseline).
PROGRESSION_PCT = 20.0
PARTIAL_RESPONSE_PCT = -30.0

BARS_GID = "waterfall-bars"
#: Up to this many patients, each bar is labelled with its patient id.
MAX_LABELLED_BARS = 60
#: Up to this many patients, bars are separated by gaps.
MAX_GAPPED_BARS = 200
_BAR_WIDTH = 0.8


def plot_waterfall(
    ax: Axes,
    patient_ids: Sequence[str],
    best_change_pct: Sequence[float] | np.ndarray,
    best_response: Sequence[str],
) -> Axes:
    """Draw the waterfall plot on ``ax`` and return it.

    Parameters
    ----------
    ax
        The axes to draw on.
    patient_ids
        One unique id per patient.
    best_change_pct
        Best (most negative) percentage change of the sum of target-lesion diameters from
        baseline, per patient; >= -100.
    best_response
        Best overall response per patient: CR, PR, SD, NON-CR/NON-PD, PD or NE.

    Returns
    -------
    Axes
        ``ax``, holding the bars as one collection with gid ``"waterfall-bars"`` (left to right,
        largest increase first) and the reference lines at +20% and -30%.

    Raises
    ------
    InvalidInput
        Naming the argument when it is empty, its length differs from ``patient_ids``, a change
        is not finite or below -100%, or a patient id repeats.
    UnknownTerm
        Naming ``best_response[i]`` for a code outside CR, PR, SD, NON-CR/NON-PD, PD, NE.
    """
    ids = unique_labels(patient_ids, "patient_ids")
    change = float_array(best_change_pct, "best_change_pct")
    check_length(change, "best_change_pct", len(ids), "patient_ids")
    check_at_least(change, "best_change_pct", -100.0, "must be >= -100 (a sum cannot fall below 0)")
    responses = response_codes(best_response, "best_response")
    check_length(responses, "best_response", len(ids), "patient_ids")

    order = np.argsort(-change, kind="stable")
    n = len(ids)
    x = np.arange(n, dtype=np.float64)
    heights = change[order]
    colours = [RESPONSE_COLOURS[responses[i]] for i in order]
    # past a few hundred bars the gaps alias into stripes; bars then touch
    half_width = _BAR_WIDTH / 2 if n <= MAX_GAPPED_BARS else 0.5
    add_rectangles(ax, x - half_width, x + half_width, np.zeros(n), heights, colours, gid=BARS_GID)

    ax.axhline(0, color="black", linewidth=0.8, zorder=3)
    for level, text, gid in (
        (PROGRESSION_PCT, "+20%", "reference-progression"),
        (PARTIAL_RESPONSE_PCT, "\u221230%", "reference-partial-response"),
    ):
        line = ax.axhline(level, color=REFERENCE_COLOUR, linestyle="--", linewidth=0.9, zorder=1)
        line.set_gid(gid)
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

    low = min(float(heights.min()), PARTIAL_RESPONSE_PCT)
    high = max(float(heights.max()), PROGRESSION_PCT)
    margin = 0.08 * (high - low)
    ax.set_xlim(-0.5 - (1 - _BAR_WIDTH), n - 0.5 + (1 - _BAR_WIDTH))
    ax.set_ylim(max(low - margin, -105.0), high + margin)

    if n <= MAX_LABELLED_BARS:
        ax.set_xticks(x, [ids[i] for i in order], rotation=90)
        ax.tick_params(axis="x", length=0, labelsize=SMALL_FONT_SIZE_PT - 1)
    else:
        ax.set_xticks([])
    ax.set_xlabel(f"Patients (n = {n}), ordered by best change", fontsize=FONT_SIZE_PT)
    ax.set_ylabel(
        "Best change in sum of target-lesion\ndiameters from baseline (%)", fontsize=FONT_SIZE_PT
    )
    present = [code for code in RESPONSE_ORDER if code in set(responses)]
    handles = [
        Patch(
            facecolor=RESPONSE_COLOURS[code],
            label=f"{RESPONSE_NAMES[code]} ({code}), n = {responses.count(code)}",
        )
        for code in present
    ]
    ax.legend(
        handles=handles,
        title="Best overall response",
        loc="lower left",
        fontsize=SMALL_FONT_SIZE_PT,
        title_fontsize=SMALL_FONT_SIZE_PT,
        frameon=False,
    )
    style_axes(ax)
    ax.spines["bottom"].set_visible(False)
    return ax


def make_waterfall_figure(
    patient_ids: Sequence[str],
    best_change_pct: Sequence[float] | np.ndarray,
    best_response: Sequence[str],
    *,
    title: str = "Best change in target lesions (RECIST 1.1)",
) -> Figure:
    """A new figure holding ``plot_waterfall``; arguments and errors as there."""
    fig = new_figure(8.0, 4.5)
    ax = fig.add_subplot()
    plot_waterfall(ax, patient_ids, best_change_pct, best_response)
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.11, right=0.93, top=0.9, bottom=0.2)
    return fig

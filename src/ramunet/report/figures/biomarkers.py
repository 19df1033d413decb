"""Biomarker values against response: one strip per marker and group, with the median.

Values are scaled per marker to its largest value so that markers of different units share
one axis; the table beside the figure gives the raw medians and the test.

References
----------
.. [1] Weissgerber TL, Milic NM, Winham SJ, Garovic VD. Beyond bar and line graphs: time for a
   new data presentation paradigm. PLoS Biol 2015;13:e1002128 (show the points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.inputs import float_array, labels
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    OKABE_ITO,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)

GROUP_COLOURS = (OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"])


def plot_biomarker_strips(
    ax: Axes,
    markers: Sequence[str],
    groups: Sequence[tuple[Sequence[float], Sequence[float]]],
    *,
    group_names: tuple[str, str] = ("Disease control", "No disease control"),
) -> Axes:
    """Per marker, the values of both groups as jittered points (fixed seed) and medians."""
    names = labels(markers, "markers")
    if len(groups) != len(names):
        raise InvalidInput("groups", f"has {len(groups)} entries; expected one per marker")
    rng = np.random.default_rng(0)
    for row, pair in enumerate(groups):
        arrays = [float_array(values, f"groups[{row}][{g}]") for g, values in enumerate(pair)]
        scale = max(float(np.abs(np.concatenate(arrays)).max()), 1e-12)
        for g, values in enumerate(arrays):
            y = row + (-0.18 if g == 0 else 0.18) + rng.uniform(-0.08, 0.08, len(values))
            ax.scatter(
                values / scale,
                y,
                s=8,
                color=GROUP_COLOURS[g],
                alpha=0.7,
                label=group_names[g] if row == 0 else None,
                linewidths=0,
            )
            median = float(np.median(values)) / scale
            centre = row + (-0.18 if g == 0 else 0.18)
            ax.plot([median, median], [centre - 0.15, centre + 0.15], color="black", linewidth=1.5)
    ax.set_yticks(range(len(names)), names, fontsize=SMALL_FONT_SIZE_PT + 0.5)
    ax.invert_yaxis()
    ax.set_xlabel("Value / largest value of the marker (bar: median)", fontsize=FONT_SIZE_PT)
    ax.legend(fontsize=SMALL_FONT_SIZE_PT, loc="lower right", frameon=False)
    style_axes(ax)
    return ax


def make_biomarker_figure(
    markers: Sequence[str],
    groups: Sequence[tuple[Sequence[float], Sequence[float]]],
    *,
    title: str = "Biomarkers against disease control at 6 months",
) -> Figure:
    """A new figure holding ``plot_biomarker_strips``; the height grows with the markers."""
    height_in = float(np.clip(1.2 + 0.45 * len(markers), 2.5, 9.0))
    fig = new_figure(7.5, height_in)
    ax = fig.add_subplot()
    plot_biomarker_strips(ax, markers, groups)
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.2, right=0.97, top=1 - 0.4 / height_in, bottom=0.55 / height_in)
    return fig

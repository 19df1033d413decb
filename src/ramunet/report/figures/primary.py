"""The primary endpoint at a glance: the observed rate with its exact intervals, against the
design's null and alternative rates and its success threshold.

References
----------
.. [1] A'Hern RP. Stat Med 2001;20:859-866 (single-stage exact design).
.. [2] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    OKABE_ITO,
    REFERENCE_COLOUR,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)
from ramunet.stats.binomial import PrimaryAnalysis

RATE_GID = "primary-rate"


def plot_primary(ax: Axes, result: PrimaryAnalysis) -> Axes:
    """Rate (point), Clopper-Pearson 95% (thin) and 90% (thick) intervals, with p0, p1 and
    r/n drawn as vertical lines (percent) [1]_ [2]_."""
    design = result.design
    rate = 100 * result.rate
    ax.plot(
        [100 * result.cp95.lower, 100 * result.cp95.upper],
        [0, 0],
        color=OKABE_ITO["blue"],
        linewidth=1.5,
        solid_capstyle="butt",
        label="95% CI",
    )
    ax.plot(
        [100 * result.cp90.lower, 100 * result.cp90.upper],
        [0, 0],
        color=OKABE_ITO["blue"],
        linewidth=6,
        alpha=0.6,
        solid_capstyle="butt",
        label="90% CI",
    )
    ax.plot(
        [rate],
        [0],
        "o",
        color=OKABE_ITO["black"],
        markersize=7,
        gid=RATE_GID,
        label=f"observed {result.x}/{result.n}",
    )
    lines = (
        (100 * design.p0, f"H0 p0 = {design.p0:.0%}", OKABE_ITO["vermillion"], "--"),
        (100 * design.p1, f"H1 p1 = {design.p1:.0%}", OKABE_ITO["bluish_green"], "--"),
        (
            100 * design.r / design.n,
            f"success threshold {design.r}/{design.n}",
            REFERENCE_COLOUR,
            ":",
        ),
    )
    for x, label, colour, style in lines:
        ax.axvline(x, color=colour, linestyle=style, linewidth=1, label=label)
    ax.set_xlim(0, 100)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlabel("Disease control at 6 months (%)", fontsize=FONT_SIZE_PT)
    ax.legend(fontsize=SMALL_FONT_SIZE_PT, loc="upper left", frameon=False, ncols=3)
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    return ax


def make_primary_figure(
    result: PrimaryAnalysis, *, title: str = "Primary endpoint against the design"
) -> Figure:
    """A new figure holding ``plot_primary``."""
    fig = new_figure(7.5, 2.4)
    ax = fig.add_subplot()
    plot_primary(ax, result)
    verdict = "H0 rejected" if result.rejects_h0 else "H0 not rejected"
    ax.set_title(
        f"{title}: one-sided exact p = {result.p_value:.4f}, {verdict}",
        fontsize=FONT_SIZE_PT + 1,
        loc="left",
    )
    fig.subplots_adjust(left=0.04, right=0.98, top=0.82, bottom=0.22)
    return fig

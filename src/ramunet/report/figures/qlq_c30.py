"""EORTC QLQ-C30 mean change from baseline over time, one panel per scale, with CI error bars.

Scores run 0-100; for functional scales and global health status a rise is an improvement,
for symptom scales a rise is a worsening (each panel says which). A shaded band marks changes
smaller than the clinically meaningful threshold, 10 points by default (Osoba et al. 1998;
PROTOCOL-NOTES.md "Endpoints").

References
----------
.. [1] Fayers PM, Aaronson NK, Bjordal K, et al. The EORTC QLQ-C30 Scoring Manual, 3rd ed.
   EORTC, Brussels 2001 (scales; clinical-rules.md §3.2).
.. [2] Osoba D, Rodrigues G, Myles J, Zee B, Pater J. Interpreting the significance of changes
   in health-related quality-of-life scores. J Clin Oncol 1998;16:139-144 (clinical-rules.md
   §3.6).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator
from scipy import stats

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.report.figures.inputs import FloatArray, IntArray, check_length, float_array
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    REFERENCE_COLOUR,
    SMALL_FONT_SIZE_PT,
    new_figure,
    series_colour,
    style_axes,
)

if TYPE_CHECKING:
    from ramunet.stats.qol import QolChangeSummary

#: QLQ-C30 v3.0 scales (clinical-rules.md §3.2): code -> (name, a rise means "better"/"worse").
QLQ_C30_SCALES = MappingProxyType(
    {
        "QL2": ("Global health status/QoL", "better"),
        "PF2": ("Physical functioning", "better"),
        "RF2": ("Role functioning", "better"),
        "EF": ("Emotional functioning", "better"),
        "CF": ("Cognitive functioning", "better"),
        "SF": ("Social functioning", "better"),
        "FA": ("Fatigue", "worse"),
        "NV": ("Nausea and vomiting", "worse"),
        "PA": ("Pain", "worse"),
        "DY": ("Dyspnoea", "worse"),
        "SL": ("Insomnia", "worse"),
        "AP": ("Appetite loss", "worse"),
        "CO": ("Constipation", "worse"),
        "DI": ("Diarrhoea", "worse"),
        "FI": ("Financial difficulties", "worse"),
    }
)
#: Osoba et al. 1998: a change of >= 10 points is clinically meaningful (clinical-rules.md §3.6).
MEANINGFUL_CHANGE_POINTS = 10.0


@dataclass(frozen=True, eq=False)
class ScaleChange:
    """Mean change from baseline of one QLQ-C30 scale at each assessment, checked on creation.

    Attributes
    ----------
    scale
        The scale code, e.g. ``"QL2"`` or ``"FA"`` (clinical-rules.md §3.2).
    weeks
        Weeks since the first dose of each assessment, strictly increasing.
    mean_change
        Mean change from baseline in points (-100..100) at each assessment.
    lower, upper
        Confidence limits of the mean change at each assessment.
    n_patients
        Patients contributing at each assessment; empty when unknown.
    level
        The confidence level of the limits.
    """

    scale: str
    weeks: FloatArray
    mean_change: FloatArray
    lower: FloatArray
    upper: FloatArray
    n_patients: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    level: float = 0.95

    def __post_init__(self) -> None:
        if self.scale not in QLQ_C30_SCALES:
            raise UnknownTerm("scale", self.scale, tuple(QLQ_C30_SCALES))
        weeks = float_array(self.weeks, "weeks")
        if (weeks < 0).any() or (np.diff(weeks) <= 0).any():
            raise InvalidInput("weeks", "must be >= 0 and strictly increasing", weeks.tolist())
        arrays = {"weeks": weeks}
        for name in ("mean_change", "lower", "upper"):
            values = float_array(getattr(self, name), name)
            check_length(values, name, len(weeks), "weeks")
            if (np.abs(values) > 100).any():
                raise InvalidInput(name, "must lie in -100..100 points", values.tolist())
            arrays[name] = values
        if (arrays["lower"] > arrays["mean_change"]).any() or (
            arrays["upper"] < arrays["mean_change"]
        ).any():
            raise InvalidInput(
                "lower", "lower <= mean_change <= upper must hold at every assessment"
            )
        for name, values in arrays.items():
            object.__setattr__(self, name, values)
        if len(self.n_patients) > 0:
            n = np.asarray(self.n_patients, dtype=np.int64)
            check_length(n, "n_patients", len(weeks), "weeks")
            object.__setattr__(self, "n_patients", n)
        else:
            object.__setattr__(self, "n_patients", np.empty(0, dtype=np.int64))


def scale_changes_from_summary(
    summary: QolChangeSummary,
    visit_weeks: Mapping[str, float],
    *,
    level: float = 0.95,
) -> tuple[ScaleChange, ...]:
    """Mean change with a t-interval per scale and visit, from ``ramunet.stats.qol``'s changes.

    Parameters
    ----------
    summary
        From ``ramunet.stats.qol.qol_change_summary``; its per-patient changes are used.
    visit_weeks
        Post-baseline visit -> weeks since the first dose, in increasing weeks; visits not
        listed are left out.
    level
        Confidence level of the interval mean +/- t(level, n - 1) x SD / sqrt(n).

    Returns
    -------
    tuple of ScaleChange
        One per scale with at least one visit of two or more patients, in the order the
        scales first appear; visits with fewer than two patients (no interval) are left out.

    Raises
    ------
    InvalidInput
        Naming ``visit_weeks`` when empty or not increasing, or ``level`` outside (0, 1).
    """
    if not visit_weeks:
        raise InvalidInput("visit_weeks", "must map at least one visit to its week")
    weeks = list(visit_weeks.values())
    if any(later <= earlier for earlier, later in pairwise(weeks)):
        raise InvalidInput("visit_weeks", "weeks must increase in visit order", dict(visit_weeks))
    if not 0 < level < 1:
        raise InvalidInput("level", "must lie strictly between 0 and 1", level)
    by_cell: dict[tuple[str, str], list[float]] = {}
    for change in summary.changes:
        by_cell.setdefault((change.scale, change.visit), []).append(change.change)
    scales = list(dict.fromkeys(change.scale for change in summary.changes))
    result = []
    for scale in scales:
        points = []
        for visit, week in visit_weeks.items():
            values = np.asarray(by_cell.get((scale, visit), []), dtype=np.float64)
            n = len(values)
            if n < 2:
                continue
            mean = float(values.mean())
            half = float(stats.t.ppf((1 + level) / 2, n - 1)) * float(values.std(ddof=1))
            half /= math.sqrt(n)
            points.append((week, mean, max(mean - half, -100.0), min(mean + half, 100.0), n))
        if points:
            week_list, means, lowers, uppers, counts = zip(*points, strict=True)
            result.append(
                ScaleChange(
                    scale=scale,
                    weeks=np.array(week_list),
                    mean_change=np.array(means),
                    lower=np.array(lowers),
                    upper=np.array(uppers),
                    n_patients=np.array(counts, dtype=np.int64),
                    level=level,
                )
            )
    return tuple(result)


def scale_title(scale: str) -> str:
    """``"Fatigue (FA; higher = worse)"``."""
    name, direction = QLQ_C30_SCALES[scale]
    return f"{name} ({scale}; higher = {direction})"


def plot_qlq_c30_change(
    ax: Axes,
    changes: ScaleChange | Sequence[ScaleChange],
    *,
    threshold_points: float = MEANINGFUL_CHANGE_POINTS,
) -> Axes:
    """Draw mean change (points) with CI error bars per scale on ``ax`` and return it.

    Several scales on one axes are offset slightly in x so their bars do not overlap. Each
    error-bar container's line has gid ``qlq-<scale>``; the threshold band ``qlq-threshold``.

    Raises
    ------
    InvalidInput
        Naming ``changes`` when none is given, or ``threshold_points`` outside (0, 100).
    """
    all_changes = [changes] if isinstance(changes, ScaleChange) else list(changes)
    if not all_changes:
        raise InvalidInput("changes", "must hold at least one scale")
    if not 0 < threshold_points < 100:
        raise InvalidInput(
            "threshold_points", "must lie strictly between 0 and 100", threshold_points
        )
    band = ax.axhspan(-threshold_points, threshold_points, color="#EEEEEE", linewidth=0, zorder=0)
    band.set_gid("qlq-threshold")
    ax.axhline(0, color=REFERENCE_COLOUR, linewidth=0.8, zorder=1)
    spacing = float(np.min(np.diff(all_changes[0].weeks))) if len(all_changes[0].weeks) > 1 else 4
    dodge = 0.06 * spacing
    for index, change in enumerate(all_changes):
        shift = (index - (len(all_changes) - 1) / 2) * dodge
        colour = series_colour(index)
        container = ax.errorbar(
            change.weeks + shift,
            change.mean_change,
            yerr=np.vstack([change.mean_change - change.lower, change.upper - change.mean_change]),
            color=colour,
            marker="o",
            markersize=4,
            linewidth=1.3,
            capsize=2.5,
            elinewidth=0.9,
            label=scale_title(change.scale),
            zorder=3,
        )
        container.lines[0].set_gid(f"qlq-{change.scale}")
        if len(all_changes) == 1 and len(change.n_patients) > 0:
            for week, n in zip(change.weeks, change.n_patients, strict=True):
                ax.annotate(
                    f"n={n}",
                    xy=(float(week), 0.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=SMALL_FONT_SIZE_PT - 1.5,
                    color=REFERENCE_COLOUR,
                )
    last_week = max(float(change.weeks[-1]) for change in all_changes)
    ax.set_xlim(0, last_week + max(0.08 * last_week, 2.0))
    # QLQ-C30 with every 12-weekly tumour assessment (PROTOCOL-NOTES.md, schedule)
    ax.xaxis.set_major_locator(MultipleLocator(12 if last_week <= 156 else 52))
    ax.set_xlabel("Weeks since first dose", fontsize=FONT_SIZE_PT - 1)
    ax.set_ylabel("Mean change from\nbaseline (points)", fontsize=FONT_SIZE_PT - 1)
    style_axes(ax)
    return ax


def make_qlq_c30_figure(
    changes: Sequence[ScaleChange],
    *,
    ncols: int = 3,
    threshold_points: float = MEANINGFUL_CHANGE_POINTS,
    title: str = "EORTC QLQ-C30: mean change from baseline",
) -> Figure:
    """One panel per scale (in the given order), sharing the x and y axes.

    Raises
    ------
    InvalidInput
        Naming ``changes`` when empty or when a scale repeats; ``ncols`` when below 1.
    """
    if not changes:
        raise InvalidInput("changes", "must hold at least one scale")
    scales = [change.scale for change in changes]
    for index, scale in enumerate(scales):
        if scale in scales[:index]:
            raise InvalidInput(
                f"changes[{index}].scale", "appears twice; each must be unique", scale
            )
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise InvalidInput("ncols", "must be a whole number >= 1", ncols)
    ncols = min(ncols, len(changes))
    nrows = -(-len(changes) // ncols)
    fig = new_figure(3.3 * ncols + 0.6, 2.3 * nrows + 0.9)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    limit = max(
        threshold_points,
        *(float(np.max(np.abs(np.concatenate([c.lower, c.upper])))) for c in changes),
    )
    for index, (ax, change) in enumerate(zip(axes.flat, changes, strict=False)):
        plot_qlq_c30_change(ax, change, threshold_points=threshold_points)
        ax.set_title(scale_title(change.scale), fontsize=FONT_SIZE_PT - 1, loc="left")
        ax.set_ylim(-limit * 1.15, limit * 1.15)
        if index % ncols != 0:
            ax.set_ylabel("")
        if index + ncols < len(changes):
            ax.set_xlabel("")
        else:
            # the lowest panel of its column shows the week labels
            ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes.flat[len(changes) :]:
        ax.set_axis_off()
    level = changes[0].level
    fig.suptitle(
        f"{title} (mean, {level * 100:g}% CI; shaded: change < {threshold_points:g} points)",
        fontsize=FONT_SIZE_PT + 1,
        x=0.02,
        ha="left",
    )
    fig.tight_layout()
    return fig

"""Kaplan-Meier curves (PFS, OS) with censor ticks, confidence band, median and numbers at risk.

The curves come either as plain arrays (``SurvivalCurve``) or from a
``ramunet.stats.survival.KaplanMeierResult`` through ``curve_from_kaplan_meier``. The
numbers-at-risk table sits below the axis with one column per x tick, so counts line up with
the times they belong to (Pocock et al. 2002: show the numbers at risk under survival plots).

References
----------
.. [1] Kaplan EL, Meier P. Nonparametric estimation from incomplete observations.
   J Am Stat Assoc 1958;53:457-481.
.. [2] Pocock SJ, Clayton TC, Altman DG. Survival plots of time-to-event outcomes in clinical
   trials: good practice and pitfalls. Lancet 2002;359:1686-1689.
.. [3] Morris TP, Jarvis CI, Cragg W, et al. Proposals on Kaplan-Meier plots in medical
   research and a survey of stakeholder views: KMunicate. BMJ Open 2019;9:e030215.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation, Transform

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.inputs import FloatArray, IntArray, check_length, float_array, labels
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    REFERENCE_COLOUR,
    SMALL_FONT_SIZE_PT,
    new_figure,
    series_colour,
    style_axes,
)

if TYPE_CHECKING:
    from ramunet.stats.survival import KaplanMeierResult

#: Vertical layout of the numbers-at-risk table, in points below the x axis.
AT_RISK_HEADER_PT = 40.0
AT_RISK_ROW_PT = 12.0
#: Tick steps tried for the default at-risk times, in the curve's time unit.
_TICK_STEPS = (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 60.0, 120.0)


def _empty_or_floats(values: Any, name: str) -> FloatArray:
    if len(values) == 0:
        return np.empty(0, dtype=np.float64)
    return float_array(values, name)


@dataclass(frozen=True, eq=False)
class SurvivalCurve:
    """One Kaplan-Meier curve as plain arrays, checked on construction.

    Attributes
    ----------
    label
        The legend label, e.g. ``"All treated patients"``.
    time
        The distinct times of the step table, ascending, >= 0.
    survival
        S(t) just after each time, in [0, 1] and non-increasing.
    lower, upper
        Pointwise confidence limits at each time (NaN where undefined, e.g. log-log limits
        while S = 1); empty for no band.
    censor_time
        Times at which subjects were censored (censor ticks); may be empty.
    n_at_risk
        Subjects at risk just before each ``time`` (step table); empty if unknown.
    median, median_lower, median_upper
        The median survival time with its interval; None where not reached (NR).
    level
        The confidence level of the band and the median interval.
    """

    label: str
    time: FloatArray
    survival: FloatArray
    lower: FloatArray = field(default_factory=lambda: np.empty(0))
    upper: FloatArray = field(default_factory=lambda: np.empty(0))
    censor_time: FloatArray = field(default_factory=lambda: np.empty(0))
    n_at_risk: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    median: float | None = None
    median_lower: float | None = None
    median_upper: float | None = None
    level: float = 0.95

    def __post_init__(self) -> None:
        labels([self.label], "label")
        time = float_array(self.time, "time")
        if (time < 0).any() or (np.diff(time) <= 0).any():
            raise InvalidInput("time", "must be >= 0 and strictly increasing", time.tolist())
        survival = float_array(self.survival, "survival")
        check_length(survival, "survival", len(time), "time")
        if (survival < 0).any() or (survival > 1).any() or (np.diff(survival) > 0).any():
            raise InvalidInput(
                "survival", "must lie in [0, 1] and never increase", survival.tolist()
            )
        object.__setattr__(self, "time", time)
        object.__setattr__(self, "survival", survival)
        for name in ("lower", "upper"):
            values = getattr(self, name)
            if len(values) == 0:
                object.__setattr__(self, name, np.empty(0))
                continue
            limit = float_array(values, name, allow_nan=True)
            check_length(limit, name, len(time), "time")
            object.__setattr__(self, name, limit)
        if (len(self.lower) == 0) != (len(self.upper) == 0):
            raise InvalidInput("upper", "lower and upper must be given together")
        censor = _empty_or_floats(self.censor_time, "censor_time")
        if (censor < 0).any():
            raise InvalidInput("censor_time", "must be >= 0", censor.tolist())
        object.__setattr__(self, "censor_time", censor)
        if len(self.n_at_risk) > 0:
            at_risk = np.asarray(self.n_at_risk, dtype=np.int64)
            check_length(at_risk, "n_at_risk", len(time), "time")
            object.__setattr__(self, "n_at_risk", at_risk)
        else:
            object.__setattr__(self, "n_at_risk", np.empty(0, dtype=np.int64))
        if not 0 < self.level < 1:
            raise InvalidInput("level", "must lie strictly between 0 and 1", self.level)

    def survival_at(self, at: FloatArray) -> FloatArray:
        """S(t) of the right-continuous step function at each time (1 before the first)."""
        row = np.searchsorted(self.time, at, side="right") - 1
        return np.where(row < 0, 1.0, self.survival[np.maximum(row, 0)])

    def at_risk(self, at: FloatArray) -> IntArray:
        """Subjects at risk (follow-up >= t) at each time, from the step table.

        Raises
        ------
        InvalidInput
            Naming ``n_at_risk`` when the curve was built without it.
        """
        if len(self.n_at_risk) == 0:
            raise InvalidInput("n_at_risk", "is needed for numbers at risk; give the counts")
        first = np.searchsorted(self.time, at, side="left")
        return np.append(self.n_at_risk, 0)[first]


def curve_from_kaplan_meier(result: KaplanMeierResult, label: str) -> SurvivalCurve:
    """A ``SurvivalCurve`` from a ``ramunet.stats.survival.KaplanMeierResult``."""
    censored = result.n_censored > 0
    return SurvivalCurve(
        label=label,
        time=result.time,
        survival=result.survival,
        lower=result.lower,
        upper=result.upper,
        censor_time=result.time[censored],
        n_at_risk=result.n_at_risk,
        median=result.median.estimate,
        median_lower=result.median.lower,
        median_upper=result.median.upper,
        level=result.level,
    )


def _format_time(value: float | None) -> str:
    return "NR" if value is None else f"{value:.1f}"


def median_text(curve: SurvivalCurve, time_unit: str) -> str:
    """``"median 12.3 (95% CI 8.1–NR) months"``; NR = not reached."""
    percent = f"{curve.level * 100:g}%"
    return (
        f"median {_format_time(curve.median)} "
        f"({percent} CI {_format_time(curve.median_lower)}\u2013"
        f"{_format_time(curve.median_upper)}) {time_unit}"
    )


def default_at_risk_times(last_time: float, max_ticks: int = 9) -> FloatArray:
    """Evenly spaced times from 0 covering ``last_time`` with at most ``max_ticks`` ticks."""
    for step in _TICK_STEPS:
        if last_time / step <= max_ticks - 1:
            break
    return np.arange(0.0, np.ceil(last_time / step) * step + step / 2, step)


def plot_kaplan_meier(
    ax: Axes,
    curves: SurvivalCurve | Sequence[SurvivalCurve],
    *,
    endpoint: str = "Progression-free survival",
    time_unit: str = "months",
) -> Axes:
    """Draw Kaplan-Meier step curves with band, censor ticks and median on ``ax``.

    Parameters
    ----------
    ax
        The axes to draw on.
    curves
        One curve or several (distinct colours in order).
    endpoint
        The endpoint's name for the y label, e.g. ``"Overall survival"``.
    time_unit
        The unit of the curves' times, for the x label and the median text.

    Returns
    -------
    Axes
        ``ax``; per curve ``i`` the step line has gid ``km-curve-i``, the censor ticks
        ``km-censor-i`` and the median's value text ``km-median-i``.

    Raises
    ------
    InvalidInput
        Naming ``curves`` when no curve is given.
    """
    all_curves = [curves] if isinstance(curves, SurvivalCurve) else list(curves)
    if not all_curves:
        raise InvalidInput("curves", "must hold at least one curve")
    for index, curve in enumerate(all_curves):
        colour = series_colour(index)
        x = np.append(0.0, curve.time)
        y = np.append(1.0, curve.survival)
        if len(curve.lower) > 0:
            lower = np.append(1.0, np.where(np.isnan(curve.lower), curve.survival, curve.lower))
            upper = np.append(1.0, np.where(np.isnan(curve.upper), curve.survival, curve.upper))
            ax.fill_between(x, lower, upper, step="post", color=colour, alpha=0.18, linewidth=0)
        label = f"{curve.label}: {median_text(curve, time_unit)}"
        (line,) = ax.step(x, y, where="post", color=colour, linewidth=1.6, label=label, zorder=3)
        line.set_gid(f"km-curve-{index}")
        censor_y = curve.survival_at(curve.censor_time)
        (ticks,) = ax.plot(
            curve.censor_time,
            censor_y,
            linestyle="none",
            marker="|",
            markersize=7,
            markeredgewidth=1.2,
            color=colour,
            zorder=4,
        )
        ticks.set_gid(f"km-censor-{index}")
        if curve.median is not None:
            ax.plot([0, curve.median], [0.5, 0.5], linestyle=":", color=REFERENCE_COLOUR, lw=0.9)
            ax.plot(
                [curve.median, curve.median],
                [0, 0.5],
                linestyle=":",
                color=REFERENCE_COLOUR,
                lw=0.9,
            )
            text = ax.annotate(
                f"{curve.median:.1f}",
                xy=(curve.median, 0.0),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=SMALL_FONT_SIZE_PT,
                color=colour,
            )
            text.set_gid(f"km-median-{index}")
    ax.set_ylim(0, 1.02)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlim(left=0)
    ax.set_xlabel(f"Time since start of treatment ({time_unit})", fontsize=FONT_SIZE_PT)
    ax.set_ylabel(f"{endpoint}\n(probability)", fontsize=FONT_SIZE_PT)
    ax.legend(loc="upper right", fontsize=SMALL_FONT_SIZE_PT, frameon=False)
    style_axes(ax)
    return ax


def _row_offset(ax: Axes, offset_pt: float, left_pt: float = 0.0) -> Transform:
    return ScaledTranslation(-left_pt / 72, -offset_pt / 72, ax.figure.dpi_scale_trans)


def add_at_risk_table(
    ax: Axes,
    at_times: Sequence[float] | FloatArray,
    counts: Mapping[str, Sequence[int] | IntArray],
) -> Axes:
    """Write the numbers at risk below ``ax``, one column per time, and put the x ticks there.

    Parameters
    ----------
    ax
        An axes holding the curves; its x ticks become ``at_times``.
    at_times
        The times of the columns, ascending.
    counts
        Row label -> numbers at risk at each time (one row per curve, in curve order).

    Returns
    -------
    Axes
        ``ax``; each count is a text with gid ``at-risk-<row>-<column>`` at x = its time.

    Raises
    ------
    InvalidInput
        Naming the argument when it is empty, times are not ascending, a row's length differs
        from ``at_times`` or a count is negative.
    """
    times = float_array(at_times, "at_times")
    if (np.diff(times) <= 0).any():
        raise InvalidInput("at_times", "must be strictly increasing", times.tolist())
    if not counts:
        raise InvalidInput("counts", "must hold at least one row")
    ax.set_xticks(times)
    low, high = ax.get_xlim()
    ax.set_xlim(min(low, float(times[0])), max(high, float(times[-1])))
    column_transform = ax.get_xaxis_transform()
    header = ax.text(
        0.0,
        0.0,
        "Number at risk",
        transform=ax.transAxes + _row_offset(ax, AT_RISK_HEADER_PT),
        ha="left",
        va="top",
        fontsize=SMALL_FONT_SIZE_PT,
        fontweight="bold",
    )
    header.set_gid("at-risk-header")
    for row, (label, values) in enumerate(counts.items()):
        labels([label], f"counts[{row}] label")
        row_counts = np.asarray(values)
        check_length(row_counts, f"counts[{label!r}]", len(times), "at_times")
        if (row_counts < 0).any():
            raise InvalidInput(f"counts[{label!r}]", "must be >= 0", row_counts.tolist())
        row_pt = AT_RISK_HEADER_PT + AT_RISK_ROW_PT * (row + 1)
        offset = _row_offset(ax, row_pt)
        colour = series_colour(row)
        ax.text(
            0.0,
            0.0,
            label,
            transform=ax.transAxes + _row_offset(ax, row_pt, left_pt=14.0),
            ha="right",
            va="top",
            fontsize=SMALL_FONT_SIZE_PT,
            color=colour,
        ).set_gid(f"at-risk-label-{row}")
        for column, (time, value) in enumerate(zip(times, row_counts, strict=True)):
            text = ax.text(
                float(time),
                0.0,
                f"{int(value)}",
                transform=column_transform + offset,
                ha="center",
                va="top",
                fontsize=SMALL_FONT_SIZE_PT,
                color=colour,
            )
            text.set_gid(f"at-risk-{row}-{column}")
    return ax


def make_kaplan_meier_figure(
    curves: SurvivalCurve | Sequence[SurvivalCurve],
    *,
    endpoint: str = "Progression-free survival",
    time_unit: str = "months",
    at_risk_times: Sequence[float] | FloatArray | None = None,
    at_risk_counts: Mapping[str, Sequence[int] | IntArray] | None = None,
    title: str | None = None,
) -> Figure:
    """A new figure with the curves and the numbers-at-risk table below.

    Without ``at_risk_times`` the table uses evenly spaced times covering the longest curve;
    without ``at_risk_counts`` the counts come from each curve's step table (``n_at_risk``).
    Errors as ``plot_kaplan_meier`` and ``add_at_risk_table``.
    """
    all_curves = [curves] if isinstance(curves, SurvivalCurve) else list(curves)
    if not all_curves:
        raise InvalidInput("curves", "must hold at least one curve")
    last_time = max(float(curve.time[-1]) for curve in all_curves)
    times = (
        default_at_risk_times(last_time)
        if at_risk_times is None
        else float_array(at_risk_times, "at_risk_times")
    )
    counts = (
        {curve.label: curve.at_risk(times) for curve in all_curves}
        if at_risk_counts is None
        else at_risk_counts
    )
    height_in = 4.6 + AT_RISK_ROW_PT * len(counts) / 72
    fig = new_figure(7.5, height_in)
    ax = fig.add_subplot()
    plot_kaplan_meier(ax, all_curves, endpoint=endpoint, time_unit=time_unit)
    add_at_risk_table(ax, times, counts)
    ax.set_title(title or endpoint, fontsize=FONT_SIZE_PT + 1, loc="left")
    bottom_in = (AT_RISK_HEADER_PT + AT_RISK_ROW_PT * (len(counts) + 0.8)) / 72
    fig.subplots_adjust(left=0.2, right=0.96, top=1 - 0.4 / height_in, bottom=bottom_in / height_in)
    return fig

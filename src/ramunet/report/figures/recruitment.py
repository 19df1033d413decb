"""Recruitment over time: cumulative registrations, overall and by centre, against the target.

When a projection is given (e.g. from ``ramunet.stats`` recruitment projection), a dashed line
runs from the last registration to the projected date of the target, with the projection
interval as a shaded band. PROTOCOL-NOTES.md ("Design figures"): 45 patients from about 8
centres; the system projects from the actual registration dates.

References
----------
.. [1] PROTOCOL-NOTES.md, "Design figures" (target 45 patients, about 8 centres).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.report.figures.inputs import check_length, dates, labels, positive_int
from ramunet.report.figures.style import (
    FONT_SIZE_PT,
    REFERENCE_COLOUR,
    SERIES_COLOURS,
    SMALL_FONT_SIZE_PT,
    new_figure,
    style_axes,
)

if TYPE_CHECKING:
    from ramunet.stats.recruitment import RecruitmentProjection

#: The RamuNET sample size (A'Hern single-stage design, PROTOCOL-NOTES.md).
TARGET_PATIENTS = 45
CentreStyle = Literal["lines", "stacked"]
CENTRE_STYLES: tuple[str, ...] = ("lines", "stacked")
OVERALL_GID = "recruitment-overall"


#: Centre colours: the series colours without black, which marks all centres together.
_CENTRE_COLOURS = tuple(colour for colour in SERIES_COLOURS if colour != "#000000")


def _centre_colour(index: int) -> str:
    return _CENTRE_COLOURS[index % len(_CENTRE_COLOURS)]


def _day_numbers(values: Sequence[dt.date]) -> np.ndarray:
    days = mdates.date2num(np.array(values, dtype="datetime64[D]"))  # type: ignore[no-untyped-call]
    return np.asarray(days, dtype=np.float64)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def plot_recruitment(
    ax: Axes,
    registration_dates: Sequence[dt.date],
    centres: Sequence[str] | None = None,
    *,
    target: int = TARGET_PATIENTS,
    cutoff_date: dt.date | None = None,
    projected_date: dt.date | None = None,
    projected_interval: tuple[dt.date, dt.date] | None = None,
    interval_level: float = 0.95,
    by_centre: CentreStyle = "lines",
) -> Axes:
    """Draw cumulative registrations on ``ax`` and return it.

    Parameters
    ----------
    ax
        The axes to draw on.
    registration_dates
        The registration date of each patient (any order).
    centres
        The centre of each patient; None draws the overall curve only.
    target
        The planned number of patients (horizontal line).
    cutoff_date
        The data cut-off; the curves run on flat to it. Not before the last registration.
    projected_date, projected_interval, interval_level
        The projected date of reaching ``target`` and its interval at ``interval_level``.
    by_centre
        ``"lines"`` (one cumulative line per centre) or ``"stacked"`` (stacked areas).

    Returns
    -------
    Axes
        ``ax``; the overall step line has gid ``"recruitment-overall"``, the target line
        ``"recruitment-target"``, the projection line ``"recruitment-projection"`` and the
        interval band ``"recruitment-interval"``.

    Raises
    ------
    InvalidInput
        Naming the argument for empty dates, a non-date, centres of another length, a target
        below 1, a cut-off or projected date before the last registration, or an interval
        that does not contain the projected date.
    UnknownTerm
        Naming ``by_centre`` for a style other than lines or stacked.
    """
    days = sorted(dates(registration_dates, "registration_dates"))
    n = len(days)
    target = positive_int(target, "target")
    if by_centre not in CENTRE_STYLES:
        raise UnknownTerm("by_centre", by_centre, CENTRE_STYLES)
    last = days[-1]
    if cutoff_date is not None:
        dates([cutoff_date], "cutoff_date")
        if cutoff_date < last:
            raise InvalidInput(
                "cutoff_date", f"must not be before the last registration ({last})", cutoff_date
            )
    end = cutoff_date or last
    x = _day_numbers(days)
    x_end = float(_day_numbers([end])[0])
    steps_x = np.concatenate([[x[0]], x, [x_end]])
    steps_y = np.concatenate([[0], np.arange(1, n + 1), [n]])

    if centres is not None:
        centre_names = labels(centres, "centres")
        check_length(centre_names, "centres", len(registration_dates), "registration_dates")
        pairs = sorted(zip(registration_dates, centre_names, strict=True))
        tally = Counter(centre for _, centre in pairs)
        names = sorted(tally, key=lambda name: (-tally[name], name))
        per_centre = [
            np.concatenate([[0], np.cumsum([centre == name for _, centre in pairs]), [tally[name]]])
            for name in names
        ]
        if by_centre == "stacked":
            ax.stackplot(
                steps_x,
                per_centre,
                step="post",
                colors=[_centre_colour(i) for i in range(len(names))],
                labels=[f"{name} (n = {tally[name]})" for name in names],
                alpha=0.85,
                linewidth=0,
            )
        else:
            for index, (name, y) in enumerate(zip(names, per_centre, strict=True)):
                ax.step(
                    steps_x,
                    y,
                    where="post",
                    color=_centre_colour(index),
                    linewidth=1.1,
                    linestyle="-" if index < len(_CENTRE_COLOURS) else "--",
                    label=f"{name} (n = {tally[name]})",
                )

    (overall,) = ax.step(
        steps_x,
        steps_y,
        where="post",
        color="black",
        linewidth=2.0,
        label=f"All centres (n = {n})",
    )
    overall.set_gid(OVERALL_GID)
    target_line = ax.axhline(target, color=REFERENCE_COLOUR, linestyle="--", linewidth=1.0)
    target_line.set_gid("recruitment-target")
    ax.annotate(
        f"Target {target} patients",
        xy=(0.0, target),
        xycoords=("axes fraction", "data"),
        xytext=(4, 3),
        textcoords="offset points",
        fontsize=SMALL_FONT_SIZE_PT,
        color=REFERENCE_COLOUR,
    )

    right = x_end
    if projected_interval is not None and projected_date is None:
        raise InvalidInput("projected_date", "is needed when projected_interval is given")
    if projected_date is not None:
        dates([projected_date], "projected_date")
        if projected_date < last:
            raise InvalidInput(
                "projected_date",
                f"must not be before the last registration ({last})",
                projected_date,
            )
        x_projected = float(_day_numbers([projected_date])[0])
        right = max(right, x_projected)
        if projected_interval is not None:
            lower, upper = dates(projected_interval, "projected_interval")
            if not lower <= projected_date <= upper:
                raise InvalidInput(
                    "projected_interval",
                    f"must contain projected_date ({projected_date})",
                    projected_interval,
                )
            x_lower, x_upper = _day_numbers([lower, upper])
            band = ax.axvspan(
                x_lower,
                x_upper,
                color=REFERENCE_COLOUR,
                alpha=0.14,
                linewidth=0,
                label=(
                    f"{interval_level * 100:g}% interval:\n"
                    f"{_long_date(lower)} to {_long_date(upper)}"
                ),
            )
            band.set_gid("recruitment-interval")
            right = max(right, float(x_upper))
        (projection,) = ax.plot(
            [x_end, x_projected],
            [n, target],
            linestyle=(0, (4, 2)),
            color="black",
            linewidth=1.4,
            marker="o",
            markevery=[1],
            markersize=5,
            label=f"Projected: {_long_date(projected_date)}",
        )
        projection.set_gid("recruitment-projection")

    span = max(right - float(x[0]), 30.0)
    ax.set_xlim(float(x[0]) - 0.02 * span, right + 0.04 * span)
    ax.set_ylim(0, max(target, n) * 1.1)
    months = span / 30.4375
    step = next((k for k in (1, 2, 3, 6, 12) if months / k <= 10), 24)
    locator = mdates.MonthLocator(  # type: ignore[no-untyped-call]
        bymonth=range(1, 13, min(step, 12)), interval=max(step // 12, 1)
    )
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel("Registration date", fontsize=FONT_SIZE_PT)
    ax.set_ylabel("Patients registered (cumulative)", fontsize=FONT_SIZE_PT)
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=SMALL_FONT_SIZE_PT, frameon=False
    )
    style_axes(ax)
    return ax


def make_recruitment_figure(
    registration_dates: Sequence[dt.date],
    centres: Sequence[str] | None = None,
    *,
    title: str = "Recruitment",
    target: int = TARGET_PATIENTS,
    cutoff_date: dt.date | None = None,
    projected_date: dt.date | None = None,
    projected_interval: tuple[dt.date, dt.date] | None = None,
    interval_level: float = 0.95,
    by_centre: CentreStyle = "lines",
) -> Figure:
    """A new figure holding ``plot_recruitment``; arguments and errors as there."""
    fig = new_figure(8.5, 4.5)
    ax = fig.add_subplot()
    plot_recruitment(
        ax,
        registration_dates,
        centres,
        target=target,
        cutoff_date=cutoff_date,
        projected_date=projected_date,
        projected_interval=projected_interval,
        interval_level=interval_level,
        by_centre=by_centre,
    )
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.09, right=0.74, top=0.9, bottom=0.13)
    return fig


def make_recruitment_figure_from_projection(
    projection: RecruitmentProjection,
    *,
    by_centre: CentreStyle = "lines",
    title: str = "Recruitment",
) -> Figure:
    """The recruitment figure of a ``ramunet.stats.recruitment.RecruitmentProjection``.

    Draws its registrations by centre up to its cut-off, its target, and (while the target is
    not reached) the projected date of the target patient with its interval.
    """
    arrival = projection.target_date
    return make_recruitment_figure(
        [day for _, day in projection.registrations],
        [centre for centre, _ in projection.registrations],
        title=title,
        target=projection.target,
        cutoff_date=projection.as_of,
        projected_date=None if arrival is None else arrival.median,
        projected_interval=None if arrival is None else (arrival.lower, arrival.upper),
        interval_level=projection.level,
        by_centre=by_centre,
    )

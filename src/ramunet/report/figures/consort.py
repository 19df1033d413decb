"""CONSORT-style flow diagram of the single-arm trial, drawn with matplotlib boxes and arrows.

Main column: screened -> registered -> treated -> evaluable for the primary endpoint; side
boxes: screening failures by reason, registered but not treated, treatment discontinued by
reason, not evaluable. The counts must add up; a flow that does not is refused.

References
----------
.. [1] Schulz KF, Altman DG, Moher D, for the CONSORT Group. CONSORT 2010 Statement: updated
   guidelines for reporting parallel group randomised trials. BMJ 2010;340:c332 (flow diagram).
.. [2] PROTOCOL-NOTES.md, "Endpoints": the primary analysis set is every registered patient
   who received at least one dose; the screening log keeps failures with their reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.inputs import count
from ramunet.report.figures.style import FONT_SIZE_PT, new_figure

#: Layout in data units: the axes span 0..100 across; one text line is ``_LINE`` high.
_LINE = 3.2
_PAD = 1.4
_GAP = 3.0
_MAIN_X = (4.0, 44.0)
_SIDE_X = (54.0, 98.0)
_WRAP_MAIN = 40
_WRAP_SIDE = 46
_EDGE = "#333333"
_MAIN_FACE = "#EAF2FA"
_SIDE_FACE = "#F7F7F7"


def _reasons(values: Mapping[str, int], name: str) -> Mapping[str, int]:
    checked: dict[str, int] = {}
    for reason, n in values.items():
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput(f"{name} reason", "must be a non-empty text", reason)
        checked[reason] = count(n, f"{name}[{reason!r}]")
    return MappingProxyType(checked)


@dataclass(frozen=True)
class ConsortCounts:
    """Patient counts of the flow, checked on construction.

    Attributes
    ----------
    screened
        Candidates in the screening log.
    screening_failures
        Reason -> candidates not registered for it; the counts add up to screened - registered.
    registered
        Patients registered.
    treated
        Registered patients with at least one dose (the primary analysis set).
    evaluable_primary
        Treated patients evaluable for disease control at 6 months.
    discontinued
        Reason -> treated patients who stopped protocol treatment for it.
    """

    screened: int
    screening_failures: Mapping[str, int]
    registered: int
    treated: int
    evaluable_primary: int
    discontinued: Mapping[str, int]

    def __post_init__(self) -> None:
        for name in ("screened", "registered", "treated", "evaluable_primary"):
            count(getattr(self, name), name)
        object.__setattr__(
            self, "screening_failures", _reasons(self.screening_failures, "screening_failures")
        )
        object.__setattr__(self, "discontinued", _reasons(self.discontinued, "discontinued"))
        failed = sum(self.screening_failures.values())
        if self.screened - failed != self.registered:
            raise InvalidInput(
                "registered",
                f"must equal screened ({self.screened}) minus screening failures ({failed})",
                self.registered,
            )
        if self.treated > self.registered:
            raise InvalidInput(
                "treated", f"must not exceed registered ({self.registered})", self.treated
            )
        if self.evaluable_primary > self.treated:
            raise InvalidInput(
                "evaluable_primary",
                f"must not exceed treated ({self.treated})",
                self.evaluable_primary,
            )
        stopped = sum(self.discontinued.values())
        if stopped > self.treated:
            raise InvalidInput(
                "discontinued", f"adds up to {stopped}; must not exceed treated ({self.treated})"
            )


def _box_lines(title: str, n: int, reasons: Mapping[str, int] | None, wrap: int) -> list[str]:
    # non-breaking spaces keep "(n = 5)" on one line
    lines = textwrap.wrap(f"{title} (n\u00a0=\u00a0{n})", wrap)
    for reason, k in (reasons or {}).items():
        lines += textwrap.wrap(
            f"\u2022 {reason} (n\u00a0=\u00a0{k})", wrap, subsequent_indent="   "
        )
    return lines


def _box(
    ax: Axes, x: tuple[float, float], top: float, lines: list[str], face: str, gid: str
) -> float:
    """Draw a box with its top at ``top``; return its bottom."""
    height = len(lines) * _LINE + 2 * _PAD
    patch = FancyBboxPatch(
        (x[0], top),
        x[1] - x[0],
        height,
        boxstyle="round,pad=0,rounding_size=1.2",
        facecolor=face,
        edgecolor=_EDGE,
        linewidth=0.9,
    )
    ax.add_patch(patch)
    # a box listing reasons reads best left-aligned; a single statement centred
    listing = any(line.startswith("\u2022") for line in lines)
    ax.text(
        x[0] + 1.5 if listing else (x[0] + x[1]) / 2,
        top + height / 2,
        "\n".join(lines),
        ha="left" if listing else "center",
        multialignment="left" if listing else "center",
        va="center",
        fontsize=FONT_SIZE_PT - 0.5,
        linespacing=1.35,
        gid=gid,
    )
    return top + height


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": _EDGE,
            "linewidth": 0.9,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    )


def plot_consort(ax: Axes, counts: ConsortCounts) -> tuple[Axes, float]:
    """Draw the flow diagram on ``ax`` (y grows downwards) and return it with its height.

    The layout is in data units, 0..100 across; ``make_consort_figure`` sizes a figure so that
    text fits. Each box's text has gid ``consort-<box>`` (screened, screening-failures,
    registered, not-treated, treated, discontinued, evaluable, not-evaluable).

    Returns
    -------
    tuple of (Axes, float)
        ``ax`` and the diagram's height in data units.
    """
    main_mid = (_MAIN_X[0] + _MAIN_X[1]) / 2
    y = 0.0
    rows = (
        (
            "screened",
            "Screened",
            counts.screened,
            None,
            (
                "screening-failures",
                "Screening failures",
                counts.screened - counts.registered,
                counts.screening_failures,
            ),
        ),
        (
            "registered",
            "Registered",
            counts.registered,
            None,
            ("not-treated", "Registered, not treated", counts.registered - counts.treated, None),
        ),
        (
            "treated",
            "Treated (at least one dose)",
            counts.treated,
            None,
            (
                "discontinued",
                "Discontinued treatment",
                sum(counts.discontinued.values()),
                counts.discontinued,
            ),
        ),
        (
            "evaluable",
            "Evaluable for disease control at 6 months",
            counts.evaluable_primary,
            None,
            (
                "not-evaluable",
                "Not evaluable for the primary endpoint",
                counts.treated - counts.evaluable_primary,
                None,
            ),
        ),
    )
    previous_bottom: float | None = None
    for index, (gid, title, n, _, side) in enumerate(rows):
        main_lines = _box_lines(title, n, None, _WRAP_MAIN)
        side_gid, side_title, side_n, side_reasons = side
        side_lines = _box_lines(side_title, side_n, side_reasons, _WRAP_SIDE)
        last = index == len(rows) - 1
        if previous_bottom is not None:
            _arrow(ax, (main_mid, previous_bottom), (main_mid, y))
        main_top = y
        main_bottom = _box(ax, _MAIN_X, main_top, main_lines, _MAIN_FACE, f"consort-{gid}")
        if last:
            # the analysis row: its side box stands beside the main box
            side_top = main_top
            side_bottom = _box(ax, _SIDE_X, side_top, side_lines, _SIDE_FACE, f"consort-{side_gid}")
            y = max(main_bottom, side_bottom)
        else:
            side_top = main_bottom + _GAP
            side_bottom = _box(ax, _SIDE_X, side_top, side_lines, _SIDE_FACE, f"consort-{side_gid}")
            branch_y = (side_top + side_bottom) / 2
            ax.plot([main_mid, main_mid], [main_bottom, branch_y], color=_EDGE, linewidth=0.9)
            _arrow(ax, (main_mid, branch_y), (_SIDE_X[0], branch_y))
            y = side_bottom + _GAP
        previous_bottom = main_bottom
    ax.set_xlim(0, 100)
    ax.set_ylim(y + 0.5, -0.5)
    ax.set_axis_off()
    return ax, y


def make_consort_figure(counts: ConsortCounts, *, title: str = "Patient flow") -> Figure:
    """A new figure holding the flow diagram, its height fitted to the text."""
    probe = new_figure(7.5, 1.0)
    _, height = plot_consort(probe.add_axes((0, 0, 1, 1)), counts)
    # one text line (_LINE units) takes about 0.16 in at this font size
    height_in = height * 0.16 / _LINE + 0.5
    fig = new_figure(7.5, height_in)
    ax = fig.add_axes((0.02, 0.02, 0.96, 1 - 0.45 / height_in - 0.02))
    plot_consort(ax, counts)
    fig.text(0.02, 1 - 0.12 / height_in, title, fontsize=FONT_SIZE_PT + 1, va="top")
    return fig

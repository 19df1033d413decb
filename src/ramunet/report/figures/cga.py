"""Chromogranin A (CgA) percentage change from baseline over time, one line per patient.

A spider plot of CgA with the biochemical thresholds as reference lines. There is no universal
CgA response standard; the defaults are those of clinical-rules.md §5 (response at a decrease
of >= 50%, progression at an increase of >= 25%) and are arguments, as the SAP may set others.

References
----------
.. [1] clinical-rules.md §5 (CgA biochemical response; defaults for the RamuNET SAP).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from ramunet.report.figures.spider import PatientSeries, plot_spider
from ramunet.report.figures.style import FONT_SIZE_PT, new_figure

#: clinical-rules.md §5 defaults, both inclusive.
CGA_RESPONSE_PCT = -50.0
CGA_PROGRESSION_PCT = 25.0


def make_cga_figure(
    patient_ids: Sequence[str],
    weeks: PatientSeries,
    change_pct: PatientSeries,
    best_response: Sequence[str],
    *,
    response_pct: float = CGA_RESPONSE_PCT,
    progression_pct: float = CGA_PROGRESSION_PCT,
    title: str = "Chromogranin A over time",
) -> Figure:
    """CgA change from baseline per patient, coloured by best overall response (RECIST 1.1).

    Arguments and errors as ``plot_spider``; ``change_pct`` is the CgA change in percent, and
    the reference lines sit at ``progression_pct`` and ``response_pct``.
    """
    fig = new_figure(8.5, 4.5)
    ax = fig.add_subplot()
    plot_spider(
        ax,
        patient_ids,
        weeks,
        change_pct,
        best_response,
        reference_lines=(
            (progression_pct, f"{progression_pct:+g}%".replace("-", "\u2212")),
            (response_pct, f"{response_pct:+g}%".replace("-", "\u2212")),
        ),
        ylabel="Chromogranin A change\nfrom baseline (%)",
    )
    ax.set_title(title, fontsize=FONT_SIZE_PT + 1, loc="left")
    fig.subplots_adjust(left=0.11, right=0.7, top=0.9, bottom=0.12)
    return fig

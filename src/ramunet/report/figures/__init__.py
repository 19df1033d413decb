"""Figures of the RamuNET analysis report, one module per kind of figure.

Each kind has a ``plot_*(ax, ...)`` function that draws on a given axes and returns it
(STYLE.md example 18) and a ``make_*_figure(...)`` helper that creates a figure of the right
size without pyplot's global state. ``save_figure`` and ``figure_bytes`` write PNG and SVG
byte-for-byte reproducibly. Inputs are plain arrays and small dataclasses, so the report can
be built from ``ramunet.stats`` results or from any other source; invalid input raises
``InvalidInput`` naming the argument.
"""

from __future__ import annotations

from ramunet.report.figures.cga import make_cga_figure
from ramunet.report.figures.consort import ConsortCounts, make_consort_figure, plot_consort
from ramunet.report.figures.kaplan_meier import (
    SurvivalCurve,
    add_at_risk_table,
    curve_from_kaplan_meier,
    make_kaplan_meier_figure,
    plot_kaplan_meier,
)
from ramunet.report.figures.qlq_c30 import (
    ScaleChange,
    make_qlq_c30_figure,
    plot_qlq_c30_change,
    scale_changes_from_summary,
)
from ramunet.report.figures.recruitment import (
    make_recruitment_figure,
    make_recruitment_figure_from_projection,
    plot_recruitment,
)
from ramunet.report.figures.save import figure_bytes, save_figure
from ramunet.report.figures.spider import make_spider_figure, plot_spider
from ramunet.report.figures.swimmer import make_swimmer_figure, plot_swimmer
from ramunet.report.figures.toxicity import (
    WorstGradeCounts,
    make_toxicity_figure,
    plot_toxicity,
    worst_grade_counts,
)
from ramunet.report.figures.waterfall import make_waterfall_figure, plot_waterfall

__all__ = [
    "ConsortCounts",
    "ScaleChange",
    "SurvivalCurve",
    "WorstGradeCounts",
    "add_at_risk_table",
    "curve_from_kaplan_meier",
    "figure_bytes",
    "make_cga_figure",
    "make_consort_figure",
    "make_kaplan_meier_figure",
    "make_qlq_c30_figure",
    "make_recruitment_figure",
    "make_recruitment_figure_from_projection",
    "make_spider_figure",
    "make_swimmer_figure",
    "make_toxicity_figure",
    "make_waterfall_figure",
    "plot_consort",
    "plot_kaplan_meier",
    "plot_qlq_c30_change",
    "plot_recruitment",
    "plot_spider",
    "plot_swimmer",
    "plot_toxicity",
    "plot_waterfall",
    "save_figure",
    "scale_changes_from_summary",
    "worst_grade_counts",
]

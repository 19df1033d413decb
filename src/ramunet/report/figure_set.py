"""The report's figures from its results: which figure, with which data, under which caption.

Each entry is built only when its data exist (a trial without any tumour assessment after
baseline has no waterfall yet); the report then says so in the section's text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from matplotlib.figure import Figure

from ramunet.report.analysis import ReportResults
from ramunet.report.figures.biomarkers import make_biomarker_figure
from ramunet.report.figures.cga import make_cga_figure
from ramunet.report.figures.consort import make_consort_figure
from ramunet.report.figures.kaplan_meier import curve_from_kaplan_meier, make_kaplan_meier_figure
from ramunet.report.figures.primary import make_primary_figure
from ramunet.report.figures.qlq_c30 import make_qlq_c30_figure, scale_changes_from_summary
from ramunet.report.figures.recruitment import make_recruitment_figure_from_projection
from ramunet.report.figures.spider import make_spider_figure
from ramunet.report.figures.swimmer import make_swimmer_figure
from ramunet.report.figures.toxicity import make_toxicity_figure
from ramunet.report.figures.waterfall import make_waterfall_figure
from ramunet.stats.survival import KaplanMeierResult


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: its file stem, section, caption and builder."""

    key: str
    section: str
    caption: str
    build: Callable[[], Figure]


def figure_specs(results: ReportResults) -> Iterator[FigureSpec]:
    """The figures ``results`` allow, in report order."""
    yield FigureSpec(
        "consort", "flow", "Patient flow (CONSORT)", lambda: make_consort_figure(results.consort)
    )
    primary = results.primary
    if primary is not None:
        yield FigureSpec(
            "primary",
            "primary",
            "Disease control at 6 months with Clopper-Pearson 90% and 95% intervals against "
            "the design's null (60%) and alternative (80%) rates",
            lambda: make_primary_figure(primary),
        )
    course = results.course
    if course.waterfall_ids:
        yield FigureSpec(
            "waterfall",
            "response",
            "Best percentage change of the target-lesion sum from baseline, by patient",
            lambda: make_waterfall_figure(
                course.waterfall_ids, course.best_change_pct, course.waterfall_response
            ),
        )
    if course.swimmer_ids:
        yield FigureSpec(
            "swimmer",
            "response",
            "Time on treatment and in follow-up per patient, with response and events",
            lambda: make_swimmer_figure(
                course.swimmer_ids,
                course.follow_up_months,
                treatment_end_months=course.treatment_end_months,
                best_response=course.swimmer_response,
                partial_response_months=course.partial_response_months,
                complete_response_months=course.complete_response_months,
                progression_months=course.progression_months,
                death_months=course.death_months,
            ),
        )
    if course.spider_ids:
        yield FigureSpec(
            "spider",
            "response",
            "Change of the target-lesion sum from baseline over time",
            lambda: make_spider_figure(
                course.spider_ids,
                course.spider_weeks,
                course.spider_change_pct,
                course.spider_response,
            ),
        )
    for key, fit, name in (
        ("km_pfs", results.pfs, "Progression-free survival"),
        ("km_os", results.os, "Overall survival"),
    ):
        if fit is not None:
            yield FigureSpec(
                key,
                "survival",
                f"{name} (Kaplan-Meier, 95% pointwise band) with numbers at risk",
                _km_builder(fit, name),
            )
    counts = results.toxicity_counts
    if counts is not None:
        yield FigureSpec(
            "toxicity",
            "safety",
            "Patients by worst CTCAE v5.0 grade, the 20 most frequent terms",
            lambda: make_toxicity_figure(counts, n_patients=results.n_treated),
        )
    cga = results.cga
    if cga.ids:
        yield FigureSpec(
            "cga",
            "cga",
            "Chromogranin A change from baseline per patient (\u221250% response, +25% "
            "progression)",
            lambda: make_cga_figure(cga.ids, cga.weeks, cga.change_pct, cga.best_response),
        )
    qol = results.qol
    if qol.summary is not None:
        summary = qol.summary
        changes = scale_changes_from_summary(summary, dict(qol.visit_weeks))
        if changes:
            yield FigureSpec(
                "qlq_c30",
                "qol",
                "EORTC QLQ-C30 mean change from baseline with 95% intervals; the band marks "
                "\u00b110 points",
                lambda: make_qlq_c30_figure(changes),
            )
    if results.biomarkers:
        tests = results.biomarkers
        yield FigureSpec(
            "biomarkers",
            "biomarkers",
            "Biomarker values by disease control at 6 months",
            lambda: make_biomarker_figure(
                [t.marker for t in tests],
                [(t.result.responders, t.result.non_responders) for t in tests],
            ),
        )
    projection = results.recruitment
    if projection is not None:
        yield FigureSpec(
            "recruitment",
            "recruitment",
            "Cumulative registrations by centre with the projected date of the 45th patient",
            lambda: make_recruitment_figure_from_projection(projection),
        )


def _km_builder(fit: KaplanMeierResult, name: str) -> Callable[[], Figure]:
    def build() -> Figure:
        curve = curve_from_kaplan_meier(fit, "All patients")
        return make_kaplan_meier_figure(curve, endpoint=name, title=name)

    return build

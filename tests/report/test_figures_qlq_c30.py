"""QLQ-C30 mean change figure: points, CI error bars, the 10-point band, one panel per scale."""

from __future__ import annotations

import numpy as np
import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.report.figures.qlq_c30 import (
    ScaleChange,
    make_qlq_c30_figure,
    plot_qlq_c30_change,
    scale_changes_from_summary,
    scale_title,
)
from ramunet.report.figures.save import figure_bytes
from ramunet.stats.qol import qol_change_summary


def fatigue() -> ScaleChange:
    return ScaleChange(
        scale="FA",
        weeks=np.array([12.0, 24.0]),
        mean_change=np.array([5.0, -3.0]),
        lower=np.array([-1.0, -9.0]),
        upper=np.array([11.0, 4.0]),
        n_patients=np.array([40, 30]),
    )


def global_health() -> ScaleChange:
    return ScaleChange("QL2", np.array([12.0]), np.array([2.0]), np.array([0.0]), np.array([4.0]))


def test_mean_change_is_drawn_at_each_assessment(ax, by_gid):
    plot_qlq_c30_change(ax, fatigue())
    line = by_gid(ax, "qlq-FA")
    assert list(line.get_xdata()) == [12.0, 24.0]
    assert list(line.get_ydata()) == [5.0, -3.0]


def test_error_bars_span_the_confidence_limits(ax):
    container = plot_qlq_c30_change(ax, fatigue()).containers[0]
    segments = [segment.tolist() for segment in container.lines[2][0].get_segments()]
    assert segments == [[[12.0, -1.0], [12.0, 11.0]], [[24.0, -9.0], [24.0, 4.0]]]


def test_band_marks_changes_below_the_10_point_threshold(ax, by_gid):
    plot_qlq_c30_change(ax, fatigue())
    band = by_gid(ax, "qlq-threshold")
    assert (band.get_y(), band.get_y() + band.get_height()) == (-10.0, 10.0)


def test_patients_per_assessment_are_written_under_the_points(ax):
    plot_qlq_c30_change(ax, fatigue())
    assert [text.get_text() for text in ax.texts] == ["n=40", "n=30"]


def test_panel_title_says_which_direction_is_worse():
    assert scale_title("FA") == "Fatigue (FA; higher = worse)"
    assert scale_title("QL2") == "Global health status/QoL (QL2; higher = better)"


def test_figure_has_one_panel_per_scale_and_hides_the_spare_ones():
    fig = make_qlq_c30_figure([fatigue(), global_health()], ncols=3)
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title(loc="left") for ax in visible] == [
        "Fatigue (FA; higher = worse)",
        "Global health status/QoL (QL2; higher = better)",
    ]


def test_unknown_scale_is_refused():
    with pytest.raises(UnknownTerm) as error:
        ScaleChange("XX", np.array([12.0]), np.array([1.0]), np.array([0.0]), np.array([2.0]))
    assert str(error.value).startswith("scale 'XX': not recognised; expected QL2, PF2, RF2,")


def test_limits_that_exclude_the_mean_are_refused():
    with pytest.raises(InvalidInput) as error:
        ScaleChange("FA", np.array([12.0]), np.array([5.0]), np.array([6.0]), np.array([9.0]))
    assert str(error.value) == "lower: lower <= mean_change <= upper must hold at every assessment"


def test_repeated_scale_is_refused():
    with pytest.raises(InvalidInput) as error:
        make_qlq_c30_figure([fatigue(), fatigue()])
    assert str(error.value) == "changes[1].scale 'FA': appears twice; each must be unique"


def test_changes_from_the_stats_summary_get_a_t_interval():
    scores = [
        (patient, visit, "PF2", score)
        for patient, base, later in (("R1", 60.0, 70.0), ("R2", 50.0, 70.0), ("R3", 40.0, 70.0))
        for visit, score in (("baseline", base), ("C4", later))
    ]
    (change,) = scale_changes_from_summary(qol_change_summary(scores), {"C4": 12.0})
    # changes 10, 20, 30: mean 20, SD 10; t(0.975, 2) = 4.302653 (scipy.stats.t.ppf)
    half = 4.302652729911275 * 10 / np.sqrt(3)
    assert change.weeks.tolist() == [12.0]
    assert change.mean_change.tolist() == pytest.approx([20.0])
    assert change.lower.tolist() == pytest.approx([20.0 - half])
    assert change.upper.tolist() == pytest.approx([20.0 + half])
    assert change.n_patients.tolist() == [3]


def test_visit_with_one_patient_has_no_interval_and_is_left_out():
    scores = [("R1", "baseline", "PF2", 60.0), ("R1", "C4", "PF2", 70.0)]
    assert scale_changes_from_summary(qol_change_summary(scores), {"C4": 12.0}) == ()


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_qlq_c30_figure([fatigue(), global_health()]))
    second = figure_bytes(make_qlq_c30_figure([fatigue(), global_health()]))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second

"""Kaplan-Meier figure: step curve, censor ticks, median, and the numbers-at-risk table.

The adapter tests use the AML "maintained" group (Miller 1981; R ``survival::aml``):
9, 13, 13+, 18, 23, 28+, 31, 34, 45+, 48, 161+ weeks; R ``survfit`` gives S = 0.909 at 9,
0.818 at 13 and a median of 31.
"""

from __future__ import annotations

import numpy as np
import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.kaplan_meier import (
    SurvivalCurve,
    add_at_risk_table,
    curve_from_kaplan_meier,
    make_kaplan_meier_figure,
    median_text,
    plot_kaplan_meier,
)
from ramunet.report.figures.save import figure_bytes
from ramunet.stats.survival import kaplan_meier

AML_TIMES = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
AML_EVENTS = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]


def plain_curve() -> SurvivalCurve:
    return SurvivalCurve(
        label="PFS",
        time=np.array([2.0, 5.0, 8.0]),
        survival=np.array([0.8, 0.5, 0.25]),
        lower=np.array([0.6, 0.3, 0.1]),
        upper=np.array([0.95, 0.7, 0.45]),
        censor_time=np.array([3.0, 8.0]),
        n_at_risk=np.array([5, 3, 1]),
        median=5.0,
        median_lower=2.0,
        median_upper=None,
    )


def at_risk_texts(ax):
    return {
        text.get_gid(): text for text in ax.texts if (text.get_gid() or "").startswith("at-risk-")
    }


def test_step_curve_starts_at_one_at_time_zero(ax, by_gid):
    plot_kaplan_meier(ax, plain_curve())
    line = by_gid(ax, "km-curve-0")
    assert list(line.get_xdata()) == [0.0, 2.0, 5.0, 8.0]
    assert list(line.get_ydata()) == [1.0, 0.8, 0.5, 0.25]


def test_censor_ticks_sit_on_the_curve_at_the_censoring_times(ax, by_gid):
    plot_kaplan_meier(ax, plain_curve())
    ticks = by_gid(ax, "km-censor-0")
    assert list(ticks.get_xdata()) == [3.0, 8.0]
    assert list(ticks.get_ydata()) == [0.8, 0.25]


def test_median_value_is_written_at_the_median(ax, by_gid):
    plot_kaplan_meier(ax, plain_curve())
    text = by_gid(ax, "km-median-0")
    assert text.get_text() == "5.0"
    assert text.xy == (5.0, 0.0)


def test_legend_gives_the_median_with_its_interval_and_not_reached(ax):
    plot_kaplan_meier(ax, plain_curve())
    (label,) = [text.get_text() for text in ax.get_legend().get_texts()]
    assert label == "PFS: median 5.0 (95% CI 2.0\u2013NR) months"


def test_curve_that_never_halves_has_no_median_line(ax):
    curve = SurvivalCurve("OS", np.array([4.0]), np.array([0.9]))
    plot_kaplan_meier(ax, curve, endpoint="Overall survival")
    assert median_text(curve, "months") == "median NR (95% CI NR\u2013NR) months"
    assert [text for text in ax.texts if text.get_gid() == "km-median-0"] == []


def test_at_risk_table_shows_the_given_counts(ax):
    plot_kaplan_meier(ax, plain_curve())
    add_at_risk_table(ax, [0, 4, 8], {"PFS": [5, 3, 1]})
    texts = at_risk_texts(ax)
    assert [texts[f"at-risk-0-{column}"].get_text() for column in range(3)] == ["5", "3", "1"]


def test_at_risk_counts_are_aligned_with_the_x_ticks(ax):
    plot_kaplan_meier(ax, plain_curve())
    add_at_risk_table(ax, [0, 4, 8], {"PFS": [5, 3, 1]})
    texts = at_risk_texts(ax)
    assert list(ax.get_xticks()) == [0.0, 4.0, 8.0]
    assert [texts[f"at-risk-0-{column}"].get_position()[0] for column in range(3)] == [
        0.0,
        4.0,
        8.0,
    ]


def test_at_risk_table_has_one_row_per_curve_in_order(ax):
    add_at_risk_table(ax, [0, 6], {"PFS": [45, 30], "OS": [45, 40]})
    texts = at_risk_texts(ax)
    assert [texts["at-risk-1-0"].get_text(), texts["at-risk-1-1"].get_text()] == ["45", "40"]
    assert texts["at-risk-label-1"].get_text() == "OS"


def test_at_risk_row_of_another_length_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        add_at_risk_table(ax, [0, 6, 12], {"PFS": [45, 30]})
    assert str(error.value) == "counts['PFS']: has 2 values; expected 3, one per at_times entry"


def test_negative_at_risk_count_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        add_at_risk_table(ax, [0, 6], {"PFS": [45, -1]})
    assert str(error.value) == "counts['PFS'] [45, -1]: must be >= 0"


def test_survival_that_rises_is_refused():
    with pytest.raises(InvalidInput) as error:
        SurvivalCurve("PFS", np.array([1.0, 2.0]), np.array([0.5, 0.6]))
    assert str(error.value) == "survival [0.5, 0.6]: must lie in [0, 1] and never increase"


def test_no_curve_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_kaplan_meier(ax, [])
    assert str(error.value) == "curves: must hold at least one curve"


def test_curve_from_kaplan_meier_result_keeps_censorings_and_median():
    curve = curve_from_kaplan_meier(kaplan_meier(AML_TIMES, AML_EVENTS), "Maintained")
    assert curve.censor_time.tolist() == [13.0, 28.0, 45.0, 161.0]
    assert curve.survival[:2] == pytest.approx([10 / 11, 9 / 11])  # R: 0.909, 0.818
    assert curve.median == 31.0  # R print.survfit: median 31


def test_figure_counts_at_risk_from_the_step_table():
    curve = curve_from_kaplan_meier(kaplan_meier(AML_TIMES, AML_EVENTS), "Maintained")
    fig = make_kaplan_meier_figure(curve, at_risk_times=[0, 12, 24, 36], time_unit="weeks")
    texts = at_risk_texts(fig.axes[0])
    # follow-up >= t: all 11; all but 9; 28 and later (6); 45, 48, 161 (3)
    assert [texts[f"at-risk-0-{column}"].get_text() for column in range(4)] == [
        "11",
        "10",
        "6",
        "3",
    ]


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_kaplan_meier_figure(plain_curve()))
    second = figure_bytes(make_kaplan_meier_figure(plain_curve()))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
